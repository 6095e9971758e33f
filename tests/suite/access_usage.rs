//! The access-log options that do not fit together, or name what cannot be read: one line that
//! says why, exit 2 for usage and 1 for input, never a panic.

use crate::util::{authlogs, finish, Run};

fn run(args: &[&str]) -> Run {
    let r = finish(authlogs().args(args));
    r.assert_no_panic();
    r
}

fn assert_usage(args: &[&str], wants: &str) {
    let r = run(args);
    assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(wants),
        "{args:?}: '{wants}' missing from {}",
        r.stderr
    );
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
}

#[test]
fn access_log_options_that_do_not_fit_say_why() {
    let access = "tests/data/equiv.bare.log";
    assert_usage(
        &["report", "samples/", "--access-log-fields", "ip=x"],
        "pass --access-logs FILE",
    );
    assert_usage(
        &[
            "report",
            "samples/",
            "--access-logs",
            access,
            "--access-log-fields",
            "colour=x",
        ],
        "unknown field 'colour'",
    );
    assert_usage(
        &[
            "report",
            "samples/",
            "--access-logs",
            access,
            "--access-log-fields",
            "nowhere.toml",
        ],
        "cannot read nowhere.toml",
    );
    assert_usage(
        &["report", "samples/", "--access-logs", access, "--requests"],
        "drop --requests",
    );
    assert_usage(&["report", "samples/", "--access-log-group", "g"], "pass --since");
    assert_usage(
        &[
            "report",
            "samples/",
            "--access-logs",
            access,
            "--access-log-group",
            "g",
            "--since",
            "1h",
        ],
        "pass one",
    );
    assert_usage(
        &["report", "samples/", "--access-logs", access, "--join-window", "2m"],
        "--join-window",
    );
    assert_usage(&["report", "-", "--access-logs", "-"], "not both");
    assert_usage(
        &[
            "tail",
            "samples/filter-log-events.json",
            "--access-logs",
            access,
            "--raw",
        ],
        "drop --raw",
    );
    assert_usage(
        &["tail", "samples/filter-log-events.json", "--access-log-group", "g"],
        "without FILE",
    );
}

#[test]
fn a_missing_access_log_file_names_it() {
    let r = run(&["report", "samples/", "--access-logs", "no/such/access.log"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("no/such/access.log"), "{}", r.stderr);
}

#[test]
fn access_logs_without_a_record_are_said_on_stderr() {
    // The authorizer's own log given as the access log: no line is a record.
    let r = run(&[
        "report",
        "samples/",
        "--access-logs",
        "tests/data/equiv.export.log",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("no line was an access-log record"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).expect("JSON");
    assert_eq!(v["callers"]["requests"], 0);
    assert!(v["callers"]["unreadable_records"].as_u64().unwrap_or(0) > 0);
}
