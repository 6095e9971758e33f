//! The head of an export line: `<ISO ms Z><SPACE><message>`.

use crate::timeutil::{impossible_date, TimestampCache};

/// `YYYY-MM-DDTHH:MM:SS.mmmZ ` opening an export line.
pub(super) const LAMBDA_HEAD: usize = 25;

/// Export: `<ISO ms Z><SPACE><message>`.
#[inline]
pub(crate) fn export_head<'l>(line: &'l str, timestamps: &mut TimestampCache) -> Option<(i64, &'l str)> {
    let ts = timestamps.parse(line)?;
    let b = line.as_bytes();
    if !ts.has_zone || b[ts.len - 1] != b'Z' || b.get(ts.len) != Some(&b' ') {
        return None;
    }
    Some((ts.epoch_ms, &line[ts.len + 1..]))
}

/// An export line whose stamp has every part of one but a day its month does not have
/// (`2025-02-30T…Z `): its message, to read as an event without a time rather than as a line of
/// the event before it, or on another day.
#[cold]
pub(crate) fn export_head_bad_date(line: &str) -> Option<&str> {
    let len = impossible_date(line.as_bytes())?;
    let b = line.as_bytes();
    (b[len - 1] == b'Z' && b.get(len) == Some(&b' ')).then(|| &line[len + 1..])
}
