//! The engine of a CloudWatch report: `--engine auto` choosing between downloading and Logs
//! Insights, `--explain`, and the Insights run turned into a `Report`.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::analyze::{Analyzer, InputSummary};
use crate::cli::{Engine, ReportConfig};
use crate::error::Error;
use crate::report::{InputStats, Report, ScanInfo, SourceInfo};
use crate::source::cloudwatch::insights::{
    api_seconds, download_seconds, estimate_window, scan_cost, slices, Queries, QueryKind, Resolution, MARGIN_MS,
};
use crate::source::cloudwatch::{run_insights, CwError, FetchConfig, InsightsConfig};
use crate::timeutil::format_rfc3339_ms;

/// Downloading longer than this makes `--engine auto` use Logs Insights.
const AUTO_DOWNLOAD_SECONDS: f64 = 60.0;

/// What is never exact in an Insights report, whatever the data.
const ALWAYS_APPROXIMATE: [&str; 5] = [
    "window.first_event: the first line with a request id (an INIT_START before it is not seen); window.last_event likewise",
    "input: Insights counts the events it scanned (input.events); unrecognized, invalid UTF-8 and oversized lines are not counted",
    "cold_starts: counted from REPORT Init Duration and Restore Duration; an init retried inside the invocation is not seen",
    "findings.token_guessing: an IP's token mismatches are counted per minute; distinct wrong tokens are not compared",
    "findings.invalid_allowed_ip: allowed IPs are read from the IP mismatch lines of denied requests",
];

/// Which engine a report runs on, and why (for stderr).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub insights: bool,
    pub why: String,
    /// The groups resolved while estimating (so they are not resolved twice).
    pub groups: Option<Vec<String>>,
    /// The estimated bytes of the window.
    pub bytes: Option<f64>,
}

fn human_bytes(b: f64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"];
    // Not `max(0.0)`: it may keep -0.0, which prints as "-0".
    let mut v = if b > 0.0 { b } else { 0.0 };
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{v:.0} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}

fn human_seconds(s: f64) -> String {
    match s {
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 5400.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.1} h", s / 3600.0),
    }
}

/// Picks the engine of a CloudWatch report: as asked, or for `auto` from the window's size.
pub fn choose(config: &ReportConfig, cw: &FetchConfig, now_ms: i64, err: &mut dyn Write) -> Result<Choice, Error> {
    match config.engine {
        Engine::Local => Ok(Choice {
            insights: false,
            why: "--engine local".into(),
            groups: None,
            bytes: None,
        }),
        Engine::Insights => Ok(Choice {
            insights: true,
            why: "--engine insights".into(),
            groups: None,
            bytes: None,
        }),
        Engine::Auto => {
            let estimate = match estimate_window(cw, now_ms, err) {
                Ok(e) => e,
                // Reading may be allowed where describing is not: read, and say how to choose.
                Err(CwError::AccessDenied { permission, .. }) => {
                    return Ok(Choice {
                        insights: false,
                        why: format!(
                            "cannot estimate the window's size (access denied to {permission}); pass --engine insights to use Logs Insights"
                        ),
                        groups: None,
                        bytes: None,
                    })
                }
                Err(e) => return Err(e.into()),
            };
            let seconds = download_seconds(estimate.bytes, cw.max_tps);
            let insights = seconds > AUTO_DOWNLOAD_SECONDS;
            let why = format!(
                "about {} in the window: downloading takes about {} at --max-tps {}{}",
                human_bytes(estimate.bytes),
                human_seconds(seconds),
                cw.max_tps,
                if insights {
                    format!(
                        ", Logs Insights scans it for about ${:.4}",
                        scan_cost(estimate.bytes, QueryKind::ALL.len(), config.insights.usd_per_gb_scanned)
                    )
                } else {
                    String::new()
                }
            );
            Ok(Choice {
                insights,
                why,
                groups: Some(estimate.groups),
                bytes: Some(estimate.bytes),
            })
        }
    }
}

/// The fetch config with the groups already resolved, so they are not looked up again.
fn with_groups(cw: &FetchConfig, groups: Option<&Vec<String>>) -> FetchConfig {
    let mut cw = cw.clone();
    if let Some(g) = groups {
        cw.groups.names = g.clone();
    }
    cw
}

/// Runs the Insights engine over `cw` and renders its report.
pub fn insights_report(
    config: &ReportConfig,
    cw: &FetchConfig,
    groups: Option<&Vec<String>>,
    err: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<Report, Error> {
    let insights = InsightsConfig {
        fetch: with_groups(cw, groups),
        patterns: config.patterns.clone(),
        concurrency: config.insights.concurrency,
        slice_ms: config.insights.slice_ms,
    };
    let (totals, run) = run_insights(&insights, err, interrupted)?;
    let input = InputSummary {
        stats: InputStats {
            events: run.records_scanned.round().max(0.0) as u64,
            ..InputStats::default()
        },
        since_ms: Some(cw.start_ms),
        until_ms: Some(cw.end_ms),
        first_event_ms: totals.first_ms,
        last_event_ms: totals.last_ms,
        ..InputSummary::default()
    };
    let mut report = Analyzer::from_totals(config.pipeline.analyze, totals).finish(input);
    let mut approximate: Vec<String> = ALWAYS_APPROXIMATE.iter().map(|s| s.to_string()).collect();
    approximate.extend(run.approximate.iter().cloned());
    let price = config.insights.usd_per_gb_scanned;
    report.source = Some(SourceInfo {
        kind: "cloudwatch",
        engine: "insights",
        approximate,
        groups: run
            .groups
            .iter()
            .map(|g| crate::redact::escape_control(g).into_owned())
            .collect(),
        api_calls: run.api_calls,
        events: 0,
        throttled: run.throttled,
        retries: run.retries,
        scan: Some(ScanInfo {
            queries: run.queries,
            bytes_scanned: run.bytes_scanned.round().max(0.0) as u64,
            records_scanned: run.records_scanned.round().max(0.0) as u64,
            records_matched: run.records_matched.round().max(0.0) as u64,
            usd_per_gb_scanned: price,
            estimated_cost_usd: scan_cost(run.bytes_scanned, 1, price),
        }),
    });
    Ok(report)
}

/// `--explain`: the engine choice, the slices and batches, the estimated scan and cost, and the
/// query texts of the first slice, without running a query.
pub fn explain(config: &ReportConfig, cw: &FetchConfig, choice: &Choice, out: &mut dyn Write) -> Result<(), Error> {
    let parts = slices(cw.start_ms, cw.end_ms, config.insights.slice_ms);
    let queries = Queries::new(&config.patterns);
    let groups = choice.groups.clone().unwrap_or_else(|| cw.groups.names.clone());
    writeln!(
        out,
        "engine: {} ({})",
        if choice.insights { "insights" } else { "local" },
        choice.why
    )?;
    writeln!(
        out,
        "window: {} – {}",
        format_rfc3339_ms(cw.start_ms),
        format_rfc3339_ms(cw.end_ms)
    )?;
    if groups.is_empty() {
        writeln!(out, "groups: those containing '{}'", cw.groups.pattern)?;
    } else {
        writeln!(
            out,
            "groups: {} ({} per query, {} batch(es))",
            groups
                .iter()
                .map(|g| crate::redact::escape_control(g).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            50,
            groups.len().div_ceil(50)
        )?;
    }
    writeln!(
        out,
        "slices: {} of up to {} s; each query reads {} min past inner boundaries so requests are joined whole",
        parts.len(),
        config.insights.slice_ms / 1000,
        MARGIN_MS / 60_000
    )?;
    let batches = groups.len().div_ceil(50).max(1);
    let count = parts.len() * batches * QueryKind::ALL.len();
    writeln!(
        out,
        "queries: {count} ({} per slice and batch: {}), {} at a time",
        QueryKind::ALL.len(),
        QueryKind::ALL.map(QueryKind::name).join(", "),
        config.insights.concurrency
    )?;
    match choice.bytes {
        Some(b) => writeln!(
            out,
            "estimated scan: about {} per query, {} in all: about ${:.4} at ${}/GB",
            human_bytes(b),
            human_bytes(b * QueryKind::ALL.len() as f64),
            scan_cost(b, QueryKind::ALL.len(), config.insights.usd_per_gb_scanned),
            config.insights.usd_per_gb_scanned
        )?,
        None => writeln!(
            out,
            "estimated scan: pass --engine auto to estimate it from the groups' stored bytes"
        )?,
    }
    if !choice.insights {
        writeln!(out, "(the plan below is what --engine insights would run)")?;
    }
    if let Some(first) = parts.first() {
        let (s, e) = api_seconds(first);
        for kind in QueryKind::ALL {
            writeln!(
                out,
                "\n# {} query, first slice (StartQuery startTime {s}, endTime {e}):",
                kind.name()
            )?;
            writeln!(out, "{}", queries.text(kind, first, Resolution::Exact))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A flag Ctrl-C (or SIGTERM) sets, so running queries are stopped before the process ends; a
/// second Ctrl-C ends it at once.
pub fn interrupt_flag() -> Result<Arc<AtomicBool>, Error> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Registered first, so it sees the flag before the second registration sets it.
        signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone()).map_err(Error::Output)?;
        signal_hook::flag::register(signal, flag.clone()).map_err(Error::Output)?;
    }
    Ok(flag)
}
