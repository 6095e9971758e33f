//! The small promises of issue 26: `-o` writes through, a closed stdout is an error, `tail --count 0`
//! is refused, a FIFO in a directory is skipped, and zero padding after a gzip member is no damage.

use std::io::Write;

use crate::util::{authlogs, data, finish, report};

/// `report … >&-` wrote nothing and exited 0; now it says so and exits 1. A broken pipe stays quiet.
#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_an_error_and_a_broken_pipe_is_not() {
    let bin = assert_cmd::cargo::cargo_bin("authlogs");
    let file = data("equiv.export.log");
    let out = std::process::Command::new("sh")
        .args(["-c", "exec \"$AUTHLOGS_BIN\" report \"$INPUT\" >&-"])
        .env("AUTHLOGS_BIN", &bin)
        .env("INPUT", &file)
        .output()
        .expect("sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("standard output is closed"), "{stderr}");
    // With -o the closed stdout is not used: the report is written.
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("r.json");
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            "exec \"$AUTHLOGS_BIN\" report --format json -o \"$OUT\" \"$INPUT\" >&-",
        ])
        .env("AUTHLOGS_BIN", &bin)
        .env("INPUT", &file)
        .env("OUT", &target)
        .output()
        .expect("sh");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&target).expect("read").contains("\"schema\""));
    // A reader that goes away early: quiet, exit 0.
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            "\"$AUTHLOGS_BIN\" report --format csv \"$INPUT\" | head -c 1 >/dev/null",
        ])
        .env("AUTHLOGS_BIN", &bin)
        .env("INPUT", &file)
        .output()
        .expect("sh");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("authlogs:"), "{:?}", out);
}

/// `--count 0` printed one invocation; 0 is now refused as a usage error (exit 2).
#[test]
fn tail_count_zero_is_a_usage_error() {
    let run = finish(
        authlogs()
            .args(["tail", "--count", "0", "-"])
            .write_stdin(std::fs::read(data("equiv.export.log")).expect("read")),
    );
    run.assert_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("--count"), "{}", run.stderr);
    let run = finish(
        authlogs()
            .args(["tail", "--count", "1", "-"])
            .write_stdin(std::fs::read(data("equiv.export.log")).expect("read")),
    );
    run.assert_code(0);
    assert_eq!(run.text().lines().count(), 1, "{}", run.text());
}

/// `-o /dev/null` turned the device into a regular file when run as root; `-o FIFO` replaced the FIFO.
#[cfg(unix)]
#[test]
fn output_to_a_device_or_fifo_writes_through() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    report(&["--format", "json", "-o", "/dev/null", &data("equiv.export.log")]).assert_code(0);
    assert!(std::fs::metadata("/dev/null")
        .expect("meta")
        .file_type()
        .is_char_device());
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .expect("open")
                .read_to_string(&mut text)
                .expect("read");
            text
        })
    };
    let fifo_arg = fifo.to_string_lossy().into_owned();
    report(&["--format", "json", "-o", &fifo_arg, &data("equiv.export.log")]).assert_code(0);
    let text = reader.join().expect("reader");
    let json: serde_json::Value = serde_json::from_str(&text).expect("the report came through the FIFO");
    assert!(json["invocations"].as_u64().is_some_and(|n| n > 0));
    assert!(std::fs::metadata(&fifo).expect("meta").file_type().is_fifo());
}

/// `report DIR` with a FIFO inside hung forever opening it; now the FIFO is an input error.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_does_not_hang_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(data("equiv.export.log"), dir.path().join("a.log")).expect("copy");
    if !std::process::Command::new("mkfifo")
        .arg(dir.path().join("b.log"))
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let path = dir.path().to_string_lossy().into_owned();
    for threads in ["1", "2"] {
        let run = report(&["--format", "json", "--threads", threads, &path]);
        run.assert_code(3);
        let json = run.json();
        assert_eq!(json["complete"], false);
        let errors = json["input_errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0]["input"].as_str().is_some_and(|i| i.ends_with("b.log")));
        assert!(json["invocations"].as_u64().is_some_and(|n| n > 0));
    }
}

/// Zero bytes after the last gzip member (tape or block padding) are ignored, as `gzip -d` does;
/// anything else after it is still damage.
#[test]
fn zero_padding_after_a_gzip_member_is_not_damage() {
    let plain = std::fs::read(data("equiv.export.log")).expect("read");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).expect("gzip");
    let member = gz.finish().expect("gzip");
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = report(&["--format", "json", &data("equiv.export.log")]).json();
    for pad in [1usize, 9, 10, 512, 100_000] {
        let mut bytes = member.clone();
        bytes.resize(bytes.len() + pad, 0);
        let path = dir.path().join(format!("padded-{pad}.gz"));
        std::fs::write(&path, &bytes).expect("write");
        let run = report(&["--format", "json", &path.to_string_lossy()]);
        run.assert_code(0);
        let json = run.json();
        assert_eq!(json["invocations"], clean["invocations"], "pad {pad}");
        assert_eq!(json["complete"], true);
    }
    let mut bytes = member.clone();
    bytes.extend_from_slice(&[0, 0, 0, 7, 0]);
    let path = dir.path().join("garbage.gz");
    std::fs::write(&path, &bytes).expect("write");
    report(&["--format", "json", &path.to_string_lossy()]).assert_code(3);
}

/// 100,000 small files of nothing gave 33 MB of stderr and a 38 MB JSON: `input_warnings` lists the
/// first 20 inputs, and counts the rest, in JSON and on stderr, the same with reader threads.
#[test]
fn input_warnings_are_capped_and_the_rest_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..25 {
        std::fs::write(dir.path().join(format!("f{i:02}.log")), "nothing an authorizer logs\n").expect("write");
    }
    let path = dir.path().to_string_lossy().into_owned();
    for threads in ["1", "3"] {
        let run = report(&["--format", "json", "--threads", threads, &path]);
        let json = run.json();
        let warnings = json["input_warnings"].as_array().expect("warnings");
        assert_eq!(warnings.len(), 20, "threads {threads}");
        assert!(warnings[0]["input"].as_str().is_some_and(|i| i.ends_with("f00.log")));
        assert!(warnings[19]["input"].as_str().is_some_and(|i| i.ends_with("f19.log")));
        assert_eq!(json["input_warnings_omitted"], 5, "threads {threads}");
        assert!(run.stderr.contains("5 more inputs"), "{}", run.stderr);
        assert_eq!(run.stderr.matches("e.g.").count(), 20, "{}", run.stderr);
    }
    // Under the cap the key is absent: reports that were right stay byte for byte the same.
    let run = report(&["--format", "json", &dir.path().join("f00.log").to_string_lossy()]);
    assert!(run.json().get("input_warnings_omitted").is_none());
}

/// `tail -` read a file of `\r` line ends as one event (files were read right): the same
/// invocations now, field for field, as `report FILE --requests` gives for the same bytes.
#[test]
fn tail_of_cr_and_mixed_line_ends_prints_the_invocations_of_report() {
    let rows = |run: &crate::util::Run| -> std::collections::BTreeSet<String> {
        run.text()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .map(|v| v.to_string())
            .collect()
    };
    let want = rows(&finish(authlogs().args([
        "report",
        &data("equiv.export.log"),
        "--requests",
        "--format",
        "json",
    ])));
    assert_eq!(want.len(), 11);
    for file in [
        "equiv.cr.export.log",
        "equiv.mixed-eol.export.log",
        "equiv.crlf.export.log",
    ] {
        let report = finish(authlogs().args(["report", &data(file), "--requests", "--format", "json"]));
        report.assert_code(0);
        let tail = finish(
            authlogs()
                .args(["tail", "-", "--format", "json"])
                .write_stdin(std::fs::read(data(file)).expect("read")),
        );
        tail.assert_code(0).assert_no_panic();
        assert_eq!(rows(&report), want, "report {file}");
        assert_eq!(rows(&tail), want, "tail - < {file}");
    }
}
