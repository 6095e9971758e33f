//! Totals computed elsewhere (by CloudWatch Logs Insights) and merged over slices of a window,
//! turned into an `Analyzer` so the report, its cost and its findings come from the same code as
//! the local engine's.

use std::collections::BTreeMap;

use super::{AnalyzeConfig, Analyzer, IpStat, MinuteStat, Span, MAX_LEAK_IPS, MAX_TRACKED_IPS};
use crate::report::Decisions;

/// One source IP's denials, and the token mismatches it sent by minute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IpTotals {
    pub denied: u64,
    pub ip_mismatch: u64,
    pub token_mismatch: u64,
    /// Invocations that presented the valid token from this (not allowed) IP.
    pub leaks: u64,
    /// Minute (epoch ms / 60 000) → (token mismatches, first ms, last ms).
    pub mismatch_minutes: BTreeMap<i64, (u64, i64, i64)>,
}

/// What a server-side engine counted over a window: every field merges exactly (sums, minima,
/// maxima, histograms), so slices and batches of groups add up to the whole window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerTotals {
    pub invocations: u64,
    /// Invocations with a REPORT line (the rest are incomplete).
    pub reported: u64,
    pub decisions: Decisions,
    pub ip_mismatch: u64,
    pub token_mismatch: u64,
    pub both: u64,
    pub token_missing: u64,
    pub secret_logged: u64,
    pub token_logged: u64,
    pub token_leaks: u64,
    /// First and last invocation (epoch ms) of: secret logged, token logged, token leak,
    /// timeouts, errors, incomplete.
    pub spans: [Option<(i64, i64)>; 6],
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// REPORT durations: µs → count.
    pub durations: BTreeMap<u64, u64>,
    pub billed_sum_ms: u128,
    pub billed_count: u64,
    /// Sum of billed ms × memory MB.
    pub mb_ms: u128,
    pub memory_size_max: Option<u64>,
    pub max_used_max: Option<u64>,
    pub max_used_sum: u128,
    pub max_used_count: u64,
    pub inits: u64,
    pub restores: u64,
    pub init_sum_us: u128,
    pub init_max_us: Option<u64>,
    /// Denied source IPs (`(unknown)` when none was logged).
    pub denied_ips: BTreeMap<String, IpTotals>,
    /// Allowed IPs named by the mismatch lines, with their invocations.
    pub allowed_ips: BTreeMap<String, u64>,
    /// Minute → (allowed, denied, other).
    pub minutes: BTreeMap<i64, [u64; 3]>,
    /// Events without a request id that the local engine gives to the invocation running on
    /// their stream (an unhandled exception's traceback, a bare timeout line): at most one
    /// invocation each that Insights may decide otherwise.
    pub unattributed: u64,
    /// Events in Lambda's JSON log format (a message starting with `{`).
    pub json_events: u64,
}

/// Indices into [`ServerTotals::spans`].
pub mod span {
    pub const SECRET_LOGGED: usize = 0;
    pub const TOKEN_LOGGED: usize = 1;
    pub const TOKEN_LEAK: usize = 2;
    pub const TIMEOUTS: usize = 3;
    pub const ERRORS: usize = 4;
    pub const INCOMPLETE: usize = 5;
}

fn max_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The union of two first/last spans.
pub fn merge_span(a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> Option<(i64, i64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

impl ServerTotals {
    /// Adds another slice's (or batch's) totals.
    pub fn merge(&mut self, o: ServerTotals) {
        self.invocations += o.invocations;
        self.reported += o.reported;
        let (d, od) = (&mut self.decisions, &o.decisions);
        d.allowed += od.allowed;
        d.denied += od.denied;
        d.timeout += od.timeout;
        d.error += od.error;
        d.unknown += od.unknown;
        self.ip_mismatch += o.ip_mismatch;
        self.token_mismatch += o.token_mismatch;
        self.both += o.both;
        self.token_missing += o.token_missing;
        self.secret_logged += o.secret_logged;
        self.token_logged += o.token_logged;
        self.token_leaks += o.token_leaks;
        for (s, os) in self.spans.iter_mut().zip(o.spans) {
            *s = merge_span(*s, os);
        }
        self.first_ms = min_opt(self.first_ms, o.first_ms);
        self.last_ms = max_opt(self.last_ms, o.last_ms);
        for (us, n) in o.durations {
            *self.durations.entry(us).or_insert(0) += n;
        }
        self.billed_sum_ms += o.billed_sum_ms;
        self.billed_count += o.billed_count;
        self.mb_ms = self.mb_ms.saturating_add(o.mb_ms);
        self.memory_size_max = max_opt(self.memory_size_max, o.memory_size_max);
        self.max_used_max = max_opt(self.max_used_max, o.max_used_max);
        self.max_used_sum += o.max_used_sum;
        self.max_used_count += o.max_used_count;
        self.inits += o.inits;
        self.restores += o.restores;
        self.init_sum_us += o.init_sum_us;
        self.init_max_us = max_opt(self.init_max_us, o.init_max_us);
        for (ip, t) in o.denied_ips {
            let e = self.denied_ips.entry(ip).or_default();
            e.denied += t.denied;
            e.ip_mismatch += t.ip_mismatch;
            e.token_mismatch += t.token_mismatch;
            e.leaks += t.leaks;
            for (m, (n, first, last)) in t.mismatch_minutes {
                let s = e.mismatch_minutes.entry(m).or_insert((0, first, last));
                s.0 += n;
                s.1 = s.1.min(first);
                s.2 = s.2.max(last);
            }
        }
        for (ip, n) in o.allowed_ips {
            *self.allowed_ips.entry(ip).or_insert(0) += n;
        }
        for (m, c) in o.minutes {
            let e = self.minutes.entry(m).or_insert([0; 3]);
            for i in 0..3 {
                e[i] += c[i];
            }
        }
    }
}

impl Analyzer {
    /// An analyzer holding `t`, as if its invocations had been added one by one: `snapshot`
    /// then renders the same report, cost and findings the local engine would.
    pub fn from_totals(config: AnalyzeConfig, t: ServerTotals) -> Analyzer {
        let mut a = Analyzer::new(config);
        a.invocations = t.invocations;
        a.decisions = t.decisions;
        a.incomplete = t.invocations.saturating_sub(t.reported);
        a.denials.ip_mismatch = t.ip_mismatch;
        a.denials.token_mismatch = t.token_mismatch;
        a.denials.both = t.both;
        a.denials.token_missing = t.token_missing;
        a.duration_sum_us = t.durations.iter().map(|(us, n)| u128::from(*us) * u128::from(*n)).sum();
        a.durations = t.durations.into_iter().collect();
        a.billed_sum_ms = t.billed_sum_ms;
        a.billed_count = t.billed_count;
        a.mb_ms = t.mb_ms;
        a.memory_size_max = t.memory_size_max;
        a.max_used_max = t.max_used_max;
        a.max_used_sum = t.max_used_sum;
        a.max_used_count = t.max_used_count;
        a.cold = t.inits + t.restores;
        a.restores = t.restores;
        a.init_sum_us = t.init_sum_us;
        a.init_count = t.inits;
        a.init_max_us = t.init_max_us;
        a.secret_logged = t.secret_logged;
        a.token_logged = t.token_logged;
        a.token_leaks = t.token_leaks;
        a.spans.secret_logged = Span(t.spans[span::SECRET_LOGGED]);
        a.spans.token_logged = Span(t.spans[span::TOKEN_LOGGED]);
        a.spans.token_leak = Span(t.spans[span::TOKEN_LEAK]);
        a.spans.timeouts = Span(t.spans[span::TIMEOUTS]);
        a.spans.errors = Span(t.spans[span::ERRORS]);
        a.spans.incomplete = Span(t.spans[span::INCOMPLETE]);
        a.minutes = t.minutes;
        for (ip, n) in t.allowed_ips.into_iter().take(64) {
            a.allowed_ips.insert(ip, n);
        }
        for (ip, s) in t.denied_ips {
            if s.leaks > 0 && a.leaked_from.len() < MAX_LEAK_IPS {
                a.leaked_from.insert(ip.clone(), s.leaks);
            }
            if s.denied == 0 {
                continue;
            }
            if a.denied_ips.len() >= MAX_TRACKED_IPS {
                a.ips_exact = false;
                continue;
            }
            let stat = IpStat {
                count: s.denied,
                ip_mismatch: s.ip_mismatch,
                token_mismatch: s.token_mismatch,
                mismatch_minutes: s
                    .mismatch_minutes
                    .into_iter()
                    .map(|(m, (count, first_ms, last_ms))| {
                        (
                            m,
                            MinuteStat {
                                count,
                                first_ms,
                                last_ms,
                                tokens: Vec::new(),
                            },
                        )
                    })
                    .collect(),
            };
            a.denied_ips.insert(ip, stat);
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::InputSummary;

    fn slice(allowed: u64, denied: u64, durations: &[(u64, u64)]) -> ServerTotals {
        let mut t = ServerTotals {
            invocations: allowed + denied,
            reported: allowed + denied,
            decisions: Decisions {
                allowed,
                denied,
                ..Decisions::default()
            },
            token_mismatch: denied,
            durations: durations.iter().copied().collect(),
            ..ServerTotals::default()
        };
        t.minutes.insert(100, [allowed, denied, 0]);
        t.denied_ips.insert(
            "198.51.100.7".into(),
            IpTotals {
                denied,
                token_mismatch: denied,
                mismatch_minutes: [(100, (denied, 6_000_000, 6_000_500))].into_iter().collect(),
                ..IpTotals::default()
            },
        );
        t
    }

    #[test]
    fn slices_merge_into_the_whole_window_exactly() {
        let mut whole = slice(3, 2, &[(1_000, 2), (5_000, 3)]);
        whole.merge(slice(1, 4, &[(1_000, 1), (9_000, 4)]));
        assert_eq!(whole.invocations, 10);
        assert_eq!(whole.decisions.denied, 6);
        assert_eq!(
            whole.durations,
            [(1_000, 3), (5_000, 3), (9_000, 4)].into_iter().collect()
        );
        assert_eq!(whole.minutes[&100], [4, 6, 0]);
        let ip = &whole.denied_ips["198.51.100.7"];
        assert_eq!((ip.denied, ip.mismatch_minutes[&100].0), (6, 6));
        let report = Analyzer::from_totals(AnalyzeConfig::default(), whole).snapshot(&InputSummary::default());
        assert_eq!(report.duration_ms.count, 10);
        // Nearest rank over 10 values: p50 is the 5th (5 ms), p90 the 9th (9 ms).
        assert_eq!(report.duration_ms.p50, Some(5.0));
        assert_eq!(report.duration_ms.p90, Some(9.0));
        assert_eq!(report.duration_ms.avg, Some((3.0 + 15.0 + 36.0) / 10.0));
        assert_eq!(report.top_denied_ips[0].count, 6);
        // Six token mismatches from one IP within a minute: the guessing rule holds.
        assert!(
            report.findings.iter().any(|f| f.kind == "token_guessing"),
            "{:?}",
            report.findings
        );
    }

    #[test]
    fn spans_and_extremes_merge_from_either_side() {
        let mut a = ServerTotals {
            memory_size_max: Some(128),
            spans: [Some((5, 9)), None, None, None, None, None],
            ..ServerTotals::default()
        };
        a.merge(ServerTotals {
            memory_size_max: Some(256),
            init_max_us: Some(7),
            spans: [Some((2, 4)), Some((1, 1)), None, None, None, None],
            ..ServerTotals::default()
        });
        assert_eq!(a.memory_size_max, Some(256));
        assert_eq!(a.init_max_us, Some(7));
        assert_eq!(a.spans[0], Some((2, 9)));
        assert_eq!(a.spans[1], Some((1, 1)));
    }
}
