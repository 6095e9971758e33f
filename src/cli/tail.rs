//! `authlogs tail`: its arguments, validated once into a `TailConfig`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{count_per_span, span, AwsArgs, ColorArg, SeverityArg, TzArg};
use crate::access::AccessFields;
use crate::analyze::AnalyzeConfig;
use crate::decision::{IpRange, ReasonArg, TailFilter};
use crate::engine::PipelineConfig;
use crate::error::Error;
use crate::group::GroupConfig;
use crate::i18n::Lang;
use crate::patterns::Patterns;
use crate::redact::TokenDisplay;
use crate::render::live::LiveStyle;
use crate::report::Severity;
use crate::source::cloudwatch::{Connection, GroupSelection, DEFAULT_PATTERN};
use crate::source::{InputFormat, ReadOptions};
use crate::timeutil::parse_time_arg;

/// `tail --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TailFormat {
    /// One aligned line per invocation.
    Text,
    /// One JSON object per invocation, with the fields of `report --requests --format json`.
    Json,
}

/// The arguments of `authlogs tail`.
#[derive(Debug, Args)]
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
    /// Show the invocations since this time first, then follow: 10m, 1h, or ISO 8601.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Stop at this time (same forms as --since; a span is back from now, so use ISO 8601 for the future).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Stop after printing N invocations.
    #[arg(long, value_name = "N")]
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
    /// Time zone of the times printed.
    #[arg(long, value_enum, default_value_t = TzArg::Utc)]
    pub tz: TzArg,
    /// Color the decisions.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Language of the text lines, alerts, summary and findings [default: from LC_ALL/LANG; ja_* →
    /// ja, else en]. The decision words (ALLOW, DENY, …), ALERT and JSON keys stay English.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Print tokens as logged instead of masked fingerprints (tok:1a2b3c4d).
    #[arg(long)]
    pub show_tokens: bool,
    /// How long after its REPORT an invocation waits for late lines before it is printed.
    #[arg(long, value_name = "SPAN", default_value = "1s")]
    pub grace: String,
    /// Print an invocation without REPORT, marked incomplete, after this long without a line.
    #[arg(long, value_name = "SPAN", default_value = "60s")]
    pub incomplete_after: String,
    /// Alert when one IP is denied N times within a span: N/SPAN, e.g. 5/60s; 0 turns alerts off.
    #[arg(long, value_name = "N/SPAN", default_value = "5/60s")]
    pub alert_denials: String,
    /// Token guessing (in the summary's findings): N token mismatches from one IP within SPAN.
    #[arg(long, value_name = "N/SPAN", default_value = "5/10m")]
    pub guess_threshold: String,
    /// At the end, exit with status 1 when a finding of this severity or worse is present.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// TOML file of message templates for a differently worded authorizer.
    #[arg(long, value_name = "FILE")]
    pub patterns: Option<PathBuf>,
    /// Container of a stream input; auto detects it.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Lines (events) longer than this are cut: the head is read, the rest skipped and counted
    /// (input.oversized_lines). CloudWatch events are at most 1 MB.
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_line_bytes: String,
    /// Also read this API Gateway access log (a file; with --follow it is followed too) and print
    /// one line per API request instead of one per invocation: fresh or cached, 401, 500.
    #[arg(long, value_name = "FILE", help_heading = "Access logs")]
    pub access_logs: Option<PathBuf>,
    /// Also follow the API's access-log group and print one line per API request.
    #[arg(long, value_name = "NAME", help_heading = "Access logs")]
    pub access_log_group: Option<String>,
    /// The JSON keys of your access-log format: FIELD=KEY pairs or a TOML file [default: AWS's example names].
    #[arg(long, value_name = "SPEC|FILE", help_heading = "Access logs")]
    pub access_log_fields: Option<String>,
    /// How long after an API request its authorizer invocation may start.
    #[arg(long, value_name = "DURATION", default_value = "10s", help_heading = "Access logs")]
    pub join_window: String,
    /// CloudWatch log group to follow (repeatable).
    #[arg(long, value_name = "NAME", help_heading = "CloudWatch")]
    pub group: Vec<String>,
    /// Without --group: follow the log groups whose name contains this.
    #[arg(long, value_name = "TEXT", default_value = DEFAULT_PATTERN, help_heading = "CloudWatch")]
    pub group_pattern: String,
    /// Without --group: follow every group --group-pattern matches.
    #[arg(long, help_heading = "CloudWatch")]
    pub all_groups: bool,
    /// Tries per request before giving up on throttling, 5xx and dropped connections.
    #[arg(long, value_name = "N", default_value_t = 8, help_heading = "CloudWatch")]
    pub max_attempts: u32,
    /// Where to reach CloudWatch Logs.
    #[command(flatten, next_help_heading = "CloudWatch")]
    pub aws: AwsArgs,
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
    /// The access-log options around `source`, validated.
    fn tail_access(&self, source: TailAccessSource) -> Result<TailAccess, Error> {
        match &source {
            TailAccessSource::Group(_) if self.input.is_some() => {
                return Err(Error::Usage(
                    "--access-log-group follows CloudWatch: pass it without FILE or - (or pass --access-logs FILE)"
                        .into(),
                ))
            }
            TailAccessSource::File { path, .. } if path.as_os_str() == "-" => {
                return Err(Error::Usage(
                    "--access-logs takes a file for tail (standard input carries the authorizer's logs)".into(),
                ))
            }
            _ => {}
        }
        let (fields, window_ms) = super::access_options(self.access_log_fields.as_deref(), &self.join_window)?;
        if self.raw {
            return Err(Error::Usage(
                "--raw prints an invocation's lines; with access logs tail prints API requests (drop --raw)".into(),
            ));
        }
        Ok(TailAccess {
            source,
            fields,
            window_ms,
        })
    }

    /// Checks the arguments against each other; `now_ms` anchors relative times.
    pub fn validate(self, now_ms: i64) -> Result<TailConfig, Error> {
        if self.follow && self.input.as_deref().is_none_or(|p| p.as_os_str() == "-") {
            return Err(Error::Usage(
                "--follow follows a growing FILE (authlogs tail FILE --follow); standard input is followed anyway"
                    .into(),
            ));
        }
        if self.input.is_some() && (!self.group.is_empty() || self.all_groups || self.poll) {
            return Err(Error::Usage(
                "--group, --all-groups and --poll read CloudWatch Logs: pass them without FILE or -".into(),
            ));
        }
        if self.max_attempts == 0 {
            return Err(Error::Usage("--max-attempts must be at least 1".into()));
        }
        let access_source = match (&self.access_logs, &self.access_log_group) {
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(Error::Usage(
                    "--access-logs and --access-log-group both name the access log: pass one".into(),
                ))
            }
            (Some(path), None) => Some(TailAccessSource::File {
                path: path.clone(),
                follow: self.follow,
            }),
            (None, Some(group)) => Some(TailAccessSource::Group(group.clone())),
        };
        let access = match access_source {
            None if self.access_log_fields.is_some() => {
                return Err(Error::Usage(
                    "--access-log-fields names the keys of access logs: pass --access-logs FILE or --access-log-group NAME too".into(),
                ))
            }
            None => None,
            Some(source) => Some(self.tail_access(source)?),
        };
        let (connection, max_tps) = self.aws.validate()?;
        let time = |v: &Option<String>| v.as_deref().map(|s| parse_time_arg(s, now_ms)).transpose();
        let since_ms = time(&self.since).map_err(Error::Usage)?;
        let until_ms = time(&self.until).map_err(Error::Usage)?;
        if let (Some(s), Some(u)) = (since_ms, until_ms) {
            if s >= u {
                return Err(Error::Usage("--since must be earlier than --until".into()));
            }
        }
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
        let (guess_threshold, guess_window_ms) = count_per_span("--guess-threshold", &self.guess_threshold)?;
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
        let patterns = match &self.patterns {
            Some(p) => Patterns::load(p)?,
            None => Patterns::builtin(),
        };
        let source = match self.input {
            Some(p) if p.as_os_str() == "-" => TailSource::Stdin,
            Some(path) => TailSource::File {
                path,
                follow: self.follow,
            },
            None => TailSource::CloudWatch {
                connection,
                groups: GroupSelection {
                    names: self.group,
                    pattern: self.group_pattern,
                    all: self.all_groups,
                },
                poll: self.poll,
                max_attempts: self.max_attempts,
                max_tps,
            },
        };
        let lang = self.lang.unwrap_or_else(Lang::from_env);
        Ok(TailConfig {
            source,
            read: ReadOptions {
                format: self.input_format,
                max_line_bytes: super::max_line_bytes(&self.max_line_bytes)?,
            },
            pipeline: PipelineConfig {
                since_ms,
                until_ms,
                group: GroupConfig {
                    grace_ms,
                    incomplete_after_ms,
                    ..GroupConfig::default()
                },
                analyze: AnalyzeConfig {
                    guess_threshold,
                    guess_window_ms,
                    lang,
                    ..AnalyzeConfig::default()
                },
            },
            patterns,
            tokens: if self.show_tokens {
                TokenDisplay::Revealed
            } else {
                TokenDisplay::Masked
            },
            color: self.color.resolve(),
            json: self.format == TailFormat::Json,
            raw: self.raw,
            local_time: self.tz == TzArg::Local,
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
            fail_on: self.fail_on.map(Severity::from),
            lang,
            access,
        })
    }
}
