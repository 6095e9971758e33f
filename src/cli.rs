//! Command-line arguments, parsed once and validated into a `ReportConfig`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analyze::{AnalyzeConfig, DEFAULT_USD_PER_GB_SECOND, DEFAULT_USD_PER_MILLION_REQUESTS};
use crate::error::Error;
use crate::patterns::Patterns;
use crate::pipeline::PipelineConfig;
use crate::redact::TokenDisplay;
use crate::render::OutputFormat;
use crate::source::InputFormat;
use crate::timeutil::parse_time_arg;

#[derive(Debug, Parser)]
#[command(
    name = "authlogs",
    version,
    about = "Who did your API Gateway Lambda authorizer let in, who did it turn away, why, and what did it cost?"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report the authorizer's decisions from exported log files, a directory, or stdin (-).
    Report(ReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Auto,
    Export,
    Json,
    Tail,
    Console,
    Bare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Log files or directories (walked recursively; plain or gzip), or - for standard input.
    #[arg(value_name = "FILE|DIR|-")]
    pub inputs: Vec<PathBuf>,
    /// Output format of the report.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// One row per invocation instead of the summary: CSV, or JSON lines with --format json.
    #[arg(long)]
    pub requests: bool,
    /// Container of the inputs; auto detects it per input.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    /// Only events at or after this time: 30m, 6h, 1d, 2w, 2h30m (back from now) or ISO 8601.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// TOML file of message templates for a differently worded authorizer.
    #[arg(long, value_name = "FILE")]
    pub patterns: Option<PathBuf>,
    /// Print tokens as logged instead of masked fingerprints (tok:1a2b3c4d).
    #[arg(long)]
    pub show_tokens: bool,
    /// Color in the table output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Threads: 1 reads and analyzes on one thread; 2 (default) reads, unzips and splits on a second.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub threads: u8,
    /// Lambda price per GB-second for the cost estimate.
    #[arg(long, value_name = "USD", default_value_t = DEFAULT_USD_PER_GB_SECOND)]
    pub price_gb_second: f64,
    /// Lambda price per million requests for the cost estimate.
    #[arg(long, value_name = "USD", default_value_t = DEFAULT_USD_PER_MILLION_REQUESTS)]
    pub price_million_requests: f64,
}

/// A validated `report` invocation.
#[derive(Debug)]
pub struct ReportConfig {
    pub inputs: Vec<PathBuf>,
    pub format: OutputFormat,
    pub requests: bool,
    pub input_format: InputFormat,
    pub pipeline: PipelineConfig,
    pub patterns: Patterns,
    pub tokens: TokenDisplay,
    pub color: bool,
    pub threads: u8,
}

impl ReportArgs {
    pub fn validate(self, now_ms: i64) -> Result<ReportConfig, Error> {
        if self.inputs.is_empty() {
            return Err(Error::Usage(
                "no input given: pass exported log files, a directory, or - for standard input (e.g. authlogs report samples/)".into(),
            ));
        }
        let since_ms = self
            .since
            .as_deref()
            .map(|s| parse_time_arg(s, now_ms))
            .transpose()
            .map_err(Error::Usage)?;
        let until_ms = self
            .until
            .as_deref()
            .map(|s| parse_time_arg(s, now_ms))
            .transpose()
            .map_err(Error::Usage)?;
        if let (Some(s), Some(u)) = (since_ms, until_ms) {
            if s >= u {
                return Err(Error::Usage("--since must be earlier than --until".into()));
            }
        }
        for (name, v) in [
            ("--price-gb-second", self.price_gb_second),
            ("--price-million-requests", self.price_million_requests),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::Usage(format!("{name} must be a non-negative number")));
            }
        }
        let patterns = match &self.patterns {
            Some(p) => Patterns::load(p)?,
            None => Patterns::builtin(),
        };
        let format = match self.format {
            FormatArg::Table => OutputFormat::Table,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Csv => OutputFormat::Csv,
        };
        let input_format = match self.input_format {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Export => InputFormat::Export,
            InputFormatArg::Json => InputFormat::Json,
            InputFormatArg::Tail => InputFormat::Tail,
            InputFormatArg::Console => InputFormat::Console,
            InputFormatArg::Bare => InputFormat::Bare,
        };
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        Ok(ReportConfig {
            inputs: self.inputs,
            format,
            requests: self.requests,
            input_format,
            pipeline: PipelineConfig {
                since_ms,
                until_ms,
                analyze: AnalyzeConfig {
                    usd_per_gb_second: self.price_gb_second,
                    usd_per_million_requests: self.price_million_requests,
                },
                ..Default::default()
            },
            patterns,
            tokens: if self.show_tokens {
                TokenDisplay::Revealed
            } else {
                TokenDisplay::Masked
            },
            color,
            threads: self.threads,
        })
    }
}
