//! The report data model (`authlogs.report/v1`): what `analyze` produces and every renderer reads.

use serde::Serialize;

use crate::redact::escape_control;

/// The schema name and version of the JSON report; keys are added, never renamed.
pub const SCHEMA: &str = "authlogs.report/v1";

/// The inputs `input_warnings` lists at most: 100,000 small files of nothing would otherwise give
/// megabytes of stderr and JSON (and as much memory); the rest are counted.
pub const MAX_INPUT_WARNINGS: usize = 20;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One report: what `analyze` produces from the invocations of a window, and what every renderer reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The time window the report covers.
    pub window: Window,
    /// False when any input was damaged (see `input_errors`).
    pub complete: bool,
    /// Damage found in the inputs, each with its input and position.
    pub input_errors: Vec<InputError>,
    /// Inputs under 1 % of whose lines were recognized (see [`InputWarning`]): the first
    /// [`MAX_INPUT_WARNINGS`] of them.
    pub input_warnings: Vec<InputWarning>,
    /// How many more inputs gave (almost) nothing than `input_warnings` lists; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub input_warnings_omitted: u64,
    /// What was read and what could not be used.
    pub input: InputStats,
    /// Where the events came from, when not files (CloudWatch: groups and what fetching cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// Invocations rebuilt from the logs.
    pub invocations: u64,
    /// Invocations by decision.
    pub decisions: Decisions,
    /// Invocations without a REPORT line at end of input (still classified from what was seen).
    pub incomplete: u64,
    /// Of `invocations`, those that ran a request id again (START … REPORT of an id seen before:
    /// an asynchronous invocation Lambda retried, or a placeholder id several share); absent when
    /// none. `invocations` counts attempts, as Lambda bills them; `invocations - retries` is the
    /// distinct request ids.
    #[serde(skip_serializing_if = "is_zero")]
    pub retries: u64,
    /// Denied invocations by reason.
    pub denials: Denials,
    /// REPORT durations, exact.
    pub duration_ms: DurationStats,
    /// Billed durations.
    pub billed_duration_ms: BilledStats,
    /// Memory size and use.
    pub memory_mb: MemoryStats,
    /// Invocations served by a new execution environment.
    pub cold_starts: ColdStarts,
    /// Inits that failed (`INIT_REPORT … Status: error|timeout`), whatever invocation followed;
    /// absent when there were none.
    #[serde(skip_serializing_if = "InitFailures::is_empty")]
    pub init_failures: InitFailures,
    /// Lambda cost of the authorizer itself.
    pub cost: Cost,
    /// The source IPs denied most, with their reasons.
    pub top_denied_ips: Vec<DeniedIp>,
    /// False when more distinct denied IPs were seen than authlogs keeps (the list is then a lower bound).
    pub top_denied_ips_exact: bool,
    /// Allowed, denied and other invocations per time bucket.
    pub timeline: Timeline,
    /// What a security or operations team should look at.
    pub findings: Vec<Finding>,
    /// What API callers saw, from API Gateway access logs joined with the invocations (only with
    /// `--access-logs` or `--access-log-group`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callers: Option<Callers>,
}

/// Every API request of the access logs, classified by what answered it: a fresh decision of the
/// authorizer, a cached one, API Gateway itself (401), or a failure (500).
///
/// Each request is in exactly one of `fresh`, `cached`, `identity_missing`, `authorizer_failed`
/// and `other`: they sum to `requests`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Callers {
    /// How access-log requests were matched to invocations.
    pub join: Join,
    /// Access-log requests in the window.
    pub requests: u64,
    /// Requests by HTTP status, in status order.
    pub by_status: Vec<StatusCount>,
    /// Requests matched to an invocation of the authorizer (`fresh` plus the failures with one).
    pub authorizer_invoked: u64,
    /// Requests answered by a fresh decision (matched to an invocation).
    pub fresh: FreshDecisions,
    /// Requests answered from API Gateway's authorizer cache: no invocation, 2xx/3xx (allow) or 403 (deny).
    pub cached: CachedDecisions,
    /// 401 without an invocation: the identity source (the `Authorization` header) was missing or
    /// empty, so API Gateway refused the request before the authorizer ran.
    pub identity_missing: u64,
    /// 500s the authorizer caused: a matched invocation that timed out or failed, or an
    /// `authorizer.error` logged (invalid response, no permission to invoke it).
    pub authorizer_failed: u64,
    /// The `authorizer.error` texts of the failures, most frequent first (escaped, at most 10).
    pub authorizer_errors: Vec<ErrorCount>,
    /// Cached decisions made for another source IP than the caller's: the authorizer's IP check
    /// did not run for them.
    pub cached_other_ip: u64,
    /// Of `cached_other_ip`, the allows: callers let in without their IP being checked (the rest
    /// were refused by a deny made for another IP, whatever their own IP).
    pub cached_other_ip_allow: u64,
    /// How `cached_other_ip` was told: `authorizer_ip` (the `$context.authorizer.ip` the cached
    /// decision carries), `authorizer_request_id` (the request it was made for), `allowed_ip`
    /// (a cached allow from an IP the authorizer never allows), or `none` when nothing in the
    /// logs can tell.
    pub cached_other_ip_basis: &'static str,
    /// The caller IPs of those requests, most frequent first (at most 10).
    pub cached_other_ip_callers: Vec<IpCount>,
    /// Requests no rule explains (404 on an unknown route, 429, an integration's 5xx without
    /// an allow to match, …), by status in `by_status` too.
    pub other: u64,
    /// Invocations in the window that no access-log request accounts for (the access log is
    /// incomplete, or the authorizer was invoked another way, such as a console test).
    pub unmatched_invocations: u64,
    /// Lines of the access-log inputs that were not access-log records.
    pub unreadable_records: u64,
    /// Records whose time is outside the report's window (`--since`/`--until`, else within an
    /// hour of the invocations: the authorizer cache's longest TTL), skipped as the
    /// authorizer's events outside the window are.
    #[serde(skip_serializing_if = "is_zero")]
    pub filtered_records: u64,
    /// Records repeating the request id of one read before (an input read twice): each request
    /// is counted once.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicate_records: u64,
    /// Where the first unreadable record was, and why: `<input>, line <n>: <why>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_unreadable_record: Option<String>,
}

/// How the requests were joined to the invocations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Join {
    /// `request_id` (the authorizer logs the API request id: exact), `ip_time` (source IP, and
    /// START within `window_ms` after the request arrived), `request_id+ip_time` (both, for
    /// different requests), or `none` (nothing was matched).
    pub method: &'static str,
    /// How long after a request arrived its invocation may start, for the IP/time join.
    pub window_ms: u64,
    /// Requests matched exactly by request id.
    pub by_request_id: u64,
    /// Requests matched by source IP and time.
    pub by_ip_time: u64,
    /// Invocations matched by IP and time while another unmatched request of the same IP fitted
    /// too: the latest was taken, so the pairing (not the counts by class) may be off.
    pub ambiguous: u64,
    /// Requests without a time or a source IP, which only an exact join can match.
    pub without_ip_or_time: u64,
}

/// Requests answered by a fresh decision of the authorizer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FreshDecisions {
    /// The invocation allowed.
    pub allow: u64,
    /// The invocation denied (the caller got 403).
    pub deny: u64,
    /// The invocation's decision could not be told (its lines are incomplete).
    pub unknown: u64,
}

/// Requests answered from API Gateway's authorizer cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CachedDecisions {
    /// Allowed (2xx, 3xx, or a later failure behind the allow).
    pub allow: u64,
    /// Denied (403).
    pub deny: u64,
}

/// Requests with one HTTP status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// The HTTP status; 0 when the record had none.
    pub status: u16,
    /// Requests with it.
    pub count: u64,
}

/// How often one error text was logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCount {
    /// The text as logged (control characters escaped, at most 200 characters).
    pub error: String,
    /// Requests with it.
    pub count: u64,
}

/// How often one IP was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpCount {
    /// The IP as logged (control characters escaped).
    pub ip: String,
    /// Requests from it.
    pub count: u64,
}

/// The window of a report: requested bounds and the events actually seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Window {
    /// RFC 3339 UTC; the requested `--since` when given, else the first event seen.
    pub start: Option<String>,
    /// RFC 3339 UTC; the requested `--until` when given, else the last event seen.
    pub end: Option<String>,
    /// RFC 3339 UTC of the first event inside the window.
    pub first_event: Option<String>,
    /// RFC 3339 UTC of the last event inside the window.
    pub last_event: Option<String>,
}

/// What the sources read and what could not be used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputStats {
    /// Events read (each a log line or a multi-line message).
    pub events: u64,
    /// Lines that matched no Lambda or authorizer shape (tracebacks, print() output, noise).
    pub unrecognized_lines: u64,
    /// Lines that were not valid UTF-8 and were decoded lossily.
    pub invalid_utf8_lines: u64,
    /// Lines (or events) longer than `--max-line-bytes`: their heads were read, the rest skipped.
    pub oversized_lines: u64,
    /// Where the first of them began: `<input>, byte <n>` (of the decompressed text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_oversized_line: Option<String>,
    /// Events outside `--since`/`--until`, skipped.
    pub filtered_events: u64,
    /// Lines for a request that had already been reported (arrived after the grace window).
    pub late_lines: u64,
    /// Values over their cap (4 KiB; an IP 256 bytes), kept as their head, length and SHA-256.
    #[serde(skip_serializing_if = "is_zero")]
    pub values_cut: u64,
    /// Requests emitted before their end because open requests held the memory budget's share.
    #[serde(skip_serializing_if = "is_zero")]
    pub requests_closed_early: u64,
    /// START lines of an attempt that had its START: repeated at the time of its first line (an
    /// input holding its lines twice) or while it ran. They begin no invocation.
    #[serde(skip_serializing_if = "is_zero")]
    pub repeated_starts: u64,
}

/// An input that gave (almost) nothing: under 1 % of its lines were recognized, so its
/// invocations are missing from the report. Explained, never silently empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputWarning {
    /// The file path, or `-` for standard input.
    pub input: String,
    /// The container it was read as (`--input-format` name).
    pub container: &'static str,
    /// Events read from it.
    pub events: u64,
    /// Of them, lines recognized as Lambda or authorizer lines.
    pub recognized: u64,
    /// Up to two unrecognized lines, control characters escaped, cut at 120 characters.
    pub samples: Vec<String>,
    /// What to try.
    pub hint: String,
}

/// The live source of a report and its cost: every API call made, retries and throttled answers included.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceInfo {
    /// `cloudwatch`.
    pub kind: &'static str,
    /// `local`: every event was downloaded and analyzed here; `insights`: CloudWatch Logs
    /// Insights computed the report (see `approximate`).
    pub engine: &'static str,
    /// What in this report is not exact, each `field: why`; empty when all of it is.
    pub approximate: Vec<String>,
    /// The log groups read.
    pub groups: Vec<String>,
    /// Requests sent, retries included.
    pub api_calls: u64,
    /// Events received, after de-duplication by event id.
    pub events: u64,
    /// Answers that were ThrottlingException (or HTTP 429).
    pub throttled: u64,
    /// Requests sent again after a retryable failure.
    pub retries: u64,
    /// What the Logs Insights queries scanned and cost (the `insights` engine only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanInfo>,
}

/// What the Logs Insights queries of a report scanned, and what that cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanInfo {
    /// Queries that completed (a slice split after a timeout counts each half).
    pub queries: u64,
    /// Bytes scanned, summed over the queries (each query scans the window once).
    pub bytes_scanned: u64,
    /// Log events scanned, summed over the queries.
    pub records_scanned: u64,
    /// Log events that matched a query's filter, summed over the queries.
    pub records_matched: u64,
    /// The price used per GB scanned.
    pub usd_per_gb_scanned: f64,
    /// Bytes scanned × the price.
    pub estimated_cost_usd: f64,
}

/// Invocations by decision; each invocation has exactly one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decisions {
    /// All four `[INFO]` values present and matching.
    pub allowed: u64,
    /// Mismatch evidence: an `[ERROR]` line, or values that differ.
    pub denied: u64,
    /// REPORT `Status: timeout` or a `Task timed out` line.
    pub timeout: u64,
    /// REPORT `Status: error`, an unhandled exception or a runtime crash.
    pub error: u64,
    /// None of the evidence above (e.g. the log starts mid-request).
    pub unknown: u64,
}

impl Decisions {
    /// The sum of every decision: the invocations.
    pub fn total(&self) -> u64 {
        self.allowed + self.denied + self.timeout + self.error + self.unknown
    }
}

/// Counts over denied invocations only; `both` is the overlap of the two mismatches and
/// `token_missing` is a subset of `token_mismatch`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Denials {
    /// Denied invocations whose source IP was not the allowed one.
    pub ip_mismatch: u64,
    /// Denied invocations whose token was not the allowed one (missing included).
    pub token_mismatch: u64,
    /// Denied invocations with both mismatches.
    pub both: u64,
    /// Denied invocations that sent no token (part of `token_mismatch`).
    pub token_missing: u64,
}

/// Exact statistics over REPORT durations (nearest-rank percentiles over every value).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DurationStats {
    /// REPORT lines with a duration.
    pub count: u64,
    /// Shortest, in ms.
    pub min: Option<f64>,
    /// Mean, in ms.
    pub avg: Option<f64>,
    /// Median (nearest rank), in ms.
    pub p50: Option<f64>,
    /// 90th percentile (nearest rank), in ms.
    pub p90: Option<f64>,
    /// 95th percentile (nearest rank), in ms.
    pub p95: Option<f64>,
    /// 99th percentile (nearest rank), in ms.
    pub p99: Option<f64>,
    /// Longest, in ms.
    pub max: Option<f64>,
    /// Durations by bin, from the first bin holding one to the last: bins end at 1, 2 and 5 times
    /// a power of ten ms (…, 1, 2, 5, 10, 20 …), each holding durations above the previous end.
    pub histogram: Vec<HistogramBin>,
}

/// One bin of the duration histogram.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistogramBin {
    /// The bin's upper end, in µs (`le_ms` × 1000): durations above the previous bin's end and at most this.
    #[serde(skip)]
    pub le_us: u64,
    /// The upper end, in ms, as text (`0.5`, `2`, `1000`): exact, unlike a float.
    pub le_ms: String,
    /// Durations in the bin.
    pub count: u64,
}

/// Billed duration over the REPORT lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BilledStats {
    /// Total billed ms (u128: a sum of u64 values).
    pub sum: u128,
    /// Mean billed ms.
    pub avg: Option<f64>,
}

/// Memory size and the most memory used, in MB.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MemoryStats {
    /// Configured memory size (the largest seen, when it changed within the window).
    pub size: Option<u64>,
    /// The largest `Max Memory Used`.
    pub max_used_max: Option<u64>,
    /// The mean `Max Memory Used`.
    pub max_used_avg: Option<f64>,
    /// `max_used_max / size` in percent.
    pub utilization_pct: Option<f64>,
}

/// Invocations served by a new execution environment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColdStarts {
    /// Invocations served by a new execution environment: init, SnapStart restore, or an init retried in the invoke.
    pub count: u64,
    /// Of `count`, SnapStart restores.
    pub restores: u64,
    /// Init Duration of the cold starts, in ms.
    pub init_duration_ms: InitDuration,
}

/// Inits that failed: `INIT_REPORT … Status: error` or `Status: timeout` (and JSON's
/// `platform.initReport`), in the init phase or retried inside an invoke. Each is a cold start that
/// served nothing until Lambda tried again, so they are counted apart from the invocations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InitFailures {
    /// Inits that ended in `Status: error`.
    pub errors: u64,
    /// Inits that ended in `Status: timeout`.
    pub timeouts: u64,
}

impl InitFailures {
    /// No init failed.
    pub fn is_empty(&self) -> bool {
        self.errors == 0 && self.timeouts == 0
    }

    /// Errors and timeouts.
    pub fn total(&self) -> u64 {
        self.errors + self.timeouts
    }
}

/// Init Duration statistics, in ms.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InitDuration {
    /// Mean.
    pub avg: Option<f64>,
    /// Longest.
    pub max: Option<f64>,
}

/// Lambda cost of the authorizer itself (requests + GB-seconds of billed duration).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Billed duration × memory size, in GB-seconds.
    pub gb_seconds: f64,
    /// The price used per GB-second.
    pub usd_per_gb_second: f64,
    /// The price used per million requests.
    pub usd_per_million_requests: f64,
    /// GB-seconds × their price.
    pub compute_usd: f64,
    /// Invocations × the request price.
    pub requests_usd: f64,
    /// Compute plus requests.
    pub total_usd: f64,
}

/// One source IP among the most denied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeniedIp {
    /// The source IP as logged (control characters escaped).
    pub ip: String,
    /// Denied invocations from it.
    pub count: u64,
    /// Of those, with an IP mismatch.
    pub ip_mismatch: u64,
    /// Of those, with a token mismatch.
    pub token_mismatch: u64,
}

/// Allowed vs denied per time bucket, for the small bar chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The width of every bucket.
    pub bucket_seconds: u64,
    /// The buckets in time order.
    pub buckets: Vec<TimelineBucket>,
}

/// One bucket of the timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TimelineBucket {
    /// RFC 3339 UTC start of the bucket.
    pub start: String,
    /// Allowed invocations that started in it.
    pub allowed: u64,
    /// Denied invocations that started in it.
    pub denied: u64,
    /// Timeouts, errors and unknown.
    pub other: u64,
}

/// How urgent a finding is, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Act now: a secret is exposed or an attack is likely.
    High,
    /// Callers are affected.
    Medium,
    /// Worth a look.
    Low,
    /// For information.
    Info,
}

impl Severity {
    /// The lowercase name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

/// One finding: a kind, how urgent, what was seen, how often, when, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable machine name, e.g. `secret_logged`, `token_guessing`.
    pub kind: &'static str,
    /// How urgent.
    pub severity: Severity,
    /// What was seen, one sentence; never holds a token.
    pub message: String,
    /// How many invocations, IPs or lines it concerns.
    pub count: u64,
    /// RFC 3339 UTC of the first invocation it concerns, when it concerns invocations.
    pub first: Option<String>,
    /// RFC 3339 UTC of the last one.
    pub last: Option<String>,
    /// What to do about it; never holds a token.
    pub advice: String,
}

impl Finding {
    /// A finding without a time span.
    pub fn new(kind: &'static str, severity: Severity, count: u64, message: String, advice: &str) -> Finding {
        Finding {
            kind,
            severity,
            message,
            count,
            first: None,
            last: None,
            advice: advice.to_string(),
        }
    }

    /// The same finding, between two epoch-ms times.
    pub fn between(mut self, span: Option<(i64, i64)>) -> Finding {
        if let Some((first, last)) = span {
            self.first = Some(crate::timeutil::format_rfc3339_ms(first));
            self.last = Some(crate::timeutil::format_rfc3339_ms(last));
        }
        self
    }
}

/// One invocation as `--requests` prints it. Tokens are already masked unless the user asked.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RequestRow {
    /// The RequestId.
    pub request_id: String,
    /// RFC 3339 UTC of the first event of the invocation.
    pub time: Option<String>,
    /// The log stream, empty when the input names none.
    pub stream: String,
    /// allowed | denied | timeout | error | unknown
    pub decision: &'static str,
    /// `ip_mismatch`, `token_mismatch`, `token_missing`, joined by `+` in CSV.
    pub reasons: Vec<&'static str>,
    /// The caller's source IP as logged.
    pub source_ip: Option<String>,
    /// The token sent: masked (`tok:` + 8 hex digits) unless revealed.
    pub token: Option<String>,
    /// REPORT Duration.
    pub duration_ms: Option<f64>,
    /// REPORT Billed Duration.
    pub billed_duration_ms: Option<u64>,
    /// REPORT Memory Size.
    pub memory_size_mb: Option<u64>,
    /// REPORT Max Memory Used.
    pub max_memory_used_mb: Option<u64>,
    /// Init Duration of a cold start.
    pub init_duration_ms: Option<f64>,
    /// No REPORT line was seen.
    pub incomplete: bool,
}

/// Damage found in one input: which input, where, and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputError {
    /// The file path, or `-` for standard input.
    pub input: String,
    /// Human-readable position, e.g. `line 12`, `byte 40960 (compressed)`.
    pub position: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The input's name and the message may hold anything a file name or a log can: escaped.
        write!(
            f,
            "{}: {}: {}",
            escape_control(&self.input),
            escape_control(&self.position),
            escape_control(&self.message)
        )
    }
}
