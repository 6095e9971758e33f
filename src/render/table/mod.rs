//! The human report (`--format table`): sections of small aligned tables, built with comfy-table.

mod callers;
mod fit;
mod sections;
mod timeline;

use crate::audit::AuditReport;
use crate::i18n::Lang;
use crate::report::Report;
use callers::callers;
pub(crate) use fit::display_width;
// The audit's table wraps its prose the same way.
pub(in crate::render) use fit::wrap;
use fit::Out;
use sections::{cold_starts, cost, decisions, denials, duration, findings, header, input, top_denied_ips};
use timeline::timeline;

/// How the table looks on output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Color decision words and severities with ANSI escapes (only these; nothing else is styled).
    pub color: bool,
    /// Show the window's times in the local time zone (the report itself stays UTC).
    pub local_time: bool,
    /// Fit every line into this many terminal cells (a terminal's width): long texts wrap inside
    /// their column and the timeline's bars shrink. `None` (piped output): every table as wide as
    /// its content.
    pub width: Option<u16>,
    /// The language of every heading, label and fixed phrase (numbers, names and log text are as
    /// they are).
    pub lang: Lang,
}

/// Column lines drawn: only the rule under a header row.
pub(super) const PRESET: &str = "     ──             ";

/// Renders the report as text for a terminal. Every log-derived string is escaped, so the output
/// holds no control byte unless `style.color` adds ANSI colors itself.
// The report alone: the renderer's tests; the binary always passes what --audit read.
#[cfg(test)]
pub fn render(report: &Report, style: &TableStyle) -> String {
    render_with(report, None, style)
}

/// The report, with `report --audit`'s audit as a "Configuration audit" section after the
/// findings (the audit's own table pieces, in the audit's language).
pub fn render_with(report: &Report, audit: Option<&AuditReport>, style: &TableStyle) -> String {
    let mut out = Out::new(style);
    header(&mut out, report);
    if report.invocations == 0 {
        out.text.push('\n');
        out.line(out.l.no_invocations);
    } else {
        decisions(&mut out, report);
        denials(&mut out, report);
        top_denied_ips(&mut out, report);
    }
    // Access logs explain requests even when no invocation was read (every answer cached).
    if let Some(c) = &report.callers {
        callers(&mut out, c);
    }
    if report.invocations > 0 {
        duration(&mut out, report);
        cold_starts(&mut out, report);
        cost(&mut out, report);
        timeline(&mut out, &report.timeline);
    }
    findings(&mut out, report);
    if let Some(audit) = audit {
        out.text.push('\n');
        out.line(audit.lang.audit().report_section);
        out.text.push_str(&crate::render::audit::table::body(audit, style));
    }
    input(&mut out, report);
    out.text
}

#[cfg(test)]
mod tests;
