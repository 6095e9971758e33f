//! Renderers of an audit: pure `AuditReport -> String` in the report's formats.

pub(super) mod csv;
pub(super) mod html;
mod json;
pub(super) mod table;

use super::{OutputFormat, TableStyle};
use crate::audit::AuditReport;
use crate::report::Severity;

/// Renders `audit` in `format`; `style` only matters for the table (English only for now).
pub fn render(audit: &AuditReport, format: OutputFormat, style: &TableStyle) -> String {
    match format {
        OutputFormat::Table => table::render(audit, style),
        OutputFormat::Json => json::render(audit),
        OutputFormat::Csv => csv::render(audit),
        OutputFormat::Html => html::render(audit),
    }
}

/// `high`, `medium`, `low`, `info`.
fn severity(s: Severity) -> &'static str {
    s.name()
}

/// `300 s`, `unknown`.
fn ttl(seconds: Option<i32>) -> String {
    seconds.map_or_else(|| "unknown".into(), |t| format!("{t} s"))
}

/// `90 days`, `forever`, `no group yet`.
fn retention(group: Option<&crate::audit::LogGroupConfig>) -> String {
    match group {
        None => "unknown".into(),
        Some(g) if !g.exists => "no group yet".into(),
        Some(g) => g
            .retention_days
            .map_or_else(|| "forever".into(), |d| format!("{d} days")),
    }
}

/// `1 high, 1 medium`, or `none`.
fn counts(audit: &AuditReport) -> String {
    let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low, Severity::Info]
        .into_iter()
        .filter_map(|s| {
            let n = audit.findings.iter().filter(|f| f.severity == s).count();
            (n > 0).then(|| format!("{n} {}", s.name()))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests;
