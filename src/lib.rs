//! authlogs: rebuilds API Gateway Lambda authorizer invocations from CloudWatch Logs and reports decisions.

pub mod analyze;
mod bytes;
pub mod cli;
pub mod commands;
pub mod decision;
pub mod error;
pub mod group;
pub mod parse;
pub mod patterns;
pub mod pipeline;
pub mod redact;
pub mod render;
pub mod report;
pub mod request_id;
pub mod source;
pub mod stored;
#[cfg(test)]
mod testutil;
pub mod timeutil;
