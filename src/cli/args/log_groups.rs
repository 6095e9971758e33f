//! Which CloudWatch log groups to read and how to reach them: `--group`, `--group-pattern`,
//! `--all-groups`, `--max-attempts` and the connection.

use clap::Args;

use super::AwsArgs;
use crate::aws::{Connection, GroupSelection, DEFAULT_PATTERN};
use crate::error::Error;

/// The log groups to read. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct LogGroupArgs {
    /// CloudWatch log group to read (repeatable, merged into one report); without files, reads CloudWatch.
    #[arg(long, value_name = "NAME", help_heading = "CloudWatch")]
    pub group: Vec<String>,
    /// Without --group: use the log groups whose name contains this.
    #[arg(long, value_name = "TEXT", default_value = DEFAULT_PATTERN, help_heading = "CloudWatch")]
    pub group_pattern: String,
    /// Without --group: read every group --group-pattern matches, instead of asking which one.
    #[arg(long, help_heading = "CloudWatch")]
    pub all_groups: bool,
    /// Tries per request before giving up on throttling, 5xx and dropped connections.
    #[arg(long, value_name = "N", default_value_t = 8, help_heading = "CloudWatch")]
    pub max_attempts: u32,
    /// Where to reach CloudWatch Logs.
    #[command(flatten, next_help_heading = "CloudWatch")]
    pub aws: AwsArgs,
}

/// Validated log groups and connection.
#[derive(Debug, Clone)]
pub(crate) struct LogGroups {
    /// Which groups.
    pub(crate) selection: GroupSelection,
    /// Where to connect.
    pub(crate) connection: Connection,
    /// Requests per second.
    pub(crate) max_tps: f64,
    /// Tries per request.
    pub(crate) max_attempts: u32,
}

impl LogGroupArgs {
    /// Whether `--group` or `--all-groups` was given: both name CloudWatch Logs as the input.
    pub(crate) fn named(&self) -> bool {
        !self.group.is_empty() || self.all_groups
    }

    /// The selection and the connection, checked.
    pub(crate) fn validate(self) -> Result<LogGroups, Error> {
        if self.max_attempts == 0 {
            return Err(Error::Usage("--max-attempts must be at least 1".into()));
        }
        let (connection, max_tps) = self.aws.validate()?;
        Ok(LogGroups {
            selection: GroupSelection {
                names: self.group,
                pattern: self.group_pattern,
                all: self.all_groups,
            },
            connection,
            max_tps,
            max_attempts: self.max_attempts,
        })
    }
}

#[cfg(test)]
mod tests;
