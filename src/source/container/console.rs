//! The head of a console copy row: `<ISO with offset or Z><TAB><message>`.

use crate::timeutil::parse_leading_timestamp;

/// Console row: `<ISO with offset or Z><TAB><message>`.
#[inline]
pub(super) fn console_row(line: &str) -> Option<(i64, &str)> {
    let ts = parse_leading_timestamp(line)?;
    if !ts.has_zone || line.as_bytes().get(ts.len) != Some(&b'\t') {
        return None;
    }
    Some((ts.epoch_ms, &line[ts.len + 1..]))
}
