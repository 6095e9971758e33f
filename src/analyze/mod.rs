//! Folds invocations into a `Report` with streaming aggregates: exact counts, exact percentiles, capped maps.

use std::collections::BTreeMap;

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::decision::{received_token, source_ip, Decision, Verdict};
use crate::group::Invocation;
use crate::i18n::Lang;
use crate::patterns::display_ip;
use crate::redact::{token_is_missing, TokenDisplay};
use crate::report::InputError;
use crate::report::*;
use crate::timeutil::format_rfc3339_ms;

pub(crate) mod findings;
mod server;

pub use findings::merge_findings;
pub use server::{merge_span, span, IpTotals, ServerTotals};

/// Lambda x86 on-demand prices (us-east-1, first tier); override with `--price-*`.
pub const DEFAULT_USD_PER_GB_SECOND: f64 = 0.000_016_666_7;
pub const DEFAULT_USD_PER_MILLION_REQUESTS: f64 = 0.20;
/// Distinct denied IPs kept for the top list; beyond this the list is marked inexact.
const MAX_TRACKED_IPS: usize = 200_000;
/// IPs kept for the token-leak finding.
const MAX_LEAK_IPS: usize = 1_000;
/// The IP of a request that logged none, in the top denied IPs and the findings.
const UNKNOWN_IP: &str = "(unknown)";

/// Prices for the cost estimate, the token-guessing threshold, and the findings' language.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzeConfig {
    /// Lambda price per GB-second.
    pub usd_per_gb_second: f64,
    /// Lambda price per million requests.
    pub usd_per_million_requests: f64,
    /// An IP is guessing tokens when it sends this many token mismatches (or distinct wrong
    /// tokens) within `guess_window_ms`.
    pub guess_threshold: usize,
    /// The sliding window of the guessing rule.
    pub guess_window_ms: i64,
    /// The language of the findings' messages and advice.
    pub lang: Lang,
    /// How a logged IP value that is no IP token (it may hold a token) is shown in the top
    /// denied IPs and the findings: masked, or as logged with `--show-tokens`.
    pub tokens: TokenDisplay,
}

impl Default for AnalyzeConfig {
    fn default() -> Self {
        AnalyzeConfig {
            usd_per_gb_second: DEFAULT_USD_PER_GB_SECOND,
            usd_per_million_requests: DEFAULT_USD_PER_MILLION_REQUESTS,
            guess_threshold: 5,
            guess_window_ms: 10 * 60_000,
            lang: Lang::En,
            tokens: TokenDisplay::Masked,
        }
    }
}

#[derive(Debug, Default)]
struct IpStat {
    count: u64,
    ip_mismatch: u64,
    token_mismatch: u64,
    /// Token mismatches by minute: the guessing window slides over these at the end, so the
    /// result does not depend on the order invocations arrive in (threads, slices).
    mismatch_minutes: BTreeMap<i64, MinuteStat>,
}

/// One IP's token mismatches within one minute.
#[derive(Debug, Default)]
struct MinuteStat {
    count: u64,
    first_ms: i64,
    last_ms: i64,
    /// Distinct wrong tokens, up to the guessing threshold (enough to decide).
    tokens: Vec<u64>,
}

/// Minutes of token mismatches kept per IP (a week); older ones are dropped.
const MAX_MINUTES_PER_IP: usize = 7 * 24 * 60;

/// The most token mismatches (and distinct wrong tokens) one IP sent within the window, and when.
#[derive(Debug, Clone, Copy, Default)]
struct Burst {
    mismatches: u64,
    distinct: usize,
    first_ms: i64,
    last_ms: i64,
}

/// The first and last time of what a finding concerns.
#[derive(Debug, Clone, Copy, Default)]
struct Span(Option<(i64, i64)>);

impl Span {
    fn saw(&mut self, t: Option<i64>) {
        if let Some(t) = t {
            self.0 = Some(self.0.map_or((t, t), |(f, l)| (f.min(t), l.max(t))));
        }
    }
}

/// When each invocation-based finding was seen.
#[derive(Debug, Clone, Copy, Default)]
struct Spans {
    secret_logged: Span,
    token_logged: Span,
    token_leak: Span,
    timeouts: Span,
    errors: Span,
    incomplete: Span,
}

/// What the sources and the grouper counted, handed to `Analyzer::finish`.
#[derive(Debug, Clone, Default)]
pub struct InputSummary {
    /// Counters of what was read.
    pub stats: InputStats,
    /// Damage found in the inputs.
    pub errors: Vec<InputError>,
    /// Inputs that gave (almost) nothing: the first [`MAX_INPUT_WARNINGS`](crate::report::MAX_INPUT_WARNINGS).
    pub warnings: Vec<InputWarning>,
    /// Inputs that gave (almost) nothing beyond those listed.
    pub warnings_omitted: u64,
    /// The requested window start (epoch ms).
    pub since_ms: Option<i64>,
    /// The requested window end (epoch ms).
    pub until_ms: Option<i64>,
    /// The first event seen inside the window (epoch ms).
    pub first_event_ms: Option<i64>,
    /// The last event seen inside the window (epoch ms).
    pub last_event_ms: Option<i64>,
    /// Inits that failed, counted by the grouper.
    pub init_failures: InitFailures,
    /// Invocations that ran a request id again, counted by the grouper.
    pub retries: u64,
}

/// Folds finished invocations into streaming aggregates; memory stays bounded by distinct values, not by invocations.
#[derive(Debug, Default)]
pub struct Analyzer {
    config: AnalyzeConfig,
    invocations: u64,
    decisions: Decisions,
    incomplete: u64,
    denials: Denials,
    /// Exact duration histogram: microseconds → count.
    durations: FxHashMap<u64, u64>,
    duration_sum_us: u128,
    /// Sums in u128: a u64 sum of u64 values can overflow (a REPORT may say anything).
    billed_sum_ms: u128,
    billed_count: u64,
    memory_size_max: Option<u64>,
    max_used_max: Option<u64>,
    max_used_sum: u128,
    max_used_count: u64,
    /// Sum of billed ms × memory MB, for GB-seconds.
    mb_ms: u128,
    cold: u64,
    restores: u64,
    init_sum_us: u128,
    init_count: u64,
    init_max_us: Option<u64>,
    denied_ips: FxHashMap<String, IpStat>,
    ips_exact: bool,
    /// Minute → (allowed, denied, other).
    minutes: BTreeMap<i64, [u64; 3]>,
    secret_logged: u64,
    token_logged: u64,
    allowed_ips: FxHashMap<String, u64>,
    allowed_tokens: FxHashSet<u64>,
    /// Invocations that presented the valid token from an IP that is not allowed, by IP.
    leaked_from: FxHashMap<String, u64>,
    token_leaks: u64,
    spans: Spans,
}

/// Tells tokens apart in memory; never printed (output masking uses SHA-256 in `redact`).
fn token_fingerprint(t: &str) -> u64 {
    FxBuildHasher.hash_one(t)
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Analyzer {
    /// An analyzer with nothing added.
    pub fn new(config: AnalyzeConfig) -> Analyzer {
        Analyzer {
            config,
            ips_exact: true,
            ..Default::default()
        }
    }

    /// Counts one finished invocation with its verdict.
    pub fn add(&mut self, inv: &Invocation, verdict: &Verdict) {
        self.invocations += 1;
        let d = &mut self.decisions;
        match verdict.decision {
            Decision::Allowed => d.allowed += 1,
            Decision::Denied => d.denied += 1,
            Decision::Timeout => d.timeout += 1,
            Decision::Error => d.error += 1,
            Decision::Unknown => d.unknown += 1,
        }
        let t = inv.first_ts.or(inv.last_ts);
        if !inv.is_complete() {
            self.incomplete += 1;
            self.spans.incomplete.saw(t);
        }
        match verdict.decision {
            Decision::Timeout => self.spans.timeouts.saw(t),
            Decision::Error => self.spans.errors.saw(t),
            _ => {}
        }
        let r = verdict.reasons;
        // The allowed token from an IP that is not allowed: the token is known outside.
        if r.ip_mismatch && !r.token_mismatch && received_token(inv).is_some_and(|t| !token_is_missing(t)) {
            self.token_leaks += 1;
            self.spans.token_leak.saw(t);
            let ip = source_ip(inv).unwrap_or(UNKNOWN_IP);
            if let Some(n) = self.leaked_from.get_mut(ip) {
                *n += 1;
            } else if self.leaked_from.len() < MAX_LEAK_IPS {
                self.leaked_from.insert(ip.to_string(), 1);
            }
        }
        if verdict.decision == Decision::Denied {
            self.denials.ip_mismatch += r.ip_mismatch as u64;
            self.denials.token_mismatch += r.token_mismatch as u64;
            self.denials.both += (r.ip_mismatch && r.token_mismatch) as u64;
            self.denials.token_missing += r.token_missing as u64;
            let ip = source_ip(inv).unwrap_or(UNKNOWN_IP);
            self.add_denied_ip(ip, inv, verdict);
        }
        if let Some(m) = &inv.report {
            if let Some(us) = m.duration_us {
                *self.durations.entry(us).or_insert(0) += 1;
                self.duration_sum_us += us as u128;
            }
            if let Some(b) = m.billed_ms {
                self.billed_sum_ms += u128::from(b);
                self.billed_count += 1;
                if let Some(size) = m.memory_size_mb {
                    // A product of two u64 fills a u128: the sum saturates (it is a float estimate anyway).
                    self.mb_ms = self.mb_ms.saturating_add(u128::from(b) * u128::from(size));
                }
            }
            if let Some(size) = m.memory_size_mb {
                self.memory_size_max = Some(self.memory_size_max.map_or(size, |s| s.max(size)));
            }
            if let Some(used) = m.max_memory_used_mb {
                self.max_used_max = Some(self.max_used_max.map_or(used, |s| s.max(used)));
                self.max_used_sum += u128::from(used);
                self.max_used_count += 1;
            }
        }
        if inv.cold_start {
            self.cold += 1;
            self.restores += inv.restore_duration_us.is_some() as u64;
            if let Some(us) = inv.init_duration_us {
                self.init_sum_us += us as u128;
                self.init_count += 1;
                self.init_max_us = Some(self.init_max_us.map_or(us, |m| m.max(us)));
            }
        }
        if let Some(t) = inv.first_ts.or(inv.last_ts) {
            let slot = match verdict.decision {
                Decision::Allowed => 0,
                Decision::Denied => 1,
                _ => 2,
            };
            self.minutes.entry(t.div_euclid(60_000)).or_insert([0; 3])[slot] += 1;
        }
        let a = &inv.auth;
        if a.allowed_token.as_deref().is_some_and(|t| !token_is_missing(t)) {
            self.secret_logged += 1;
            self.spans.secret_logged.saw(t);
        }
        if let Some(t) = a.allowed_token.as_deref() {
            if self.allowed_tokens.len() < 64 {
                self.allowed_tokens.insert(token_fingerprint(t));
            }
        }
        if received_token(inv).is_some_and(|t| !token_is_missing(t)) {
            self.token_logged += 1;
            self.spans.token_logged.saw(t);
        }
        let allowed_ip = a
            .allowed_ip
            .as_deref()
            .or(a.ip_mismatch.as_ref().map(|(_, al)| al.as_str()));
        if let Some(ip) = allowed_ip {
            if let Some(c) = self.allowed_ips.get_mut(ip) {
                *c += 1;
            } else if self.allowed_ips.len() < 64 {
                self.allowed_ips.insert(ip.to_string(), 1);
            }
        }
    }

    fn add_denied_ip(&mut self, ip: &str, inv: &Invocation, verdict: &Verdict) {
        if !self.denied_ips.contains_key(ip) {
            if self.denied_ips.len() >= MAX_TRACKED_IPS {
                self.ips_exact = false;
                return;
            }
            self.denied_ips.insert(ip.to_string(), IpStat::default());
        }
        let Some(s) = self.denied_ips.get_mut(ip) else { return };
        s.count += 1;
        s.ip_mismatch += verdict.reasons.ip_mismatch as u64;
        s.token_mismatch += verdict.reasons.token_mismatch as u64;
        let (Some(t), true) = (inv.first_ts.or(inv.last_ts), verdict.reasons.token_mismatch) else {
            return;
        };
        let token = received_token(inv).map_or(0, token_fingerprint);
        let threshold = self.config.guess_threshold.max(1);
        if s.mismatch_minutes.len() >= MAX_MINUTES_PER_IP && !s.mismatch_minutes.contains_key(&t.div_euclid(60_000)) {
            s.mismatch_minutes.pop_first();
        }
        let m = s
            .mismatch_minutes
            .entry(t.div_euclid(60_000))
            .or_insert_with(|| MinuteStat {
                first_ms: t,
                last_ms: t,
                ..MinuteStat::default()
            });
        m.count += 1;
        m.first_ms = m.first_ms.min(t);
        m.last_ms = m.last_ms.max(t);
        if m.tokens.len() < threshold && !m.tokens.contains(&token) {
            m.tokens.push(token);
        }
    }

    /// The worst burst of `ip`: the most token mismatches within the guessing window (whole
    /// minutes), when it reaches the threshold in mismatches or distinct wrong tokens.
    fn burst(&self, stat: &IpStat) -> Option<Burst> {
        let threshold = self.config.guess_threshold.max(1);
        let window_min = (self.config.guess_window_ms / 60_000).max(1);
        if stat.mismatch_minutes.values().map(|m| m.count).sum::<u64>() < threshold as u64 {
            return None;
        }
        let minutes: Vec<(&i64, &MinuteStat)> = stat.mismatch_minutes.iter().collect();
        let mut best: Option<Burst> = None;
        let mut end = 0;
        for start in 0..minutes.len() {
            end = end.max(start);
            while end + 1 < minutes.len() && *minutes[end + 1].0 < minutes[start].0.saturating_add(window_min) {
                end += 1;
            }
            let span = &minutes[start..=end];
            let mismatches: u64 = span.iter().map(|(_, m)| m.count).sum();
            let mut tokens: Vec<u64> = span.iter().flat_map(|(_, m)| m.tokens.iter().copied()).collect();
            tokens.sort_unstable();
            tokens.dedup();
            if mismatches < threshold as u64 && tokens.len() < threshold {
                continue;
            }
            let burst = Burst {
                mismatches,
                distinct: tokens.len(),
                first_ms: span.first().map_or(0, |(_, m)| m.first_ms),
                last_ms: span.last().map_or(0, |(_, m)| m.last_ms),
            };
            if best.is_none_or(|b| (burst.mismatches, burst.distinct) > (b.mismatches, b.distinct)) {
                best = Some(burst);
            }
        }
        best
    }

    /// The report of everything added so far; the analyzer goes on (for a live view).
    pub fn snapshot(&self, input: &InputSummary) -> Report {
        let duration_ms = self.duration_stats();
        let billed = BilledStats {
            sum: self.billed_sum_ms,
            avg: (self.billed_count > 0).then(|| round3(self.billed_sum_ms as f64 / self.billed_count as f64)),
        };
        let memory = MemoryStats {
            size: self.memory_size_max,
            max_used_max: self.max_used_max,
            max_used_avg: (self.max_used_count > 0)
                .then(|| round3(self.max_used_sum as f64 / self.max_used_count as f64)),
            utilization_pct: match (self.max_used_max, self.memory_size_max) {
                (Some(u), Some(s)) if s > 0 => Some((u as f64 * 1000.0 / s as f64).round() / 10.0),
                _ => None,
            },
        };
        let cold_starts = ColdStarts {
            count: self.cold,
            restores: self.restores,
            init_duration_ms: InitDuration {
                avg: (self.init_count > 0).then(|| round3(self.init_sum_us as f64 / self.init_count as f64 / 1000.0)),
                max: self.init_max_us.map(ms),
            },
        };
        let gb_seconds = self.mb_ms as f64 / 1024.0 / 1000.0;
        let compute_usd = gb_seconds * self.config.usd_per_gb_second;
        let requests_usd = self.invocations as f64 / 1e6 * self.config.usd_per_million_requests;
        let cost = Cost {
            gb_seconds: round_sig(gb_seconds),
            usd_per_gb_second: self.config.usd_per_gb_second,
            usd_per_million_requests: self.config.usd_per_million_requests,
            compute_usd: round_sig(compute_usd),
            requests_usd: round_sig(requests_usd),
            total_usd: round_sig(compute_usd + requests_usd),
        };
        let mut ips: Vec<(&String, &IpStat)> = self.denied_ips.iter().collect();
        ips.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        let top_denied_ips = ips
            .iter()
            .take(10)
            .map(|(ip, s)| DeniedIp {
                ip: self.shown_ip(ip),
                count: s.count,
                ip_mismatch: s.ip_mismatch,
                token_mismatch: s.token_mismatch,
            })
            .collect();
        let findings = self.findings(input, &duration_ms);
        let window = Window {
            start: input.since_ms.or(input.first_event_ms).map(format_rfc3339_ms),
            end: input.until_ms.or(input.last_event_ms).map(format_rfc3339_ms),
            first_event: input.first_event_ms.map(format_rfc3339_ms),
            last_event: input.last_event_ms.map(format_rfc3339_ms),
        };
        Report {
            schema: SCHEMA,
            window,
            complete: input.errors.is_empty(),
            input_errors: input.errors.clone(),
            input_warnings: input.warnings.clone(),
            input_warnings_omitted: input.warnings_omitted,
            input: input.stats.clone(),
            source: None,
            invocations: self.invocations,
            decisions: self.decisions.clone(),
            incomplete: self.incomplete,
            retries: input.retries,
            denials: self.denials.clone(),
            duration_ms,
            billed_duration_ms: billed,
            memory_mb: memory,
            cold_starts,
            init_failures: input.init_failures,
            cost,
            top_denied_ips,
            top_denied_ips_exact: self.ips_exact,
            timeline: timeline(&self.minutes),
            findings,
            callers: None,
        }
    }

    /// A source or allowed IP as the report shows it ([`display_ip`]: a value that is no IP
    /// token is masked like a token); `(unknown)`, which stands for no IP, as it is.
    fn shown_ip(&self, ip: &str) -> String {
        if ip == UNKNOWN_IP {
            return ip.to_string();
        }
        display_ip(ip, self.config.tokens).into_owned()
    }

    /// The final report: the end of the run.
    pub fn finish(self, input: InputSummary) -> Report {
        self.snapshot(&input)
    }

    fn duration_stats(&self) -> DurationStats {
        let count: u64 = self.durations.values().sum();
        if count == 0 {
            return DurationStats::default();
        }
        let mut values: Vec<(u64, u64)> = self.durations.iter().map(|(k, v)| (*k, *v)).collect();
        values.sort_unstable();
        // Nearest-rank percentile over every value seen.
        let pct = |p: u64| -> f64 {
            let rank = (p * count).div_ceil(100).max(1);
            let mut seen = 0;
            for (v, c) in &values {
                seen += c;
                if seen >= rank {
                    return ms(*v);
                }
            }
            ms(values.last().map_or(0, |v| v.0))
        };
        DurationStats {
            count,
            min: values.first().map(|v| ms(v.0)),
            avg: Some(round3(self.duration_sum_us as f64 / count as f64 / 1000.0)),
            p50: Some(pct(50)),
            p90: Some(pct(90)),
            p95: Some(pct(95)),
            p99: Some(pct(99)),
            max: values.last().map(|v| ms(v.0)),
            histogram: histogram(&values),
        }
    }
}

/// The 1-2-5 bins (ends in µs) over sorted `(µs, count)` values, from the first bin holding one to
/// the last; a value past every end (a REPORT may say anything) goes in the last bin.
fn histogram(values: &[(u64, u64)]) -> Vec<HistogramBin> {
    let (Some(&(lo, _)), Some(&(hi, _))) = (values.first(), values.last()) else {
        return Vec::new();
    };
    let mut ends: Vec<u64> = Vec::new();
    let mut decade: u64 = 10;
    // 10 µs up to the first end ≥ the largest value (or the largest u64 decade).
    'outer: loop {
        for m in [1, 2, 5] {
            let end = decade.saturating_mul(m);
            if end >= lo && ends.last().is_none_or(|l| *l < end) {
                ends.push(end);
            }
            if end >= hi || end == u64::MAX {
                break 'outer;
            }
        }
        if decade > u64::MAX / 10 {
            break;
        }
        decade *= 10;
    }
    let mut bins: Vec<HistogramBin> = ends
        .iter()
        .map(|&end| HistogramBin {
            le_us: end,
            le_ms: format_ms(end),
            count: 0,
        })
        .collect();
    let mut i = 0;
    for &(v, c) in values {
        while i + 1 < bins.len() && v > bins[i].le_us {
            i += 1;
        }
        bins[i].count += c;
    }
    bins
}

/// µs as exact ms text: 500 → `0.5`, 2000 → `2`.
fn format_ms(us: u64) -> String {
    let (whole, frac) = (us / 1000, us % 1000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// Rounds to 6 significant digits: costs are estimates, and noise digits only distract.
fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return 0.0;
    }
    let mag = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(5 - mag);
    (x * scale).round() / scale
}

const BUCKETS_S: [u64; 12] = [
    60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 604_800,
];

/// Beyond the round sizes, buckets are whole multiples of 30 days.
const MONTH_S: u64 = 2_592_000;

/// Buckets the timeline is cut into at most, whatever its span: 24, and one more when the first
/// and the last minute fall at the two ends of their buckets.
pub(crate) const MAX_TIMELINE_BUCKETS: usize = 25;

/// Re-bins the per-minute counts into at most 25 buckets of a round size.
fn timeline(minutes: &BTreeMap<i64, [u64; 3]>) -> Timeline {
    let (Some((&first, _)), Some((&last, _))) = (minutes.first_key_value(), minutes.last_key_value()) else {
        return Timeline::default();
    };
    // Minutes of an i64 of ms span at most 3.1e14, so these products stay far inside u64.
    let span_min = last.abs_diff(first) + 1;
    let size_s = BUCKETS_S
        .iter()
        .copied()
        .find(|s| span_min * 60 <= s * 24)
        .unwrap_or_else(|| span_min.div_ceil(24 * MONTH_S / 60) * MONTH_S);
    // span ≤ 24 buckets, so the first and last minute are at most 24 buckets apart.
    let size_min = i64::try_from(size_s / 60).unwrap_or(i64::MAX);
    let mut buckets: BTreeMap<i64, [u64; 3]> = BTreeMap::new();
    let start = first.div_euclid(size_min);
    let end = last.div_euclid(size_min);
    for b in start..=end {
        buckets.insert(b, [0; 3]);
    }
    debug_assert!(
        buckets.len() <= MAX_TIMELINE_BUCKETS,
        "{span_min} min in {size_s} s buckets"
    );
    for (m, c) in minutes {
        let e = buckets.entry(m.div_euclid(size_min)).or_insert([0; 3]);
        for i in 0..3 {
            e[i] += c[i];
        }
    }
    Timeline {
        bucket_seconds: size_s,
        buckets: buckets
            .into_iter()
            .map(|(b, c)| TimelineBucket {
                // The first bucket of the earliest minute starts before i64::MIN ms: saturate.
                start: format_rfc3339_ms(b.saturating_mul(size_min).saturating_mul(60_000)),
                allowed: c[0],
                denied: c[1],
                other: c[2],
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
