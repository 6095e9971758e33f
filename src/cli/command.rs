//! The whole command line: `authlogs` and its subcommands.

use clap::{Parser, Subcommand};

use super::{AuditArgs, CompletionsArgs, GroupsArgs, ManArgs, ReportArgs, TailArgs};

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
    /// Audit the authorizer's configuration: what its identity sources, cache, environment, access
    /// logging and log retention let through, before any log line shows it.
    Audit(AuditArgs),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page of authlogs, or of one subcommand, as roff to stdout.
    Man(ManArgs),
}
