//! Command-line arguments: one argument struct per command, built from shared argument groups
//! (`args/`), each validated once into a config.

mod args;
mod command;
mod completions;
mod groups;
mod report;
mod tail;

pub use crate::decision::ReasonArg;
pub(crate) use args::{access_options, count_per_span, max_line_bytes, span, terminal_width};
pub use args::{AwsArgs, ColorArg, SeverityArg, TzArg};
pub use command::{Cli, Command};
pub use completions::{CompletionsArgs, CompletionsConfig, ManArgs, ManConfig, ManPageArg, Shell};
pub use groups::{GroupsArgs, GroupsConfig};
pub use report::{AccessConfig, Engine, InsightsOptions, ReportArgs, ReportConfig};
pub use tail::{TailAccess, TailAccessSource, TailArgs, TailConfig, TailFormat, TailSource};
