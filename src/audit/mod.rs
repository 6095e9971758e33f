//! `authlogs audit`: what an API's configuration lets through — the facts read from API Gateway,
//! Lambda and CloudWatch Logs (`model`), the checks over them (`checks`), and the result (`report`).

mod checks;
#[cfg(test)]
pub(crate) mod fixtures;
mod model;
mod report;
mod tie;

pub use checks::{findings, KINDS};
pub use model::{
    AccessLogSettings, ApiConfig, AuthorizerConfig, Configuration, EnvVar, FunctionConfig, Gap, LogGroupConfig,
    RouteConfig, StageConfig,
};
pub use report::{AuditFinding, AuditReport, AUDIT_SCHEMA};
pub use tie::tie_cached_decisions;
