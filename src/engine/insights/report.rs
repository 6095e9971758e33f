//! The Insights engine's answer as a `Report`: its totals through the analyzer, its scan and cost
//! in `source`, and what is never exact listed in `source.approximate`.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::plan::{scan_cost, DEFAULT_USD_PER_GB_SCANNED};
use super::run::{run_insights, InsightsConfig};
use super::InsightsOptions;
use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::aws::{CwError, FetchConfig};
use crate::patterns::Patterns;
use crate::report::{InputStats, Report, ScanInfo, SourceInfo};

/// What is never exact in an Insights report, whatever the data.
const ALWAYS_APPROXIMATE: [&str; 8] = [
    "window.first_event, window.last_event: the first and last line with a request id (an INIT_START before it is not seen)",
    "input, findings.unrecognized_lines, findings.invalid_utf8, findings.oversized_lines, findings.late_lines: Insights counts the events the requests query scanned (input.events), those within 16 min of an inner slice boundary once per slice reading them; unrecognized, invalid UTF-8 and oversized lines are not counted, so the findings made from them are not made",
    "cold_starts: counted from REPORT Init Duration and Restore Duration; an init retried inside the invocation is not seen",
    "findings.token_guessing: an IP's token mismatches are counted per minute; distinct wrong tokens are not compared",
    "findings.invalid_allowed_ip, findings.allowed_ip_changed: allowed IPs are read from the IP mismatch lines of denied requests",
    "findings.allowed_token_changed: the allowed token is never read server side (it would put the secret in query results)",
    "retries: not counted; the requests query makes one invocation of a request id run more than once (an asynchronous retry), whose REPORTs are each counted in duration_ms, memory_mb and cost",
    "init_failures, findings.init_failures: not counted; INIT_REPORT lines with an error or timeout status are only among the events without a request id (see decisions)",
];

/// What is approximate in this run because of what the window holds, with its bound: events the
/// requests query cannot read, counted by the reports query.
fn data_notes(unattributed: u64, json_events: u64) -> Vec<String> {
    let mut notes = Vec::new();
    if unattributed > 0 {
        notes.push(format!(
            "decisions: {unattributed} event(s) without a request id (an unhandled exception's traceback, a bare `Task timed out after`, an INIT_REPORT or RESTORE_REPORT with an error status) go locally to the invocation running on their stream, and Insights cannot attribute them: at most {unattributed} invocation(s) may be decided otherwise than locally (where they are errors or timeouts)"
        ));
        for field in [
            "denials",
            "top_denied_ips",
            "timeline",
            "findings.errors",
            "findings.timeouts",
        ] {
            notes.push(format!("{field}: as decisions (at most {unattributed} invocation(s))"));
        }
    }
    if json_events > 0 {
        notes.push(format!(
            "invocations: {json_events} event(s) are in Lambda's JSON log format: their platform.report records are read (durations, memory, cost) but their requests are not counted; use --engine local for a function that logs JSON"
        ));
        for field in [
            "incomplete",
            "decisions",
            "denials",
            "top_denied_ips",
            "timeline",
            "findings",
        ] {
            notes.push(format!("{field}: as invocations (JSON log format)"));
        }
    }
    notes
}

/// Runs the Insights engine over `cw` (its groups already resolved when `groups` is given) and
/// makes its report.
pub fn insights_report(
    options: &InsightsOptions,
    patterns: &Patterns,
    analyze: AnalyzeConfig,
    cw: &FetchConfig,
    groups: Option<&Vec<String>>,
    err: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<Report, CwError> {
    let mut fetch = cw.clone();
    if let Some(g) = groups {
        fetch.groups.names = g.clone();
    }
    let insights = InsightsConfig {
        fetch,
        patterns: patterns.clone(),
        concurrency: options.concurrency,
        slice_ms: options.slice_ms,
        price_override: options.price_gb_scanned,
        max_cost: options.max_cost,
    };
    let (totals, run) = run_insights(&insights, err, interrupted)?;
    let notes = data_notes(totals.unattributed, totals.json_events);
    let input = InputSummary {
        stats: InputStats {
            events: run.events.round().max(0.0) as u64,
            ..InputStats::default()
        },
        since_ms: Some(cw.start_ms),
        until_ms: Some(cw.end_ms),
        first_event_ms: totals.first_ms,
        last_event_ms: totals.last_ms,
        ..InputSummary::default()
    };
    let mut report = Analyzer::from_totals(analyze, totals).finish(input);
    let mut approximate: Vec<String> = ALWAYS_APPROXIMATE.iter().map(|s| s.to_string()).collect();
    approximate.extend(run.approximate.iter().cloned());
    approximate.extend(notes);
    let price = run.price.as_ref().map_or(DEFAULT_USD_PER_GB_SCANNED, |p| p.usd_per_gb);
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
