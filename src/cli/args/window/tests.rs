//! Tests of `--since`/`--until`: relative and absolute times, and their order.

use super::*;
use crate::cli::args::parse;

const NOW: i64 = 1_700_000_000_000;

fn window(args: &[&str]) -> Result<Window, Error> {
    parse::<WindowArgs>(args).validate(NOW)
}

fn usage(args: &[&str]) -> String {
    match window(args) {
        Err(Error::Usage(text)) => text,
        other => panic!("{args:?}: {other:?}"),
    }
}

#[test]
fn open_ends_stay_open() {
    assert_eq!(
        window(&[]).ok(),
        Some(Window {
            since_ms: None,
            until_ms: None
        })
    );
    assert_eq!(
        window(&["--since", "1h"]).ok(),
        Some(Window {
            since_ms: Some(NOW - 3_600_000),
            until_ms: None
        })
    );
}

#[test]
fn both_ends_resolve_against_now_and_must_be_in_order() {
    let w = window(&["--since", "2h", "--until", "1h"]).ok();
    assert_eq!(
        w.map(|w| (w.since_ms, w.until_ms)),
        Some((Some(NOW - 7_200_000), Some(NOW - 3_600_000)))
    );
    assert_eq!(
        usage(&["--since", "1h", "--until", "2h"]),
        "--since must be earlier than --until"
    );
    assert_eq!(
        usage(&["--since", "1h", "--until", "1h"]),
        "--since must be earlier than --until"
    );
}

#[test]
fn an_unreadable_time_is_a_usage_error() {
    assert!(!usage(&["--since", "yesterdayish"]).is_empty());
    assert!(!usage(&["--until", "garbage"]).is_empty());
}
