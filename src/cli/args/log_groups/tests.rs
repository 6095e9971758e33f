//! Tests of the log-group options: the selection, the tries and the connection's checks.

use super::*;
use crate::cli::args::parse;

fn args(args: &[&str]) -> LogGroupArgs {
    parse(args)
}

fn usage(a: &[&str]) -> String {
    match args(a).validate() {
        Err(Error::Usage(text)) => text,
        other => panic!("{a:?}: {other:?}"),
    }
}

#[test]
fn groups_names_and_pattern_make_the_selection() {
    let g = args(&[
        "--group",
        "a",
        "--group",
        "b",
        "--max-tps",
        "2",
        "--region",
        "eu-west-1",
    ])
    .validate()
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.selection.names, ["a", "b"]);
    assert_eq!(g.selection.pattern, DEFAULT_PATTERN);
    assert!(!g.selection.all);
    assert_eq!((g.max_tps, g.max_attempts), (2.0, 8));
    assert_eq!(g.connection.region.as_deref(), Some("eu-west-1"));
}

#[test]
fn named_means_group_or_all_groups() {
    assert!(!args(&[]).named());
    assert!(!args(&["--group-pattern", "x"]).named());
    assert!(args(&["--group", "g"]).named());
    assert!(args(&["--all-groups"]).named());
}

#[test]
fn tries_and_rate_must_be_positive() {
    assert_eq!(usage(&["--max-attempts", "0"]), "--max-attempts must be at least 1");
    assert_eq!(usage(&["--max-tps", "0"]), "--max-tps must be a positive number");
    assert_eq!(usage(&["--max-tps", "NaN"]), "--max-tps must be a positive number");
}
