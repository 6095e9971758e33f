//! Reading GetQueryResults rows (every value a string: `"6.7E7"`, `"2025-07-11 06:05:00.000"`)
//! into the totals of one slice.

use crate::analyze::{span, IpTotals, ServerTotals};

use super::query::{QueryKind, Resolution};

/// One result row: its fields and their values, as the service sent them.
pub type Row = Vec<(String, String)>;

/// A row that does not say what the query computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// No field the query computes: the service ran the query without evaluating `stats`.
    Unevaluated { kind: QueryKind, fields: String },
    /// A value that is not what its field holds.
    BadValue { field: String, value: String },
    /// A value, or a total of values, past what its field can hold: the endpoint's numbers cannot
    /// be right, and a wrapped or clamped total would be reported as if it were.
    OutOfRange { field: String, why: String },
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::Unevaluated { kind, fields } => write!(
                f,
                "the {} query came back with rows of {fields} instead of the fields it computes, so the endpoint does not evaluate Logs Insights `stats` (moto and LocalStack do not): use --engine local with it",
                kind.name()
            ),
            RowError::BadValue { field, value } => {
                write!(f, "Logs Insights returned {value:?} for {field}, which is not a number or a time")
            }
            RowError::OutOfRange { field, why } => write!(
                f,
                "Logs Insights returned {field} out of range ({why}): the endpoint's numbers cannot be right; try again, or use --engine local"
            ),
        }
    }
}

fn get<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.iter()
        .find(|(f, _)| f == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn bad(field: &str, value: &str) -> RowError {
    RowError::BadValue {
        field: field.to_string(),
        value: value.chars().take(80).collect(),
    }
}

/// The longest a duration (an invocation, an init) can be: a day, far past Lambda's 15 minutes.
const MAX_DURATION_MS: f64 = 86_400_000.0;

/// The most memory one invocation can have, in bytes: 1 TB, far past Lambda's 10,240 MB.
const MAX_MEMORY_BYTES: f64 = 1e12;

/// How far outside the window a time may be: a minute, for the minute buckets.
const TIME_SLACK_MS: i64 = 60_000;

fn out_of_range(field: &str, why: impl Into<String>) -> RowError {
    RowError::OutOfRange {
        field: field.to_string(),
        why: why.into(),
    }
}

/// `total += x`, or an error naming the field when the total would wrap.
fn plus<T: num_add::CheckedAdd>(total: &mut T, x: T, field: &str) -> Result<(), RowError> {
    *total = total
        .checked(x)
        .ok_or_else(|| out_of_range(field, "the total of the rows overflows"))?;
    Ok(())
}

mod num_add {
    /// The integer types totals are kept in.
    pub trait CheckedAdd: Sized + Copy {
        fn checked(self, x: Self) -> Option<Self>;
    }
    impl CheckedAdd for u64 {
        fn checked(self, x: Self) -> Option<Self> {
            self.checked_add(x)
        }
    }
    impl CheckedAdd for u128 {
        fn checked(self, x: Self) -> Option<Self> {
            self.checked_add(x)
        }
    }
}

/// A number field no larger than `per_unit` times `units` (a sum of durations over `units`
/// invocations, say): larger is out of range.
fn bounded(row: &Row, name: &str, per_unit: f64, units: u64) -> Result<Option<f64>, RowError> {
    match number(row, name)? {
        Some(x) if x > per_unit * (units.max(1) as f64) => Err(out_of_range(
            name,
            format!(
                "{} is more than {units} values can add up to",
                get(row, name).unwrap_or_default()
            ),
        )),
        x => Ok(x),
    }
}

/// Whether every time in `t` lies in the query's window `[start_ms, end_ms)` (a minute of slack):
/// a time outside it is an error naming the field, not a bucket in the year 300,000.
pub fn check_times(t: &ServerTotals, start_ms: i64, end_ms: i64) -> Result<(), RowError> {
    let (lo, hi) = (
        start_ms.saturating_sub(TIME_SLACK_MS),
        end_ms.saturating_add(TIME_SLACK_MS),
    );
    let check = |field: &str, ms: Option<i64>| match ms {
        Some(ms) if ms < lo || ms > hi => Err(out_of_range(
            field,
            format!("{ms} is outside the query's window {start_ms}–{end_ms}"),
        )),
        _ => Ok(()),
    };
    check("first", t.first_ms)?;
    check("last", t.last_ms)?;
    let minutes = |m: Option<&i64>| m.map(|m| m.saturating_mul(60_000));
    check("minute", minutes(t.minutes.keys().next()))?;
    check("minute", minutes(t.minutes.keys().next_back()))?;
    for span in t.spans.iter().flatten() {
        check("first", Some(span.0))?;
        check("last", Some(span.1))?;
    }
    Ok(())
}

/// A number field: Insights writes `15`, `15.0`, `1.28E8`; absent or empty is `None`.
fn number(row: &Row, name: &str) -> Result<Option<f64>, RowError> {
    match get(row, name) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(name, v)),
        },
    }
}

/// A count: a non-negative whole number (as a float string); absent is 0.
fn count(row: &Row, name: &str) -> Result<u64, RowError> {
    match number(row, name)? {
        None => Ok(0),
        Some(x) if x >= 0.0 && (x - x.round()).abs() < 1e-6 && x < 1.8e19 => Ok(x.round() as u64),
        Some(_) => Err(bad(name, get(row, name).unwrap_or_default())),
    }
}

/// Whole units from a value in `scale` units per unit (bytes → MB: 10^6), rounded.
fn scaled_u64(x: f64, scale: f64) -> u64 {
    (x / scale).round().clamp(0.0, u64::MAX as f64) as u64
}

fn scaled_u128(x: f64, scale: f64) -> u128 {
    (x / scale).round().max(0.0) as u128
}

/// A time as Insights writes it: `2025-07-11 06:05:00.000` (UTC), or epoch ms.
pub fn time_ms(value: &str) -> Option<i64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse().ok();
    }
    let iso = v.replacen(' ', "T", 1);
    let iso = if iso.ends_with('Z') || iso.contains('+') {
        iso
    } else {
        format!("{iso}Z")
    };
    chrono::DateTime::parse_from_rfc3339(&iso)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn minute(row: &Row) -> Result<Option<i64>, RowError> {
    match get(row, "minute") {
        None => Ok(None),
        Some(v) => time_ms(v)
            .map(|ms| Some(ms.div_euclid(60_000)))
            .ok_or_else(|| bad("minute", v)),
    }
}

/// A flagged minimum or maximum (`min(t + (1 - flag) × 10^15)`): a time, or none flagged.
fn flagged_span(row: &Row, first: &str, last: &str) -> Result<Option<(i64, i64)>, RowError> {
    let (Some(f), Some(l)) = (number(row, first)?, number(row, last)?) else {
        return Ok(None);
    };
    Ok((f < 5e14 && l > -5e14).then_some((f.round() as i64, l.round() as i64)))
}

fn require(kind: QueryKind, row: &Row, field: &str) -> Result<(), RowError> {
    if row.iter().any(|(f, _)| f == field) {
        return Ok(());
    }
    let fields: Vec<&str> = row.iter().map(|(f, _)| f.as_str()).take(6).collect();
    Err(RowError::Unevaluated {
        kind,
        fields: if fields.is_empty() {
            "no fields".into()
        } else {
            fields.join(", ")
        },
    })
}

/// Adds the rows of one query of one slice to `t`.
pub fn add_rows(kind: QueryKind, resolution: Resolution, rows: &[Row], t: &mut ServerTotals) -> Result<(), RowError> {
    for row in rows {
        match kind {
            QueryKind::Reports => add_report_row(row, resolution, t)?,
            QueryKind::Requests => add_requests_row(row, t)?,
            QueryKind::Denied => add_denied_row(row, t)?,
        }
    }
    Ok(())
}

fn add_report_row(row: &Row, resolution: Resolution, t: &mut ServerTotals) -> Result<(), RowError> {
    require(QueryKind::Reports, row, "n")?;
    let durations = count(row, "durations")?;
    if let (Some(d), true) = (number(row, "d")?, durations > 0) {
        // Durations are logged in ms with two decimals; µs as the local engine keeps them.
        let us = match resolution {
            Resolution::Exact => (d * 1000.0).round(),
            Resolution::WholeMs => d.ceil() * 1000.0,
        };
        if us < 0.0 {
            return Err(bad("d", get(row, "d").unwrap_or_default()));
        }
        if us > MAX_DURATION_MS * 1000.0 {
            return Err(out_of_range("d", format!("{d} ms is longer than a day")));
        }
        plus(t.durations.entry(us as u64).or_insert(0), durations, "durations")?;
    }
    let billedn = count(row, "billedn")?;
    if let Some(b) = bounded(row, "billed", MAX_DURATION_MS, billedn)? {
        plus(&mut t.billed_sum_ms, b.round().max(0.0) as u128, "billed")?;
    }
    plus(&mut t.billed_count, billedn, "billedn")?;
    if let Some(x) = bounded(row, "mbms", MAX_DURATION_MS * MAX_MEMORY_BYTES, billedn)? {
        plus(&mut t.mb_ms, scaled_u128(x, 1e6), "mbms")?;
    }
    // A row of events that are not REPORTs (see `reports_query`) has no memory: a maximum over
    // no value may come back as 0.
    let usedn = count(row, "usedn")?;
    let reports = durations.saturating_add(billedn).saturating_add(usedn);
    if let (Some(x), true) = (bounded(row, "memsize", MAX_MEMORY_BYTES, 1)?, reports > 0) {
        let mb = scaled_u64(x, 1e6);
        t.memory_size_max = Some(t.memory_size_max.map_or(mb, |m| m.max(mb)));
    }
    if let (Some(x), true) = (bounded(row, "usedmax", MAX_MEMORY_BYTES, 1)?, reports > 0) {
        let mb = scaled_u64(x, 1e6);
        t.max_used_max = Some(t.max_used_max.map_or(mb, |m| m.max(mb)));
    }
    if let Some(x) = bounded(row, "usedsum", MAX_MEMORY_BYTES, usedn)? {
        plus(&mut t.max_used_sum, scaled_u128(x, 1e6), "usedsum")?;
    }
    plus(&mut t.max_used_count, usedn, "usedn")?;
    let inits = count(row, "inits")?;
    plus(&mut t.inits, inits, "inits")?;
    if let Some(x) = bounded(row, "initsum", MAX_DURATION_MS, inits)? {
        plus(&mut t.init_sum_us, scaled_u128(x, 1e-3), "initsum")?;
    }
    // A maximum over no value may come back as 0 rather than absent.
    if let (Some(x), true) = (bounded(row, "initmax", MAX_DURATION_MS, 1)?, inits > 0) {
        let us = scaled_u64(x, 1e-3);
        t.init_max_us = Some(t.init_max_us.map_or(us, |m| m.max(us)));
    }
    plus(&mut t.restores, count(row, "restores")?, "restores")?;
    plus(&mut t.unattributed, count(row, "orphans")?, "orphans")?;
    plus(&mut t.json_events, count(row, "jsonn")?, "jsonn")?;
    Ok(())
}

fn add_requests_row(row: &Row, t: &mut ServerTotals) -> Result<(), RowError> {
    require(QueryKind::Requests, row, "invocations")?;
    let invocations = count(row, "invocations")?;
    let (allowed, denied, timeout, error) = (
        count(row, "allowed")?,
        count(row, "denied")?,
        count(row, "timeout")?,
        count(row, "error")?,
    );
    let decided = [allowed, denied, timeout, error]
        .into_iter()
        .try_fold(0u64, u64::checked_add)
        .filter(|d| *d <= invocations)
        .ok_or_else(|| bad("invocations", get(row, "invocations").unwrap_or_default()))?;
    plus(&mut t.invocations, invocations, "invocations")?;
    plus(&mut t.reported, count(row, "reported")?, "reported")?;
    plus(&mut t.decisions.allowed, allowed, "allowed")?;
    plus(&mut t.decisions.denied, denied, "denied")?;
    plus(&mut t.decisions.timeout, timeout, "timeout")?;
    plus(&mut t.decisions.error, error, "error")?;
    plus(&mut t.decisions.unknown, invocations - decided, "invocations")?;
    plus(&mut t.ip_mismatch, count(row, "ipmismatch")?, "ipmismatch")?;
    plus(&mut t.token_mismatch, count(row, "tokenmismatch")?, "tokenmismatch")?;
    plus(&mut t.both, count(row, "both")?, "both")?;
    plus(&mut t.token_missing, count(row, "tokenmissing")?, "tokenmissing")?;
    plus(&mut t.secret_logged, count(row, "secretlogged")?, "secretlogged")?;
    plus(&mut t.token_logged, count(row, "tokenlogged")?, "tokenlogged")?;
    plus(&mut t.token_leaks, count(row, "leaks")?, "leaks")?;
    for (i, name) in [
        (span::SECRET_LOGGED, "secret"),
        (span::TOKEN_LOGGED, "token"),
        (span::TOKEN_LEAK, "leak"),
        (span::TIMEOUTS, "timeout"),
        (span::ERRORS, "error"),
        (span::INCOMPLETE, "incomplete"),
    ] {
        let s = flagged_span(row, &format!("{name}first"), &format!("{name}last"))?;
        t.spans[i] = crate::analyze::merge_span(t.spans[i], s);
    }
    if let Some(f) = number(row, "first")? {
        let f = f.round() as i64;
        t.first_ms = Some(t.first_ms.map_or(f, |m| m.min(f)));
    }
    if let Some(l) = number(row, "last")? {
        let l = l.round() as i64;
        t.last_ms = Some(t.last_ms.map_or(l, |m| m.max(l)));
    }
    if let Some(m) = minute(row)? {
        let e = t.minutes.entry(m).or_insert([0; 3]);
        plus(&mut e[0], allowed, "allowed")?;
        plus(&mut e[1], denied, "denied")?;
        plus(&mut e[2], invocations - allowed - denied, "invocations")?;
    }
    Ok(())
}

fn add_denied_row(row: &Row, t: &mut ServerTotals) -> Result<(), RowError> {
    require(QueryKind::Denied, row, "denied")?;
    let src = get(row, "src").unwrap_or("(unknown)").to_string();
    let denied = count(row, "denied")?;
    let e: &mut IpTotals = t.denied_ips.entry(src).or_default();
    plus(&mut e.denied, denied, "denied")?;
    plus(&mut e.ip_mismatch, count(row, "ipmismatch")?, "ipmismatch")?;
    plus(&mut e.token_mismatch, count(row, "tokenmismatch")?, "tokenmismatch")?;
    plus(&mut e.leaks, count(row, "leaks")?, "leaks")?;
    let tkn = count(row, "tkn")?;
    if let (Some(m), true) = (minute(row)?, tkn > 0) {
        let (first, last) = flagged_span(row, "tkfirst", "tklast")?.unwrap_or((m * 60_000, m * 60_000));
        let s = e.mismatch_minutes.entry(m).or_insert((0, first, last));
        plus(&mut s.0, tkn, "tkn")?;
        s.1 = s.1.min(first);
        s.2 = s.2.max(last);
    }
    if let Some(alip) = get(row, "alip") {
        plus(t.allowed_ips.entry(alip.to_string()).or_insert(0), denied, "denied")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
