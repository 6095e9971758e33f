//! `authlogs groups`: its arguments, validated into a `GroupsConfig`.

use clap::{Args, ValueEnum};

use super::{AwsArgs, TzArg};
use crate::aws::{Connection, DEFAULT_PATTERN};
use crate::error::Error;

/// `groups --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupsFormatArg {
    /// An aligned table.
    Table,
    /// A JSON array.
    Json,
}

/// The arguments of `authlogs groups`.
#[derive(Debug, Args)]
pub struct GroupsArgs {
    /// List groups whose name contains this (case-insensitive); '' lists every group.
    #[arg(long, value_name = "TEXT", default_value = DEFAULT_PATTERN)]
    pub group_pattern: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GroupsFormatArg::Table)]
    pub format: GroupsFormatArg,
    /// Time zone of the times in the table (JSON is always UTC).
    #[arg(long, value_enum, default_value_t = TzArg::Utc)]
    pub tz: TzArg,
    /// Where to reach CloudWatch Logs.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// A validated `groups` invocation.
#[derive(Debug)]
pub struct GroupsConfig {
    /// Where to reach CloudWatch Logs.
    pub connection: Connection,
    /// The name filter.
    pub pattern: String,
    /// JSON instead of the table.
    pub json: bool,
    /// Times in the table in the local zone.
    pub tz_local: bool,
    /// Requests per second.
    pub max_tps: f64,
    /// The terminal's width when stdout is one: the table fits it.
    pub width: Option<u16>,
}

impl GroupsArgs {
    /// Checks the arguments.
    pub fn validate(self) -> Result<GroupsConfig, Error> {
        let (connection, max_tps) = self.aws.validate()?;
        Ok(GroupsConfig {
            connection,
            pattern: self.group_pattern,
            json: self.format == GroupsFormatArg::Json,
            tz_local: self.tz == TzArg::Local,
            max_tps,
            width: super::terminal_width(),
        })
    }
}
