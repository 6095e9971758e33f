//! Joins parsed lines into one `Invocation` per run of a RequestId, in memory bounded by requests in flight.

use std::collections::hash_map::Entry;
use std::collections::VecDeque;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use crate::cut::{cut, IP_CAP, VALUE_CAP};
use crate::parse::{LineEvent, Metrics, OwnedOrBorrowedFact, RunStatus};
pub use crate::request_id::RequestKey;

/// What the authorizer's own log lines said about one request. Values are short (IPs, tokens):
/// `CompactString` keeps up to 24 bytes inline, so recording them allocates nothing. A value over
/// its cap (`crate::cut`) is kept cut, with the whole value's length and digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthEvidence {
    pub source_ip: Option<CompactString>,
    pub token: Option<CompactString>,
    pub allowed_ip: Option<CompactString>,
    pub allowed_token: Option<CompactString>,
    /// The API request id the authorizer logged (`API Request ID: …`), for the access-log join.
    pub api_request_id: Option<CompactString>,
    /// `(received, allowed)` from an IP mismatch ERROR line.
    pub ip_mismatch: Option<(CompactString, CompactString)>,
    /// `(received, allowed)` from a token mismatch ERROR line.
    pub token_mismatch: Option<(CompactString, CompactString)>,
    pub allow_marker: bool,
    pub deny_marker: bool,
}

/// The longest value a `CompactString` keeps inline, without an allocation.
const INLINE: usize = std::mem::size_of::<CompactString>();

/// `v` to keep: as it is when it fits inline (the common case, a comparison), else [`keep_long`].
#[inline(always)]
fn keep(v: &str, cap: usize, tally: &mut (u64, bool)) -> CompactString {
    if v.len() <= INLINE {
        return CompactString::new(v);
    }
    keep_long(v, cap, tally)
}

/// A value on the heap: `tally.1` says the request's bytes need counting again, and one over
/// `cap` is kept cut and counted in `tally.0`.
#[cold]
fn keep_long(v: &str, cap: usize, tally: &mut (u64, bool)) -> CompactString {
    tally.1 = true;
    if v.len() > cap {
        tally.0 += 1;
    }
    CompactString::new(cut(v, cap))
}

/// One authorizer invocation rebuilt from its log lines: one START … REPORT run of its request id
/// (an id Lambda retried has one per attempt).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Invocation {
    /// The RequestId.
    pub request_id: RequestKey,
    /// The log stream its lines came from (empty when the input names none).
    pub stream: Arc<str>,
    /// The time of its first line (epoch ms).
    pub first_ts: Option<i64>,
    /// The time of its last line (epoch ms).
    pub last_ts: Option<i64>,
    /// Its START line was seen.
    pub started: bool,
    /// Its END line was seen.
    pub ended: bool,
    /// REPORT metrics; `None` means the invocation is incomplete.
    pub report: Option<Metrics>,
    /// REPORT `Error Type`, when it failed.
    pub error_type: Option<String>,
    /// The first invocation of a new execution environment: its REPORT has Init/Restore Duration, or
    /// (no REPORT, or a suppressed init retried in the invoke) an INIT_START preceded it on its stream.
    pub cold_start: bool,
    /// An INIT_START/INIT_REPORT preceded this request's START on its stream.
    pub after_init: bool,
    /// An INIT_REPORT arrived while this request ran (an init retried in the invoke phase).
    pub init_in_invoke: bool,
    /// Init Duration as Lambda reports it: from REPORT, else from the first INIT_REPORT.
    pub init_duration_us: Option<u64>,
    /// SnapStart restore instead of an init.
    pub restore_duration_us: Option<u64>,
    /// REPORT `Status: timeout` or a `Task timed out` line.
    pub timed_out: bool,
    /// REPORT `Status: error`, an unhandled exception or a runtime crash.
    pub failed: bool,
    /// What the authorizer's own lines said.
    pub auth: AuthEvidence,
}

impl Invocation {
    /// Its REPORT was seen.
    pub fn is_complete(&self) -> bool {
        self.report.is_some()
    }

    fn touch(&mut self, ts: Option<i64>) {
        if let Some(t) = ts {
            self.first_ts = Some(self.first_ts.map_or(t, |f| f.min(t)));
            self.last_ts = Some(self.last_ts.map_or(t, |l| l.max(t)));
        }
    }

    /// Makes this a new, empty invocation of `request_id` (what `Default` and the two fields give).
    fn reset(&mut self, request_id: RequestKey, stream: Arc<str>) {
        // Every field by name, so a field added later cannot be left over from the last request.
        let Invocation {
            request_id: id,
            stream: st,
            first_ts,
            last_ts,
            started,
            ended,
            report,
            error_type,
            cold_start,
            after_init,
            init_in_invoke,
            init_duration_us,
            restore_duration_us,
            timed_out,
            failed,
            auth,
        } = self;
        *id = request_id;
        *st = stream;
        (*first_ts, *last_ts) = (None, None);
        (*started, *ended, *cold_start, *after_init, *init_in_invoke) = (false, false, false, false, false);
        *report = None;
        *error_type = None;
        (*init_duration_us, *restore_duration_us) = (None, None);
        (*timed_out, *failed) = (false, false);
        *auth = AuthEvidence::default();
    }

    /// Records `fact`; returns how many of its values were over their cap and kept cut, and
    /// whether one is too long to be kept inline (only then do its bytes need counting again).
    fn apply_fact(&mut self, fact: OwnedOrBorrowedFact<'_>) -> (u64, bool) {
        let mut tally = (0, false);
        // From `&str`, not `Cow`: the values are short, so copied inline, and the conversion from
        // `Cow` (made to reuse an owned `String`'s buffer) cost more than the copy.
        let mut c = |v: &str, cap: usize| keep(v, cap, &mut tally);
        let a = &mut self.auth;
        match fact {
            OwnedOrBorrowedFact::SourceIp(v) => a.source_ip = Some(c(&v, IP_CAP)),
            OwnedOrBorrowedFact::Token(v) => a.token = Some(c(&v, VALUE_CAP)),
            OwnedOrBorrowedFact::AllowedIp(v) => a.allowed_ip = Some(c(&v, IP_CAP)),
            OwnedOrBorrowedFact::AllowedToken(v) => a.allowed_token = Some(c(&v, VALUE_CAP)),
            OwnedOrBorrowedFact::ApiRequestId(v) => a.api_request_id = Some(c(&v, VALUE_CAP)),
            OwnedOrBorrowedFact::IpMismatch { received, allowed } => {
                a.ip_mismatch = Some((c(&received, IP_CAP), c(&allowed, IP_CAP)))
            }
            OwnedOrBorrowedFact::TokenMismatch { received, allowed } => {
                a.token_mismatch = Some((c(&received, VALUE_CAP), c(&allowed, VALUE_CAP)))
            }
            OwnedOrBorrowedFact::Allow => a.allow_marker = true,
            OwnedOrBorrowedFact::Deny => a.deny_marker = true,
        }
        tally
    }

    /// Bytes its values hold outside it (a `CompactString` of up to 24 bytes holds none).
    fn heap_bytes(&self) -> usize {
        let v = |s: Option<&CompactString>| s.filter(|s| s.is_heap_allocated()).map_or(0, CompactString::capacity);
        let pair = |p: &Option<(CompactString, CompactString)>| p.as_ref().map_or(0, |(a, b)| v(Some(a)) + v(Some(b)));
        let a = &self.auth;
        self.request_id.heap_bytes()
            + self.error_type.as_ref().map_or(0, String::capacity)
            + v(a.source_ip.as_ref())
            + v(a.token.as_ref())
            + v(a.allowed_ip.as_ref())
            + v(a.allowed_token.as_ref())
            + v(a.api_request_id.as_ref())
            + pair(&a.ip_mismatch)
            + pair(&a.token_mismatch)
    }
}

/// The time of a remembered request that had none (a map of plain `i64`s is half the size).
const NO_TIME: i64 = i64::MIN;

/// Tuning of when invocations are emitted; the defaults suit CloudWatch output.
#[derive(Debug, Clone, Copy)]
pub struct GroupConfig {
    /// Lines to wait after a REPORT for late lines of the same request (e.g. `Task timed out` after REPORT).
    pub grace_lines: u64,
    /// A request without REPORT that saw no line for this many lines is emitted as incomplete.
    pub stale_lines: u64,
    /// How many recently emitted request ids are remembered to recognise late lines.
    pub remembered: usize,
    /// With `Grouper::tick`: how long after its REPORT a request waits for late lines, when one
    /// can still come (see [`settled`]).
    pub grace_ms: i64,
    /// With `Grouper::tick`: a request without REPORT that saw no line for this long is emitted as incomplete.
    pub incomplete_after_ms: i64,
    /// The most bytes open requests may hold (each its slot and its values): over it, the oldest
    /// are emitted early (as incomplete when no REPORT came) and counted, so memory does not grow
    /// with what an input leaves open.
    pub max_open_bytes: usize,
}

/// The default [`GroupConfig::max_open_bytes`]: 64 MiB, half the documented memory budget (about
/// 130,000 requests with short values, over 1,400 with every value at its cap).
pub const MAX_OPEN_BYTES: usize = 64 << 20;

impl Default for GroupConfig {
    fn default() -> Self {
        GroupConfig {
            grace_lines: 4096,
            stale_lines: 500_000,
            remembered: 65_536,
            grace_ms: 1_000,
            incomplete_after_ms: 60_000,
            max_open_bytes: MAX_OPEN_BYTES,
        }
    }
}

/// Lambda's smallest timeout (1 s) in µs: a run shorter than it cannot have timed out.
const SHORTEST_TIMEOUT_US: u64 = 1_000_000;

/// Whether no line after this REPORT can change its invocation: the late line the grace waits for
/// is `Task timed out`, which older runtimes write after REPORT. A REPORT with `Status:` says how
/// the run ended by itself, and a run shorter than the smallest timeout cannot have timed out.
pub fn settled(metrics: &Metrics) -> bool {
    metrics.status.is_some() || metrics.duration_us.is_some_and(|d| d < SHORTEST_TIMEOUT_US)
}

#[derive(Debug)]
struct Open {
    inv: Invocation,
    first_seq: u64,
    last_seq: u64,
    /// The clock (`Grouper::tick`) when its last line came: a live run expires it by time.
    last_ms: i64,
    /// What it holds, counted in `Grouper::held`: its slot, its map entry and its values.
    bytes: usize,
}

/// What an open request costs besides its values: its slot, and its entry in the map of open ones.
const OPEN_BYTES: usize = std::mem::size_of::<Open>() + std::mem::size_of::<(RequestKey, usize)>() + 8;

#[derive(Debug, Default)]
struct StreamState {
    name: Arc<str>,
    /// The request the execution environment behind this stream is running (they run one at a time).
    current: Option<RequestKey>,
    /// INIT_START / INIT_REPORT seen since the last request: the next START is a cold start.
    pending_init: bool,
    pending_init_us: Option<u64>,
    pending_restore_us: Option<u64>,
    /// The last request started on this stream, for [`Grouper::line_owner`] only (set there, so
    /// grouping itself never pays for it). Unlike `current` it outlives an INIT_START.
    last_started: Option<RequestKey>,
}

/// Counters the grouper keeps about its input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupStats {
    pub unrecognized_lines: u64,
    pub late_lines: u64,
    /// Values (tokens, IPs, ids, error texts, stream names) over their cap, kept cut.
    pub values_cut: u64,
    /// Requests emitted before their time because open requests held `max_open_bytes`.
    pub requests_closed_early: u64,
    /// INIT_REPORT lines with `Status: error`.
    pub init_errors: u64,
    /// INIT_REPORT lines with `Status: timeout`.
    pub init_timeouts: u64,
    /// STARTs that began a new attempt of a request id that had run already (an asynchronous
    /// retry, or a placeholder id several invocations share): each attempt is an invocation.
    pub retries: u64,
    /// STARTs of an attempt that had one already: repeated while it ran, or with its first line's
    /// time (a copy of the same lines). Not a new attempt.
    pub repeated_starts: u64,
}

/// Groups lines by request id and emits each invocation once, when it is complete.
#[derive(Debug)]
pub struct Grouper {
    config: GroupConfig,
    /// Open requests: their slot in `slots`, where each stays put from first line to emission
    /// (an `Invocation` is hundreds of bytes; moving it in and out of the map cost more than the map).
    open: FxHashMap<RequestKey, usize>,
    slots: Vec<Open>,
    free: Vec<usize>,
    streams: Vec<StreamState>,
    stream_index: FxHashMap<Arc<str>, usize>,
    last_stream: Option<usize>,
    /// Requests whose REPORT was seen, oldest first, with the line number and the clock of the REPORT.
    reported: VecDeque<(u64, i64, RequestKey)>,
    /// Requests emitted lately, by fingerprint, with the time of their first line ([`NO_TIME`]
    /// when it had none): a START at that time again is a copy, not a retry.
    recent: FxHashMap<u64, i64>,
    recent_order: VecDeque<u64>,
    seq: u64,
    /// The clock of the last `tick` (0 until one): lines are stamped with it.
    now_ms: i64,
    /// A `tick` came: a live run, where a [`settled`] REPORT after its START emits its invocation
    /// at once. A run
    /// that never ticks (a file) keeps emitting by lines, so its output order does not change.
    live: bool,
    /// Bytes the open requests hold, the sum of their `Open::bytes`.
    held: usize,
    stats: GroupStats,
}

impl Grouper {
    /// A grouper with nothing open.
    pub fn new(config: GroupConfig) -> Grouper {
        Grouper {
            config,
            open: FxHashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            streams: Vec::new(),
            stream_index: FxHashMap::default(),
            last_stream: None,
            reported: VecDeque::new(),
            recent: FxHashMap::default(),
            recent_order: VecDeque::new(),
            seq: 0,
            now_ms: 0,
            live: false,
            held: 0,
            stats: GroupStats::default(),
        }
    }

    /// What it counted so far.
    pub fn stats(&self) -> GroupStats {
        self.stats
    }

    /// Requests currently held in memory.
    pub fn in_flight(&self) -> usize {
        self.open.len()
    }

    #[inline]
    fn stream_id(&mut self, name: &str) -> usize {
        // Names are kept for the run: one over the cap is kept (and looked up) cut.
        if name.len() > VALUE_CAP {
            return self.stream_slot(&cut(name, VALUE_CAP), true);
        }
        self.stream_slot(name, false)
    }

    fn stream_slot(&mut self, name: &str, was_cut: bool) -> usize {
        if let Some(i) = self.last_stream {
            if crate::bytes::same_str(&self.streams[i].name, name) {
                return i;
            }
        }
        let i = match self.stream_index.get(name) {
            Some(&i) => i,
            None => {
                self.stats.values_cut += u64::from(was_cut);
                let arc: Arc<str> = Arc::from(name);
                self.streams.push(StreamState {
                    name: arc.clone(),
                    ..StreamState::default()
                });
                self.stream_index.insert(arc, self.streams.len() - 1);
                self.streams.len() - 1
            }
        };
        self.last_stream = Some(i);
        i
    }

    /// Feeds one parsed line; completed invocations are handed to `emit`.
    pub fn push(&mut self, ts: Option<i64>, stream: &str, line: LineEvent<'_>, emit: &mut dyn FnMut(&Invocation)) {
        self.seq += 1;
        let s = self.stream_id(stream);
        match line {
            LineEvent::Start { request_id: key } => {
                if let Some(prev) = self.streams[s].current.take() {
                    if prev != key {
                        self.supersede(s, &prev, emit);
                    }
                }
                self.attempt(&key, ts, emit);
                let cold = std::mem::take(&mut self.streams[s].pending_init);
                let init_us = self.streams[s].pending_init_us.take();
                let restore_us = self.streams[s].pending_restore_us.take();
                self.streams[s].current = Some(key.clone());
                if let Some(inv) = self.open_mut(key, s, ts) {
                    inv.started = true;
                    if cold {
                        inv.after_init = true;
                        inv.init_duration_us = inv.init_duration_us.or(init_us);
                        inv.restore_duration_us = inv.restore_duration_us.or(restore_us);
                    }
                }
            }
            LineEvent::End { request_id } => {
                if let Some(inv) = self.open_mut(request_id, s, ts) {
                    inv.ended = true;
                }
            }
            LineEvent::Report {
                request_id,
                metrics,
                error_type,
            } => {
                let seq = self.seq;
                let live = self.live;
                let key = request_id;
                if let Some(inv) = self.open_mut(key.clone(), s, ts) {
                    let metrics = metrics.into_metrics();
                    if metrics.init_duration_us.is_some() {
                        inv.init_duration_us = metrics.init_duration_us;
                    }
                    if metrics.restore_duration_us.is_some() {
                        inv.restore_duration_us = metrics.restore_duration_us;
                    }
                    match metrics.status {
                        Some(RunStatus::Timeout) => inv.timed_out = true,
                        Some(RunStatus::Error) => inv.failed = true,
                        _ => {}
                    }
                    // An error type is the one value a REPORT adds: counted when there is one.
                    let cuts = error_type.map(|e| {
                        inv.error_type = Some(cut(&e, VALUE_CAP).into_owned());
                        u64::from(e.len() > VALUE_CAP)
                    });
                    let first_report = inv.report.is_none();
                    // Its START seen first: the lines come in order. Newest-first input (a Logs Insights
                    // export) brings REPORT before the rest of the request; that one waits the grace.
                    let now = live && inv.started && settled(&metrics);
                    inv.report = Some(metrics);
                    if let (Some(cuts), Some(&i)) = (cuts, self.open.get(&key)) {
                        self.stats.values_cut += cuts;
                        self.recount(i);
                    }
                    if first_report && now {
                        // Nothing can follow that would change it: waiting the grace would only
                        // delay the line (on a quiet stream, by the whole grace).
                        self.finish(&key, emit);
                    } else if first_report {
                        self.reported.push_back((seq, self.now_ms, key));
                    }
                }
            }
            LineEvent::InitStart => {
                if let Some(prev) = self.streams[s].current.take() {
                    self.supersede(s, &prev, emit);
                }
                self.streams[s].pending_init = true;
            }
            LineEvent::InitReport {
                init_duration_us,
                status,
            } => {
                // Counted by line, whatever invocation follows: a failed init may serve none.
                match status {
                    Some(RunStatus::Error) => self.stats.init_errors += 1,
                    Some(RunStatus::Timeout) => self.stats.init_timeouts += 1,
                    _ => {}
                }
                // A suppressed init is retried inside the invoke: attribute it to the running request.
                let running = self.streams[s].current.clone();
                let slot = running.and_then(|key| self.open.get(&key).copied());
                match slot.and_then(|i| self.slots.get_mut(i)) {
                    Some(o) if o.inv.report.is_none() => {
                        o.inv.init_in_invoke = true;
                        o.inv.init_duration_us = o.inv.init_duration_us.or(init_duration_us);
                        if status == Some(RunStatus::Error) {
                            o.inv.failed = true;
                        }
                    }
                    _ => {
                        let st = &mut self.streams[s];
                        st.pending_init = true;
                        st.pending_init_us = init_duration_us.or(st.pending_init_us);
                    }
                }
            }
            LineEvent::RestoreReport {
                restore_duration_us,
                status,
            } => {
                let st = &mut self.streams[s];
                st.pending_init = true;
                st.pending_restore_us = restore_duration_us.or(st.pending_restore_us);
                if status == Some(RunStatus::Error) || status == Some(RunStatus::Timeout) {
                    if let Some(inv) = self.line_target(None, s, ts) {
                        inv.failed = true;
                    }
                }
            }
            LineEvent::Timeout { request_id } => {
                if let Some(inv) = self.line_target(request_id, s, ts) {
                    inv.timed_out = true;
                }
            }
            LineEvent::Failure { request_id } => {
                if let Some(inv) = self.line_target(request_id, s, ts) {
                    inv.failed = true;
                }
            }
            LineEvent::App {
                request_id,
                timestamp_ms,
                fact,
            } => {
                let ts = ts.or(timestamp_ms);
                match request_id {
                    Some(id) => {
                        if let Some(i) = self.open_slot(id, s, ts) {
                            if let Some(f) = fact {
                                self.apply(i, f);
                            }
                        }
                    }
                    // Init-phase lines (empty request id) belong to no request; a fact without an id
                    // (custom authorizers logging through print()) belongs to the running one.
                    None => {
                        if let Some(f) = fact {
                            if let Some(i) = self.running_slot(s, ts) {
                                self.apply(i, f);
                            }
                        }
                    }
                }
            }
            LineEvent::Extension | LineEvent::Xray => {}
            LineEvent::Unrecognized => self.stats.unrecognized_lines += 1,
        }
        self.expire(emit);
    }

    /// The request whose raw lines `line` joins (`tail --raw`): the id it carries, else the last
    /// request started on `stream`. Asked before the line is pushed, for every line, in order.
    /// Kept apart from the running request grouping uses: an INIT_START ends that one, while the
    /// lines after it are still shown with the request before.
    pub fn line_owner(&mut self, stream: &str, line: &LineEvent<'_>) -> Option<RequestKey> {
        let s = self.stream_id(stream);
        match line {
            LineEvent::Start { request_id } => {
                self.streams[s].last_started = Some(request_id.clone());
                Some(request_id.clone())
            }
            LineEvent::End { request_id } | LineEvent::Report { request_id, .. } => Some(request_id.clone()),
            LineEvent::App {
                request_id: Some(id), ..
            }
            | LineEvent::Timeout { request_id: Some(id) }
            | LineEvent::Failure { request_id: Some(id) } => Some(id.clone()),
            _ => self.streams[s].last_started.clone(),
        }
    }

    /// The invocation a line without its own id (or with one) belongs to.
    fn line_target(&mut self, id: Option<RequestKey>, s: usize, ts: Option<i64>) -> Option<&mut Invocation> {
        match id {
            Some(id) => self.open_mut(id, s, ts),
            None => {
                let i = self.running_slot(s, ts)?;
                self.slots.get_mut(i).map(|o| &mut o.inv)
            }
        }
    }

    /// The open invocation for `id`, created on first sight; `None` for a late line of an emitted one.
    fn open_mut(&mut self, key: RequestKey, s: usize, ts: Option<i64>) -> Option<&mut Invocation> {
        let i = self.open_slot(key, s, ts)?;
        self.slots.get_mut(i).map(|o| &mut o.inv)
    }

    /// The slot of [`open_mut`](Self::open_mut)'s invocation, its line counted.
    fn open_slot(&mut self, key: RequestKey, s: usize, ts: Option<i64>) -> Option<usize> {
        let seq = self.seq;
        let i = match self.open.entry(key) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                if self.recent.contains_key(&e.key().fingerprint()) {
                    self.stats.late_lines += 1;
                    return None;
                }
                let (request_id, stream) = (e.key().clone(), self.streams[s].name.clone());
                self.stats.values_cut += u64::from(request_id.is_cut());
                let bytes = OPEN_BYTES + request_id.heap_bytes();
                self.held += bytes;
                let reused = self.free.pop().and_then(|i| Some((i, self.slots.get_mut(i)?)));
                let i = match reused {
                    // Reset in place: building a new `Open` and moving it in copied it twice.
                    Some((i, slot)) => {
                        slot.inv.reset(request_id, stream);
                        slot.first_seq = seq;
                        slot.bytes = bytes;
                        i
                    }
                    None => {
                        self.slots.push(Open {
                            inv: Invocation {
                                request_id,
                                stream,
                                ..Default::default()
                            },
                            first_seq: seq,
                            last_seq: seq,
                            last_ms: self.now_ms,
                            bytes,
                        });
                        self.slots.len() - 1
                    }
                };
                *e.insert(i)
            }
        };
        let o = self.slots.get_mut(i)?;
        o.last_seq = seq;
        o.last_ms = self.now_ms;
        o.inv.touch(ts);
        Some(i)
    }

    /// The slot of the request running on stream `s`, its line counted; `None` when it was emitted.
    fn running_slot(&mut self, s: usize, ts: Option<i64>) -> Option<usize> {
        let cur = self.streams[s].current.as_ref()?;
        // The running request is open, or already emitted (then this line is late and dropped).
        let i = *self.open.get(cur)?;
        let o = self.slots.get_mut(i)?;
        o.last_seq = self.seq;
        o.last_ms = self.now_ms;
        o.inv.touch(ts);
        Some(i)
    }

    /// Records `fact` on the open request in slot `i`: its cut values counted, its bytes again.
    #[inline]
    fn apply(&mut self, i: usize, fact: OwnedOrBorrowedFact<'_>) {
        if let Some(o) = self.slots.get_mut(i) {
            let (cuts, spilled) = o.inv.apply_fact(fact);
            self.stats.values_cut += cuts;
            // A value kept inline replacing one on the heap is not recounted: `held` stays an
            // upper bound until the request's next recount or its end.
            if spilled {
                self.recount(i);
            }
        }
    }

    /// A START of `key` at `ts`. An id that ran already (its attempt has its END or REPORT, or was
    /// emitted) runs again: Lambda retries an asynchronous invocation under the same id, and a
    /// published log may give many invocations one placeholder id. The attempt before is emitted
    /// (or forgotten, when it was), so the START begins a new one rather than being a late line.
    /// A START at the time of its attempt's first line is a copy of that START (an input holding
    /// every line twice), and one while its attempt runs is no new attempt either.
    fn attempt(&mut self, key: &RequestKey, ts: Option<i64>, emit: &mut dyn FnMut(&Invocation)) {
        let h = key.fingerprint();
        let (first_ts, done, open) = match self.open.get(key).and_then(|&i| self.slots.get(i)) {
            // Lines before its START (input out of order): this is its START.
            Some(o) if !o.inv.started => return,
            Some(o) => (o.inv.first_ts, o.inv.ended || o.inv.report.is_some(), true),
            None => match self.recent.get(&h) {
                Some(&first_ts) => ((first_ts != NO_TIME).then_some(first_ts), true, false),
                None => return,
            },
        };
        if !done || (ts.is_some() && ts == first_ts) {
            self.stats.repeated_starts += 1;
            return;
        }
        if open {
            self.finish(key, emit);
        }
        // Its START is its first line: the attempt's lines find it open, not recent.
        self.recent.remove(&h);
        self.stats.retries += 1;
    }

    /// A new request started on stream `s`: its environment is done with `id`. Only a named stream
    /// is one environment; unnamed input may interleave several, so there the grace window decides.
    fn supersede(&mut self, s: usize, id: &RequestKey, emit: &mut dyn FnMut(&Invocation)) {
        let reported = self
            .open
            .get(id)
            .and_then(|&i| self.slots.get(i))
            .is_some_and(|o| o.inv.report.is_some());
        if !self.streams[s].name.is_empty() && reported {
            self.finish(id, emit);
        }
    }

    /// Counts again what the open request in slot `i` holds, after its values changed.
    fn recount(&mut self, i: usize) {
        let Some(o) = self.slots.get_mut(i) else { return };
        let bytes = OPEN_BYTES + o.inv.heap_bytes();
        self.held = self.held - o.bytes + bytes;
        o.bytes = bytes;
    }

    /// Emits `id` whose REPORT came at line `seq`, unless that attempt was emitted already and the
    /// id runs again: a later attempt waits for its own REPORT.
    fn finish_reported(&mut self, seq: u64, id: &RequestKey, emit: &mut dyn FnMut(&Invocation)) {
        let same = self
            .open
            .get(id)
            .and_then(|&i| self.slots.get(i))
            .is_some_and(|o| o.first_seq <= seq);
        if same {
            self.finish(id, emit);
        }
    }

    fn finish(&mut self, id: &RequestKey, emit: &mut dyn FnMut(&Invocation)) {
        let Some(i) = self.open.remove(id) else { return };
        self.free.push(i);
        if let Some(o) = self.slots.get_mut(i) {
            self.held -= o.bytes;
            o.bytes = 0;
            let inv = &mut o.inv;
            // The REPORT is the reliable witness; INIT_START order is not when streams share one file.
            inv.cold_start = inv.init_in_invoke
                || match &inv.report {
                    Some(m) => m.init_duration_us.is_some() || m.restore_duration_us.is_some(),
                    None => inv.after_init,
                };
            if !inv.cold_start {
                inv.init_duration_us = None;
                inv.restore_duration_us = None;
            }
            let h = id.fingerprint();
            // An id emitted again (a retry) keeps its first place in the order: it is forgotten
            // that much sooner, which only matters for lines later than the grace window.
            if self.recent.insert(h, inv.first_ts.unwrap_or(NO_TIME)).is_none() {
                self.recent_order.push_back(h);
                if self.recent_order.len() > self.config.remembered {
                    if let Some(old) = self.recent_order.pop_front() {
                        self.recent.remove(&old);
                    }
                }
            }
            emit(&o.inv);
        }
    }

    fn expire(&mut self, emit: &mut dyn FnMut(&Invocation)) {
        if self.held > self.config.max_open_bytes {
            self.shed(emit);
        }
        while let Some((seq, _, _)) = self.reported.front() {
            if seq + self.config.grace_lines > self.seq {
                break;
            }
            if let Some((seq, _, id)) = self.reported.pop_front() {
                self.finish_reported(seq, &id, emit);
            }
        }
        // Sweeping is O(open); doing it every 64 Ki lines keeps it off the per-line cost.
        if self.seq.is_multiple_of(65_536) && !self.open.is_empty() {
            let horizon = self.seq.saturating_sub(self.config.stale_lines);
            let stale = self.open_oldest_first(|o| o.inv.report.is_none() && o.last_seq < horizon);
            for id in stale {
                self.finish(&id, emit);
            }
        }
    }

    /// The open requests `keep` admits, in order of their first line: the order every sweep emits
    /// them in (stale, idle, over the byte budget, end of input).
    fn open_oldest_first(&self, keep: impl Fn(&Open) -> bool) -> Vec<RequestKey> {
        let mut found: Vec<(u64, RequestKey)> = self
            .open
            .iter()
            .filter_map(|(id, &i)| Some((id, self.slots.get(i)?)))
            .filter(|(_, o)| keep(o))
            .map(|(id, o)| (o.first_seq, id.clone()))
            .collect();
        found.sort_unstable();
        found.into_iter().map(|(_, id)| id).collect()
    }

    /// Open requests hold more than `max_open_bytes`: the oldest (by first line) are emitted until
    /// they hold three quarters of it, so this O(open) pass runs once per quarter of the budget
    /// filled, not once per line. Each is counted; one without REPORT is emitted as incomplete.
    fn shed(&mut self, emit: &mut dyn FnMut(&Invocation)) {
        let goal = self.config.max_open_bytes / 4 * 3;
        for id in self.open_oldest_first(|_| true) {
            if self.held <= goal {
                break;
            }
            // Its entry in `reported`, if any, finds it gone when its time comes: no-op then.
            self.stats.requests_closed_early += 1;
            self.finish(&id, emit);
        }
    }

    /// A live run's clock: emits the requests whose REPORT came at least `grace_ms` before
    /// `now_ms` (from the first tick on, a [`settled`] REPORT after its START emits its request
    /// when pushed), and, as incomplete, those without REPORT that saw no line for `incomplete_after_ms`.
    /// Lines pushed after it are stamped with `now_ms`. A run that never ticks (a file) emits by
    /// lines only, so its results do not depend on how fast it was read.
    pub fn tick(&mut self, now_ms: i64, emit: &mut dyn FnMut(&Invocation)) {
        self.now_ms = now_ms;
        self.live = true;
        while let Some(&(_, at, _)) = self.reported.front() {
            if at.saturating_add(self.config.grace_ms) > now_ms {
                break;
            }
            if let Some((seq, _, id)) = self.reported.pop_front() {
                self.finish_reported(seq, &id, emit);
            }
        }
        let horizon = now_ms.saturating_sub(self.config.incomplete_after_ms);
        let idle = self.open_oldest_first(|o| o.inv.report.is_none() && o.last_ms <= horizon);
        for id in idle {
            self.finish(&id, emit);
        }
    }

    /// End of input: emits everything still open, in order of first appearance.
    pub fn flush(&mut self, emit: &mut dyn FnMut(&Invocation)) {
        for id in self.open_oldest_first(|_| true) {
            self.finish(&id, emit);
        }
        self.reported.clear();
        for st in &mut self.streams {
            st.current = None;
        }
    }
}

#[cfg(test)]
mod tests;
