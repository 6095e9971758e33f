//! `authlogs audit`: reads the configuration, checks it, prints the audit and judges `--fail-on`.

use std::io::Write;

use super::Outcome;
use crate::audit::{AuditReport, Gap};
use crate::cli::AuditConfig;
use crate::error::Error;
use crate::render::{self, TableStyle};

/// Runs `authlogs audit` at `now_ms`: to `--output FILE` (in place only once complete), else to
/// `out`. Each part that could not be read is one line on `err` naming the permission it needs,
/// and makes the audit partial (exit status 3, as damaged input makes a report).
pub fn audit(config: AuditConfig, now_ms: i64, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    let collected = crate::aws::collect_audit(&config.connection, &config.selection, config.max_tps)?;
    for note in &collected.notes {
        writeln!(err, "authlogs: {note}")?;
    }
    let configuration = collected.configuration;
    write_gaps(&configuration.gaps, err)?;
    let generated_at = crate::timeutil::format_rfc3339_ms(now_ms);
    let report = AuditReport::new(configuration, generated_at, config.lang);
    let style = TableStyle {
        color: config.color,
        local_time: false,
        width: config.width,
        lang: config.lang,
    };
    let text = render::audit::render(&report, config.format, &style);
    match &config.output {
        None => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => {
            let mut file = super::output::AtomicFile::create(path)?;
            file.write_all(text.as_bytes()).map_err(|source| Error::OutputFile {
                path: path.display().to_string(),
                source,
            })?;
            file.commit()?;
        }
    }
    let findings = report.findings.iter().map(|f| (f.severity, f.kind));
    Ok(Outcome::judge(findings, report.complete, config.fail_on, err))
}

/// One line on `err` per part of the configuration that could not be read, naming the permission
/// it needs (`audit` and `report --audit` alike).
pub(super) fn write_gaps(gaps: &[Gap], err: &mut dyn Write) -> Result<(), Error> {
    for gap in gaps {
        writeln!(
            err,
            "authlogs: could not read {} (it needs {}): {}",
            gap.what, gap.permission, gap.detail
        )?;
    }
    Ok(())
}
