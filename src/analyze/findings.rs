//! The findings: what a security or operations team should act on, derived from the aggregates,
//! each with its severity, count, first and last time, and advice. No finding holds a token.

use std::net::IpAddr;

use super::{Analyzer, Burst, InputSummary};
use crate::redact::escape_control;
use crate::report::{DurationStats, Finding, Severity};
use crate::timeutil::format_rfc3339_ms;

/// Memory used at or below this share of the memory size is over-provisioned.
const OVERPROVISIONED_PCT: u64 = 40;
/// The smallest memory size worth suggesting, and the step sizes are rounded to.
const MIN_MEMORY_MB: u64 = 128;
const MEMORY_STEP_MB: u64 = 64;
/// IPs named in a message; the rest are counted.
const NAMED_IPS: usize = 5;

impl Analyzer {
    pub(super) fn findings(&self, input: &InputSummary, durations: &DurationStats) -> Vec<Finding> {
        let mut f = Vec::new();
        if self.secret_logged > 0 {
            f.push(
                Finding::new(
                    "secret_logged",
                    Severity::High,
                    self.secret_logged,
                    "The authorizer writes ALLOWED_TOKEN to its logs: anyone who can read them can call the API."
                        .into(),
                    "Remove the 'Allowed Token' log line and rotate the token.",
                )
                .between(self.spans.secret_logged.0),
            );
        }
        if self.token_leaks > 0 {
            let mut ips: Vec<(&String, &u64)> = self.leaked_from.iter().collect();
            ips.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            f.push(
                Finding::new(
                    "token_leak_suspected",
                    Severity::High,
                    self.token_leaks,
                    format!(
                        "The valid token was presented from {} IP(s) that are not allowed, so it is known outside: {}",
                        self.leaked_from.len(),
                        named(
                            ips.iter().map(|(ip, n)| format!("{} ({n}×)", escape_control(ip))),
                            ips.len()
                        )
                    ),
                    "Rotate the token now, and find out how it left (logs, a client, a repository).",
                )
                .between(self.spans.token_leak.0),
            );
        }
        let mut invalid: Vec<(&String, &u64)> = self
            .allowed_ips
            .iter()
            .filter(|(ip, _)| ip.parse::<IpAddr>().is_err())
            .collect();
        invalid.sort();
        for (ip, n) in invalid {
            f.push(Finding::new(
                "invalid_allowed_ip",
                Severity::High,
                *n,
                format!(
                    "ALLOWED_IP '{}' is not a valid IP address: no caller can pass the IP check.",
                    escape_control(ip)
                ),
                "Fix the function's ALLOWED_IP environment variable.",
            ));
        }
        if let Some(finding) = self.guessing_finding() {
            f.push(finding);
        }
        if self.decisions.timeout > 0 {
            f.push(
                Finding::new(
                    "timeouts",
                    Severity::Medium,
                    self.decisions.timeout,
                    "Authorizer invocations timed out: API Gateway answered those callers with 500, not 403.".into(),
                    "Find the slow call (the REPORT durations say how close the others come) or raise the timeout.",
                )
                .between(self.spans.timeouts.0),
            );
        }
        if self.decisions.error > 0 {
            f.push(
                Finding::new(
                    "errors",
                    Severity::Medium,
                    self.decisions.error,
                    "Authorizer invocations failed (unhandled exception or runtime error): API Gateway answered 500."
                        .into(),
                    "Read the failing invocations (authlogs report --requests) and fix the handler.",
                )
                .between(self.spans.errors.0),
            );
        }
        if self.token_logged > 0 {
            f.push(
                Finding::new(
                    "token_logged",
                    Severity::Medium,
                    self.token_logged,
                    "Callers' Authorization tokens are written to the logs in plain text.".into(),
                    "Log a hash of the token, or nothing.",
                )
                .between(self.spans.token_logged.0),
            );
        }
        if let (Some(used), Some(size)) = (self.max_used_max, self.memory_size_max) {
            // In u128: memory sizes come from REPORT lines and may be anything up to u64::MAX.
            if size > 0 && u128::from(used) * 10 >= u128::from(size) * 9 {
                f.push(Finding::new(
                    "memory_pressure",
                    Severity::Medium,
                    1,
                    format!("Max memory used reached {used} MB of {size} MB: out-of-memory failures are close."),
                    "Raise the memory size, or find what holds memory between invocations.",
                ));
            }
        }
        if let Some(finding) = self.overprovisioned(input) {
            f.push(finding);
        }
        if self.allowed_ips.len() > 1 {
            f.push(Finding::new(
                "allowed_ip_changed",
                Severity::Info,
                self.allowed_ips.len() as u64,
                format!(
                    "ALLOWED_IP changed within the window ({} distinct values).",
                    self.allowed_ips.len()
                ),
                "Check that the change was intended.",
            ));
        }
        if self.allowed_tokens.len() > 1 {
            f.push(Finding::new(
                "allowed_token_changed",
                Severity::Info,
                self.allowed_tokens.len() as u64,
                format!(
                    "ALLOWED_TOKEN changed within the window ({} distinct values).",
                    self.allowed_tokens.len()
                ),
                "Check that the rotation was intended, and that callers moved to the new token.",
            ));
        }
        if let Some(p99) = durations.p99 {
            if p99 >= 1000.0 {
                f.push(Finding::new(
                    "slow_authorizer",
                    Severity::Low,
                    1,
                    format!("p99 duration is {p99:.2} ms: every API call waits for the authorizer."),
                    "Cache the decision in API Gateway (authorizer result TTL), or make the slow path faster.",
                ));
            }
        }
        if self.incomplete > 0 {
            f.push(
                Finding::new(
                    "incomplete_invocations",
                    Severity::Info,
                    self.incomplete,
                    "Invocations without a REPORT line (the logs start or end mid-request, or lines are missing)."
                        .into(),
                    "Widen the window, or check that no filter drops START/REPORT lines.",
                )
                .between(self.spans.incomplete.0),
            );
        }
        let s = &input.stats;
        if s.invalid_utf8_lines > 0 {
            f.push(Finding::new(
                "invalid_utf8",
                Severity::Low,
                s.invalid_utf8_lines,
                "Lines were not valid UTF-8 and were decoded with replacement characters.".into(),
                "Check how the logs were exported or converted.",
            ));
        }
        if s.oversized_lines > 0 {
            let first = s.first_oversized_line.as_deref().unwrap_or("an input");
            f.push(Finding::new(
                "oversized_lines",
                Severity::Low,
                s.oversized_lines,
                format!(
                    "Lines longer than --max-line-bytes were cut (the first at {first}): their heads were read, the rest skipped."
                ),
                "CloudWatch events are at most 1 MB: a longer line is not a Lambda log line. Check the input, or raise --max-line-bytes.",
            ));
        }
        if s.late_lines > 0 {
            f.push(Finding::new(
                "late_lines",
                Severity::Low,
                s.late_lines,
                "Lines arrived long after their request's REPORT and were not applied to it.".into(),
                "Read the inputs in time order, or in fewer parts.",
            ));
        }
        if s.unrecognized_lines > 0 {
            f.push(Finding::new(
                "unrecognized_lines",
                Severity::Info,
                s.unrecognized_lines,
                "Lines matched no Lambda or authorizer shape (tracebacks, print() output, other text).".into(),
                "If the authorizer's own messages are among them, teach their wording with --patterns.",
            ));
        }
        f.sort_by_key(|x| x.severity);
        f
    }

    /// IPs that sent `guess_threshold` token mismatches (or distinct wrong tokens) within the
    /// sliding window: brute force, not clients rotating tokens over a day.
    fn guessing_finding(&self) -> Option<Finding> {
        let mut bursts: Vec<(&String, Burst)> = self
            .denied_ips
            .iter()
            .filter_map(|(ip, s)| Some((ip, self.burst(s)?)))
            .collect();
        if bursts.is_empty() {
            return None;
        }
        bursts.sort_by(|a, b| {
            (b.1.mismatches, b.1.distinct)
                .cmp(&(a.1.mismatches, a.1.distinct))
                .then_with(|| a.0.cmp(b.0))
        });
        let window_min = self.config.guess_window_ms / 60_000;
        let shown = bursts.iter().map(|(ip, b)| {
            format!(
                "{} ({} mismatches, {} different tokens, {} → {})",
                escape_control(ip),
                b.mismatches,
                b.distinct,
                format_rfc3339_ms(b.first_ms),
                format_rfc3339_ms(b.last_ms)
            )
        });
        let first = bursts.iter().map(|(_, b)| b.first_ms).min();
        let last = bursts.iter().map(|(_, b)| b.last_ms).max();
        Some(
            Finding::new(
                "token_guessing",
                Severity::High,
                bursts.len() as u64,
                format!(
                    "{} source IP(s) sent {} or more wrong tokens within {window_min} min (whole minutes), a sign of token guessing: {}",
                    bursts.len(),
                    self.config.guess_threshold,
                    named(shown, bursts.len())
                ),
                "Block these addresses (WAF, resource policy), and make sure the token is long and random.",
            )
            .between(first.zip(last)),
        )
    }

    /// Memory far above what the function uses: what the difference costs a month at this
    /// window's rate of invocations.
    fn overprovisioned(&self, input: &InputSummary) -> Option<Finding> {
        let (used, size) = (self.max_used_max?, self.memory_size_max?);
        if size <= MIN_MEMORY_MB || u128::from(used) * 100 > u128::from(size) * u128::from(OVERPROVISIONED_PCT) {
            return None;
        }
        // Twice the most used, rounded up to a step: headroom for a heavier request. (`used` is
        // at most 40% of `size` here, so this stays below `size`.)
        let suggested = used
            .saturating_mul(2)
            .div_ceil(MEMORY_STEP_MB)
            .max(1)
            .saturating_mul(MEMORY_STEP_MB);
        let suggested = suggested.max(MIN_MEMORY_MB);
        if suggested >= size {
            return None;
        }
        let start = input.since_ms.or(input.first_event_ms)?;
        let end = input.until_ms.or(input.last_event_ms)?;
        let window_s = ((end as f64 - start as f64) / 1000.0).max(1.0);
        let billed_avg_s = self.billed_sum_ms as f64 / self.billed_count.max(1) as f64 / 1000.0;
        let per_month = self.invocations as f64 / window_s * 30.0 * 86_400.0;
        let saved_gb_s = (size - suggested) as f64 / 1024.0 * billed_avg_s * per_month;
        let usd = saved_gb_s * self.config.usd_per_gb_second;
        Some(Finding::new(
            "memory_overprovisioned",
            Severity::Info,
            1,
            format!(
                "Max memory used is {used} MB of {size} MB ({:.1}%).",
                used as f64 * 100.0 / size as f64
            ),
            &format!(
                "{suggested} MB would still leave twice the most used, and save about ${usd:.2} a month at this window's rate \
                 ({per_month:.0} invocations a month); Lambda gives CPU in proportion to memory, so check the durations after the change."
            ),
        ))
    }
}

/// The first few items, then how many more.
fn named(items: impl Iterator<Item = String>, total: usize) -> String {
    let mut text: Vec<String> = items.take(NAMED_IPS).collect();
    if total > NAMED_IPS {
        text.push(format!("and {} more", total - NAMED_IPS));
    }
    text.join(", ")
}
