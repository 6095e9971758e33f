//! authlogs: rebuilds API Gateway Lambda authorizer invocations from CloudWatch Logs and reports decisions.

pub mod redact;
pub mod render;
pub mod report;
pub mod source;
pub mod timeutil;
