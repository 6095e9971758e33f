//! authlogs: rebuilds API Gateway Lambda authorizer invocations from CloudWatch Logs and reports
//! decisions.
//!
//! The stages, each a module: `source` (files, stdin, CloudWatch; AWS plumbing in `aws`) → `parse`
//! → `group` → `decision` → `analyze` → `render`. `engine` is where inputs meet them: the local
//! engine, the Logs Insights engine and `tail`'s live loop. The binary is a thin layer over `cli`
//! (arguments validated once into a config) and `app` (one driver per command). Layers and routes:
//! docs/architecture.md. The library's public surface is what the binary and the integration tests
//! need, re-exported here.

#![deny(missing_docs)]

// The property tests' harness is shared with `tests/suite/fuzz/` and names the crate `authlogs`.
#[cfg(test)]
extern crate self as authlogs;

mod access;
mod analyze;
pub mod app;
pub mod audit;
mod aws;
mod bytes;
pub mod cli;
mod cut;
mod decision;
mod engine;
mod error;
#[cfg(test)]
mod fuzz;
mod group;
mod human;
pub mod i18n;
mod parse;
mod patterns;
mod redact;
mod render;
pub mod report;
mod request_id;
mod source;
#[cfg(test)]
mod testutil;
mod timeutil;

pub use analyze::{AnalyzeConfig, Analyzer, InputSummary};
pub use decision::{decide, Decision, Verdict};
pub use engine::{InvocationSink, Pipeline, PipelineConfig};
pub use error::Error;
pub use group::{GroupConfig, Grouper, Invocation};
pub use parse::Parser;
pub use patterns::Patterns;
pub use redact::escape_lines;
pub use render::{render, OutputFormat, TableStyle};
pub use report::InputError;
pub use source::{EventSink, InputFormat, LogEvent};
