//! `tail` with an access log (`--access-logs FILE`, `--access-log-group NAME`): the invocations go
//! to a live join instead of the printer, the access log is read beside the authorizer's on a
//! thread of its own, and one line per API request is printed once its pair is final.

use std::cell::RefCell;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::Duration;

use rustc_hash::FxHashSet;

use crate::access::join::shown;
use crate::access::live::{HeldInvocation, JoinedRequest, LiveJoin};
use crate::cli::{ReasonArg, TailAccess, TailAccessSource, TailConfig, TailFilter};
use crate::decision::{source_ip, Verdict};
use crate::engine::InvocationSink;
use crate::error::Error;
use crate::group::Invocation;
use crate::i18n::fill;
use crate::redact::TokenDisplay;
use crate::render::api_requests::{api_request_line, ApiRequestLine};
use crate::render::live::LiveStyle;
use crate::render::requests::request_row;
use crate::source::cloudwatch::{follow, FollowMsg, FollowStats, GroupSelection};
use crate::source::file::{open_error, SourceError};
use crate::source::stream::{spawn_reader, LiveStream, StreamInput, StreamMsg, CHUNKS_IN_FLIGHT};
use crate::source::{EventSink, InputError, InputFormat, LogEvent, ReadOptions};
use crate::timeutil::format_rfc3339_ms;

/// How long after the window both logs are given to deliver their events before a pair is
/// final: the invocation is handed over a grace after its REPORT, and CloudWatch delivers an
/// event a second or two after its time.
const SETTLE_MS: i64 = 5_000;

/// Distinct allowed tokens kept for masking access-log text.
const MAX_TOKENS: usize = 64;

/// Hands each finished invocation to the live join.
pub(super) struct Forward {
    join: Rc<RefCell<LiveJoin>>,
    tokens: TokenDisplay,
    allowed_tokens: Rc<RefCell<FxHashSet<String>>>,
}

impl InvocationSink for Forward {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        if let Some(t) = inv.auth.allowed_token.as_deref() {
            let mut tokens = self.allowed_tokens.borrow_mut();
            if tokens.len() < MAX_TOKENS && !t.is_empty() {
                tokens.insert(t.to_string());
            }
        }
        let held = HeldInvocation {
            start_ms: inv.first_ts.or(inv.last_ts).unwrap_or_else(super::now_ms),
            ip: source_ip(inv).map(str::to_string),
            api_request_id: inv.auth.api_request_id.clone(),
            decision: verdict.decision,
            row: request_row(inv, verdict, self.tokens),
        };
        self.join
            .borrow_mut()
            .invocation(held, inv.auth.allowed_ip.as_deref(), super::now_ms());
        ControlFlow::Continue(())
    }
}

/// Where the access log's events come from.
enum AccessInput {
    /// A file read on a thread of its own.
    File {
        rx: Receiver<StreamMsg>,
        live: LiveStream,
        stop: Arc<AtomicBool>,
        follow: bool,
        ended: bool,
        name: String,
    },
    /// A log group followed on a thread of its own.
    Group {
        rx: Receiver<FollowMsg>,
        stop: Arc<AtomicBool>,
        follower: Option<std::thread::JoinHandle<()>>,
    },
}

/// Access-log events into the join.
struct Events<'j> {
    join: &'j mut LiveJoin,
    errors: &'j mut Vec<InputError>,
}

impl EventSink for Events<'_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.join
            .access_event(event.message, event.timestamp_ms, super::now_ms());
        ControlFlow::Continue(())
    }

    fn input_error(&mut self, error: InputError) {
        self.errors.push(error);
    }
}

/// The access side of a `tail` run: reads the access log, advances the join, prints the lines.
pub(super) struct AccessSide<'o> {
    join: Rc<RefCell<LiveJoin>>,
    allowed_tokens: Rc<RefCell<FxHashSet<String>>>,
    input: AccessInput,
    out: &'o mut dyn Write,
    style: LiveStyle,
    filter: TailFilter,
    count: Option<u64>,
    /// Lines printed.
    pub(super) printed: u64,
    /// The access log is followed live: pairs are final by the wall clock, not by event times.
    wall_clock: bool,
    /// The first write error (a closed pipe ends the run).
    pub(super) error: Option<io::Error>,
    /// What stopped reading the access log.
    pub(super) failure: Option<Error>,
    /// Damage in the access log.
    pub(super) input_errors: Vec<InputError>,
    /// Follower notes for stderr.
    pub(super) notes: Vec<String>,
}

impl<'o> AccessSide<'o> {
    /// Starts reading the access log of `access`; returns the side and the invocation sink the
    /// pipeline is to be given.
    pub(super) fn start(
        config: &TailConfig,
        access: &TailAccess,
        out: &'o mut dyn Write,
    ) -> Result<(AccessSide<'o>, Forward), Error> {
        let join = Rc::new(RefCell::new(LiveJoin::new(access.fields.clone(), access.window_ms)));
        let allowed_tokens = Rc::new(RefCell::new(FxHashSet::default()));
        let (input, wall_clock) = match &access.source {
            TailAccessSource::File { path, follow } => {
                let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
                let stop = Arc::new(AtomicBool::new(false));
                let stream = StreamInput::File {
                    path: path.clone(),
                    follow: *follow,
                };
                let name = stream.name();
                spawn_reader(stream, tx, stop.clone()).map_err(|e| open_error(path, e))?;
                let read = ReadOptions::new(InputFormat::Auto).with_max_line_bytes(config.read.max_line_bytes);
                let input = AccessInput::File {
                    rx,
                    live: LiveStream::new(name.clone(), read),
                    stop,
                    follow: *follow,
                    ended: false,
                    name,
                };
                (input, false)
            }
            TailAccessSource::Group(group) => {
                let groups = GroupSelection {
                    names: vec![group.clone()],
                    pattern: String::new(),
                    all: false,
                };
                let follow_config = super::sources::follow_config(config, groups, None).ok_or_else(|| {
                    Error::Usage("--access-log-group follows CloudWatch: pass it without FILE or -".into())
                })?;
                let (tx, rx) = mpsc::channel();
                let stop = Arc::new(AtomicBool::new(false));
                let follower = follow(follow_config, tx, stop.clone(), Arc::new(FollowStats::default()))?;
                let input = AccessInput::Group {
                    rx,
                    stop,
                    follower: Some(follower),
                };
                (input, true)
            }
        };
        let forward = Forward {
            join: join.clone(),
            tokens: config.tokens,
            allowed_tokens: allowed_tokens.clone(),
        };
        let side = AccessSide {
            join,
            allowed_tokens,
            input,
            out,
            style: config.live_style(),
            filter: config.filter.clone(),
            count: config.count,
            printed: 0,
            wall_clock: wall_clock || matches!(access.source, TailAccessSource::File { follow: true, .. }),
            error: None,
            failure: None,
            input_errors: Vec::new(),
            notes: Vec::new(),
        };
        Ok((side, forward))
    }

    /// Reads what the access log has delivered, without waiting (or, with `wait`, until a file
    /// that is not followed has ended).
    fn read(&mut self, wait: bool) {
        let mut join = self.join.borrow_mut();
        let mut events = Events {
            join: &mut join,
            errors: &mut self.input_errors,
        };
        match &mut self.input {
            AccessInput::File {
                rx,
                live,
                follow,
                ended,
                name,
                ..
            } => {
                while !*ended {
                    let msg = if wait && !*follow {
                        rx.recv_timeout(Duration::from_millis(100)).map_err(|e| match e {
                            mpsc::RecvTimeoutError::Timeout => TryRecvError::Empty,
                            mpsc::RecvTimeoutError::Disconnected => TryRecvError::Disconnected,
                        })
                    } else {
                        rx.try_recv()
                    };
                    match msg {
                        Ok(StreamMsg::Chunk(bytes)) => live.push(&bytes, &mut events),
                        Ok(StreamMsg::End) | Err(TryRecvError::Disconnected) => {
                            *ended = true;
                            if let Err(e) = live.end(&mut events) {
                                self.failure = Some(e.into());
                            }
                        }
                        Ok(StreamMsg::Failed(e)) => {
                            *ended = true;
                            let _ = live.end(&mut events);
                            self.failure = Some(
                                SourceError::Io {
                                    path: name.clone(),
                                    source: e,
                                }
                                .into(),
                            );
                        }
                        Err(TryRecvError::Empty) if wait && !*follow => live.idle(&mut events),
                        Err(TryRecvError::Empty) => {
                            live.idle(&mut events);
                            break;
                        }
                    }
                    live.drain(&mut events);
                }
            }
            AccessInput::Group { rx, .. } => loop {
                match rx.try_recv() {
                    Ok(FollowMsg::Events(list)) => {
                        for e in &list {
                            let event = LogEvent {
                                timestamp_ms: e.timestamp_ms,
                                stream: &e.stream,
                                message: &e.message,
                            };
                            let _ = events.event(&event);
                        }
                    }
                    Ok(FollowMsg::Note(note)) => self.notes.push(note),
                    Ok(FollowMsg::Failed(e)) => {
                        self.failure = Some(e.into());
                        break;
                    }
                    Err(_) => break,
                }
            },
        }
    }

    /// One turn of the run's loop: reads, joins what is final, prints. True when the run is over
    /// (`--count` lines printed, the output closed, or the access log failed).
    pub(super) fn tick(&mut self, now_ms: i64) -> bool {
        self.read(false);
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

    fn over(&self) -> bool {
        self.error.is_some() || self.failure.is_some() || self.count.is_some_and(|n| self.printed >= n)
    }

    /// The end of the run: reads the rest of an access file that is not followed, stops the
    /// reader, and prints every request still held.
    pub(super) fn finish(&mut self) {
        if !self.over() {
            self.read(true);
        }
        match &mut self.input {
            AccessInput::File { stop, .. } => stop.store(true, Ordering::Relaxed),
            AccessInput::Group { stop, follower, .. } => {
                stop.store(true, Ordering::Relaxed);
                if let Some(f) = follower.take() {
                    let _ = f.join();
                }
            }
        }
        if !self.over() {
            let ready = self.join.borrow_mut().advance(i64::MAX, i64::MAX);
            self.print(ready);
        }
    }

    fn shown(&self, r: &JoinedRequest) -> bool {
        let f = &self.filter;
        if (f.denied || !f.reasons.is_empty()) && !r.class.refused() {
            return false;
        }
        let reasons = r.invocation.as_ref().map(|i| i.reasons.as_slice()).unwrap_or_default();
        let reason_ok = f.reasons.is_empty()
            || f.reasons.iter().any(|reason| match reason {
                ReasonArg::Ip => reasons.contains(&"ip_mismatch"),
                ReasonArg::Token => reasons.contains(&"token_mismatch"),
                ReasonArg::Missing => reasons.contains(&"token_missing"),
            });
        let ip_ok = f.ips.is_empty()
            || r.record
                .ip
                .as_deref()
                .is_some_and(|ip| f.ips.iter().any(|range| range.contains(ip)));
        reason_ok && ip_ok
    }

    fn print(&mut self, ready: Vec<JoinedRequest>) {
        // Most ticks hand out nothing: the token list is only gathered for lines to print.
        if ready.is_empty() {
            return;
        }
        let allowed_tokens = Rc::clone(&self.allowed_tokens);
        let allowed_tokens = allowed_tokens.borrow();
        let tokens: Vec<&str> = allowed_tokens.iter().map(String::as_str).collect();
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
    pub(super) fn summary(&self) -> String {
        let join = self.join.borrow();
        let c = &join.counts;
        let mut line = fill(
            self.style.lang.tail().callers_summary,
            &[
                ("requests", &c.requests),
                ("fresh_allow", &c.fresh_allow),
                ("fresh_deny", &c.fresh_deny),
                ("cached_allow", &c.cached_allow),
                ("cached_deny", &c.cached_deny),
                ("identity_missing", &c.identity_missing),
                ("authorizer_failed", &c.authorizer_failed),
                ("other", &c.other),
                ("other_ip", &c.other_ip),
                ("unmatched", &c.unmatched_invocations),
                ("ambiguous", &c.ambiguous),
                ("unreadable", &c.unreadable),
            ],
        );
        line.push('\n');
        line
    }
}
