//! The command drivers behind the binary: one per subcommand, each taking a validated config.

mod groups;
mod report;
mod tail;

pub use groups::groups;
pub use report::report;
pub use tail::tail;

/// What a finished command tells `main` about the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Some input was damaged: the report is partial.
    pub partial: bool,
}
