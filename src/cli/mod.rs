//! Command-line arguments: one argument struct per command, each validated once into a config.

mod args;
mod completions;
mod groups;
mod report;
mod tail;

use std::io::IsTerminal;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::report::Severity;
use crate::source::MIN_MAX_LINE_BYTES;
use crate::timeutil::parse_span_ms;

pub use crate::decision::ReasonArg;
pub use args::AwsArgs;
pub use completions::{CompletionsArgs, CompletionsConfig, ManArgs, ManConfig, ManPageArg, Shell};
pub use groups::{GroupsArgs, GroupsConfig};
pub use report::{AccessConfig, Engine, InsightsOptions, ReportArgs, ReportConfig};
pub use tail::{TailAccess, TailAccessSource, TailArgs, TailConfig, TailFormat, TailSource};

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
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page of authlogs, or of one subcommand, as roff to stdout.
    Man(ManArgs),
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

/// Columns of the terminal stdout writes to, for fitting tables into it; `None` when stdout is not a
/// terminal (a pipe or a file gets the table as wide as its content). `COLUMNS`, when set to a
/// number, overrides the size the terminal reports.
pub(crate) fn terminal_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok());
    // comfy-table asks the terminal (TIOCGWINSZ) when stdout is one.
    columns.filter(|c| *c > 0).or_else(|| comfy_table::Table::new().width())
}

/// `--fail-on`: the least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only high findings.
    High,
    /// Medium or high.
    Medium,
    /// Low, medium or high.
    Low,
    /// Any finding.
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

/// A span option: `500ms`, `1s`, `2m`, `1h30m` → milliseconds.
/// `--access-log-fields` and `--join-window`, as `report` and `tail` take them.
pub(crate) fn access_options(fields: Option<&str>, window: &str) -> Result<(crate::access::AccessFields, u64), Error> {
    let fields = match fields {
        Some(arg) => {
            crate::access::AccessFields::from_arg(arg).map_err(|e| Error::Usage(format!("--access-log-fields: {e}")))?
        }
        None => crate::access::AccessFields::default(),
    };
    let window_ms = span("--join-window", window)?;
    if !(1..=60_000).contains(&window_ms) {
        return Err(Error::Usage(
            "--join-window must be between 1ms and 60s (API Gateway gives an authorizer 10 s)".into(),
        ));
    }
    Ok((fields, window_ms.unsigned_abs()))
}

pub(crate) fn span(name: &str, value: &str) -> Result<i64, Error> {
    let value = value.trim();
    let ms = match value.strip_suffix("ms") {
        Some(n) => n.parse::<i64>().ok(),
        None => parse_span_ms(value),
    };
    ms.filter(|ms| *ms >= 0).ok_or_else(|| {
        Error::Usage(format!(
            "{name} takes a span like 500ms, 1s, 2m or 1h30m, not '{value}'"
        ))
    })
}

/// `N/SPAN` (`5/60s`, `5/10m`) → (N, span ms), both more than 0.
pub(crate) fn count_per_span(name: &str, value: &str) -> Result<(usize, i64), Error> {
    let bad = || Error::Usage(format!("{name} takes N/SPAN, e.g. 5/60s or 5/10m; not '{value}'"));
    let (n, window) = value.split_once('/').ok_or_else(bad)?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    let window = span(name, window).map_err(|_| bad())?;
    if n == 0 || window == 0 {
        return Err(bad());
    }
    Ok((n, window))
}

/// `--max-line-bytes`: a byte count, plain or with a binary unit (`64KiB`, `1MiB`, `2M`), at least
/// [`MIN_MAX_LINE_BYTES`].
pub(crate) fn max_line_bytes(value: &str) -> Result<usize, Error> {
    let bad = || {
        Error::Usage(format!(
            "--max-line-bytes takes a size of at least {MIN_MAX_LINE_BYTES} bytes, such as 1048576, 64KiB or 1MiB; not '{value}'"
        ))
    };
    let text = value.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let scale: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    let bytes = number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(bad)?;
    if bytes < MIN_MAX_LINE_BYTES {
        return Err(bad());
    }
    Ok(bytes)
}
