//! Command-line arguments: one argument struct per command, built from shared argument groups
//! (`args/`), each validated once into a config.

mod args;
mod audit;
mod command;
mod completions;
mod groups;
mod report;
mod tail;

pub use crate::decision::ReasonArg;
pub use crate::engine::insights::InsightsOptions;
pub use crate::engine::Engine;
pub(crate) use args::terminal_width;
pub use args::{
    AccessArgs, AwsArgs, ColorArg, FindingArgs, LogGroupArgs, ReadArgs, SeverityArg, StyleArgs, TzArg, WindowArgs,
};
pub use audit::{AuditArgs, AuditConfig};
pub use command::{Cli, Command};
pub use completions::{CompletionsArgs, CompletionsConfig, ManArgs, ManConfig, ManPageArg, Shell};
pub use groups::{GroupsArgs, GroupsConfig};
pub use report::{AccessConfig, ReportArgs, ReportConfig};
pub use tail::{TailAccess, TailAccessSource, TailArgs, TailConfig, TailFormat, TailSource};
