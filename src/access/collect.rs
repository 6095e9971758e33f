//! Access-log events read into compact API requests for the join: each value the join needs, IPs
//! and error texts interned; with the invocations' plan, only the requests an invocation could take
//! are held, every other one counted as it is read.

use std::ops::ControlFlow;

use std::hash::Hasher;
use std::num::NonZeroU64;

use rustc_hash::{FxHashMap, FxHashSet};

use super::fields::AccessFields;
use super::plan::JoinPlan;
use super::record::{parse_join_record, JoinRecord};
use super::request_ips::RequestIps;
use super::tally::Tally;
use crate::report::InputError;
use crate::source::{EventSink, InputFormat, LogEvent};

/// The most API requests one report holds for the join (those an invocation could take; with a
/// plan, the others are counted as they are read): past it the run stops with an error that says
/// how to narrow the window, instead of growing without bound (each costs about 100 bytes with the
/// join's indexes, so the cap is about half a GB). Invocations have the same cap.
pub const MAX_REQUESTS: usize = 5_000_000;

/// The most distinct request ids checked for repeats: 1,048,576 ids, about 26 MiB with the set's
/// overhead (8 bytes an id). Past it, later records are not checked (`duplicates_unchecked` says so):
/// the join's memory stays flat whatever the size of the access log (docs/access-logs.md#limits).
pub const MAX_IDS_CHECKED: usize = 1 << 20;

/// A request id as the join keeps it: 64 bits of SipHash (fixed keys) instead of the text. Two of
/// five million ids share one with odds of about one in a million, and the join only needs equality.
pub type IdHash = NonZeroU64;

/// The [`IdHash`] of a request id.
pub fn id_hash(id: &str) -> IdHash {
    #[allow(deprecated)] // SipHasher is stable in its output, which a keyed RandomState is not.
    let mut h = std::hash::SipHasher::new();
    h.write(id.as_bytes());
    NonZeroU64::new(h.finish()).unwrap_or(NonZeroU64::MIN)
}

/// Text interned once, referred to by index.
#[derive(Debug, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
}

impl Interner {
    /// The index of `text`, added when new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    /// The index of `text`, when it was interned.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The text of `id`.
    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |t| t)
    }
}

/// One API request as the join needs it, in 40 bytes: the join holds every request of the window,
/// so absence is a flag bit or a 0 index rather than an `Option` (which doubles the time's 8 bytes
/// and pads each 4-byte index to 8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiRequest {
    /// When it arrived (epoch ms), when [`HAS_TIME`] is set.
    time_ms: i64,
    /// `$context.requestId`, hashed.
    request_id: Option<IdHash>,
    /// The API request the decision was made for (a context value), hashed.
    authorizer_request_id: Option<IdHash>,
    /// `$context.identity.sourceIp`, interned (+1: 0 is absent).
    ip: u32,
    /// `$context.authorizer.ip`: the IP the decision was made for, interned (+1).
    authorizer_ip: u32,
    /// `$context.authorizer.error`, interned (+1).
    authorizer_error: u32,
    /// The HTTP status; 0 when the record has none.
    pub status: u16,
    /// [`HAS_TIME`], [`SECOND_PRECISION`] and [`INTEGRATION_ERROR`].
    flags: u8,
}

/// An IP not looked up in the plan yet.
const SLOT_UNKNOWN: u32 = u32::MAX;
/// An IP no invocation logged.
const NO_SLOT: u32 = u32::MAX - 1;

/// The request has a time (its record's, else its event's).
const HAS_TIME: u8 = 1;
/// The time came from `requestTime`.
const SECOND_PRECISION: u8 = 2;
/// `integrationErrorMessage` was logged.
const INTEGRATION_ERROR: u8 = 4;

/// An interned index stored +1, so 0 can say absent.
fn packed(index: Option<u32>) -> u32 {
    index.map_or(0, |i| i.saturating_add(1))
}

fn unpacked(stored: u32) -> Option<u32> {
    stored.checked_sub(1)
}

// The join's memory is this size times the requests of the window (docs/access-logs.md#limits).
const _: () = assert!(std::mem::size_of::<ApiRequest>() == 40);

impl ApiRequest {
    /// When it arrived (epoch ms): `requestTimeEpoch`, else `requestTime`, else the event's time.
    pub fn time_ms(&self) -> Option<i64> {
        (self.flags & HAS_TIME != 0).then_some(self.time_ms)
    }

    /// The time came from `requestTime`, which has whole seconds.
    pub fn second_precision(&self) -> bool {
        self.flags & SECOND_PRECISION != 0
    }

    /// `$context.integrationErrorMessage` was logged: the integration ran.
    pub fn integration_error(&self) -> bool {
        self.flags & INTEGRATION_ERROR != 0
    }

    /// `$context.identity.sourceIp`, interned.
    pub fn ip(&self) -> Option<u32> {
        unpacked(self.ip)
    }

    /// `$context.requestId`, hashed.
    pub fn request_id(&self) -> Option<IdHash> {
        self.request_id
    }

    /// `$context.authorizer.ip`: the IP the decision was made for, interned.
    pub fn authorizer_ip(&self) -> Option<u32> {
        unpacked(self.authorizer_ip)
    }

    /// The API request the decision was made for (a context value), hashed.
    pub fn authorizer_request_id(&self) -> Option<IdHash> {
        self.authorizer_request_id
    }

    /// `$context.authorizer.error`, interned.
    pub fn authorizer_error(&self) -> Option<u32> {
        unpacked(self.authorizer_error)
    }
}

/// Reads access-log events (from files or a log group) into [`ApiRequest`]s.
#[derive(Debug)]
pub struct AccessCollector {
    fields: AccessFields,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    /// The requests held for the join, in reading order: all of them without a plan, else those
    /// an invocation could take.
    pub requests: Vec<ApiRequest>,
    /// What the invocations could join, when known before reading.
    plan: Option<JoinPlan>,
    /// The requests decided while reading (no invocation could take them).
    pub(crate) tally: Tally,
    /// The caller IP of every request id read: a cached decision may name the request it was
    /// made for (12 bytes a request, past a budget in a scratch file; docs/access-logs.md#limits).
    ip_of_request: RequestIps,
    /// The request ids requests name as the one their decision was made for (in an API's logs
    /// one per fresh decision: cache hits name the request that filled the cache).
    named_by_requests: FxHashSet<IdHash>,
    /// The IPs of `named_by_requests`, once [`AccessCollector::resolve`] read them back.
    resolved: Option<FxHashMap<IdHash, u32>>,
    /// The ids the plan names whose first request was held: later ones cannot match by id.
    named_seen: FxHashSet<IdHash>,
    /// Per interned IP, its slot in the plan: [`SLOT_UNKNOWN`] until looked up, [`NO_SLOT`] none.
    ip_slots: Vec<u32>,
    /// IPs (caller and authorizer context), interned.
    pub ips: Interner,
    /// Authorizer error texts, interned.
    pub errors: Interner,
    /// Records outside the window (`--since`/`--until`, else the invocations' span widened by
    /// the cache's longest TTL): skipped.
    pub filtered: u64,
    /// Records repeating a request id read before (an input read twice, overlapping exports):
    /// each request is counted once.
    pub duplicates: u64,
    /// The request ids read, to find repeats; at most [`MAX_IDS_CHECKED`].
    seen_ids: FxHashSet<IdHash>,
    /// More distinct ids than [`MAX_IDS_CHECKED`]: later records were not checked for repeats.
    pub duplicates_unchecked: bool,
    /// The earliest and latest time of the records read (inside the window or not), to tell an
    /// access log that does not overlap the authorizer's logs at all.
    pub span: Option<(i64, i64)>,
    /// Records with a time (those `span` covers).
    pub timed: u64,
    /// Events that were not access-log records.
    pub unreadable: u64,
    /// The first of them: `<input>, event <n>: <why>` (the input named once it is done).
    pub first_unreadable: Option<String>,
    /// Damage in the inputs, as the authorizer's inputs report it.
    pub input_errors: Vec<InputError>,
    /// More requests than [`MAX_REQUESTS`] were in the window.
    pub over_cap: bool,
    /// Events of the input being read, for positions.
    events_in_input: u64,
    /// The first unreadable record of the input being read: (event number, why).
    pending_unreadable: Option<(u64, String)>,
}

impl AccessCollector {
    /// A collector reading records with `fields`, keeping those in `[since, until)`, holding
    /// every request for the join.
    pub fn new(fields: AccessFields, since_ms: Option<i64>, until_ms: Option<i64>) -> AccessCollector {
        AccessCollector {
            fields,
            since_ms,
            until_ms,
            requests: Vec::new(),
            plan: None,
            tally: Tally::default(),
            ip_of_request: RequestIps::default(),
            named_by_requests: FxHashSet::default(),
            resolved: None,
            named_seen: FxHashSet::default(),
            ip_slots: Vec::new(),
            ips: Interner::default(),
            errors: Interner::default(),
            filtered: 0,
            duplicates: 0,
            seen_ids: FxHashSet::default(),
            duplicates_unchecked: false,
            span: None,
            timed: 0,
            unreadable: 0,
            first_unreadable: None,
            input_errors: Vec::new(),
            over_cap: false,
            events_in_input: 0,
            pending_unreadable: None,
        }
    }

    /// A collector as [`AccessCollector::new`] that holds only the requests an invocation of
    /// `plan` could take, and counts every other one as it is read.
    pub fn with_plan(
        fields: AccessFields,
        since_ms: Option<i64>,
        until_ms: Option<i64>,
        plan: JoinPlan,
    ) -> AccessCollector {
        AccessCollector {
            plan: Some(plan),
            ..AccessCollector::new(fields, since_ms, until_ms)
        }
    }

    /// Whether an invocation of the plan could take `r` (without a plan, every request).
    fn joinable(&mut self, r: &ApiRequest) -> bool {
        let Some(plan) = &self.plan else {
            return true;
        };
        // The first request with an id an invocation logged: the exact match looks it up.
        if let Some(id) = r.request_id().filter(|&id| plan.names(id)) {
            if self.named_seen.insert(id) {
                return true;
            }
        }
        let (Some(ip), Some(t)) = (r.ip(), r.time_ms()) else {
            return false;
        };
        let i = ip as usize;
        if i >= self.ip_slots.len() {
            self.ip_slots.resize(i + 1, SLOT_UNKNOWN);
        }
        if self.ip_slots[i] == SLOT_UNKNOWN {
            self.ip_slots[i] = plan.ip_slot(self.ips.text(ip)).unwrap_or(NO_SLOT);
        }
        let slot = self.ip_slots[i];
        slot != NO_SLOT && plan.in_reach(slot, t)
    }

    /// Reads back the IPs of the requests other requests name, once the input is read: past a
    /// million requests most pairs are in the scratch file, which this reads once.
    pub fn resolve(&mut self) -> std::io::Result<()> {
        self.resolved = Some(self.ip_of_request.lookup(&self.named_by_requests)?);
        Ok(())
    }

    /// The caller IP of the last request with each of `wanted` (ids that requests name).
    pub(crate) fn ip_of_requests(&self, wanted: &FxHashSet<IdHash>) -> FxHashMap<IdHash, u32> {
        match &self.resolved {
            Some(all) => wanted.iter().filter_map(|id| Some((*id, *all.get(id)?))).collect(),
            None => {
                // Only the report's collector spills, and it resolves before the join.
                debug_assert!(!self.ip_of_request.spilled(), "resolve() before the join");
                self.ip_of_request.lookup_in_memory(wanted)
            }
        }
    }

    /// Where the first unreadable record was, and why.
    pub fn first_unreadable(&self) -> Option<String> {
        self.first_unreadable.clone().or_else(|| {
            self.pending_unreadable
                .as_ref()
                .map(|(n, why)| format!("access log, event {n}: {why}"))
        })
    }

    /// Whether `id` was read before; remembers it while the set has room.
    fn is_repeat(&mut self, id: IdHash) -> bool {
        if self.seen_ids.len() < MAX_IDS_CHECKED {
            return !self.seen_ids.insert(id);
        }
        let seen = self.seen_ids.contains(&id);
        self.duplicates_unchecked |= !seen;
        seen
    }

    fn add(&mut self, record: JoinRecord<'_>, event_ms: Option<i64>) {
        let second_precision = record.time_ms.is_some() && record.time_from_seconds;
        let time_ms = record.time_ms.or(event_ms);
        if let Some(t) = time_ms {
            self.timed += 1;
            self.span = Some(self.span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
            if self.since_ms.is_some_and(|s| t < s) || self.until_ms.is_some_and(|u| t >= u) {
                self.filtered += 1;
                return;
            }
        }
        let request_id = record.request_id.as_deref().map(id_hash);
        if let Some(id) = request_id {
            if self.is_repeat(id) {
                self.duplicates += 1;
                return;
            }
        }
        let ips = &mut self.ips;
        let flag = |set: bool, bit: u8| if set { bit } else { 0 };
        let flags = flag(time_ms.is_some(), HAS_TIME)
            | flag(second_precision, SECOND_PRECISION)
            | flag(record.integration_error, INTEGRATION_ERROR);
        let request = ApiRequest {
            time_ms: time_ms.unwrap_or(0),
            request_id,
            authorizer_request_id: record.authorizer_request_id.as_deref().map(id_hash),
            ip: packed(record.ip.as_deref().map(|ip| ips.intern(ip))),
            authorizer_ip: packed(record.authorizer_ip.as_deref().map(|ip| ips.intern(ip))),
            authorizer_error: packed(record.authorizer_error.as_deref().map(|e| self.errors.intern(e))),
            status: record.status.unwrap_or(0),
            flags,
        };
        if let (Some(id), Some(ip)) = (request.request_id(), request.ip()) {
            self.ip_of_request.push(id, ip);
        }
        if let Some(id) = request.authorizer_request_id() {
            self.named_by_requests.insert(id);
        }
        if self.joinable(&request) {
            self.requests.push(request);
        } else {
            self.tally.add(&request, None, &self.errors);
        }
    }
}

impl EventSink for AccessCollector {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.events_in_input += 1;
        let message = event.message.trim();
        if message.is_empty() {
            return ControlFlow::Continue(());
        }
        match parse_join_record(message, &self.fields) {
            Ok(record) => self.add(record, event.timestamp_ms),
            Err(why) => {
                self.unreadable += 1;
                if self.first_unreadable.is_none() && self.pending_unreadable.is_none() {
                    self.pending_unreadable = Some((self.events_in_input, why.to_string()));
                }
            }
        }
        if self.requests.len() > MAX_REQUESTS {
            self.over_cap = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn stopped(&self) -> bool {
        self.over_cap
    }

    fn input_error(&mut self, error: InputError) {
        self.input_errors.push(error);
    }

    fn input_done(&mut self, input: &str, _format: InputFormat) {
        if let Some((n, why)) = self.pending_unreadable.take() {
            let input = if input.is_empty() { "access log" } else { input };
            self.first_unreadable = Some(format!("{input}, event {n}: {why}"));
        }
        self.events_in_input = 0;
    }
}
