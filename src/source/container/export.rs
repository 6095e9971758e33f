//! The head of an export line: `<ISO ms Z><SPACE><message>`.

use crate::timeutil::TimestampCache;

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
