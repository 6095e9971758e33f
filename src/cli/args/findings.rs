//! What the findings look for and when they fail the run: `--guess-threshold`, `--fail-on`.

use clap::ValueEnum;

use crate::report::Severity;

/// `--fail-on`: the least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only high findings.
    High,
    /// Medium or high.
    Medium,
    /// Low, medium or high.
    Low,
    /// Any finding.
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}
