//! Renderers of an audit: pure `AuditReport -> String` in the report's formats.

use super::{OutputFormat, TableStyle};
use crate::audit::AuditReport;

/// Renders `audit` in `format`; `style` only matters for the table.
#[allow(dead_code)] // until `authlogs audit` calls it
pub fn render(audit: &AuditReport, format: OutputFormat, _style: &TableStyle) -> String {
    // Placeholder until the table, CSV and HTML exporters land: every format is the JSON document.
    let _ = format;
    let mut json = serde_json::to_string_pretty(audit).unwrap_or_default();
    json.push('\n');
    super::terminal_safe_json(&json)
}
