//! A field's value while a query runs (number, text, time, Boolean), how values compare and convert,
//! and how a result row writes them (the service returns every value as a string).

use std::cmp::Ordering;

/// A present value; a missing (null) field is `None` wherever an `Option<Val>` is used.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Num(f64),
    Str(String),
    /// Epoch milliseconds (`@timestamp`, `min(@timestamp)`, `datefloor(…)`).
    Time(i64),
    Bool(bool),
}

impl Val {
    /// The value as a number: numbers, times (epoch ms), Booleans (1/0) and text that reads as a
    /// number (parsed fields are text; arithmetic on them works as on numbers).
    pub(crate) fn num(&self) -> Option<f64> {
        match self {
            Val::Num(x) => Some(*x),
            Val::Time(ms) => Some(*ms as f64),
            Val::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Val::Str(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
        }
    }

    /// Whether `filter` keeps a row with this condition: true, or a non-zero number.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Val::Bool(b) => *b,
            Val::Num(x) => *x != 0.0,
            Val::Time(_) | Val::Str(_) => false,
        }
    }

    /// The string a result row holds.
    pub(crate) fn render(&self) -> String {
        match self {
            Val::Num(x) => java_double(*x),
            Val::Str(s) => s.clone(),
            Val::Time(ms) => timestamp(*ms),
            Val::Bool(b) => b.to_string(),
        }
    }

    /// A key for `count_distinct` and for grouping: equal values, equal keys.
    pub(crate) fn key(&self) -> String {
        match self {
            Val::Str(s) => format!("s{s}"),
            other => format!("n{}", other.render()),
        }
    }
}

/// How `min`/`max`/`sort`/`least`/`greatest` order two values: numerically when both are numeric
/// (numbers, times, Booleans, or text that reads as a number beside a number), else as text by
/// bytes (the docs do not say how text compares).
pub(crate) fn compare(a: &Val, b: &Val) -> Ordering {
    let numeric = |v: &Val| !matches!(v, Val::Str(_));
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ if numeric(a) || numeric(b) => match (a.num(), b.num()) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.render().as_bytes().cmp(b.render().as_bytes()),
        },
        _ => a.render().as_bytes().cmp(b.render().as_bytes()),
    }
}

/// `=` of two values: text equal to text, else numerically.
pub(crate) fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x == y,
        _ => matches!((a.num(), b.num()), (Some(x), Some(y)) if x == y),
    }
}

/// A number as the service writes it, which matches Java's `Double.toString`: `"15.0"`,
/// `"14.97"`, and E-notation from 10^7 up and below 10^-3 (`"6.7E7"`, `"1.28E8"`), with the
/// shortest digits that read back as the same double.
pub(crate) fn java_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    if (1e-3..1e7).contains(&x.abs()) {
        let s = format!("{x}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{x:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exp}")
    } else {
        format!("{mantissa}.0E{exp}")
    }
}

/// A time as the service writes it: `YYYY-MM-DD HH:MM:SS.mmm`, UTC.
pub(crate) fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f").to_string())
        .unwrap_or_default()
}
