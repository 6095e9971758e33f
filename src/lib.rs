//! authlogs: rebuilds API Gateway Lambda authorizer invocations from CloudWatch Logs and reports decisions.

pub mod analyze;
pub mod app;
mod bytes;
pub mod cli;
pub mod decision;
mod engine;
mod error;
pub mod group;
pub mod parse;
pub mod patterns;
mod redact;
pub mod render;
pub mod report;
mod request_id;
pub mod source;
mod timeutil;

pub use engine::{InvocationSink, Pipeline, PipelineConfig};
pub use error::Error;
