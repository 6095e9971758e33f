//! Tests of the directory walk: an S3 export tree, and the stream names of its directories.

use crate::source::ReadOptions;
use std::fs;

use super::{lambda_stream_from_export, EXPORT_MARKER};
use crate::source::file::read_path;
use crate::source::InputFormat;
use crate::testutil::{gzip, TestSink};

#[test]
fn walks_an_s3_export_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("exportedlogs");
    let task = root.join("e37ac5c7-0170-416c-939c-19007ec3e1af");
    let s1 = task.join("2020-02-27-[$LATEST]0067289175a6449aa06c17778d756505");
    let s2 = task.join("2020-02-28-[$LATEST]11111111111111111111111111111111");
    fs::create_dir_all(&s1).unwrap();
    fs::create_dir_all(&s2).unwrap();
    fs::write(root.join(EXPORT_MARKER), b"Permission Check Successful").unwrap();
    fs::write(root.join(".hidden"), b"START RequestId: hidden\n").unwrap();
    fs::write(dir.path().join("README.md"), b"# exported logs\n").unwrap();
    fs::write(
        s1.join("000000.gz"),
        gzip(b"2020-02-27T10:00:00.000Z START RequestId: a Version: $LATEST\n\n"),
    )
    .unwrap();
    fs::write(
        s1.join("000001.gz"),
        gzip(b"2020-02-27T10:00:01.000Z END RequestId: a\n\n"),
    )
    .unwrap();
    fs::write(
        s2.join("000000.gz"),
        gzip(b"2020-02-28T10:00:00.000Z START RequestId: b Version: $LATEST\n\n"),
    )
    .unwrap();
    let mut sink = TestSink::default();
    read_path(dir.path(), ReadOptions::new(InputFormat::Auto), &mut sink).unwrap();
    assert!(sink.errors.is_empty(), "{:?}", sink.errors);
    let got: Vec<(&str, &str)> = sink.events.iter().map(|e| (e.1.as_str(), e.2.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (
                "2020/02/27/[$LATEST]0067289175a6449aa06c17778d756505",
                "START RequestId: a Version: $LATEST"
            ),
            (
                "2020/02/27/[$LATEST]0067289175a6449aa06c17778d756505",
                "END RequestId: a"
            ),
            (
                "2020/02/28/[$LATEST]11111111111111111111111111111111",
                "START RequestId: b Version: $LATEST"
            ),
        ]
    );
}

#[test]
fn export_directory_names_map_back_to_lambda_streams() {
    assert_eq!(
        lambda_stream_from_export("2025-07-11-[$LATEST]3f9a1c7e52b84d0e9c6f2a8b1d4e7c05"),
        "2025/07/11/[$LATEST]3f9a1c7e52b84d0e9c6f2a8b1d4e7c05"
    );
    assert_eq!(
        lambda_stream_from_export("2025-09-02-fn[$LATEST]abc"),
        "2025/09/02/fn[$LATEST]abc"
    );
    assert_eq!(lambda_stream_from_export("my-stream"), "my-stream");
}

/// A FIFO in a directory would block the walk forever (no writer ever comes): it is skipped with an
/// input error naming it, and the files beside it are read, in the plan (reader threads) too.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.log"),
        b"2020-02-27T10:00:00.000Z START RequestId: a Version: $LATEST\n",
    )
    .unwrap();
    let fifo = dir.path().join("b.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let mut sink = TestSink::default();
    read_path(dir.path(), ReadOptions::new(InputFormat::Auto), &mut sink).unwrap();
    assert_eq!(sink.errors.len(), 1, "{:?}", sink.errors);
    assert!(sink.errors[0].input.ends_with("b.pipe"), "{:?}", sink.errors);
    assert!(
        sink.errors[0].message.contains("not a regular file"),
        "{:?}",
        sink.errors
    );
    assert_eq!(sink.events.len(), 1);
    let units = crate::source::file::plan(&[dir.path().to_path_buf()], InputFormat::Auto, 1 << 20).unwrap();
    let skipped = units
        .iter()
        .filter(|u| matches!(u, crate::source::file::Unit::Skipped(_)))
        .count();
    assert_eq!(skipped, 1);
}
