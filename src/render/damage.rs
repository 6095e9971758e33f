//! What was wrong with the input, on stderr: each damaged input, and each input of which few or no
//! lines were recognized, with samples and a hint.

use std::io::{self, Write};

use crate::redact::escape_control;
use crate::report::Report;

/// Damaged inputs, and inputs that gave (almost) nothing with what to try, on stderr.
pub fn report_damage(report: &Report, err: &mut dyn Write) -> io::Result<()> {
    for e in &report.input_errors {
        writeln!(err, "authlogs: damaged input: {}", escape_control(&e.to_string()))?;
    }
    for w in &report.input_warnings {
        let what = if w.recognized == 0 {
            "no line was recognized, so it gave no invocation".to_string()
        } else {
            format!("only {} of {} lines were recognized", w.recognized, w.events)
        };
        writeln!(
            err,
            "authlogs: {}: read as {}: {what} ({} lines unrecognized)",
            escape_control(&w.input),
            w.container,
            w.events - w.recognized
        )?;
        for sample in &w.samples {
            writeln!(err, "  e.g. {sample}")?;
        }
        writeln!(err, "  {}", w.hint)?;
    }
    // What was cut to hold the memory budget: said on stderr too, since a JSON or CSV report on
    // stdout may go where no one reads its findings.
    let i = &report.input;
    if i.values_cut > 0 {
        writeln!(
            err,
            "authlogs: {} values over their cap were kept cut (head, length and SHA-256)",
            i.values_cut
        )?;
    }
    if i.requests_closed_early > 0 {
        writeln!(
            err,
            "authlogs: {} open requests were closed early to hold the memory budget",
            i.requests_closed_early
        )?;
    }
    if report.input_warnings_omitted > 0 {
        writeln!(
            err,
            "authlogs: {} more inputs gave (almost) no recognized line (not listed: only the first {} are)",
            report.input_warnings_omitted,
            crate::report::MAX_INPUT_WARNINGS
        )?;
    }
    Ok(())
}
