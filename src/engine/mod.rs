//! The engines: the only place where inputs meet computation. `local` runs the stages over events
//! (parse → window → group → decide → analyze) from files, stdin or a CloudWatch window; `insights`
//! has Logs Insights compute the same report server side; both return a `Report`.

pub mod insights;
pub(crate) mod live;
pub mod local;

pub use local::{InvocationSink, Pipeline, PipelineConfig, Threads};

/// `--engine`: where a CloudWatch report is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// Download every event and analyze it here: exact, every field.
    Local,
    /// CloudWatch Logs Insights computes the report: minutes for a month, billed per GB scanned.
    Insights,
    /// Insights when downloading would take more than about a minute at --max-tps, else local.
    Auto,
}
