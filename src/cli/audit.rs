//! `authlogs audit`: its arguments, validated into an `AuditConfig`.

use std::path::PathBuf;

use clap::Args;

use super::args::{resolve_lang, terminal_width, AwsArgs, ColorArg, SeverityArg};
use crate::aws::{AuditSelection, Connection, DEFAULT_PATTERN};
use crate::error::Error;
use crate::i18n::Lang;
use crate::render::OutputFormat;
use crate::report::Severity;

/// The shapes of an audit on output: the report's formats, described as an audit has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuditFormat {
    /// The findings, with their fix commands, then the configuration: aligned for a terminal.
    #[default]
    Table,
    /// The `authlogs.audit/v1` JSON document.
    Json,
    /// One row per finding and per gap (severity, kind, resource, evidence, advice, fix).
    Csv,
    /// One self-contained HTML page (no script, no external asset).
    Html,
}

impl From<AuditFormat> for OutputFormat {
    fn from(f: AuditFormat) -> OutputFormat {
        match f {
            AuditFormat::Table => OutputFormat::Table,
            AuditFormat::Json => OutputFormat::Json,
            AuditFormat::Csv => OutputFormat::Csv,
            AuditFormat::Html => OutputFormat::Html,
        }
    }
}

/// The arguments of `authlogs audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Output format of the audit.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Write the audit to this file (replaced whole when complete) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Audit this authorizer function (name or ARN; repeatable) instead of those whose name
    /// contains 'agw-access-permission'.
    #[arg(long, value_name = "NAME")]
    pub function: Vec<String>,
    /// Audit only this HTTP API (repeatable); without --function, every Lambda authorizer of it.
    #[arg(long, value_name = "ID")]
    pub api_id: Vec<String>,
    /// Exit with status 1 (after writing the audit) when a finding of this severity or worse is present.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// Language of the findings, the table and the HTML page [default: from LC_ALL/LANG; ja_* → ja,
    /// else en]. JSON keys, `kind` names and CSV headers stay English.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Color in the table output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// `--profile`, `--region`, `--endpoint-url`, `--max-tps`.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// A validated `audit` invocation.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    /// Where to reach AWS.
    pub connection: Connection,
    /// What to audit.
    pub selection: AuditSelection,
    /// Requests per second, shared by every call.
    pub max_tps: f64,
    /// Output format.
    pub format: OutputFormat,
    /// `-o FILE`.
    pub output: Option<PathBuf>,
    /// Findings this severe or worse fail the run.
    pub fail_on: Option<Severity>,
    /// The language of the findings and of every output but JSON keys and CSV headers.
    pub lang: Lang,
    /// Whether the table is colored.
    pub color: bool,
    /// The terminal's width when stdout is one: the table fits it.
    pub width: Option<u16>,
}

impl AuditArgs {
    /// Checks the arguments.
    pub fn validate(self) -> Result<AuditConfig, Error> {
        let (connection, max_tps) = self.aws.validate()?;
        if let Some(empty) = self.function.iter().chain(&self.api_id).find(|v| v.trim().is_empty()) {
            return Err(Error::Usage(format!(
                "--function and --api-id need a value, got '{}'",
                crate::redact::escape_control(empty)
            )));
        }
        let dedup = |mut v: Vec<String>| {
            v.sort();
            v.dedup();
            v
        };
        Ok(AuditConfig {
            connection,
            selection: AuditSelection {
                functions: dedup(self.function),
                api_ids: dedup(self.api_id),
                log_groups: Vec::new(),
                pattern: DEFAULT_PATTERN.to_string(),
            },
            max_tps,
            format: self.format.into(),
            output: self.output,
            fail_on: self.fail_on.map(Severity::from),
            lang: resolve_lang(self.lang),
            color: self.color.resolve(),
            width: terminal_width(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::parse;

    #[test]
    fn names_and_ids_repeat_and_the_pattern_is_the_default() {
        let config = parse::<AuditArgs>(&[
            "--function",
            "b",
            "--function",
            "a",
            "--function",
            "a",
            "--api-id",
            "x1",
            "--fail-on",
            "high",
            "--format",
            "json",
        ])
        .validate()
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.selection.functions, ["a", "b"]);
        assert_eq!(config.selection.api_ids, ["x1"]);
        assert_eq!(config.selection.pattern, DEFAULT_PATTERN);
        assert_eq!(config.fail_on, Some(Severity::High));
        assert_eq!(config.format, OutputFormat::Json);
        let ja = parse::<AuditArgs>(&["--lang", "ja"])
            .validate()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ja.lang, Lang::Ja);
    }

    #[test]
    fn an_empty_name_and_a_bad_rate_are_usage_errors() {
        let err = parse::<AuditArgs>(&["--function", ""]).validate();
        assert!(matches!(err, Err(Error::Usage(m)) if m.contains("--function")));
        let err = parse::<AuditArgs>(&["--max-tps", "0"]).validate();
        assert!(matches!(err, Err(Error::Usage(_))));
    }
}
