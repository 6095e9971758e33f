//! `authlogs report`: its arguments, validated once into a `ReportConfig`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::args::{
    span, AccessArgs, AccessFrom, FindingArgs, Layout, LogGroupArgs, ReadArgs, StyleArgs, Window, WindowArgs,
};
use crate::access::AccessFields;
use crate::analyze::{AnalyzeConfig, DEFAULT_USD_PER_GB_SECOND, DEFAULT_USD_PER_MILLION_REQUESTS};
use crate::aws::{FetchConfig, GroupSelection};
use crate::engine::insights::InsightsOptions;
use crate::engine::Engine;
use crate::engine::{PipelineConfig, Threads};
use crate::error::Error;
use crate::group::GroupConfig;
use crate::i18n::Lang;
use crate::patterns::Patterns;
use crate::redact::TokenDisplay;
use crate::render::OutputFormat;
use crate::report::Severity;
use crate::source::cloudwatch::PAGES_IN_FLIGHT_PER_SLICE;
use crate::source::cloudwatch::PAGE_LIMIT;
use crate::source::ReadOptions;

/// Large enough that opening a range and finding its first event header costs nothing measurable,
/// small enough that a 100 MB file keeps several readers busy.
const DEFAULT_RANGE_BYTES: u64 = 8 << 20;

/// The options in the order `report --help` lists them (the shared groups' among its own).
const OPTION_ORDER: &[&str] = &[
    "format",
    "requests",
    "output",
    "lang",
    "input_format",
    "max_line_bytes",
    "since",
    "until",
    "patterns",
    "show_tokens",
    "color",
    "threads",
    "width",
    "range_bytes",
    "price_gb_second",
    "price_million_requests",
    "guess_threshold",
    "fail_on",
    "tz",
    "group",
    "group_pattern",
    "all_groups",
    "slices",
    "max_attempts",
    "engine",
    "explain",
    "cross_check",
    "audit",
    "query_concurrency",
    "query_slice",
    "price_gb_scanned",
    "max_cost",
    "access_logs",
    "access_log_group",
    "access_log_fields",
    "join_window",
    "profile",
    "region",
    "endpoint_url",
    "max_tps",
];

/// The arguments of `authlogs report`. The shared groups are worded for it.
#[derive(Debug, Args)]
#[command(option_order = OPTION_ORDER)]
pub struct ReportArgs {
    /// Log files or directories (walked recursively; plain or gzip), or - for standard input.
    #[arg(value_name = "FILE|DIR|-")]
    pub inputs: Vec<PathBuf>,
    /// Output format of the report.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// One row per invocation instead of the summary: CSV, or JSON lines with --format json.
    #[arg(long)]
    pub requests: bool,
    /// Write the report to this file (replaced whole when complete) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// `--since`, `--until`.
    #[command(flatten)]
    pub window: WindowArgs,
    /// `--input-format`, `--max-line-bytes`, `--patterns`.
    #[command(flatten)]
    pub read: ReadArgs,
    /// `--lang`, `--show-tokens`, `--color`, `--tz`.
    #[command(flatten)]
    pub style: StyleArgs,
    /// Threads to use: N-1 read and parse input files and ranges of large files while one groups and
    /// analyzes in input order, so results are identical for any N; 1 does everything on one thread
    /// [default: the number of CPUs, at most 5; on 2 CPUs or fewer, 1 for gzip files of 64 KiB or more].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Fit the table into this many columns (0: as wide as its content) [default: the terminal's
    /// width (`COLUMNS` overrides it) when stdout is a terminal, else 0].
    #[arg(long, value_name = "N", hide = true)]
    pub width: Option<u16>,
    /// Plain text files larger than this many bytes are read in ranges of this size, in parallel.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_RANGE_BYTES, value_parser = clap::value_parser!(u64).range(1..), hide = true)]
    pub range_bytes: u64,
    /// Lambda price per GB-second for the cost estimate.
    #[arg(long, value_name = "USD", default_value_t = DEFAULT_USD_PER_GB_SECOND)]
    pub price_gb_second: f64,
    /// Lambda price per million requests for the cost estimate.
    #[arg(long, value_name = "USD", default_value_t = DEFAULT_USD_PER_MILLION_REQUESTS)]
    pub price_million_requests: f64,
    /// `--guess-threshold`, `--fail-on`.
    #[command(flatten)]
    pub findings: FindingArgs,
    /// `--group`, `--group-pattern`, `--all-groups`, `--max-attempts` and the connection (declared
    /// after every option without a heading: it leaves clap's heading at CloudWatch).
    #[command(flatten)]
    pub log_groups: LogGroupArgs,
    /// Parts of the window fetched concurrently.
    #[arg(long, value_name = "N", default_value_t = 4, help_heading = "CloudWatch")]
    pub slices: u32,
    /// Where the report is computed: local downloads every event (FilterLogEvents, at most
    /// --max-tps pages a second); insights has CloudWatch Logs Insights compute it server side
    /// (billed per GB scanned); auto picks insights when downloading would take more than a minute.
    #[arg(long, value_enum, default_value_t = Engine::Auto, help_heading = "CloudWatch")]
    pub engine: Engine,
    /// Print the Logs Insights queries, time slices and estimated scan instead of running them.
    #[arg(long, help_heading = "CloudWatch")]
    pub explain: bool,
    /// Run both engines over the last DURATION of the window (e.g. 1h) and list every field of
    /// the report where they differ; exit 1 when one does.
    #[arg(long, value_name = "DURATION", help_heading = "CloudWatch")]
    pub cross_check: Option<String>,
    /// Also audit the configuration of the authorizer functions behind the log groups read (group
    /// /aws/lambda/NAME: function NAME) and the HTTP APIs whose authorizers invoke them: one more
    /// section in every format, and --fail-on counts its findings (see docs/audit.md).
    #[arg(long, help_heading = "CloudWatch")]
    pub audit: bool,
    /// Logs Insights queries running at once (the account's limit is shared with dashboards).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=100), help_heading = "CloudWatch")]
    pub query_concurrency: u32,
    /// Logs Insights queries cover slices of the window this long; a slice that times out is split.
    #[arg(long, value_name = "DURATION", default_value = "1d", help_heading = "CloudWatch")]
    pub query_slice: String,
    /// Logs Insights price per GB scanned, for the estimate, the cap and the cost in the report
    /// [default: the region's (us-east-1 0.005, ap-northeast-1 0.0076); another region's is
    /// taken as us-east-1's, with a note].
    #[arg(long, value_name = "USD", help_heading = "CloudWatch")]
    pub price_gb_scanned: Option<f64>,
    /// The most Logs Insights may cost: a plan estimated above it is refused before any query
    /// starts, and no query starts once those run cost this much. --engine auto reads locally
    /// when the estimate is above it [default for auto: 1.00].
    #[arg(long, value_name = "USD", help_heading = "CloudWatch")]
    pub max_cost: Option<f64>,
    /// API Gateway access logs to join with the invocations (repeatable; files, directories or -,
    /// in any container): the report gains what callers saw — fresh and cached decisions, 401s,
    /// 500s (see docs/access-logs.md).
    #[arg(long, value_name = "FILE|DIR|-", help_heading = "Access logs")]
    pub access_logs: Vec<PathBuf>,
    /// `--access-log-group`, `--access-log-fields`, `--join-window`.
    #[command(flatten)]
    pub access: AccessArgs,
}

/// A validated `report` invocation.
#[derive(Debug)]
pub struct ReportConfig {
    pub(crate) inputs: Vec<PathBuf>,
    pub(crate) format: OutputFormat,
    pub(crate) requests: bool,
    /// How inputs are read: container and line cap.
    pub(crate) read: ReadOptions,
    pub(crate) pipeline: PipelineConfig,
    pub(crate) patterns: Patterns,
    pub(crate) tokens: TokenDisplay,
    pub(crate) color: bool,
    /// Columns the table fits into; `None`: as wide as its content.
    pub(crate) width: Option<u16>,
    /// Reader threads.
    pub(crate) threads: Threads,
    pub(crate) range_bytes: u64,
    /// Read CloudWatch Logs instead of `inputs`.
    pub(crate) cloudwatch: Option<FetchConfig>,
    /// Show the table's window times in the local time zone.
    pub(crate) tz_local: bool,
    /// Stderr is a terminal: the fetch's progress line is drawn in place (otherwise a plain line every 10 s).
    pub(crate) progress: bool,
    /// `--fail-on`: findings this severe or worse fail the run.
    pub(crate) fail_on: Option<Severity>,
    /// `--output`: write here, atomically, instead of stdout.
    pub(crate) output: Option<PathBuf>,
    /// The language of the table, the HTML report and the findings (also in `pipeline.analyze`).
    pub(crate) lang: Lang,
    /// `--engine`.
    pub(crate) engine: Engine,
    /// `--explain`: show the Insights plan instead of running it.
    pub(crate) explain: bool,
    /// `--cross-check`: the span (ms) at the end of the window both engines run over.
    pub(crate) cross_check_ms: Option<i64>,
    pub(crate) insights: InsightsOptions,
    /// `--access-logs` / `--access-log-group`: API Gateway access logs to join.
    pub(crate) access: Option<AccessConfig>,
    /// `--audit`: audit the configuration behind the groups read (CloudWatch only).
    pub(crate) audit: bool,
}

/// Where the access logs come from and how they are read and joined.
#[derive(Debug, Clone)]
pub struct AccessConfig {
    /// Files, directories or `-`.
    pub(crate) inputs: Vec<PathBuf>,
    /// A log group, read over the report's window.
    pub(crate) group: Option<FetchConfig>,
    /// The JSON keys of the format.
    pub(crate) fields: AccessFields,
    /// `--join-window`, in ms.
    pub(crate) window_ms: u64,
}

impl ReportArgs {
    /// Checks the arguments against each other and resolves them into a config; `now_ms` anchors relative times.
    pub fn validate(self, now_ms: i64) -> Result<ReportConfig, Error> {
        if self.inputs.is_empty() && self.window.since.is_none() {
            return Err(Error::Usage(
                "no input given: pass exported log files, a directory, or - for standard input (e.g. authlogs report samples/), or --since TIME to read CloudWatch Logs (e.g. authlogs report --since 1d)".into(),
            ));
        }
        if !self.inputs.is_empty() && self.log_groups.named() {
            return Err(Error::Usage(
                "--group and --all-groups read CloudWatch Logs: pass them without files".into(),
            ));
        }
        let cloudwatch_only = [
            (self.engine == Engine::Insights, "--engine insights"),
            (self.explain, "--explain"),
            (self.cross_check.is_some(), "--cross-check"),
        ];
        if let Some((_, flag)) = cloudwatch_only.iter().find(|(on, _)| *on) {
            if !self.inputs.is_empty() {
                return Err(Error::Usage(format!(
                    "{flag} reads CloudWatch Logs: pass it with --since and without files (files are always read by the local engine)"
                )));
            }
            if self.requests {
                return Err(Error::Usage(format!(
                    "{flag} and --requests do not go together: one row per request needs every event, so --requests uses --engine local"
                )));
            }
        }
        if self.audit {
            audit_alone(&self)?;
        }
        let join = self.access.validate((!self.access_logs.is_empty()).then_some(()))?;
        if let Some(join) = &join {
            if let Some((_, flag)) = cloudwatch_only.iter().find(|(on, _)| *on) {
                return Err(Error::Usage(format!(
                    "{flag} and the access-log join do not go together: the join needs every invocation, so it uses --engine local"
                )));
            }
            if self.requests {
                return Err(Error::Usage(
                    "--access-logs adds what callers saw to the summary: drop --requests (tail --access-logs prints one line per API request)".into(),
                ));
            }
            if matches!(join.from, AccessFrom::Group(_)) && self.window.since.is_none() {
                return Err(Error::Usage(
                    "--access-log-group reads CloudWatch Logs over the report's window: pass --since (and --until)"
                        .into(),
                ));
            }
            let stdin = |v: &[PathBuf]| v.iter().any(|p| p.as_os_str() == "-");
            if stdin(&self.inputs) && stdin(&self.access_logs) {
                return Err(Error::Usage(
                    "standard input (-) can hold the authorizer's logs or the access logs, not both".into(),
                ));
            }
        }
        if self.requests && self.format == OutputFormat::Html {
            return Err(Error::Usage(
                "--requests writes CSV, or JSON lines with --format json; the HTML report is the summary (drop --requests)".into(),
            ));
        }
        let cross_check_ms = self
            .cross_check
            .as_deref()
            .map(|v| span("--cross-check", v))
            .transpose()?
            .filter(|ms| *ms > 0);
        if self.cross_check.is_some() && cross_check_ms.is_none() {
            return Err(Error::Usage("--cross-check takes a span such as 1h or 30m".into()));
        }
        let slice_ms = span("--query-slice", &self.query_slice)?;
        if slice_ms < 60_000 {
            return Err(Error::Usage("--query-slice must be at least 1m".into()));
        }
        if self.price_gb_scanned.is_some_and(|p| !p.is_finite() || p < 0.0) {
            return Err(Error::Usage("--price-gb-scanned must be a non-negative number".into()));
        }
        if self.max_cost.is_some_and(|c| !c.is_finite() || c < 0.0) {
            return Err(Error::Usage(
                "--max-cost must be a non-negative number of dollars".into(),
            ));
        }
        if self.slices == 0 || self.slices > 64 {
            return Err(Error::Usage("--slices must be between 1 and 64".into()));
        }
        let log_groups = self.log_groups.validate()?;
        let Window { since_ms, until_ms } = self.window.validate(now_ms)?;
        for (name, v) in [
            ("--price-gb-second", self.price_gb_second),
            ("--price-million-requests", self.price_million_requests),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::Usage(format!("{name} must be a non-negative number")));
            }
        }
        let reading = self.read.validate()?;
        let style = self.style.validate();
        let findings = self.findings.validate()?;
        // Both reads of CloudWatch (the authorizer's groups, the access-log group) share the
        // window and the connection.
        let end_ms = until_ms.unwrap_or(now_ms);
        let fetch = |groups: GroupSelection, start_ms: i64| FetchConfig {
            connection: log_groups.connection.clone(),
            groups,
            start_ms,
            end_ms,
            slices: self.slices,
            max_tps: log_groups.max_tps,
            max_attempts: log_groups.max_attempts,
        };
        let access = join.map(|join| {
            let (inputs, group) = match join.from {
                AccessFrom::Files(()) => (self.access_logs, None),
                AccessFrom::Group(name) => {
                    let groups = GroupSelection {
                        names: vec![name],
                        pattern: String::new(),
                        all: false,
                    };
                    (Vec::new(), Some(fetch(groups, since_ms.unwrap_or(0))))
                }
            };
            AccessConfig {
                inputs,
                group,
                fields: join.fields,
                window_ms: join.window_ms,
            }
        });
        let cloudwatch = match (self.inputs.is_empty(), since_ms) {
            (true, Some(start_ms)) => Some(fetch(log_groups.selection.clone(), start_ms)),
            _ => None,
        };
        if let Some(cw) = &cloudwatch {
            if cw.start_ms >= cw.end_ms {
                return Err(Error::Usage(
                    "--since must be in the past (or pass an --until after it)".into(),
                ));
            }
        }
        let group = match &cloudwatch {
            // Concurrent slices interleave whole pages: a late line (a `Task timed out` after its
            // REPORT) may be that many lines behind, so the grouper waits longer for one.
            Some(cw) => GroupConfig {
                grace_lines: GroupConfig::default().grace_lines
                    + PAGE_LIMIT as u64 * (PAGES_IN_FLIGHT_PER_SLICE as u64 + 1) * u64::from(cw.slices),
                ..GroupConfig::default()
            },
            None => GroupConfig::default(),
        };
        // CloudWatch windows end now when --until is absent: the report says so.
        let until_ms = until_ms.or(cloudwatch.as_ref().map(|cw| cw.end_ms));
        Ok(ReportConfig {
            cloudwatch,
            tz_local: style.tz_local,
            progress: std::io::stderr().is_terminal(),
            fail_on: findings.fail_on,
            output: self.output,
            lang: style.lang,
            engine: if self.requests || access.is_some() {
                Engine::Local
            } else {
                self.engine
            },
            access,
            audit: self.audit,
            explain: self.explain,
            cross_check_ms,
            insights: InsightsOptions {
                concurrency: self.query_concurrency as usize,
                slice_ms,
                price_gb_scanned: self.price_gb_scanned,
                max_cost: self.max_cost,
            },
            inputs: self.inputs,
            format: self.format,
            requests: self.requests,
            read: reading.read,
            pipeline: PipelineConfig {
                since_ms,
                until_ms,
                analyze: AnalyzeConfig {
                    usd_per_gb_second: self.price_gb_second,
                    usd_per_million_requests: self.price_million_requests,
                    guess_threshold: findings.guess_threshold,
                    guess_window_ms: findings.guess_window_ms,
                    lang: style.lang,
                    tokens: style.tokens,
                },
                group,
            },
            patterns: reading.patterns,
            tokens: style.tokens,
            color: style.color,
            width: match self.width {
                Some(0) => None,
                Some(n) => Some(n),
                None => super::terminal_width(),
            },
            threads: match self.threads {
                Some(n) => Threads::Fixed(usize::from(n)),
                None => Threads::auto(),
            },
            range_bytes: self.range_bytes,
        })
    }
}

/// `--audit` reads the configuration from AWS for the functions whose log groups the report read:
/// it needs a CloudWatch report, and adds a section to the summary only.
fn audit_alone(args: &ReportArgs) -> Result<(), Error> {
    if !args.inputs.is_empty() {
        return Err(Error::Usage(
            "--audit reads the configuration from AWS for the log groups a CloudWatch report reads: pass --since (and --group) without files, or run authlogs audit beside the report of your files".into(),
        ));
    }
    if args.requests {
        return Err(Error::Usage(
            "--audit adds a section to the summary: drop --requests (authlogs audit prints the audit alone)".into(),
        ));
    }
    for (on, flag) in [
        (args.explain, "--explain"),
        (args.cross_check.is_some(), "--cross-check"),
    ] {
        if on {
            return Err(Error::Usage(format!(
                "--audit and {flag} do not go together: {flag} prints no report to add the audit to"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
