//! Lambda lines behind a prefix no container explains (`HH:MM:SS␠␠`, `[group] [stream]`, a syslog or
//! forwarder header, a user's own columns, an indent, `> ` quote marks, list bullets): the prefix is
//! learned per input from its sample.

use super::detect::LAMBDA_PREFIXES as MARKERS;
use crate::timeutil::{impossible_date, leading_timestamp, parse_leading_timestamp};

/// The longest prefix looked for: a forwarder header, not a message that mentions START.
const MAX_PREFIX: usize = 256;
const DAY_MS: i64 = 86_400_000;

/// The class of a byte at either end of a prefix field: digits and letters as a class, any other
/// byte as itself (`[`, `]`, `:`), so `[group]` and `[other-group]` share a shape.
fn class(b: u8) -> u8 {
    if b.is_ascii_digit() {
        b'9'
    } else if b.is_ascii_alphabetic() {
        b'a'
    } else {
        b
    }
}

/// The classes of a field's first and last byte.
type Ends = (Option<u8>, Option<u8>);

/// Where the time of a prefixed line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrefixTime {
    /// A whole timestamp at the start of the line.
    Leading,
    /// A time of day (`HH:MM:SS[.fff]`) in this field; its date comes from timestamps in the lines.
    TimeOfDay(usize),
}

/// A learned prefix: how many whitespace-separated fields it has, their shape, and its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Prefix {
    fields: usize,
    /// Per field: the class of its first and last byte, when every sampled line agreed.
    shape: Vec<Ends>,
    time: Option<PrefixTime>,
    /// The whitespace every prefix begins with (a block indented in Markdown, an email or a doc
    /// page): a line must begin with exactly this, so a deeper indented line (a traceback's) stays
    /// a continuation.
    indent: Box<str>,
    /// Midnight (UTC epoch ms) of the date the times of day are on, and the last time of day read:
    /// a time of day far below the last one is the next day.
    day_ms: Option<i64>,
    last_tod: i64,
}

/// The offset of the first Lambda marker in `line` after a prefix that ends in whitespace.
fn marker_at(line: &str) -> Option<usize> {
    let head = &line.as_bytes()[..line.len().min(MAX_PREFIX + 20)];
    let at = MARKERS
        .iter()
        .filter_map(|m| memchr::memmem::find(head, m.as_bytes()))
        .min()?;
    (at > 0 && at <= MAX_PREFIX && matches!(head[at - 1], b' ' | b'\t')).then_some(at)
}

/// The whitespace a prefix begins with.
fn indent_of(prefix: &str) -> &str {
    &prefix[..prefix.len() - prefix.trim_start_matches([' ', '\t']).len()]
}

/// The whitespace-separated fields of a prefix.
fn fields(prefix: &str) -> impl Iterator<Item = &str> {
    prefix.split([' ', '\t']).filter(|f| !f.is_empty())
}

/// The time of a prefixed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineTime {
    /// Its time (epoch ms), or none when the prefix holds no time.
    At(Option<i64>),
    /// The prefix holds a date or time of day that does not exist (`2025-02-30`, `25:00:00`):
    /// never read as another time, nor as a line of the event before it.
    Impossible,
}

/// `HH:MM:SS[.fff|,fff]` → ms since midnight.
fn time_of_day(field: &str) -> Option<i64> {
    clock(field)
        .filter(|&(h, m, s, _)| h <= 23 && m <= 59 && s <= 60)
        .map(|(h, m, s, ms)| ((h * 60 + m) * 60 + s) * 1000 + ms)
}

/// The hours, minutes, seconds and milliseconds of a field of the `HH:MM:SS[.fff|,fff]` shape,
/// whether or not they are in range.
fn clock(field: &str) -> Option<(i64, i64, i64, i64)> {
    let b = field.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = field.get(r)?;
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (h, m, s) = (num(0..2)?, num(3..5)?, num(6..8)?);
    let mut ms = 0;
    if b.len() > 8 {
        if !matches!(b[8], b'.' | b',') {
            return None;
        }
        let frac = field.get(9..)?;
        if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let digits: String = frac.chars().chain("00".chars()).take(3).collect();
        ms = digits.parse().ok()?;
    }
    Some((h, m, s, ms))
}

/// Midnight (UTC) of the first ISO 8601 timestamp inside any of `lines`.
fn first_date(lines: &[&str]) -> Option<i64> {
    lines.iter().find_map(|line| {
        let b = line.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr::memchr(b'-', &b[from..]) {
            let at = from + i;
            if at >= 4 {
                if let Some(t) = leading_timestamp(&b[at - 4..]) {
                    return Some(t.epoch_ms.div_euclid(DAY_MS) * DAY_MS);
                }
            }
            from = at + 1;
        }
        None
    })
}

impl Prefix {
    /// The prefix most Lambda lines of the sample share, if at least two lines (or the only one) have one.
    pub(super) fn learn(lines: &[&str]) -> Option<Prefix> {
        let prefixes: Vec<&str> = lines.iter().filter_map(|l| Some(&l[..marker_at(l)?])).collect();
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        for p in &prefixes {
            *counts.entry(fields(p).count()).or_default() += 1;
        }
        // The most common field count; the smaller on a tie.
        let (&k, &support) = counts.iter().max_by_key(|&(k, n)| (*n, std::cmp::Reverse(*k)))?;
        if support < 2.min(prefixes.len()) {
            return None;
        }
        let chosen: Vec<&str> = prefixes.iter().copied().filter(|p| fields(p).count() == k).collect();
        let indent = chosen.first().map_or("", |p| indent_of(p));
        let shared = chosen.iter().all(|p| indent_of(p) == indent);
        // Without a shared indent, only fields can be the prefix.
        if !shared && k == 0 {
            return None;
        }
        let indent = if shared { indent } else { "" };
        // Any indented text (pretty-printed JSON, a document) may mention one marker: an indent is a
        // prefix only when two lines share it.
        if !indent.is_empty() && support < 2 {
            return None;
        }
        let mut shape = vec![(None, None); k];
        for (i, slot) in shape.iter_mut().enumerate() {
            let ends = |p: &&str| {
                let f = fields(p).nth(i).unwrap_or("");
                (f.bytes().next().map(class), f.bytes().last().map(class))
            };
            let first = chosen.first().map(ends).unwrap_or((None, None));
            let agree = |pick: fn(Ends) -> Option<u8>| {
                chosen
                    .iter()
                    .all(|p| pick(ends(p)) == pick(first))
                    .then(|| pick(first))
                    .flatten()
            };
            *slot = (agree(|e| e.0), agree(|e| e.1));
        }
        // A stamp whose date or time does not exist is a stamp all the same: the line is read as
        // damage (`LineTime::Impossible`), and the others keep their time.
        let stamped = |p: &&str| {
            let p = &p[indent.len()..];
            parse_leading_timestamp(p).is_some() || impossible_date(p.as_bytes()).is_some()
        };
        let time = if chosen.iter().all(stamped) {
            Some(PrefixTime::Leading)
        } else {
            (0..k)
                .find(|&i| chosen.iter().all(|p| fields(p).nth(i).and_then(clock).is_some()))
                .map(PrefixTime::TimeOfDay)
        };
        let day_ms = match time {
            Some(PrefixTime::TimeOfDay(_)) => first_date(lines),
            _ => None,
        };
        Some(Prefix {
            fields: k,
            shape,
            time,
            indent: indent.into(),
            day_ms,
            last_tod: 0,
        })
    }

    /// The time and the message of a line with the learned prefix; `None` for a line without it
    /// (a continuation line, such as a traceback's).
    pub(super) fn strip<'a>(&mut self, line: &'a str) -> Option<(LineTime, &'a str)> {
        let b = line.as_bytes();
        let mut at = 0;
        if !self.indent.is_empty() {
            if !line.starts_with(&*self.indent) || matches!(b.get(self.indent.len()), Some(b' ' | b'\t')) {
                return None;
            }
            at = self.indent.len();
        }
        let line_start = at;
        let mut tod = None;
        let mut impossible = false;
        for (i, &(first, last)) in self.shape.iter().enumerate() {
            let start = at;
            while at < b.len() && !matches!(b[at], b' ' | b'\t') {
                at += 1;
            }
            let field = &line[start..at];
            let (f, l) = (field.bytes().next()?, field.bytes().last()?);
            if first.is_some_and(|c| c != class(f)) || last.is_some_and(|c| c != class(l)) {
                return None;
            }
            if self.time == Some(PrefixTime::TimeOfDay(i)) {
                match time_of_day(field) {
                    Some(t) => tod = Some(t),
                    None => {
                        clock(field)?;
                        impossible = true;
                    }
                }
            }
            while at < b.len() && matches!(b[at], b' ' | b'\t') {
                at += 1;
            }
        }
        let msg = &line[at..];
        if impossible {
            return Some((LineTime::Impossible, msg));
        }
        let ts = match self.time {
            Some(PrefixTime::Leading) => match parse_leading_timestamp(&line[line_start..]) {
                Some(t) => Some(t.epoch_ms),
                None if impossible_date(&b[line_start..]).is_some() => return Some((LineTime::Impossible, msg)),
                None => return None,
            },
            Some(PrefixTime::TimeOfDay(_)) => {
                let tod = tod?;
                // Lines run forward in time: a time of day half a day before the last is the next day.
                if tod + DAY_MS / 2 < self.last_tod {
                    self.day_ms = self.day_ms.map(|d| d + DAY_MS);
                }
                self.last_tod = tod;
                self.day_ms.map(|d| d + tod)
            }
            None => None,
        };
        Some((LineTime::At(ts), msg))
    }
}

#[cfg(test)]
mod tests;
