//! `authlogs tail`: its arguments, validated once into a `TailConfig`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::args::{
    count_per_span, span, AccessArgs, AccessFrom, FindingArgs, Layout, LogGroupArgs, ReadArgs, StyleArgs, Window,
    WindowArgs,
};
use crate::access::AccessFields;
use crate::analyze::AnalyzeConfig;
use crate::aws::{Connection, GroupSelection};
use crate::decision::{IpRange, ReasonArg, TailFilter};
use crate::engine::PipelineConfig;
use crate::error::Error;
use crate::group::GroupConfig;
use crate::i18n::Lang;
use crate::patterns::Patterns;
use crate::redact::TokenDisplay;
use crate::render::live::{LiveStyle, PrintOptions};
use crate::report::Severity;
use crate::source::ReadOptions;

/// `tail --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TailFormat {
    /// One aligned line per invocation.
    Text,
    /// One JSON object per invocation, with the fields of `report --requests --format json`.
    Json,
}

/// How `tail` words the options it shares with `report`: it follows what arrives instead of
/// reading a window (as clap shows a doc comment: one paragraph, no final period).
const HELP_TEXTS: &[(&str, &str)] = &[
    (
        "since",
        "Show the invocations since this time first, then follow: 10m, 1h, or ISO 8601",
    ),
    (
        "until",
        "Stop at this time (same forms as --since; a span is back from now, so use ISO 8601 for the future)",
    ),
    ("tz", "Time zone of the times printed"),
    ("color", "Color the decisions"),
    (
        "lang",
        "Language of the text lines, alerts, summary and findings [default: from LC_ALL/LANG; ja_* → ja, else en]. The decision words (ALLOW, DENY, …), ALERT and JSON keys stay English",
    ),
    (
        "guess_threshold",
        "Token guessing (in the summary's findings): N token mismatches from one IP within SPAN",
    ),
    (
        "fail_on",
        "At the end, exit with status 1 when a finding of this severity or worse is present",
    ),
    ("input_format", "Container of a stream input; auto detects it"),
    (
        "access_log_group",
        "Also follow the API's access-log group and print one line per API request",
    ),
    (
        "access_log_fields",
        "The JSON keys of your access-log format: FIELD=KEY pairs or a TOML file [default: AWS's example names]",
    ),
    (
        "join_window",
        "How long after an API request its authorizer invocation may start",
    ),
    ("group", "CloudWatch log group to follow (repeatable)"),
    (
        "group_pattern",
        "Without --group: follow the log groups whose name contains this",
    ),
    ("all_groups", "Without --group: follow every group --group-pattern matches"),
];

/// The options in the order `tail --help` lists them (the shared groups' among its own).
const OPTION_ORDER: &[&str] = &[
    "follow",
    "poll",
    "interval",
    "overlap",
    "since",
    "until",
    "count",
    "idle_exit",
    "denied",
    "ips",
    "reason",
    "filter_pattern",
    "format",
    "raw",
    "tz",
    "color",
    "lang",
    "show_tokens",
    "grace",
    "incomplete_after",
    "alert_denials",
    "guess_threshold",
    "fail_on",
    "patterns",
    "input_format",
    "max_line_bytes",
    "access_logs",
    "access_log_group",
    "access_log_fields",
    "join_window",
    "group",
    "group_pattern",
    "all_groups",
    "max_attempts",
    "profile",
    "region",
    "endpoint_url",
    "max_tps",
];

/// The arguments of `authlogs tail`.
#[derive(Debug, Args)]
#[command(help_texts = HELP_TEXTS, option_order = OPTION_ORDER)]
pub struct TailArgs {
    /// Read a stream instead of CloudWatch: - for standard input (e.g. `aws logs tail --follow … |`), or a file.
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// With FILE: keep reading as the file grows, like `tail -f`.
    #[arg(long)]
    pub follow: bool,
    /// Poll FilterLogEvents instead of a Live Tail session.
    #[arg(long)]
    pub poll: bool,
    /// Time between polls: 1s, 500ms, 2s.
    #[arg(long, value_name = "SPAN", default_value = "1s")]
    pub interval: String,
    /// How far back each poll and each reconnect looks for events ingested late.
    #[arg(long, value_name = "SPAN", default_value = "2m")]
    pub overlap: String,
    /// `--since`, `--until`.
    #[command(flatten)]
    pub window: WindowArgs,
    /// Stop after printing N invocations (at least 1).
    // 0 is refused rather than read as "print nothing": a live run that can print nothing would only
    // cost API calls, and a typo for a limit should not look like an empty log.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Stop after this long without a new event: 30s, 5m.
    #[arg(long, value_name = "SPAN")]
    pub idle_exit: Option<String>,
    /// Print only denied invocations.
    #[arg(long)]
    pub denied: bool,
    /// Print only invocations from this source IP or CIDR range (repeatable).
    #[arg(long = "ip", value_name = "IP|CIDR")]
    pub ips: Vec<String>,
    /// Print only invocations denied for this reason (repeatable).
    #[arg(long, value_enum, value_name = "REASON")]
    pub reason: Vec<ReasonArg>,
    /// CloudWatch filter pattern applied server side; a pattern that drops START/REPORT lines leaves
    /// invocations incomplete (see docs/tail.md).
    #[arg(long, value_name = "PATTERN")]
    pub filter_pattern: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TailFormat::Text)]
    pub format: TailFormat,
    /// Also print each invocation's raw log lines under it.
    #[arg(long)]
    pub raw: bool,
    /// `--lang`, `--show-tokens`, `--color`, `--tz`.
    #[command(flatten)]
    pub style: StyleArgs,
    /// How long after its REPORT an invocation waits for late lines before it is printed.
    #[arg(long, value_name = "SPAN", default_value = "1s")]
    pub grace: String,
    /// Print an invocation without REPORT, marked incomplete, after this long without a line.
    #[arg(long, value_name = "SPAN", default_value = "60s")]
    pub incomplete_after: String,
    /// Alert when one IP is denied N times within a span: N/SPAN, e.g. 5/60s; 0 turns alerts off.
    #[arg(long, value_name = "N/SPAN", default_value = "5/60s")]
    pub alert_denials: String,
    /// `--guess-threshold`, `--fail-on`.
    #[command(flatten)]
    pub findings: FindingArgs,
    /// `--input-format`, `--max-line-bytes`, `--patterns`.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Also read this API Gateway access log (a file; with --follow it is followed too) and print
    /// one line per API request instead of one per invocation: fresh or cached, 401, 500.
    #[arg(long, value_name = "FILE", help_heading = "Access logs")]
    pub access_logs: Option<PathBuf>,
    /// `--access-log-group`, `--access-log-fields`, `--join-window`.
    #[command(flatten)]
    pub access: AccessArgs,
    /// `--group`, `--group-pattern`, `--all-groups`, `--max-attempts` and the connection.
    #[command(flatten)]
    pub log_groups: LogGroupArgs,
}

/// Where `tail` reads from.
#[derive(Debug, Clone)]
pub enum TailSource {
    /// CloudWatch Logs: Live Tail, or polling with `poll`.
    CloudWatch {
        /// Where to connect.
        connection: Connection,
        /// Which groups.
        groups: GroupSelection,
        /// FilterLogEvents polling instead of Live Tail.
        poll: bool,
        /// Tries per request.
        max_attempts: u32,
        /// Requests per second.
        max_tps: f64,
    },
    /// Standard input (`-`).
    Stdin,
    /// A file, read to its end, or followed as it grows.
    File {
        /// The file.
        path: PathBuf,
        /// Keep reading as it grows.
        follow: bool,
    },
}

/// A validated `tail` invocation.
#[derive(Debug)]
pub struct TailConfig {
    pub(crate) source: TailSource,
    /// How a stream input is read: container and line cap.
    pub(crate) read: ReadOptions,
    pub(crate) pipeline: PipelineConfig,
    pub(crate) patterns: Patterns,
    pub(crate) tokens: TokenDisplay,
    pub(crate) color: bool,
    pub(crate) json: bool,
    pub(crate) raw: bool,
    pub(crate) local_time: bool,
    pub(crate) filter: TailFilter,
    pub(crate) count: Option<u64>,
    pub(crate) idle_exit: Option<Duration>,
    /// Follow from here (epoch ms): `--since`, else the start of the run.
    pub(crate) start_ms: i64,
    pub(crate) end_ms: Option<i64>,
    pub(crate) interval: Duration,
    pub(crate) overlap: Duration,
    pub(crate) filter_pattern: Option<String>,
    /// `--alert-denials N/SPAN`: (N, span in ms); `None` when off.
    pub(crate) alert: Option<(usize, i64)>,
    /// `--fail-on`: findings this severe or worse fail the run at its end.
    pub(crate) fail_on: Option<Severity>,
    /// The language of the text lines and the summary (also in `pipeline.analyze`).
    pub(crate) lang: Lang,
    /// `--access-logs` / `--access-log-group`: one line per API request.
    pub(crate) access: Option<TailAccess>,
}

/// The access log `tail` joins with the invocations.
#[derive(Debug, Clone)]
pub struct TailAccess {
    /// Where it comes from.
    pub(crate) source: TailAccessSource,
    /// The JSON keys of the format.
    pub(crate) fields: AccessFields,
    /// `--join-window`, in ms.
    pub(crate) window_ms: u64,
}

/// Where `tail` reads the access log.
#[derive(Debug, Clone)]
pub enum TailAccessSource {
    /// A file, followed as it grows when `follow`.
    File {
        /// The file.
        path: PathBuf,
        /// `--follow`.
        follow: bool,
    },
    /// A log group, followed like the authorizer's.
    Group(String),
}

impl TailConfig {
    /// What the printer prints and how.
    pub(crate) fn print_options(&self) -> PrintOptions {
        PrintOptions {
            style: self.live_style(),
            tokens: self.tokens,
            filter: self.filter.clone(),
            count: self.count,
            alert: self.alert,
        }
    }

    /// How the lines look: colors, time zone, JSON or text, language.
    pub(crate) fn live_style(&self) -> LiveStyle {
        LiveStyle {
            color: self.color,
            local_time: self.local_time,
            json: self.json,
            lang: self.lang,
        }
    }
}

fn duration(name: &str, value: &str) -> Result<Duration, Error> {
    span(name, value).map(|ms| Duration::from_millis(ms.unsigned_abs()))
}

impl TailArgs {
    /// Checks the arguments against each other; `now_ms` anchors relative times.
    pub fn validate(self, now_ms: i64) -> Result<TailConfig, Error> {
        if self.follow && self.input.as_deref().is_none_or(|p| p.as_os_str() == "-") {
            return Err(Error::Usage(
                "--follow follows a growing FILE (authlogs tail FILE --follow); standard input is followed anyway"
                    .into(),
            ));
        }
        if self.input.is_some() && (self.log_groups.named() || self.poll) {
            return Err(Error::Usage(
                "--group, --all-groups and --poll read CloudWatch Logs: pass them without FILE or -".into(),
            ));
        }
        let log_groups = self.log_groups.validate()?;
        let access = match self.access.validate(self.access_logs)? {
            None => None,
            Some(join) => {
                let source = match join.from {
                    AccessFrom::Group(_) if self.input.is_some() => return Err(Error::Usage(
                        "--access-log-group follows CloudWatch: pass it without FILE or - (or pass --access-logs FILE)"
                            .into(),
                    )),
                    AccessFrom::Files(path) if path.as_os_str() == "-" => {
                        return Err(Error::Usage(
                            "--access-logs takes a file for tail (standard input carries the authorizer's logs)".into(),
                        ))
                    }
                    AccessFrom::Files(path) => TailAccessSource::File {
                        path,
                        follow: self.follow,
                    },
                    AccessFrom::Group(group) => TailAccessSource::Group(group),
                };
                if self.raw {
                    return Err(Error::Usage(
                        "--raw prints an invocation's lines; with access logs tail prints API requests (drop --raw)"
                            .into(),
                    ));
                }
                Some(TailAccess {
                    source,
                    fields: join.fields,
                    window_ms: join.window_ms,
                })
            }
        };
        let Window { since_ms, until_ms } = self.window.validate(now_ms)?;
        let interval = duration("--interval", &self.interval)?;
        if interval < Duration::from_millis(100) {
            return Err(Error::Usage("--interval must be at least 100ms".into()));
        }
        let overlap = duration("--overlap", &self.overlap)?;
        let grace_ms = span("--grace", &self.grace)?;
        let incomplete_after_ms = span("--incomplete-after", &self.incomplete_after)?;
        if incomplete_after_ms == 0 {
            return Err(Error::Usage("--incomplete-after must be more than 0".into()));
        }
        let findings = self.findings.validate()?;
        let idle_exit = self
            .idle_exit
            .as_deref()
            .map(|v| duration("--idle-exit", v))
            .transpose()?;
        let alert = if self.alert_denials.trim() == "0" {
            None
        } else {
            Some(count_per_span("--alert-denials", &self.alert_denials)?)
        };
        let mut ips = Vec::new();
        for ip in &self.ips {
            ips.push(IpRange::parse(ip).ok_or_else(|| {
                Error::Usage(format!(
                    "--ip takes an IP address or a CIDR range (203.0.113.0/24), not '{ip}'"
                ))
            })?);
        }
        let reading = self.read.validate()?;
        let style = self.style.validate();
        let source = match self.input {
            Some(p) if p.as_os_str() == "-" => TailSource::Stdin,
            Some(path) => TailSource::File {
                path,
                follow: self.follow,
            },
            None => TailSource::CloudWatch {
                connection: log_groups.connection,
                groups: log_groups.selection,
                poll: self.poll,
                max_attempts: log_groups.max_attempts,
                max_tps: log_groups.max_tps,
            },
        };
        Ok(TailConfig {
            source,
            read: reading.read,
            pipeline: PipelineConfig {
                since_ms,
                until_ms,
                group: GroupConfig {
                    grace_ms,
                    incomplete_after_ms,
                    ..GroupConfig::default()
                },
                analyze: AnalyzeConfig {
                    guess_threshold: findings.guess_threshold,
                    guess_window_ms: findings.guess_window_ms,
                    lang: style.lang,
                    tokens: style.tokens,
                    ..AnalyzeConfig::default()
                },
            },
            patterns: reading.patterns,
            tokens: style.tokens,
            color: style.color,
            json: self.format == TailFormat::Json,
            raw: self.raw,
            local_time: style.tz_local,
            filter: TailFilter {
                denied: self.denied,
                ips,
                reasons: self.reason,
            },
            count: self.count,
            idle_exit,
            start_ms: since_ms.unwrap_or(now_ms),
            end_ms: until_ms,
            interval,
            overlap,
            filter_pattern: self.filter_pattern,
            alert,
            fail_on: findings.fail_on,
            lang: style.lang,
            access,
        })
    }
}

#[cfg(test)]
mod tests;
