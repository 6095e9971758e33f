//! The command drivers behind the binary: one per subcommand, each taking a validated config.

mod access;
mod audit;
mod cloudwatch;
mod completions;
mod groups;
mod output;
mod report;
mod report_audit;
mod tail;

pub use audit::audit;
pub use completions::{completions, man};
pub use groups::groups;
pub use report::report;
pub use tail::tail;

use std::io::Write;

use crate::error::Error;
use crate::report::{Report, Severity};

/// What a finished command tells `main` about the exit status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Some input was damaged: the report is partial.
    pub partial: bool,
    /// `--fail-on` found findings at or above its severity (the count).
    pub failed_findings: usize,
}

impl Outcome {
    /// The outcome of `report` against its `--fail-on` threshold; says on `err` what failed it.
    fn of(report: &Report, fail_on: Option<Severity>, err: &mut dyn Write) -> Outcome {
        let findings = report.findings.iter().map(|f| (f.severity, f.kind));
        Outcome::judge(findings, report.complete, fail_on, err)
    }

    /// The outcome of any command's findings (severity, kind) against `--fail-on`, `complete` or
    /// partial; says on `err` which findings failed it. `report` and `audit` share it, so both
    /// fail alike.
    fn judge<'k>(
        findings: impl Iterator<Item = (Severity, &'k str)>,
        complete: bool,
        fail_on: Option<Severity>,
        err: &mut dyn Write,
    ) -> Outcome {
        let failing: Vec<&str> = match fail_on {
            Some(limit) => findings.filter(|(s, _)| *s <= limit).map(|(_, kind)| kind).collect(),
            None => Vec::new(),
        };
        if let (Some(limit), false) = (fail_on, failing.is_empty()) {
            let _ = writeln!(
                err,
                "authlogs: {} finding(s) at or above {} (--fail-on): {}",
                failing.len(),
                limit.name(),
                failing.join(", ")
            );
        }
        Outcome {
            partial: !complete,
            failed_findings: failing.len(),
        }
    }
}

/// The one place signals are handled, for every command that runs long: a flag Ctrl-C (or
/// SIGTERM) sets, so a report stops reading (and its running queries) and a tail prints its
/// summary before the process ends; a second Ctrl-C ends it at once (exit status 130).
pub fn interrupt_flag() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, Error> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Registered first, so it sees the flag before the second registration sets it.
        signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone()).map_err(Error::Output)?;
        signal_hook::flag::register(signal, flag.clone()).map_err(Error::Output)?;
    }
    Ok(flag)
}
