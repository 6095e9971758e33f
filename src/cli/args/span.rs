//! Spans (`500ms`, `1s`, `1h30m`) and rates (`5/60s`) as options take them, with one error text each.

use crate::error::Error;
use crate::timeutil::parse_span_ms;

/// A span option: `500ms`, `1s`, `2m`, `1h30m` → milliseconds.
pub(crate) fn span(name: &str, value: &str) -> Result<i64, Error> {
    let value = value.trim();
    let ms = match value.strip_suffix("ms") {
        Some(n) => n.parse::<i64>().ok(),
        None => parse_span_ms(value),
    };
    ms.filter(|ms| *ms >= 0).ok_or_else(|| {
        Error::Usage(format!(
            "{name} takes a span like 500ms, 1s, 2m or 1h30m, not '{value}'"
        ))
    })
}

/// `N/SPAN` (`5/60s`, `5/10m`) → (N, span ms), both more than 0.
pub(crate) fn count_per_span(name: &str, value: &str) -> Result<(usize, i64), Error> {
    let bad = || Error::Usage(format!("{name} takes N/SPAN, e.g. 5/60s or 5/10m; not '{value}'"));
    let (n, window) = value.split_once('/').ok_or_else(bad)?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    let window = span(name, window).map_err(|_| bad())?;
    if n == 0 || window == 0 {
        return Err(bad());
    }
    Ok((n, window))
}

#[cfg(test)]
mod tests;
