//! The audit as CSV: one row per finding, then one per gap.

use crate::audit::AuditReport;
use crate::i18n::fill;
use crate::redact::{csv_cell, escape_control};

/// The columns.
const HEADER: [&str; 6] = ["severity", "kind", "resource", "evidence", "advice", "fix"];

/// `severity,kind,resource,evidence,advice,fix` rows, most urgent first; a gap is a row of kind
/// `gap` without severity (resource: what was not read, evidence: the service's answer, advice: the
/// permission). A fix of several commands joins them with ` && `, so each cell is one line.
/// Every cell is escaped and cannot start a spreadsheet formula. The header, severities and kinds
/// are a schema (English); the texts are in the audit's language.
pub(super) fn render(audit: &AuditReport) -> String {
    let t = audit.lang.audit();
    let mut rows: Vec<[String; 6]> = Vec::new();
    for f in &audit.findings {
        rows.push([
            f.severity.name().into(),
            f.kind.into(),
            f.resource.clone(),
            f.evidence.clone(),
            f.advice.clone(),
            f.fix.as_deref().unwrap_or("").replace('\n', " && "),
        ]);
    }
    for g in &audit.gaps {
        rows.push([
            String::new(),
            "gap".into(),
            g.what.clone(),
            g.detail.clone(),
            fill(t.csv_grant, &[("permission", &g.permission)]),
            String::new(),
        ]);
    }
    let mut writer = ::csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(HEADER);
    for row in &rows {
        let _ = writer.write_record(row.iter().map(|s| csv_cell(&escape_control(s)).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
