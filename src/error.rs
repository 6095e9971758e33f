//! Library errors: each names what failed and hints at the fix.

use thiserror::Error;

use crate::aws::CwError;
use crate::patterns::PatternError;
use crate::redact::escape_control;
use crate::source::file::SourceError;

/// Why a command failed; `main` maps it to an exit status and one line on stderr.
#[derive(Debug, Error)]
pub enum Error {
    /// The `--patterns` file cannot be used.
    #[error(transparent)]
    Patterns(#[from] PatternError),
    /// An input named on the command line cannot be read at all.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// CloudWatch Logs could not be read.
    #[error(transparent)]
    CloudWatch(#[from] CwError),
    /// A Logs Insights query would break a documented rule (a bug), found before any query started.
    #[error("{0}")]
    InsightsQuery(String),
    /// The arguments do not fit together (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// `--output FILE` could not be written (the path is kept as given, escaped when shown).
    #[error(
        "{}: {}; check that its directory exists and is writable",
        escape_control(.path),
        escape_control(&.source.to_string())
    )]
    OutputFile {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The window holds more requests or invocations than the access-log join keeps.
    #[error(
        "the access-log join keeps at most {limit} {what} and the window holds more: narrow it with --since/--until"
    )]
    JoinTooLarge {
        /// `API requests` or `invocations`.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// The access-log join's scratch file (the IP of each request id, past a million requests)
    /// could not be written or read back.
    #[error(
        "the access-log join's scratch file in the temporary directory: {0}; set TMPDIR to a writable directory with room for 12 bytes a request"
    )]
    JoinScratch(std::io::Error),
    /// Ctrl-C or SIGTERM ended the run before its report was complete (exit status 130).
    #[error("interrupted: no report was written")]
    Interrupted,
    /// Writing the output failed (a closed pipe ends the run quietly).
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// Ctrl-C or SIGTERM ended the run (locally, or while Logs Insights queries ran).
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            Error::Interrupted | Error::CloudWatch(CwError::Interrupted { .. })
        )
    }
}
