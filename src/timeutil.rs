//! Timestamps: a fast ISO 8601 parser for log lines, RFC 3339 formatting, and `--since`/`--until` values.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The days of `month` (1–12) in `year`, proleptic Gregorian: a date past them does not exist and
/// is never read as a day of the next month (`2025-02-30` is not 2025-03-02).
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// The shape nearly every line carries, `YYYY-MM-DDTHH:MM:SS.mmmZ`, without the general parser's branches.
#[inline]
fn lambda_timestamp(b: &[u8]) -> Option<LeadingTimestamp> {
    let b: &[u8; 24] = b.get(..24)?.try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'.' || b[23] != b'Z'
    {
        return None;
    }
    let d = |i: usize| -> Option<u32> {
        let v = b[i].wrapping_sub(b'0');
        (v < 10).then_some(v as u32)
    };
    let two = |i: usize| -> Option<u32> { Some(d(i)? * 10 + d(i + 1)?) };
    let year = two(0)? * 100 + two(2)?;
    let (month, day, hour, minute, second) = (two(5)?, two(8)?, two(11)?, two(14)?, two(17)?);
    let millis = d(20)? * 100 + two(21)?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let secs = days_from_civil(year as i64, month, day) * 86_400 + (hour * 3600 + minute * 60 + second) as i64;
    Some(LeadingTimestamp {
        epoch_ms: secs * 1000 + millis as i64,
        len: 24,
        has_zone: true,
    })
}

/// A timestamp found at the start of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadingTimestamp {
    pub epoch_ms: i64,
    /// Bytes the timestamp occupies.
    pub len: usize,
    /// Whether it carried a zone (`Z` or an offset); zoneless stamps are taken as UTC.
    pub has_zone: bool,
}

/// `parse_leading_timestamp` that remembers the last `YYYY-MM-DDTHH:MM:SS` it read: log lines come
/// in time order, so most share the second of the line before and only their milliseconds are read.
#[derive(Debug, Default, Clone)]
pub struct TimestampCache {
    /// The first 16 bytes of the remembered prefix, and its bytes 15..19.
    prefix: Option<(u128, u32)>,
    second_ms: i64,
}

fn prefix_words(b: &[u8]) -> Option<(u128, u32)> {
    let head: [u8; 16] = b.get(..16)?.try_into().ok()?;
    let tail: [u8; 4] = b.get(15..19)?.try_into().ok()?;
    Some((u128::from_le_bytes(head), u32::from_le_bytes(tail)))
}

impl TimestampCache {
    #[inline]
    pub fn parse(&mut self, s: &str) -> Option<LeadingTimestamp> {
        self.parse_bytes(s.as_bytes())
    }

    #[inline]
    pub fn parse_bytes(&mut self, b: &[u8]) -> Option<LeadingTimestamp> {
        let (millis, words) = (lambda_millis(b), prefix_words(b));
        if let (Some(m), Some(w)) = (millis, words) {
            if self.prefix == Some(w) {
                return Some(LeadingTimestamp {
                    epoch_ms: self.second_ms + m,
                    len: 24,
                    has_zone: true,
                });
            }
        }
        let t = leading_timestamp(b)?;
        if let (24, Some(m)) = (t.len, millis) {
            self.prefix = words;
            self.second_ms = t.epoch_ms - m;
        }
        Some(t)
    }
}

/// The milliseconds of a stamp whose fraction is `.mmmZ` at bytes 19..24.
fn lambda_millis(b: &[u8]) -> Option<i64> {
    let d = |i: usize| b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&v| v < 10);
    if b.get(19) != Some(&b'.') || b.get(23) != Some(&b'Z') {
        return None;
    }
    Some(d(20)? as i64 * 100 + d(21)? as i64 * 10 + d(22)? as i64)
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` at the start of `s`.
/// Accepts 1 to 9 fraction digits (the old Python runtime printed `.5Z` for 5 ms).
pub fn parse_leading_timestamp(s: &str) -> Option<LeadingTimestamp> {
    leading_timestamp(s.as_bytes())
}

/// `parse_leading_timestamp` on bytes: a timestamp is ASCII, whatever follows it.
pub fn leading_timestamp(b: &[u8]) -> Option<LeadingTimestamp> {
    if let Some(t) = lambda_timestamp(b) {
        return Some(t);
    }
    scan_timestamp(b).filter(|(_, exists)| *exists).map(|(t, _)| t)
}

/// The length of a timestamp at the start of `b` that has the shape of one but a date or time that
/// does not exist: a day its month does not have (`2025-02-30T…`), month 0 or 13, day 0 or 32,
/// hour 24 or more, minute 60 or more, second 61 or more. A time that is invalid, not one to read
/// as another day, nor a line without a timestamp.
pub fn impossible_date(b: &[u8]) -> Option<usize> {
    scan_timestamp(b).filter(|(_, exists)| !exists).map(|(t, _)| t.len)
}

/// A timestamp's shape at the start of `b`, and whether its date and time exist (its time is then right).
fn scan_timestamp(b: &[u8]) -> Option<(LeadingTimestamp, bool)> {
    if b.len() < 19 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    // Out of range is checked at the end: the shape alone makes it a timestamp, wrong or not.
    let in_range = (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour <= 23
        && minute <= 59
        && second <= 60;
    let mut i = 19;
    let mut millis = 0u32;
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + (b[i] - b'0') as u32;
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return None;
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    let mut offset_min: i64 = 0;
    let mut has_zone = false;
    match b.get(i) {
        Some(b'Z') => {
            i += 1;
            has_zone = true;
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let (om, used) = if b.get(i + 3) == Some(&b':') {
                (digits(b, i + 4, 2)?, 6)
            } else {
                (digits(b, i + 3, 2)?, 5)
            };
            if oh > 23 || om > 59 {
                return None;
            }
            offset_min = (oh * 60 + om) as i64;
            if sign == b'-' {
                offset_min = -offset_min;
            }
            i += used;
            has_zone = true;
        }
        _ => {}
    }
    let days = days_from_civil(year as i64, month, day);
    let secs = days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64 - offset_min * 60;
    let t = LeadingTimestamp {
        epoch_ms: secs * 1000 + millis as i64,
        len: i,
        has_zone,
    };
    Some((t, in_range))
}

/// RFC 3339 in UTC with milliseconds, e.g. `2025-07-11T06:05:34.309Z`.
pub fn format_rfc3339_ms(epoch_ms: i64) -> String {
    match Utc.timestamp_millis_opt(epoch_ms).single() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => epoch_ms.to_string(),
    }
}

/// `2025-07-11T06:00:00Z`: times in messages, without milliseconds unless they matter.
pub fn format_rfc3339_short(epoch_ms: i64) -> String {
    let full = format_rfc3339_ms(epoch_ms);
    full.strip_suffix(".000Z").map_or(full.clone(), |s| format!("{s}Z"))
}

/// Parses a relative span like `1d`, `90m`, `2h30m`, `2w`, `45s` into milliseconds.
pub fn parse_span_ms(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num: Option<i64> = None;
    let mut any = false;
    for c in s.trim().chars() {
        if let Some(d) = c.to_digit(10) {
            num = Some(num.unwrap_or(0).checked_mul(10)?.checked_add(d as i64)?);
            continue;
        }
        let unit: i64 = match c {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            'w' => 7 * 86_400_000,
            _ => return None,
        };
        total = total.checked_add(num.take()?.checked_mul(unit)?)?;
        any = true;
    }
    if num.is_some() || !any {
        return None;
    }
    Some(total)
}

/// Parses a `--since`/`--until` value: a span back from `now_ms` (`1d`, `2h30m`), `now`, or an ISO 8601
/// date or date-time with or without offset (zoneless values are UTC).
pub fn parse_time_arg(s: &str, now_ms: i64) -> Result<i64, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now_ms);
    }
    if let Some(span) = parse_span_ms(t) {
        return Ok(now_ms - span);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_millis());
    }
    if let Some(ts) = parse_leading_timestamp(t) {
        if ts.len == t.len() {
            return Ok(ts.epoch_ms);
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(n.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        if let Some(n) = d.and_hms_opt(0, 0, 0) {
            return Ok(n.and_utc().timestamp_millis());
        }
    }
    Err(format!(
        "cannot read time '{s}': use a span back from now (30m, 6h, 1d, 2w, 2h30m) or ISO 8601 (2025-07-11, 2025-07-11T06:00:00Z, 2025-07-11T15:00:00+09:00)"
    ))
}

/// RFC 3339 UTC → the same instant in the local zone, with its offset; `None` if it is not RFC 3339.
pub fn rfc3339_to_local(rfc3339: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(
        t.with_timezone(&chrono::Local)
            .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_reads_every_line_as_the_full_parser_does() {
        let lines = [
            "2025-07-11T06:05:34.309Z a",
            "2025-07-11T06:05:34.310Z b",
            "2025-07-11T06:05:34.999Zc",
            "2025-07-11T06:05:34.31Z short fraction",
            "2025-07-11T06:05:34.3100Z long fraction",
            "2025-07-11T06:05:34.31xZ",
            "2025-07-11T06:05:34,310Z comma",
            "2025-07-11T06:05:34.310+09:00 offset",
            "2025-07-11T06:05:34.310",
            "2025-07-11T06:05:34",
            "2025-07-11T06:05:35.000Z next second",
            "2025-07-11 06:05:35.001Z space",
            "2025-07-11 06:05:35.002Z space again",
            "2025-07-11T06:05:35.002Z",
            "2025-07-11T06:05:60.500Z leap",
            "2025-07-11T06:05:35.0a2Z",
            "2025-07-11T06:05:35.",
            "2025-07-11T06:05:3",
            "2025-07-11T06:05:35.123Z",
            "2025-07-12T06:05:35.123Z next day, same time",
            "",
            "x",
        ];
        let mut cache = TimestampCache::default();
        for _ in 0..2 {
            for line in lines {
                assert_eq!(cache.parse(line), parse_leading_timestamp(line), "{line:?}");
            }
        }
    }

    #[test]
    fn parses_lambda_and_cli_timestamps() {
        let z = parse_leading_timestamp("2025-07-11T06:05:34.309Z rest").unwrap();
        assert_eq!(z.epoch_ms, 1_752_213_934_309);
        assert_eq!(z.len, 24);
        let tail = parse_leading_timestamp("2025-07-11T06:05:34.309000+00:00 s m").unwrap();
        assert_eq!(tail.epoch_ms, z.epoch_ms);
        assert_eq!(tail.len, 32);
        let local = parse_leading_timestamp("2025-07-11T15:05:34.309+09:00\tSTART").unwrap();
        assert_eq!(local.epoch_ms, z.epoch_ms);
        let insights = parse_leading_timestamp("2025-07-11 06:05:34.309").unwrap();
        assert_eq!(insights.epoch_ms, z.epoch_ms);
        assert!(!insights.has_zone);
        let old_python = parse_leading_timestamp("2025-07-11T06:05:34.5Z").unwrap();
        assert_eq!(old_python.epoch_ms, 1_752_213_934_500);
        assert_eq!(
            parse_leading_timestamp("2025-07-11T06:05:34Z").unwrap().epoch_ms,
            1_752_213_934_000
        );
        assert!(parse_leading_timestamp("2025-13-11T06:05:34Z").is_none());
    }

    #[test]
    fn a_day_its_month_does_not_have_is_invalid_never_another_day() {
        for bad in [
            "2025-02-30T06:05:34.309Z",
            "2025-02-29T06:05:34.309Z",
            "2100-02-29T06:05:34.309Z",
            "2025-04-31 06:05:34.309",
            "2025-06-31T06:05:34+09:00",
            "2025-11-31T06:05:34.3Z",
            "2025-09-31T06:05:34",
            "2025-13-01T06:05:34.309Z",
            "2025-00-10T06:05:34.309Z",
            "2025-07-00T06:05:34.309Z",
            "2025-07-32 06:05:34.309",
            "2025-07-11T25:05:34.309Z",
            "2025-07-11T24:00:00Z",
            "2025-07-11T06:60:34+00:00",
            "2025-07-11T06:05:61.5Z",
        ] {
            assert_eq!(parse_leading_timestamp(bad), None, "{bad}");
            assert_eq!(TimestampCache::default().parse(bad), None, "{bad}");
            assert_eq!(impossible_date(bad.as_bytes()), Some(bad.len()), "{bad}");
        }
        // Checked against chrono, which this parser does not use for log lines.
        for good in [
            "2024-02-29T00:00:00.000Z",
            "2000-02-29T00:00:00.000Z",
            "2025-12-31T23:59:59.999Z",
            "2025-04-30T06:05:34.309Z",
        ] {
            let want = DateTime::parse_from_rfc3339(good).unwrap().timestamp_millis();
            assert_eq!(parse_leading_timestamp(good).map(|t| t.epoch_ms), Some(want), "{good}");
            assert_eq!(impossible_date(good.as_bytes()), None, "{good}");
        }
        assert!(parse_leading_timestamp("START RequestId").is_none());
        assert!(parse_leading_timestamp("2025-07-11T06:05").is_none());
    }

    #[test]
    fn formats_and_round_trips() {
        assert_eq!(format_rfc3339_ms(1_752_213_934_309), "2025-07-11T06:05:34.309Z");
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn spans_and_time_args() {
        assert_eq!(parse_span_ms("1d"), Some(86_400_000));
        assert_eq!(parse_span_ms("2h30m"), Some(9_000_000));
        assert_eq!(parse_span_ms("90m"), Some(5_400_000));
        assert_eq!(parse_span_ms("2w"), Some(1_209_600_000));
        assert_eq!(parse_span_ms("5"), None);
        assert_eq!(parse_span_ms("5x"), None);
        assert_eq!(parse_span_ms(""), None);
        let now = 1_752_213_934_309;
        assert_eq!(parse_time_arg("1d", now), Ok(now - 86_400_000));
        assert_eq!(parse_time_arg("2025-07-11T15:05:34.309+09:00", 0), Ok(now));
        assert_eq!(parse_time_arg("2025-07-11", 0), Ok(1_752_192_000_000));
        assert_eq!(parse_time_arg("2025-07-11T06:05", 0), Ok(1_752_213_900_000));
        assert!(parse_time_arg("yesterday", 0).unwrap_err().contains("cannot read time"));
    }
}
