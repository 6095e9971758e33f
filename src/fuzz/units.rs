//! Fuzzing of the small pieces everything else stands on: REPORT numbers, the line parser, the
//! escaping of output cells, and the `groups` table.

use proptest::prelude::*;

use super::{check, runner, strategies};
use crate::parse::parse_ms_to_us;
use crate::redact::{csv_cell, escape_control};
use crate::render::groups::groups_table;
use crate::source::cloudwatch::GroupInfo;
use crate::timeutil::format_rfc3339_ms;

/// `parse_ms_to_us` as exact arithmetic: digits, a dot, digits; milliseconds to microseconds,
/// truncated; `None` when it does not fit `u64`.
fn reference_ms_to_us(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut us: u128 = 0;
    for b in int.bytes() {
        us = us.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
        if us > u128::from(u64::MAX) {
            return None;
        }
    }
    us *= 1000;
    let mut scale = 100;
    for b in frac.bytes().take(3) {
        us += u128::from(b - b'0') * scale;
        scale /= 10;
    }
    u64::try_from(us).ok()
}

#[test]
fn report_numbers_lines_and_cells() {
    let strategy = (
        prop_oneof![3 => strategies::duration_text(), 1 => ".{0,30}"],
        strategies::bytes(),
    );
    runner::run(
        "report numbers, lines and cells",
        70_000,
        strategy,
        |(number, bytes)| {
            prop_assert_eq!(parse_ms_to_us(&number), reference_ms_to_us(&number), "{:?}", number);
            let text = String::from_utf8_lossy(&bytes);
            let parser = strategies::parser();
            let _ = parser.parse(&text);
            let _ = parser.parse_with(&text, false);
            let escaped = escape_control(&text);
            check::terminal_safe(&escaped, false, "escape_control")?;
            prop_assert!(!escaped.contains('\n'), "escaped text is one line");
            let cell = csv_cell(&escaped);
            prop_assert!(!cell.starts_with(['=', '+', '-', '@']) || cell.parse::<f64>().is_ok());
            Ok(())
        },
    );
}

#[test]
fn groups_table_of_hostile_names() {
    let group = (
        prop_oneof![2 => "/aws/lambda/[a-z-]{1,30}", 1 => "\\PC{0,40}", 1 => ".{0,40}"],
        any::<Option<i64>>(),
        any::<Option<i32>>(),
        prop::option::of(strategies::tick_time()),
        prop::option::of(strategies::tick_time()),
    );
    runner::run(
        "groups table of hostile names",
        6_000,
        (prop::collection::vec(group, 0..6), any::<bool>()),
        |(groups, local)| {
            let groups: Vec<GroupInfo> = groups
                .into_iter()
                // The times as `list_groups` writes them, from any epoch ms CloudWatch may answer.
                .map(
                    |(name, stored_bytes, retention_days, created_ms, newest_event_ms)| GroupInfo {
                        name,
                        stored_bytes,
                        retention_days,
                        created: created_ms.map(format_rfc3339_ms),
                        newest_event: newest_event_ms.map(format_rfc3339_ms),
                        created_ms,
                        newest_event_ms,
                    },
                )
                .collect();
            let text = groups_table(&groups, local, local.then_some(60));
            check::terminal_safe(&text, false, "the groups table")
        },
    );
}
