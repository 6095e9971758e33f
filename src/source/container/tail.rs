//! The heads of `aws logs tail` and `sam logs` lines, and the color codes a TTY capture puts in them.

use crate::timeutil::{impossible_date, parse_leading_timestamp};

/// `aws logs tail` detailed `<ts+00:00> <stream> <msg>` and short `<ts> <msg>`, and `sam logs` `<stream> <ts> <msg>`.
#[inline]
pub(super) fn tail_head(line: &str) -> Option<(i64, Option<&str>, &str)> {
    let b = line.as_bytes();
    if let Some(ts) = parse_leading_timestamp(line) {
        if b.get(ts.len) != Some(&b' ') {
            return None;
        }
        let rest = &line[ts.len + 1..];
        if !ts.has_zone {
            return Some((ts.epoch_ms, None, rest));
        }
        // A `Z` stamp followed by a space is the export shape, not tail's Python `isoformat()`.
        if b[ts.len - 1] == b'Z' {
            return None;
        }
        return Some(match rest.split_once(' ') {
            Some((stream, msg)) => (ts.epoch_ms, Some(stream), msg),
            None => (ts.epoch_ms, Some(rest), ""),
        });
    }
    let (stream, rest) = line.split_once(' ')?;
    if stream.is_empty() || stream.contains('\t') {
        return None;
    }
    let ts = parse_leading_timestamp(rest)?;
    if ts.has_zone {
        return None;
    }
    match rest.as_bytes().get(ts.len) {
        Some(b' ') => Some((ts.epoch_ms, Some(stream), &rest[ts.len + 1..])),
        None => Some((ts.epoch_ms, Some(stream), "")),
        _ => None,
    }
}

/// A tail line whose stamp has a date or time that does not exist, first (`aws logs tail`) or
/// after the stream (`sam logs`): the rest of the line, to read as an event without a time rather
/// than as a line of the event before it, or at another time.
#[cold]
pub(super) fn tail_head_bad_date(line: &str) -> Option<&str> {
    if let Some(len) = impossible_date(line.as_bytes()) {
        return Some(line[len..].trim_start());
    }
    let (stream, rest) = line.split_once(' ')?;
    if stream.is_empty() || stream.contains('\t') {
        return None;
    }
    let len = impossible_date(rest.as_bytes())?;
    match rest.as_bytes().get(len) {
        Some(b' ') | None => Some(rest[len..].trim_start()),
        _ => None,
    }
}

/// Removes ANSI SGR color codes (`ESC [ … m`) from the timestamp and stream of a TTY capture.
#[inline]
pub(super) fn strip_sgr_head(line: &str, out: &mut String) {
    out.clear();
    let b = line.as_bytes();
    let (mut i, mut copied, mut spaces) = (0, 0, 0);
    while i < b.len() && spaces < 2 {
        if b[i] == 0x1b && b.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b';') {
                j += 1;
            }
            if b.get(j) == Some(&b'm') {
                out.push_str(&line[copied..i]);
                i = j + 1;
                copied = i;
                continue;
            }
        }
        if b[i] == b' ' {
            spaces += 1;
        }
        i += 1;
    }
    out.push_str(&line[copied..]);
}
