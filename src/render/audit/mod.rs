//! Renderers of an audit: pure `AuditReport -> String` in the report's formats.

pub(super) mod csv;
pub(super) mod html;
mod json;
pub(super) mod table;

use super::{OutputFormat, TableStyle};
use crate::audit::AuditReport;
use crate::i18n::{fill, AuditTexts, Lang};
use crate::report::Severity;

/// Renders `audit` in `format`, worded in the audit's language (that of its findings); `style`
/// only matters for the table.
pub fn render(audit: &AuditReport, format: OutputFormat, style: &TableStyle) -> String {
    match format {
        OutputFormat::Table => table::render(audit, style),
        OutputFormat::Json => json::render(audit),
        OutputFormat::Csv => csv::render(audit),
        OutputFormat::Html => html::render(audit),
    }
}

/// `high`, `medium`, `low`, `info` (the report's words for them in `lang`).
fn severity(s: Severity, lang: Lang) -> &'static str {
    let l = lang.labels();
    match s {
        Severity::High => l.severity_high,
        Severity::Medium => l.severity_medium,
        Severity::Low => l.severity_low,
        Severity::Info => l.severity_info,
    }
}

/// `300 s`, `unknown`.
fn ttl(t: &AuditTexts, seconds: Option<i32>) -> String {
    seconds.map_or_else(|| t.unknown.into(), |n| seconds_text(t, n))
}

/// `30 s`.
fn seconds_text(t: &AuditTexts, n: i32) -> String {
    fill(t.ttl_seconds, &[("n", &n)])
}

/// `90 days`, `forever`, `no group yet`.
fn retention(t: &AuditTexts, group: Option<&crate::audit::LogGroupConfig>) -> String {
    match group {
        None => t.unknown.into(),
        Some(g) if !g.exists => t.retention_no_group.into(),
        Some(g) => g
            .retention_days
            .map_or_else(|| t.retention_forever.into(), |d| fill(t.retention_days, &[("n", &d)])),
    }
}

/// `1 high, 1 medium`, or `none`.
fn counts(audit: &AuditReport) -> String {
    let t = audit.lang.audit();
    let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low, Severity::Info]
        .into_iter()
        .filter_map(|s| {
            let n = audit.findings.iter().filter(|f| f.severity == s).count();
            (n > 0).then(|| {
                fill(
                    t.severity_count,
                    &[("count", &n), ("severity", &severity(s, audit.lang))],
                )
            })
        })
        .collect();
    if parts.is_empty() {
        t.none.into()
    } else {
        parts.join(t.list_separator)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ja;
