//! The report data model (`authlogs.report/v1`): what `analyze` produces and every renderer reads.

use serde::Serialize;

use crate::source::InputError;

pub const SCHEMA: &str = "authlogs.report/v1";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub window: Window,
    /// False when any input was damaged (see `input_errors`).
    pub complete: bool,
    pub input_errors: Vec<InputError>,
    pub input: InputStats,
    /// Where the events came from, when not files (CloudWatch: groups and what fetching cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    pub invocations: u64,
    pub decisions: Decisions,
    /// Invocations without a REPORT line at end of input (still classified from what was seen).
    pub incomplete: u64,
    pub denials: Denials,
    pub duration_ms: DurationStats,
    pub billed_duration_ms: BilledStats,
    pub memory_mb: MemoryStats,
    pub cold_starts: ColdStarts,
    pub cost: Cost,
    pub top_denied_ips: Vec<DeniedIp>,
    /// False when more distinct denied IPs were seen than authlogs keeps (the list is then a lower bound).
    pub top_denied_ips_exact: bool,
    pub timeline: Timeline,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Window {
    /// RFC 3339 UTC; the requested `--since` when given, else the first event seen.
    pub start: Option<String>,
    /// RFC 3339 UTC; the requested `--until` when given, else the last event seen.
    pub end: Option<String>,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputStats {
    pub events: u64,
    /// Lines that matched no Lambda or authorizer shape (tracebacks, print() output, noise).
    pub unrecognized_lines: u64,
    /// Lines that were not valid UTF-8 and were decoded lossily.
    pub invalid_utf8_lines: u64,
    /// Events outside `--since`/`--until`, skipped.
    pub filtered_events: u64,
    /// Lines for a request that had already been reported (arrived after the grace window).
    pub late_lines: u64,
}

/// The live source of a report and its cost: every API call made, retries and throttled answers included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    /// `cloudwatch`.
    pub kind: &'static str,
    pub groups: Vec<String>,
    /// Requests sent, retries included.
    pub api_calls: u64,
    /// Events received, after de-duplication by event id.
    pub events: u64,
    /// Answers that were ThrottlingException (or HTTP 429).
    pub throttled: u64,
    pub retries: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decisions {
    pub allowed: u64,
    pub denied: u64,
    pub timeout: u64,
    pub error: u64,
    pub unknown: u64,
}

impl Decisions {
    pub fn total(&self) -> u64 {
        self.allowed + self.denied + self.timeout + self.error + self.unknown
    }
}

/// Counts over denied invocations only; `both` is the overlap of the two mismatches and
/// `token_missing` is a subset of `token_mismatch`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Denials {
    pub ip_mismatch: u64,
    pub token_mismatch: u64,
    pub both: u64,
    pub token_missing: u64,
}

/// Exact statistics over REPORT durations (nearest-rank percentiles over every value).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DurationStats {
    pub count: u64,
    pub min: Option<f64>,
    pub avg: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BilledStats {
    pub sum: u64,
    pub avg: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MemoryStats {
    /// Configured memory size (the largest seen, when it changed within the window).
    pub size: Option<u64>,
    pub max_used_max: Option<u64>,
    pub max_used_avg: Option<f64>,
    /// `max_used_max / size` in percent.
    pub utilization_pct: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColdStarts {
    /// Invocations served by a new execution environment: init, SnapStart restore, or an init retried in the invoke.
    pub count: u64,
    /// Of `count`, SnapStart restores.
    pub restores: u64,
    pub init_duration_ms: InitDuration,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InitDuration {
    pub avg: Option<f64>,
    pub max: Option<f64>,
}

/// Lambda cost of the authorizer itself (requests + GB-seconds of billed duration).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cost {
    pub gb_seconds: f64,
    pub usd_per_gb_second: f64,
    pub usd_per_million_requests: f64,
    pub compute_usd: f64,
    pub requests_usd: f64,
    pub total_usd: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeniedIp {
    pub ip: String,
    pub count: u64,
    pub ip_mismatch: u64,
    pub token_mismatch: u64,
}

/// Allowed vs denied per time bucket, for the small bar chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub bucket_seconds: u64,
    pub buckets: Vec<TimelineBucket>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TimelineBucket {
    /// RFC 3339 UTC start of the bucket.
    pub start: String,
    pub allowed: u64,
    pub denied: u64,
    /// Timeouts, errors and unknown.
    pub other: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable machine name, e.g. `secret_logged`, `token_guessing`.
    pub kind: &'static str,
    pub severity: Severity,
    /// One sentence for a human; never holds a token.
    pub message: String,
    pub count: u64,
}

/// One invocation as `--requests` prints it. Tokens are already masked unless the user asked.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RequestRow {
    pub request_id: String,
    /// RFC 3339 UTC of the first event of the invocation.
    pub time: Option<String>,
    pub stream: String,
    /// allowed | denied | timeout | error | unknown
    pub decision: &'static str,
    /// `ip_mismatch`, `token_mismatch`, `token_missing`, joined by `+` in CSV.
    pub reasons: Vec<&'static str>,
    pub source_ip: Option<String>,
    pub token: Option<String>,
    pub duration_ms: Option<f64>,
    pub billed_duration_ms: Option<u64>,
    pub memory_size_mb: Option<u64>,
    pub max_memory_used_mb: Option<u64>,
    pub init_duration_ms: Option<f64>,
    pub incomplete: bool,
}
