//! Tests of planning: what is cut into ranges, runs of small files, directories, gzip inflated apart.

use crate::source::ReadOptions;
use std::fs;
use std::path::PathBuf;

use super::{plan, unit_inflates_apart, Unit, RUN_BYTES, RUN_FILE_BYTES};
use crate::source::decode::INLINE_GZIP_BYTES;
use crate::source::file::walk::EXPORT_MARKER;
use crate::source::file::{read_path, read_unit, SourceError};
use crate::source::InputFormat;
use crate::testutil::{gzip, read_planned, TestSink, EXPORT};

#[test]
fn bare_lines_split_into_ranges_and_other_containers_stay_whole() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.log");
    let text: String = (0..300)
        .map(|i| format!("START RequestId: r{i} Version: $LATEST\n\n"))
        .collect();
    std::fs::write(&bare, &text).unwrap();
    let mut whole = TestSink::default();
    read_path(&bare, ReadOptions::new(InputFormat::Auto), &mut whole).unwrap();
    let (ranged, units) = read_planned(&bare, InputFormat::Auto, 100);
    assert!(units > 100);
    assert_eq!(ranged.events, whole.events);

    let json = dir.path().join("events.json");
    let events: Vec<String> = (0..300)
        .map(|i| format!("{{\"timestamp\": {i}, \"message\": \"START RequestId: r{i} Version: $LATEST\\n\"}}"))
        .collect();
    std::fs::write(&json, format!("{{\"events\": [{}]}}", events.join(","))).unwrap();
    let gz = dir.path().join("export.log.gz");
    std::fs::write(&gz, gzip(EXPORT.repeat(50).as_bytes())).unwrap();
    for path in [&json, &gz] {
        let units = plan(std::slice::from_ref(path), InputFormat::Auto, 100).unwrap();
        assert_eq!(units, vec![Unit::Named(path.clone())], "{}", path.display());
    }
}

#[test]
fn small_whole_files_are_packed_into_runs_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, len: usize| {
        let path = dir.path().join(name);
        std::fs::write(&path, EXPORT.repeat(len / EXPORT.len() + 1)).unwrap();
        path
    };
    let small: Vec<PathBuf> = (0..5).map(|i| file(&format!("s{i}.log"), 100)).collect();
    let big = file("big.log", RUN_FILE_BYTES as usize);
    let named = |p: &PathBuf| Unit::Named(p.clone());
    let inputs = [&small[0], &small[1], &big, &small[2], &small[3], &small[4]];
    let inputs: Vec<PathBuf> = inputs.into_iter().cloned().collect();
    let units = plan(&inputs, InputFormat::Auto, u64::MAX).unwrap();
    assert_eq!(
        units,
        vec![
            Unit::Run(vec![named(&small[0]), named(&small[1])]),
            named(&big),
            Unit::Run(vec![named(&small[2]), named(&small[3]), named(&small[4])]),
        ]
    );
    // A file cut into ranges, and standard input, break a run too; a run of one is its file.
    let stdin = PathBuf::from("-");
    let units = plan(
        &[small[0].clone(), big.clone(), small[1].clone(), stdin.clone()],
        InputFormat::Auto,
        1024,
    )
    .unwrap();
    assert_eq!(units.first(), Some(&named(&small[0])));
    assert!(matches!(units[1], Unit::Range { .. }), "{units:?}");
    assert_eq!(&units[units.len() - 2..], &[named(&small[1]), Unit::Named(stdin)]);
    // Runs close at RUN_BYTES.
    let many: Vec<PathBuf> = (0..40).map(|i| file(&format!("m{i:02}.log"), 30_000)).collect();
    let units = plan(&many, InputFormat::Auto, u64::MAX).unwrap();
    let per_file = std::fs::metadata(&many[0]).unwrap().len();
    let per_run = RUN_BYTES.div_ceil(per_file) as usize;
    let sizes: Vec<usize> = units
        .iter()
        .map(|u| match u {
            Unit::Run(r) => r.len(),
            _ => 1,
        })
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 40);
    assert!(
        sizes[..sizes.len() - 1].iter().all(|&n| n == per_run),
        "{sizes:?} {per_run}"
    );
    // Read in order, the runs give what the files give one by one.
    let (mut packed, mut one_by_one) = (TestSink::default(), TestSink::default());
    for unit in &units {
        read_unit(unit, ReadOptions::new(InputFormat::Auto), &mut packed).unwrap();
    }
    for path in &many {
        read_path(path, ReadOptions::new(InputFormat::Auto), &mut one_by_one).unwrap();
    }
    assert_eq!(packed.events, one_by_one.events);
}

#[test]
fn planning_a_directory_keeps_walk_order_and_skips_what_the_walk_skips() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    std::fs::write(dir.path().join("b/2.log"), EXPORT).unwrap();
    std::fs::write(dir.path().join("a.log"), EXPORT.repeat(3)).unwrap();
    std::fs::write(dir.path().join("README.md"), "# not logs").unwrap();
    std::fs::write(dir.path().join(EXPORT_MARKER), "").unwrap();
    let units = plan(&[dir.path().to_path_buf()], InputFormat::Auto, 1 << 20).unwrap();
    assert_eq!(
        units,
        vec![Unit::Run(vec![
            Unit::Walked(dir.path().join("a.log")),
            Unit::Walked(dir.path().join("b/2.log"))
        ])]
    );
    let mut planned = TestSink::default();
    for unit in &units {
        read_unit(unit, ReadOptions::new(InputFormat::Auto), &mut planned).unwrap();
    }
    let mut walked = TestSink::default();
    read_path(dir.path(), ReadOptions::new(InputFormat::Auto), &mut walked).unwrap();
    assert_eq!(planned.events, walked.events);
    let err = plan(&[dir.path().join("missing.log")], InputFormat::Auto, 1 << 20).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }), "{err}");
    // A walked file cut into ranges that vanishes before it is read is skipped, as when whole.
    let ranged = plan(&[dir.path().to_path_buf()], InputFormat::Auto, 64).unwrap();
    assert!(ranged.len() > 2, "{ranged:?}");
    std::fs::remove_file(dir.path().join("a.log")).unwrap();
    let mut sink = TestSink::default();
    for unit in &ranged {
        read_unit(unit, ReadOptions::new(InputFormat::Auto), &mut sink).unwrap();
    }
    assert_eq!(sink.errors[0].input, dir.path().join("a.log").display().to_string());
    assert_eq!(sink.errors[0].position, "bytes 0 onward");
    assert_eq!(sink.events.len(), walked.events.len() / 4, "b/2.log is still read");
}

#[test]
fn gzip_units_of_64_kib_or_more_inflate_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (gz, small, plain) = (
        dir.path().join("a.gz"),
        dir.path().join("s.gz"),
        dir.path().join("b.log"),
    );
    // Ids that do not repeat compress to more than 64 KiB.
    let mut big = String::new();
    let mut x: u64 = 1;
    while big.len() < 1_500_000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        big.push_str(&format!(
            "2024-08-28T10:00:00.123Z START RequestId: {x:016x} Version: $LATEST\n\n"
        ));
    }
    fs::write(&gz, gzip(big.as_bytes())).unwrap();
    assert!(fs::metadata(&gz).unwrap().len() >= INLINE_GZIP_BYTES);
    fs::write(&small, gzip(EXPORT.as_bytes())).unwrap();
    fs::write(&plain, EXPORT).unwrap();
    assert_eq!(unit_inflates_apart(&Unit::Named(gz.clone())), Some(true));
    assert_eq!(unit_inflates_apart(&Unit::Walked(gz)), Some(true));
    assert_eq!(unit_inflates_apart(&Unit::Walked(small.clone())), Some(false));
    assert_eq!(unit_inflates_apart(&Unit::Run(vec![Unit::Walked(small)])), Some(false));
    assert_eq!(unit_inflates_apart(&Unit::Walked(plain.clone())), Some(false));
    assert_eq!(
        unit_inflates_apart(&Unit::Named(dir.path().join("missing"))),
        None,
        "no regular file to look at"
    );
    assert_eq!(unit_inflates_apart(&Unit::Named("-".into())), None);
    let range = Unit::Range {
        path: plain,
        format: InputFormat::Export,
        start: 0,
        end: 10,
        walked: false,
    };
    assert_eq!(unit_inflates_apart(&range), Some(false));
}
