//! What the findings look for and when they fail the run: `--guess-threshold`, `--fail-on`.

use clap::{Args, ValueEnum};

use super::count_per_span;
use crate::error::Error;
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

/// The findings' options. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct FindingArgs {
    /// Token guessing: N token mismatches (or distinct wrong tokens) from one IP within SPAN.
    #[arg(long, value_name = "N/SPAN", default_value = "5/10m")]
    pub guess_threshold: String,
    /// Exit with status 1 (after writing the report) when a finding of this severity or worse is present.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
}

/// Validated findings options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Findings {
    /// Token guessing: this many mismatches …
    pub(crate) guess_threshold: usize,
    /// … from one IP within this many ms.
    pub(crate) guess_window_ms: i64,
    /// Findings this severe or worse fail the run.
    pub(crate) fail_on: Option<Severity>,
}

impl FindingArgs {
    /// The guessing threshold parsed.
    pub(crate) fn validate(&self) -> Result<Findings, Error> {
        let (guess_threshold, guess_window_ms) = count_per_span("--guess-threshold", &self.guess_threshold)?;
        Ok(Findings {
            guess_threshold,
            guess_window_ms,
            fail_on: self.fail_on.map(Severity::from),
        })
    }
}

#[cfg(test)]
mod tests;
