//! The timeline section: a bar a bucket, shrunk to fit the width.

use chrono::{DateTime, Utc};

use super::fit::{right_align, widest, Out};
use crate::i18n::{fill, Labels};
use crate::redact::escape_control;
use crate::report::{Timeline, TimelineBucket};

/// Widest timeline bar, in terminal cells.
pub(super) const BAR_WIDTH: u64 = 40;
/// Narrowest timeline bar when the timeline has to fit a width.
const MIN_BAR_WIDTH: u64 = 1;

fn bucket_label(start: &str, with_date: bool, with_seconds: bool) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(start) else {
        return escape_control(start).into_owned();
    };
    let format = match (with_date, with_seconds) {
        (true, true) => "%Y-%m-%d %H:%M:%S",
        (true, false) => "%Y-%m-%d %H:%M",
        (false, true) => "%H:%M:%S",
        (false, false) => "%H:%M",
    };
    t.with_timezone(&Utc).format(format).to_string()
}

fn span_label(seconds: u64, l: &Labels) -> String {
    let (unit, n) = match seconds {
        0 => return "?".to_string(),
        s if s.is_multiple_of(86_400) => (l.days, s / 86_400),
        s if s.is_multiple_of(3_600) => (l.hours, s / 3_600),
        s if s.is_multiple_of(60) => (l.minutes, s / 60),
        s => (l.seconds, s),
    };
    fill(unit, &[("n", &n)])
}

/// Cells of a bar for `count` out of `largest` in bars at most `bar_width` wide: rounded, but
/// never zero for a nonzero count (unless `bar_width` is 0).
pub(super) fn cells(count: u64, largest: u64, bar_width: u64) -> usize {
    if count == 0 || largest == 0 || bar_width == 0 {
        return 0;
    }
    // u128: a product of two u64 counts cannot overflow it.
    let scaled = (count as u128 * bar_width as u128 + largest as u128 / 2) / largest as u128;
    scaled.clamp(1, bar_width as u128) as usize
}

/// The bar of one bucket: allowed, denied and other cells.
fn bar(b: &TimelineBucket, largest: u64, bar_width: u64) -> String {
    format!(
        "{}{}{}",
        "█".repeat(cells(b.allowed, largest, bar_width)),
        "▒".repeat(cells(b.denied, largest, bar_width)),
        "░".repeat(cells(b.other, largest, bar_width))
    )
}

pub(super) fn timeline(out: &mut Out, timeline: &Timeline) {
    let buckets = &timeline.buckets;
    if buckets.is_empty() {
        return;
    }
    let dates: Vec<Option<_>> = buckets
        .iter()
        .map(|b| {
            DateTime::parse_from_rfc3339(&b.start)
                .ok()
                .map(|t| t.with_timezone(&Utc).date_naive())
        })
        .collect();
    let with_date = timeline.bucket_seconds >= 86_400 || dates.windows(2).any(|w| w[0] != w[1]);
    let with_seconds = !timeline.bucket_seconds.is_multiple_of(60);
    let show_other = buckets.iter().any(|b| b.other > 0);
    let largest = buckets
        .iter()
        .map(|b| b.allowed.saturating_add(b.denied).saturating_add(b.other))
        .max()
        .unwrap_or(0);

    let l = out.l;
    let table_of = |bar_width: u64| {
        let mut table = out.table();
        let mut head = vec![l.start, "", l.allowed, l.denied];
        if show_other {
            head.push(l.other);
        }
        table.set_header(head);
        for b in buckets {
            let mut row = vec![
                bucket_label(&b.start, with_date, with_seconds),
                bar(b, largest, bar_width),
                b.allowed.to_string(),
                b.denied.to_string(),
            ];
            if show_other {
                row.push(b.other.to_string());
            }
            table.add_row(row);
        }
        right_align(&mut table, 2..5);
        // Bars are never wrapped: they shrink instead.
        out.keep_whole(&mut table, 0..5);
        table
    };
    let mut bar_width = BAR_WIDTH;
    if let Some(width) = out.width {
        // Cells left for the bars: the width less the table with empty bars (a column is at
        // least one cell wide, even empty).
        let rest = widest(&out.draw(table_of(0))).saturating_sub(1);
        let room = width.saturating_sub(rest) as u64;
        let widest_bar = |bar_width| {
            buckets
                .iter()
                .map(|b| bar(b, largest, bar_width).chars().count() as u64)
                .max()
                .unwrap_or(0)
        };
        // Rounding and the one cell of a small count may make a bar a little longer than asked.
        while bar_width > MIN_BAR_WIDTH && widest_bar(bar_width) > room {
            bar_width -= 1;
        }
    }
    let table = table_of(bar_width);
    let mut legend = format!("█ {} ▒ {}", l.allowed, l.denied);
    if show_other {
        legend.push_str(&format!(" ░ {}", l.other));
    }
    let span = span_label(timeline.bucket_seconds, l);
    let title = fill(l.timeline_title, &[("span", &span)]);
    out.section(&format!("{title}  {legend}"), [table]);
}
