//! A row of Logs Insights REPORT fields written back as the REPORT line it was read from, so the
//! one parser reads it as it reads every other REPORT.

use std::fmt::Write;

use super::columns::ReportColumns;

/// Logs Insights gives `@memorySize` and `@maxMemoryUsed` in bytes: the REPORT line's megabytes
/// times a million (`1.28E8` for `Memory Size: 128 MB`), as the Insights engine's queries read them.
const BYTES_PER_MB: f64 = 1_000_000.0;

/// The REPORT line of a row into `out`; `false` (and `out` left empty) when the row has no request id.
pub(super) fn write_report(cells: &[String], columns: &ReportColumns, out: &mut String) -> bool {
    out.clear();
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(|c| c.trim()).filter(|c| !c.is_empty());
    let Some(id) = cell(Some(columns.request_id)) else {
        return false;
    };
    // Writing to a String cannot fail.
    let _ = write!(out, "REPORT RequestId: {id}\t");
    // A cell that is no number (a value the query renamed or formatted) leaves its field out, as
    // a REPORT line without it would.
    let number = |i: Option<usize>| {
        cell(i)
            .and_then(|c| c.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    if let Some(ms) = number(Some(columns.duration)) {
        let _ = write!(out, "Duration: {ms} ms\t");
    }
    if let Some(ms) = number(columns.billed) {
        let _ = write!(out, "Billed Duration: {ms} ms\t");
    }
    if let Some(bytes) = number(columns.memory_size) {
        let _ = write!(out, "Memory Size: {} MB\t", (bytes / BYTES_PER_MB).round());
    }
    if let Some(bytes) = number(columns.max_memory) {
        let _ = write!(out, "Max Memory Used: {} MB\t", (bytes / BYTES_PER_MB).round());
    }
    if let Some(ms) = number(columns.init) {
        let _ = write!(out, "Init Duration: {ms} ms\t");
    }
    true
}
