//! The command drivers behind the binary: one per subcommand, each taking a validated config.

mod groups;
mod report;
pub(crate) mod tail;

pub use groups::groups;
pub use report::report;
pub use tail::tail;

use std::io::Write;

use crate::report::{Report, Severity};

/// What a finished command tells `main` about the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Some input was damaged: the report is partial.
    pub partial: bool,
    /// `--fail-on` found findings at or above its severity (the count).
    pub failed_findings: usize,
}

impl Outcome {
    /// The outcome of `report` against its `--fail-on` threshold; says on `err` what failed it.
    fn of(report: &Report, fail_on: Option<Severity>, err: &mut dyn Write) -> Outcome {
        let failing: Vec<&str> = fail_on
            .map(|limit| {
                report
                    .findings
                    .iter()
                    .filter(|f| f.severity <= limit)
                    .map(|f| f.kind)
                    .collect()
            })
            .unwrap_or_default();
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
            partial: !report.complete,
            failed_findings: failing.len(),
        }
    }
}
