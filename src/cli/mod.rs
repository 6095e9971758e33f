//! Command-line arguments: one argument struct per command, each validated once into a config.

mod aws;
mod groups;
mod report;
mod tail;

use std::io::IsTerminal;

use clap::{Parser, Subcommand, ValueEnum};

pub use aws::AwsArgs;
pub use groups::{GroupsArgs, GroupsConfig};
pub use report::{ReportArgs, ReportConfig};
pub use tail::{IpRange, ReasonArg, TailArgs, TailConfig, TailFilter, TailFormat, TailSource};

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "authlogs",
    version,
    about = "Who did your API Gateway Lambda authorizer let in, who did it turn away, why, and what did it cost?"
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report the authorizer's decisions from exported log files, a directory, stdin (-), or CloudWatch Logs.
    Report(ReportArgs),
    /// Follow the authorizer live: one line per request as it completes, ALLOW or DENY and why.
    Tail(TailArgs),
    /// List the log groups that match a name pattern: stored bytes, retention, creation and newest event.
    Groups(GroupsArgs),
}

/// `--tz`: the zone times are shown in on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TzArg {
    /// Coordinated universal time.
    Utc,
    /// The local time zone of this machine.
    Local,
}

/// `--color`: whether to color terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Color when stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorArg {
    /// Whether output is colored, resolved against stdout and `NO_COLOR`.
    pub fn resolve(self) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}
