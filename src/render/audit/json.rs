//! The audit as pretty JSON (`--format json`, schema `authlogs.audit/v1`).

use crate::audit::AuditReport;
use crate::render::terminal_safe_json;

/// Pretty JSON with a trailing newline, keys in the model's order; text from AWS has its control
/// characters as `\uXXXX` escapes, as in the report.
pub(super) fn render(audit: &AuditReport) -> String {
    // Serializing plain structs of strings and numbers cannot fail; the fallback keeps output valid JSON.
    let json = serde_json::to_string_pretty(audit)
        .unwrap_or_else(|e| serde_json::json!({ "schema": audit.schema, "error": e.to_string() }).to_string());
    let mut out = terminal_safe_json(&json);
    out.push('\n');
    out
}
