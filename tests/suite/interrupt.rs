//! Ctrl-C during `report`: reading stops, nothing is written (not even `-o`'s temporary file) and
//! the exit status is 130.

use std::io::Write;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::util::read_data;

#[test]
fn sigint_stops_a_local_report_and_leaves_no_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("report.json");
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_authlogs"))
        .args(["report", "-", "--format", "json", "-o"])
        .arg(&target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    // An endless input: the run can only end by the signal (or a write error once it exits).
    let feeder = std::thread::spawn(move || {
        let chunk = read_data("equiv.export.log");
        while stdin.write_all(&chunk).is_ok() {}
    });
    // Once the temporary file exists, the run is under way.
    let deadline = Instant::now() + Duration::from_secs(30);
    let temp_exists = || {
        std::fs::read_dir(dir.path())
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().contains(".tmp"))
            })
            .unwrap_or(false)
    };
    while !temp_exists() {
        assert!(Instant::now() < deadline, "the report never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let pid = child.id().to_string();
    assert!(StdCommand::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill")
        .success());
    let out = child.wait_with_output().expect("ends");
    feeder.join().expect("feeder");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("authlogs: interrupted: no report was written"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .filter_map(Result::ok)
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
