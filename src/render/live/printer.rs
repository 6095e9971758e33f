//! `tail`'s invocation sink: filters, prints each invocation (and its raw lines), raises burst
//! alerts, and stops the run after `--count` lines or when the output is closed.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::ops::ControlFlow;

use super::{alert_line, invocation_line, raw_lines, Alert, LiveStyle};
use crate::decision::{source_ip, Decision, TailFilter, Verdict};
use crate::engine::live::now_ms;
use crate::engine::InvocationSink;
use crate::group::Invocation;
use crate::patterns::display_ip;
use crate::redact::TokenDisplay;
use crate::render::requests::request_row;

/// IPs whose denials are tracked for alerts before the quiet ones are let go.
const MAX_TRACKED_IPS: usize = 10_000;

/// Denials per IP within a sliding window; an alert at most once per IP per window.
struct Bursts {
    threshold: usize,
    window_ms: i64,
    denials: HashMap<String, VecDeque<i64>>,
    last_alert: HashMap<String, i64>,
}

impl Bursts {
    fn new(threshold: usize, window_ms: i64) -> Bursts {
        Bursts {
            threshold,
            window_ms,
            denials: HashMap::new(),
            last_alert: HashMap::new(),
        }
    }

    /// A denial of `ip` at `t`: an alert when it makes `threshold` within the window and the IP
    /// had no alert within the last window.
    fn denied(&mut self, ip: &str, t: i64) -> Option<Alert> {
        // In i128: times come from the log (any i64) and windows from the command line, so
        // `t - window` and `t - at` do not fit an i64 at its ends (saturating would drop `t`
        // itself from its window at i64::MIN).
        let wide = i128::from;
        let horizon = wide(t) - wide(self.window_ms);
        if self.denials.len() >= MAX_TRACKED_IPS && !self.denials.contains_key(ip) {
            self.denials
                .retain(|_, times| times.back().is_some_and(|&last| wide(last) > horizon));
            self.last_alert.retain(|_, &mut at| wide(at) > horizon);
        }
        let times = self.denials.entry(ip.to_string()).or_default();
        times.push_back(t);
        while times.front().is_some_and(|&first| wide(first) <= horizon) {
            times.pop_front();
        }
        // Out-of-order times (a backfill) keep the deque bounded too.
        while times.len() > self.threshold {
            times.pop_front();
        }
        let recent_alert = self
            .last_alert
            .get(ip)
            .is_some_and(|&at| wide(t) - wide(at) < wide(self.window_ms));
        if times.len() < self.threshold || recent_alert {
            return None;
        }
        self.last_alert.insert(ip.to_string(), t);
        let first = times.front().copied().unwrap_or(t);
        Some(Alert::new(ip, times.len(), self.window_ms, first, t))
    }
}

/// What `tail` prints and how: the options of its printer.
#[derive(Debug, Clone)]
pub(crate) struct PrintOptions {
    /// How the lines look.
    pub(crate) style: LiveStyle,
    /// Tokens masked or shown.
    pub(crate) tokens: TokenDisplay,
    /// Which invocations are printed.
    pub(crate) filter: TailFilter,
    /// `--count`: the run ends after this many lines.
    pub(crate) count: Option<u64>,
    /// `--alert-denials N/SPAN`: (N, span in ms).
    pub(crate) alert: Option<(usize, i64)>,
}

/// Prints what `tail` shows.
pub(crate) struct TailPrinter<'o> {
    out: &'o mut dyn Write,
    style: LiveStyle,
    tokens: TokenDisplay,
    filter: TailFilter,
    count: Option<u64>,
    printed: u64,
    alerts: u64,
    bursts: Option<Bursts>,
    error: Option<io::Error>,
}

impl<'o> TailPrinter<'o> {
    /// A printer of what `options` asks for, on `out`.
    pub(crate) fn new(options: PrintOptions, out: &'o mut dyn Write) -> Self {
        TailPrinter {
            out,
            style: options.style,
            tokens: options.tokens,
            filter: options.filter,
            count: options.count,
            printed: 0,
            alerts: 0,
            bursts: options.alert.map(|(n, window)| Bursts::new(n, window)),
            error: None,
        }
    }

    /// Lines printed, alerts printed, and the output error that stopped the run, if any.
    pub(crate) fn finish(self) -> (u64, u64, Option<io::Error>) {
        (self.printed, self.alerts, self.error)
    }

    fn shown(&self, inv: &Invocation, verdict: &Verdict) -> bool {
        self.filter
            .admits(verdict.decision == Decision::Denied, verdict.reasons, source_ip(inv))
    }

    fn write(&mut self, text: &str) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(text.as_bytes()) {
                self.error = Some(e);
            }
        }
    }
}

impl InvocationSink for TailPrinter<'_> {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        self.print(inv, verdict, None)
    }

    fn invocation_with_lines(
        &mut self,
        inv: &Invocation,
        verdict: &Verdict,
        lines: &[String],
        dropped: usize,
    ) -> ControlFlow<()> {
        self.print(inv, verdict, Some((lines, dropped)))
    }
}

impl TailPrinter<'_> {
    /// The invocation's line (with its raw lines, under `--raw`), then its alert; `Break` after
    /// `--count` lines or once the output failed.
    fn print(&mut self, inv: &Invocation, verdict: &Verdict, lines: Option<(&[String], usize)>) -> ControlFlow<()> {
        let tokens = self.tokens;
        let alert = match (&mut self.bursts, source_ip(inv)) {
            (Some(bursts), Some(ip)) if verdict.decision == Decision::Denied => {
                let t = inv.first_ts.or(inv.last_ts).unwrap_or_else(now_ms);
                // Shown as the report shows it: a value that is no IP token may hold a token.
                bursts.denied(ip, t).map(|mut alert| {
                    alert.ip = display_ip(ip, tokens).into_owned();
                    alert
                })
            }
            _ => None,
        };
        if self.shown(inv, verdict) {
            let row = request_row(inv, verdict, self.tokens);
            let line = invocation_line(&row, self.style);
            self.write(&line);
            if let Some((lines, truncated)) = lines.filter(|_| !self.style.json) {
                self.write(&raw_lines(lines, truncated, self.style.lang));
            }
            self.printed += 1;
        }
        if let Some(alert) = alert {
            let line = alert_line(&alert, self.style);
            self.write(&line);
            self.alerts += 1;
        }
        if self.error.is_none() {
            if let Err(e) = self.out.flush() {
                self.error = Some(e);
            }
        }
        let enough = self.count.is_some_and(|n| self.printed >= n);
        if enough || self.error.is_some() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_alerts_once_per_window() {
        let mut b = Bursts::new(3, 60_000);
        assert!(b.denied("1.2.3.4", 0).is_none());
        assert!(b.denied("1.2.3.4", 10_000).is_none());
        let alert = b.denied("1.2.3.4", 20_000);
        assert_eq!(alert.as_ref().map(|a| (a.denials, a.ip.as_str())), Some((3, "1.2.3.4")));
        assert!(b.denied("1.2.3.4", 30_000).is_none(), "one alert per IP per window");
        assert!(b.denied("5.6.7.8", 30_000).is_none(), "other IPs count apart");
        // Denials spread wider than the window never alert.
        let mut slow = Bursts::new(3, 60_000);
        assert!((0..10).all(|i| slow.denied("9.9.9.9", i * 40_000).is_none()));
        // A new burst after the window alerts again.
        assert!(b.denied("1.2.3.4", 90_000).is_none());
        assert!(b.denied("1.2.3.4", 95_000).is_none());
        assert!(b.denied("1.2.3.4", 100_000).is_some());
    }

    /// Found by fuzzing: event times are whatever the log says and windows whatever the command
    /// line says; `t - window` and `t - last alert` overflowed at the ends of i64.
    #[test]
    fn burst_arithmetic_saturates_at_the_ends_of_time() {
        let mut b = Bursts::new(2, i64::MAX);
        assert!(b.denied("1.2.3.4", i64::MIN).is_none());
        assert!(
            b.denied("1.2.3.4", i64::MAX).is_none(),
            "i64::MIN is more than i64::MAX before i64::MAX"
        );
        let alert = b.denied("1.2.3.4", i64::MAX);
        assert_eq!(alert.map(|a| (a.denials, a.window_seconds)), Some((2, i64::MAX / 1000)));
        assert!(b.denied("1.2.3.4", 0).is_none(), "one alert per window");
        let mut b = Bursts::new(1, 60_000);
        assert!(b.denied("5.6.7.8", i64::MAX).is_some());
        assert!(
            b.denied("5.6.7.8", i64::MIN).is_none(),
            "a time before the last alert is within its window"
        );
        let mut b = Bursts::new(1, i64::MAX);
        assert!(b.denied("9.9.9.9", i64::MIN).is_some());
        assert!(b.denied("9.9.9.9", i64::MAX).is_some(), "further apart than any window");
    }
}
