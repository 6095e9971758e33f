//! The findings: what a security or operations team should act on, derived from the aggregates,
//! each with its severity, count, first and last time, and advice. No finding holds a token. The
//! texts are in `src/i18n.rs`, in the language `AnalyzeConfig::lang` asks for.

use std::net::IpAddr;

use super::{Analyzer, Burst, InputSummary};
use crate::i18n::{fill, FindingTexts};
use crate::report::{DurationStats, Finding, Severity};
use crate::timeutil::format_rfc3339_ms;

/// Memory used at or below this share of the memory size is over-provisioned.
const OVERPROVISIONED_PCT: u64 = 40;
/// The smallest memory size worth suggesting, and the step sizes are rounded to.
const MIN_MEMORY_MB: u64 = 128;
const MEMORY_STEP_MB: u64 = 64;
/// IPs named in a message; the rest are counted.
const NAMED_IPS: usize = 5;

/// Most urgent first; equal severities keep the order they were found in.
fn order(findings: &mut [Finding]) {
    findings.sort_by_key(|x| x.severity);
}

/// Adds findings made beside the analyzer (the access-log join's) to a report's, in the
/// analyzer's order.
pub fn merge_findings(findings: &mut Vec<Finding>, more: Vec<Finding>) {
    findings.extend(more);
    order(findings);
}

impl Analyzer {
    pub(super) fn findings(&self, input: &InputSummary, durations: &DurationStats) -> Vec<Finding> {
        let t = self.config.lang.findings();
        let mut f = Vec::new();
        if self.secret_logged > 0 {
            f.push(
                Finding::new(
                    "secret_logged",
                    Severity::High,
                    self.secret_logged,
                    t.secret_logged_message.into(),
                    t.secret_logged_advice,
                )
                .between(self.spans.secret_logged.0),
            );
        }
        if self.token_leaks > 0 {
            let mut ips: Vec<(&String, &u64)> = self.leaked_from.iter().collect();
            ips.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let shown = ips
                .iter()
                .map(|(ip, n)| fill(t.ip_times, &[("ip", &self.shown_ip(ip)), ("count", n)]));
            let listed = named(t, shown, ips.len());
            f.push(
                Finding::new(
                    "token_leak_suspected",
                    Severity::High,
                    self.token_leaks,
                    fill(
                        t.token_leak_message,
                        &[("count", &self.leaked_from.len()), ("ips", &listed)],
                    ),
                    t.token_leak_advice,
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
                fill(t.invalid_allowed_ip_message, &[("ip", &self.shown_ip(ip))]),
                t.invalid_allowed_ip_advice,
            ));
        }
        if let Some(finding) = self.guessing_finding(t) {
            f.push(finding);
        }
        if self.decisions.timeout > 0 {
            f.push(
                Finding::new(
                    "timeouts",
                    Severity::Medium,
                    self.decisions.timeout,
                    t.timeouts_message.into(),
                    t.timeouts_advice,
                )
                .between(self.spans.timeouts.0),
            );
        }
        let init = input.init_failures;
        if !init.is_empty() {
            f.push(Finding::new(
                "init_failures",
                Severity::Medium,
                init.total(),
                fill(
                    t.init_failures_message,
                    &[("errors", &init.errors), ("timeouts", &init.timeouts)],
                ),
                t.init_failures_advice,
            ));
        }
        if self.decisions.error > 0 {
            f.push(
                Finding::new(
                    "errors",
                    Severity::Medium,
                    self.decisions.error,
                    t.errors_message.into(),
                    t.errors_advice,
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
                    t.token_logged_message.into(),
                    t.token_logged_advice,
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
                    fill(t.memory_pressure_message, &[("used", &used), ("size", &size)]),
                    t.memory_pressure_advice,
                ));
            }
        }
        if let Some(finding) = self.overprovisioned(input, t) {
            f.push(finding);
        }
        if self.allowed_ips.len() > 1 {
            f.push(Finding::new(
                "allowed_ip_changed",
                Severity::Info,
                self.allowed_ips.len() as u64,
                fill(t.allowed_ip_changed_message, &[("count", &self.allowed_ips.len())]),
                t.allowed_ip_changed_advice,
            ));
        }
        if self.allowed_tokens.len() > 1 {
            f.push(Finding::new(
                "allowed_token_changed",
                Severity::Info,
                self.allowed_tokens.len() as u64,
                fill(
                    t.allowed_token_changed_message,
                    &[("count", &self.allowed_tokens.len())],
                ),
                t.allowed_token_changed_advice,
            ));
        }
        if let Some(p99) = durations.p99 {
            if p99 >= 1000.0 {
                f.push(Finding::new(
                    "slow_authorizer",
                    Severity::Low,
                    1,
                    fill(t.slow_authorizer_message, &[("p99", &format_args!("{p99:.2}"))]),
                    t.slow_authorizer_advice,
                ));
            }
        }
        if self.incomplete > 0 {
            f.push(
                Finding::new(
                    "incomplete_invocations",
                    Severity::Info,
                    self.incomplete,
                    t.incomplete_invocations_message.into(),
                    t.incomplete_invocations_advice,
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
                t.invalid_utf8_message.into(),
                t.invalid_utf8_advice,
            ));
        }
        if s.oversized_lines > 0 {
            let first = s
                .first_oversized_line
                .as_deref()
                .unwrap_or(t.oversized_lines_unknown_input);
            f.push(Finding::new(
                "oversized_lines",
                Severity::Low,
                s.oversized_lines,
                fill(t.oversized_lines_message, &[("first", &first)]),
                t.oversized_lines_advice,
            ));
        }
        // Counts of what the input did to the reading, each a finding of its own when non-zero.
        let counted = [
            (
                "values_cut",
                Severity::Low,
                s.values_cut,
                t.values_cut_message,
                t.values_cut_advice,
            ),
            (
                "requests_closed_early",
                Severity::Low,
                s.requests_closed_early,
                t.requests_closed_early_message,
                t.requests_closed_early_advice,
            ),
            (
                "late_lines",
                Severity::Low,
                s.late_lines,
                t.late_lines_message,
                t.late_lines_advice,
            ),
            (
                "unrecognized_lines",
                Severity::Info,
                s.unrecognized_lines,
                t.unrecognized_lines_message,
                t.unrecognized_lines_advice,
            ),
        ];
        for (id, severity, count, message, advice) in counted {
            if count > 0 {
                f.push(Finding::new(id, severity, count, message.into(), advice));
            }
        }
        order(&mut f);
        f
    }

    /// IPs that sent `guess_threshold` token mismatches (or distinct wrong tokens) within the
    /// sliding window: brute force, not clients rotating tokens over a day.
    fn guessing_finding(&self, t: &FindingTexts) -> Option<Finding> {
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
            fill(
                t.token_guessing_ip,
                &[
                    ("ip", &self.shown_ip(ip)),
                    ("mismatches", &b.mismatches),
                    ("distinct", &b.distinct),
                    ("first", &format_rfc3339_ms(b.first_ms)),
                    ("last", &format_rfc3339_ms(b.last_ms)),
                ],
            )
        });
        let first = bursts.iter().map(|(_, b)| b.first_ms).min();
        let last = bursts.iter().map(|(_, b)| b.last_ms).max();
        Some(
            Finding::new(
                "token_guessing",
                Severity::High,
                bursts.len() as u64,
                fill(
                    t.token_guessing_message,
                    &[
                        ("count", &bursts.len()),
                        ("threshold", &self.config.guess_threshold),
                        ("minutes", &window_min),
                        ("ips", &named(t, shown, bursts.len())),
                    ],
                ),
                t.token_guessing_advice,
            )
            .between(first.zip(last)),
        )
    }

    /// Memory far above what the function uses: what the difference costs a month at this
    /// window's rate of invocations.
    fn overprovisioned(&self, input: &InputSummary, t: &FindingTexts) -> Option<Finding> {
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
            fill(
                t.memory_overprovisioned_message,
                &[
                    ("used", &used),
                    ("size", &size),
                    ("share", &format_args!("{:.1}", used as f64 * 100.0 / size as f64)),
                ],
            ),
            &fill(
                t.memory_overprovisioned_advice,
                &[
                    ("suggested", &suggested),
                    ("usd", &format_args!("{usd:.2}")),
                    ("per_month", &format_args!("{per_month:.0}")),
                ],
            ),
        ))
    }
}

/// The first few items, then how many more.
pub(crate) fn named(t: &FindingTexts, items: impl Iterator<Item = String>, total: usize) -> String {
    let mut text: Vec<String> = items.take(NAMED_IPS).collect();
    if total > NAMED_IPS {
        text.push(fill(t.and_more, &[("count", &(total - NAMED_IPS))]));
    }
    text.join(t.list_separator)
}
