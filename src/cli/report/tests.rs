//! Tests of `report`'s arguments: its --help order, and the checks between its options.

use clap::Command;

use super::*;
use crate::cli::args::{misordered, parse};

const NOW: i64 = 1_700_000_000_000;

fn args(args: &[&str]) -> ReportArgs {
    parse(args)
}

fn config(a: &[&str]) -> ReportConfig {
    args(a).validate(NOW).unwrap_or_else(|e| panic!("{a:?}: {e}"))
}

fn usage(a: &[&str]) -> String {
    match args(a).validate(NOW) {
        Err(Error::Usage(text)) => text,
        other => panic!("{a:?}: {other:?}"),
    }
}

#[test]
fn the_help_order_names_every_option_once() {
    let cmd = ReportArgs::augment_args(Command::new("report"));
    assert_eq!(misordered(&cmd, OPTION_ORDER), Vec::<String>::new());
}

#[test]
fn files_are_read_locally_over_an_open_window() {
    let c = config(&[
        "samples/",
        "--since",
        "2023-01-01",
        "--guess-threshold",
        "3/1m",
        "--fail-on",
        "low",
    ]);
    assert!(c.cloudwatch.is_none());
    assert_eq!(c.pipeline.since_ms, Some(1_672_531_200_000));
    assert_eq!(c.pipeline.until_ms, None);
    assert_eq!(
        (c.pipeline.analyze.guess_threshold, c.pipeline.analyze.guess_window_ms),
        (3, 60_000)
    );
    assert_eq!(c.fail_on, Some(Severity::Low));
    assert!(c.access.is_none());
}

#[test]
fn without_files_since_reads_cloudwatch_until_now() {
    let c = config(&["--since", "1h", "--group", "g", "--slices", "2", "--max-attempts", "3"]);
    let cw = c.cloudwatch.unwrap_or_else(|| panic!("reads CloudWatch"));
    assert_eq!(
        (cw.start_ms, cw.end_ms, cw.slices, cw.max_attempts),
        (NOW - 3_600_000, NOW, 2, 3)
    );
    assert_eq!(cw.groups.names, ["g"]);
    // The report says where the window ended.
    assert_eq!(c.pipeline.until_ms, Some(NOW));
}

#[test]
fn an_access_log_group_is_read_over_the_window_with_the_same_connection() {
    let c = config(&[
        "samples/",
        "--access-log-group",
        "api",
        "--since",
        "1h",
        "--region",
        "eu-west-1",
    ]);
    let access = c.access.unwrap_or_else(|| panic!("a join"));
    assert!(access.inputs.is_empty());
    let group = access.group.unwrap_or_else(|| panic!("a group"));
    assert_eq!(group.groups.names, ["api"]);
    assert_eq!((group.start_ms, group.end_ms), (NOW - 3_600_000, NOW));
    assert_eq!(group.connection.region.as_deref(), Some("eu-west-1"));
    assert_eq!(c.engine, Engine::Local);
}

#[test]
fn options_that_do_not_fit_say_why() {
    assert!(usage(&[]).starts_with("no input given"));
    assert_eq!(
        usage(&["samples/", "--all-groups"]),
        "--group and --all-groups read CloudWatch Logs: pass them without files"
    );
    assert!(usage(&["samples/", "--explain"]).starts_with("--explain reads CloudWatch Logs"));
    assert!(usage(&["samples/", "--access-logs", "a", "--requests"])
        .ends_with("drop --requests (tail --access-logs prints one line per API request)"));
    assert!(usage(&["samples/", "--access-log-group", "g"]).ends_with("pass --since (and --until)"));
    assert_eq!(
        usage(&["-", "--access-logs", "-"]),
        "standard input (-) can hold the authorizer's logs or the access logs, not both"
    );
    assert_eq!(
        usage(&["--since", "1d", "--slices", "65"]),
        "--slices must be between 1 and 64"
    );
    assert_eq!(
        usage(&["--since", "1d", "--max-attempts", "0"]),
        "--max-attempts must be at least 1"
    );
    assert_eq!(
        usage(&["--since", "2099-01-01T00:00:00Z"]),
        "--since must be in the past (or pass an --until after it)"
    );
    assert_eq!(
        usage(&["samples/", "--price-gb-second=-1"]),
        "--price-gb-second must be a non-negative number"
    );
}

#[test]
fn audit_needs_a_cloudwatch_summary() {
    assert!(usage(&["samples/", "--audit"]).starts_with("--audit reads the configuration from AWS"));
    assert!(usage(&["--since", "1d", "--audit", "--requests"]).contains("drop --requests"));
    assert!(usage(&["--since", "1d", "--audit", "--explain"]).starts_with("--audit and --explain"));
    assert!(usage(&["--since", "1d", "--audit", "--cross-check", "1h"]).starts_with("--audit and --cross-check"));
    assert!(config(&["--since", "1d", "--audit"]).audit);
    assert!(config(&["--since", "1d", "--audit", "--engine", "insights"]).audit);
    assert!(!config(&["--since", "1d"]).audit);
}
