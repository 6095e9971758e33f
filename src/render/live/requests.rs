//! `tail` with an access log, its sink: the invocations and the access log's records meet in
//! the live join, and one line per API request is printed once its pair is final.

use std::cell::RefCell;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::rc::Rc;

use super::printer::PrintOptions;
use super::{requests_summary_line, LiveStyle};
use crate::access::join::shown;
use crate::access::live::{HeldInvocation, JoinedRequest, LiveJoin};
use crate::access::AccessFields;
use crate::decision::{source_ip, DenialReasons, TailFilter, Verdict};
use crate::engine::live::{now_ms, LiveSink};
use crate::engine::InvocationSink;
use crate::error::Error;
use crate::group::Invocation;
use crate::redact::{KnownTokens, TokenDisplay};
use crate::render::api_requests::{api_request_line, ApiRequestLine};
use crate::render::requests::request_row;
use crate::report::InputError;
use crate::source::{EventSink, LogEvent};
use crate::timeutil::format_rfc3339_ms;

/// How long after the window both logs are given to deliver their events before a pair is
/// final: the invocation is handed over a grace after its REPORT, and CloudWatch delivers an
/// event a second or two after its time.
const SETTLE_MS: i64 = 5_000;

/// Hands each finished invocation to the live join.
pub(crate) struct Forward {
    join: Rc<RefCell<LiveJoin>>,
    tokens: TokenDisplay,
    known: Rc<RefCell<KnownTokens>>,
}

impl InvocationSink for Forward {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        // The tokens the invocations logged, to mask wherever access-log text repeats one: the
        // allowed ones pinned, so no caller's tokens push them out.
        let mut known = self.known.borrow_mut();
        if let Some(t) = inv.auth.allowed_token.as_deref() {
            known.pin(t);
        }
        if let Some(t) = inv.auth.token.as_deref() {
            known.receive(t);
        }
        drop(known);
        let held = HeldInvocation {
            start_ms: inv.first_ts.or(inv.last_ts).unwrap_or_else(now_ms),
            ip: source_ip(inv).map(str::to_string),
            api_request_id: inv.auth.api_request_id.clone(),
            decision: verdict.decision,
            row: request_row(inv, verdict, self.tokens),
        };
        self.join
            .borrow_mut()
            .invocation(held, inv.auth.allowed_ip.as_deref(), now_ms());
        ControlFlow::Continue(())
    }
}

/// The access side of a `tail` run: the access log's records go into the join, which is
/// advanced on every tick; the requests it hands out are printed.
pub(crate) struct AccessSide<'o> {
    join: Rc<RefCell<LiveJoin>>,
    known: Rc<RefCell<KnownTokens>>,
    out: &'o mut dyn Write,
    style: LiveStyle,
    filter: TailFilter,
    count: Option<u64>,
    /// Lines printed.
    pub(crate) printed: u64,
    /// The access log is followed live: pairs are final by the wall clock, not by event times.
    wall_clock: bool,
    /// The first write error (a closed pipe ends the run).
    pub(crate) error: Option<io::Error>,
    /// What stopped reading the access log.
    pub(crate) failure: Option<Error>,
    /// Damage in the access log.
    pub(crate) input_errors: Vec<InputError>,
    /// Follower notes for stderr.
    pub(crate) notes: Vec<String>,
}

impl<'o> AccessSide<'o> {
    /// The join of `access`'s records with the invocations; returns the side and the
    /// invocation sink the pipeline is to be given. `wall_clock`: the access log is followed
    /// live, so pairs are final by the wall clock.
    pub(crate) fn new(
        options: PrintOptions,
        fields: AccessFields,
        window_ms: u64,
        wall_clock: bool,
        out: &'o mut dyn Write,
    ) -> (AccessSide<'o>, Forward) {
        let join = Rc::new(RefCell::new(LiveJoin::new(fields, window_ms)));
        let known = Rc::new(RefCell::new(KnownTokens::default()));
        let forward = Forward {
            join: join.clone(),
            tokens: options.tokens,
            known: known.clone(),
        };
        let side = AccessSide {
            join,
            known,
            out,
            style: options.style,
            filter: options.filter,
            count: options.count,
            printed: 0,
            wall_clock,
            error: None,
            failure: None,
            input_errors: Vec::new(),
            notes: Vec::new(),
        };
        (side, forward)
    }

    /// One turn of the run's loop, after the access log was read: joins what is final, prints.
    /// True when the run is over (`--count` lines printed, the output closed, or the access log
    /// failed).
    fn advance(&mut self, now_ms: i64) -> bool {
        // Following, events come as they happen: the wall clock says what is final, once what
        // was handed over has settled. Reading files, the slower log's event times say it.
        let (horizon, settled) = if self.wall_clock {
            let settled = now_ms.saturating_sub(SETTLE_MS);
            (Some(settled.saturating_sub(self.window_ms())), settled)
        } else {
            (self.join.borrow().event_horizon(SETTLE_MS), i64::MAX)
        };
        if let Some(h) = horizon {
            let ready = self.join.borrow_mut().advance(h, settled);
            self.print(ready);
        }
        self.over()
    }

    fn window_ms(&self) -> i64 {
        // The join's window is what it pairs within; the wall clock waits that long too.
        self.join.borrow().window_ms()
    }

    /// `--count` lines printed, the output closed, or the access log failed.
    pub(crate) fn over(&self) -> bool {
        self.error.is_some() || self.failure.is_some() || self.count.is_some_and(|n| self.printed >= n)
    }

    /// The end of the run, once the access log's rest was read: prints every request still held.
    pub(crate) fn flush(&mut self) {
        if !self.over() {
            let ready = self.join.borrow_mut().advance(i64::MAX, i64::MAX);
            self.print(ready);
        }
    }

    fn shown(&self, r: &JoinedRequest) -> bool {
        let reasons = r.invocation.as_ref().map(|i| i.reasons.as_slice()).unwrap_or_default();
        self.filter.admits(
            r.class.refused(),
            DenialReasons::from_names(reasons),
            r.record.ip.as_deref(),
        )
    }

    fn print(&mut self, ready: Vec<JoinedRequest>) {
        // Most ticks hand out nothing: the token list is only gathered for lines to print.
        if ready.is_empty() {
            return;
        }
        let known = Rc::clone(&self.known);
        let known = known.borrow();
        let tokens: Vec<&str> = known.values().collect();
        let text = |v: &Option<String>, max: usize| v.as_deref().map(|s| shown(s, &tokens, max));
        for r in ready {
            if self.over() {
                return;
            }
            if !self.shown(&r) {
                continue;
            }
            let line = ApiRequestLine {
                kind: "request",
                time: r.time_ms.map(format_rfc3339_ms),
                request_id: text(&r.record.request_id, 100),
                ip: text(&r.record.ip, 100),
                route_key: text(&r.record.route_key, 200),
                status: r.record.status,
                class: r.class.name(),
                other_ip: r.other_ip,
                decided_for_ip: text(&r.record.authorizer_ip, 100),
                authorizer_error: text(&r.record.authorizer_error, 200),
                ambiguous: r.ambiguous,
                invocation: r.invocation,
            };
            let rendered = api_request_line(&line, self.style);
            if let Err(e) = self.out.write_all(rendered.as_bytes()).and_then(|()| self.out.flush()) {
                self.error = Some(e);
                return;
            }
            self.printed += 1;
        }
    }

    /// The summary line of the API requests.
    pub(crate) fn summary(&self) -> String {
        requests_summary_line(&self.join.borrow().counts, self.style.lang)
    }
}

impl EventSink for AccessSide<'_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.join
            .borrow_mut()
            .access_event(event.message, event.timestamp_ms, now_ms());
        ControlFlow::Continue(())
    }

    fn input_error(&mut self, error: InputError) {
        self.input_errors.push(error);
    }
}

impl LiveSink for AccessSide<'_> {
    fn tick(&mut self, now_ms: i64) -> bool {
        self.advance(now_ms)
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn failed(&mut self, error: Error) {
        self.failure = Some(error);
    }
}
