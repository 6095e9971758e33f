//! Snapshot tests of the whole report (table and JSON) on the shipped samples, as a newcomer runs it.

use crate::util::authlogs;

fn report(args: &[&str]) -> String {
    let out = authlogs().args(["report", "samples/"]).args(args).output().unwrap();
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn samples_table() {
    insta::assert_snapshot!(report(&["--color", "never"]));
}

#[test]
fn samples_json() {
    insta::assert_snapshot!(report(&["--format", "json"]));
}

#[test]
fn samples_requests_csv() {
    insta::assert_snapshot!(report(&["--requests"]));
}

#[test]
fn samples_table_in_japanese() {
    insta::assert_snapshot!(report(&["--color", "never", "--lang", "ja"]));
}
