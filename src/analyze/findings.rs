//! The findings: what a security or operations team should act on, derived from the aggregates.

use std::net::IpAddr;

use super::{Analyzer, InputSummary, IpStat, GUESSING_DISTINCT_TOKENS, MAX_TOKENS_PER_IP};
use crate::redact::escape_control;
use crate::report::{DurationStats, Finding, Severity};

impl Analyzer {
    pub(super) fn findings(&self, input: &InputSummary, durations: &DurationStats) -> Vec<Finding> {
        let mut f = Vec::new();
        if self.secret_logged > 0 {
            f.push(Finding {
                kind: "secret_logged",
                severity: Severity::High,
                message: "The authorizer writes ALLOWED_TOKEN to its logs: anyone who can read them can call the API. Remove the 'Allowed Token' log line and rotate the token.".into(),
                count: self.secret_logged,
            });
        }
        let mut invalid: Vec<(&String, &u64)> = self
            .allowed_ips
            .iter()
            .filter(|(ip, _)| ip.parse::<IpAddr>().is_err())
            .collect();
        invalid.sort();
        for (ip, n) in invalid {
            f.push(Finding {
                kind: "invalid_allowed_ip",
                severity: Severity::High,
                message: format!(
                    "ALLOWED_IP '{}' is not a valid IP address: no caller can pass the IP check. Fix the function's environment variable.",
                    escape_control(ip)
                ),
                count: *n,
            });
        }
        let mut guessing: Vec<(&String, &IpStat)> = self
            .denied_ips
            .iter()
            .filter(|(_, s)| s.wrong_tokens.len() >= GUESSING_DISTINCT_TOKENS)
            .collect();
        if !guessing.is_empty() {
            guessing.sort_by(|a, b| {
                b.1.wrong_tokens
                    .len()
                    .cmp(&a.1.wrong_tokens.len())
                    .then_with(|| a.0.cmp(b.0))
            });
            let shown: Vec<String> = guessing
                .iter()
                .take(5)
                .map(|(ip, s)| {
                    let more = if s.wrong_tokens.len() >= MAX_TOKENS_PER_IP {
                        "+"
                    } else {
                        ""
                    };
                    format!("{} ({} tokens{more})", escape_control(ip), s.wrong_tokens.len())
                })
                .collect();
            f.push(Finding {
                kind: "token_guessing",
                severity: Severity::High,
                message: format!(
                    "{} source IP(s) sent {GUESSING_DISTINCT_TOKENS} or more different wrong tokens, a sign of token guessing: {}",
                    guessing.len(),
                    shown.join(", ")
                ),
                count: guessing.len() as u64,
            });
        }
        if self.decisions.timeout > 0 {
            f.push(Finding {
                kind: "timeouts",
                severity: Severity::Medium,
                message: "Authorizer invocations timed out: API Gateway answered those callers with 500, not 403."
                    .into(),
                count: self.decisions.timeout,
            });
        }
        if self.decisions.error > 0 {
            f.push(Finding {
                kind: "errors",
                severity: Severity::Medium,
                message:
                    "Authorizer invocations failed (unhandled exception or runtime error): API Gateway answered 500."
                        .into(),
                count: self.decisions.error,
            });
        }
        if self.token_logged > 0 {
            f.push(Finding {
                kind: "token_logged",
                severity: Severity::Medium,
                message: "Callers' Authorization tokens are written to the logs in plain text; log a hash or nothing."
                    .into(),
                count: self.token_logged,
            });
        }
        if let (Some(used), Some(size)) = (self.max_used_max, self.memory_size_max) {
            if size > 0 && used * 10 >= size * 9 {
                f.push(Finding {
                    kind: "memory_pressure",
                    severity: Severity::Medium,
                    message: format!(
                        "Max memory used reached {used} MB of {size} MB: out-of-memory failures are close."
                    ),
                    count: 1,
                });
            }
        }
        if self.allowed_ips.len() > 1 {
            f.push(Finding {
                kind: "allowed_ip_changed",
                severity: Severity::Info,
                message: format!(
                    "ALLOWED_IP changed within the window ({} distinct values).",
                    self.allowed_ips.len()
                ),
                count: self.allowed_ips.len() as u64,
            });
        }
        if self.allowed_tokens.len() > 1 {
            f.push(Finding {
                kind: "allowed_token_changed",
                severity: Severity::Info,
                message: format!(
                    "ALLOWED_TOKEN changed within the window ({} distinct values).",
                    self.allowed_tokens.len()
                ),
                count: self.allowed_tokens.len() as u64,
            });
        }
        if let Some(p99) = durations.p99 {
            if p99 >= 1000.0 {
                f.push(Finding {
                    kind: "slow_authorizer",
                    severity: Severity::Low,
                    message: format!("p99 duration is {p99:.2} ms: every API call waits for the authorizer."),
                    count: 1,
                });
            }
        }
        if self.incomplete > 0 {
            f.push(Finding {
                kind: "incomplete_invocations",
                severity: Severity::Info,
                message: "Invocations without a REPORT line (the logs start or end mid-request, or lines are missing)."
                    .into(),
                count: self.incomplete,
            });
        }
        let s = &input.stats;
        if s.invalid_utf8_lines > 0 {
            f.push(Finding {
                kind: "invalid_utf8",
                severity: Severity::Low,
                message: "Lines were not valid UTF-8 and were decoded with replacement characters.".into(),
                count: s.invalid_utf8_lines,
            });
        }
        if s.late_lines > 0 {
            f.push(Finding {
                kind: "late_lines",
                severity: Severity::Low,
                message: "Lines arrived long after their request's REPORT and were not applied to it.".into(),
                count: s.late_lines,
            });
        }
        if s.unrecognized_lines > 0 {
            f.push(Finding {
                kind: "unrecognized_lines",
                severity: Severity::Info,
                message: "Lines matched no Lambda or authorizer shape (tracebacks, print() output, other text).".into(),
                count: s.unrecognized_lines,
            });
        }
        f.sort_by_key(|x| x.severity);
        f
    }
}
