//! The access-log join as `tail` runs it: API requests and invocations held for a few seconds,
//! joined by the report's rules (invocations in START order, each taking the latest fitting
//! request) once no later event can change a pair, and handed out one per request in time order.

use std::collections::{BTreeMap, BTreeSet};

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};

use super::fields::AccessFields;
use super::join::{cached_for_other_ip, classify, consistent, in_window, is_failure_text, Class};
use super::record::{parse_record, AccessRecord};
use crate::decision::Decision;
use crate::report::RequestRow;

/// Held requests past this many are handed out unjoined, oldest first: memory stays bounded
/// whatever the traffic (a few seconds of it are held).
const MAX_HELD: usize = 200_000;

/// At most this many distinct allowed IPs are kept.
const MAX_ALLOWED_IPS: usize = 64;

/// One invocation waiting for its request.
#[derive(Debug, Clone)]
pub struct HeldInvocation {
    /// Its START, epoch ms.
    pub start_ms: i64,
    /// The source IP it logged.
    pub ip: Option<String>,
    /// The API request id it logged.
    pub api_request_id: Option<CompactString>,
    /// What it decided.
    pub decision: Decision,
    /// The invocation as `--requests` prints it (tokens masked as asked).
    pub row: RequestRow,
}

/// One API request with what answered it.
#[derive(Debug, Clone)]
pub struct JoinedRequest {
    /// The access-log record.
    pub record: AccessRecord,
    /// When it arrived (epoch ms), when known.
    pub time_ms: Option<i64>,
    /// What answered it.
    pub class: Class,
    /// A cached decision made for another IP than the caller's.
    pub other_ip: bool,
    /// The invocation that decided it.
    pub invocation: Option<RequestRow>,
    /// Matched by IP and time while another request of its IP fitted too.
    pub ambiguous: bool,
}

/// Counts over the requests handed out, for `tail`'s summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveCounts {
    /// Requests handed out.
    pub requests: u64,
    /// By class: fresh allow, fresh deny, fresh unknown, cached allow, cached deny, 401,
    /// authorizer failed, other.
    pub fresh_allow: u64,
    pub fresh_deny: u64,
    pub fresh_unknown: u64,
    pub cached_allow: u64,
    pub cached_deny: u64,
    pub identity_missing: u64,
    pub authorizer_failed: u64,
    pub other: u64,
    /// Cached decisions made for another IP.
    pub other_ip: u64,
    /// Invocations no request matched.
    pub unmatched_invocations: u64,
    /// Pairs made while another request fitted too.
    pub ambiguous: u64,
    /// Lines of the access logs that were not records.
    pub unreadable: u64,
}

type Key = (i64, u64);

/// A request held for its invocation.
#[derive(Debug)]
struct HeldRequest {
    record: AccessRecord,
    /// Its invocation, once paired.
    invocation: Option<Box<HeldInvocation>>,
    /// The pair was made while another request fitted too.
    ambiguous: bool,
    /// When it was handed over (the caller's clock).
    arrived_ms: i64,
}

/// The join's state between events.
#[derive(Debug)]
pub struct LiveJoin {
    fields: AccessFields,
    window_ms: i64,
    seq: u64,
    requests: BTreeMap<Key, HeldRequest>,
    by_ip: FxHashMap<String, BTreeSet<Key>>,
    by_id: FxHashMap<CompactString, Key>,
    /// Held invocations, and when each was handed over.
    invocations: BTreeMap<Key, (HeldInvocation, i64)>,
    allowed_ips: FxHashSet<String>,
    /// The request ids the held invocations logged, and how many name each: the IP/time join
    /// leaves those requests to their exact match.
    named: FxHashMap<CompactString, u32>,
    /// The latest request time and invocation START seen (event time).
    latest_request: Option<i64>,
    latest_start: Option<i64>,
    /// What was handed out.
    pub counts: LiveCounts,
}

impl LiveJoin {
    /// A join reading records with `fields`, pairing within `window_ms`.
    pub fn new(fields: AccessFields, window_ms: u64) -> LiveJoin {
        LiveJoin {
            fields,
            window_ms: i64::try_from(window_ms).unwrap_or(i64::MAX),
            seq: 0,
            requests: BTreeMap::new(),
            by_ip: FxHashMap::default(),
            by_id: FxHashMap::default(),
            invocations: BTreeMap::new(),
            allowed_ips: FxHashSet::default(),
            named: FxHashMap::default(),
            latest_request: None,
            latest_start: None,
            counts: LiveCounts::default(),
        }
    }

    fn key(&mut self, t: i64) -> Key {
        self.seq += 1;
        (t, self.seq)
    }

    /// One access-log event, handed over at `now_ms` (which also stamps a record with no time);
    /// a line that is no record is counted.
    pub fn access_event(&mut self, message: &str, event_ms: Option<i64>, now_ms: i64) {
        let message = message.trim();
        if message.is_empty() {
            return;
        }
        let Ok(record) = parse_record(message, &self.fields) else {
            self.counts.unreadable += 1;
            return;
        };
        let t = record.time_ms.or(event_ms).unwrap_or(now_ms);
        self.latest_request = self.latest_request.max(Some(t));
        let key = self.key(t);
        if let Some(ip) = &record.ip {
            self.by_ip.entry(ip.clone()).or_default().insert(key);
        }
        if let Some(id) = &record.request_id {
            self.by_id.insert(CompactString::new(id), key);
        }
        self.requests.insert(
            key,
            HeldRequest {
                record,
                invocation: None,
                ambiguous: false,
                arrived_ms: now_ms,
            },
        );
    }

    /// One finished invocation, handed over at `now_ms`; `allowed_ip` is the allowed IP it logged.
    pub fn invocation(&mut self, held: HeldInvocation, allowed_ip: Option<&str>, now_ms: i64) {
        if let Some(ip) = allowed_ip {
            if self.allowed_ips.len() < MAX_ALLOWED_IPS {
                self.allowed_ips.insert(ip.to_string());
            }
        }
        self.latest_start = self.latest_start.max(Some(held.start_ms));
        if let Some(id) = &held.api_request_id {
            *self.named.entry(id.clone()).or_default() += 1;
        }
        let key = self.key(held.start_ms);
        self.invocations.insert(key, (held, now_ms));
    }

    /// The time before which every event of both logs has arrived, by the events themselves:
    /// the earlier of the two logs' latest times, less the window and `settle_ms`; none until
    /// both have given one (the end of the run hands out the rest).
    pub fn event_horizon(&self, settle_ms: i64) -> Option<i64> {
        let latest = self.latest_request?.min(self.latest_start?);
        Some(latest.saturating_sub(self.window_ms).saturating_sub(settle_ms))
    }

    /// Joins what `horizon` makes final and returns the requests it decides, in time order;
    /// `i64::MAX` hands out everything (the end of the run). Only what was handed over by
    /// `settled` takes part: a backfill delivers hours of both logs at once, and each side's
    /// events of the same moment must have arrived before either is decided.
    pub fn advance(&mut self, horizon: i64, settled: i64) -> Vec<JoinedRequest> {
        let everything = horizon == i64::MAX;
        // Invocations whose START is past the horizon may still see their request arrive.
        while let Some(entry) = self.invocations.first_entry() {
            if !everything && (entry.key().0 > horizon || entry.get().1 > settled) {
                break;
            }
            let (inv, _) = entry.remove();
            self.pair(inv);
        }
        let mut out = Vec::new();
        // A request is final once no invocation still to come, or still held, could start
        // within its window.
        let before = match self.invocations.first_key_value() {
            Some((k, _)) if !everything => horizon.min(k.0.saturating_sub(1)),
            _ => horizon,
        };
        let last_final = before.saturating_sub(self.window_ms).saturating_sub(1000);
        loop {
            let over = self.requests.len() > MAX_HELD;
            let Some(entry) = self.requests.first_entry() else {
                break;
            };
            if !everything && !over && (entry.key().0 > last_final || entry.get().arrived_ms > settled) {
                break;
            }
            let key = *entry.key();
            let held = entry.remove();
            self.forget(key, &held.record);
            out.push(self.decide(held, key.0));
        }
        if everything {
            self.counts.unmatched_invocations += self.invocations.len() as u64;
            self.invocations.clear();
            self.named.clear();
        }
        out
    }

    fn forget(&mut self, key: Key, record: &AccessRecord) {
        if let Some(ip) = &record.ip {
            if let Some(set) = self.by_ip.get_mut(ip) {
                set.remove(&key);
                if set.is_empty() {
                    self.by_ip.remove(ip);
                }
            }
        }
        if let Some(id) = &record.request_id {
            if self.by_id.get(id.as_str()) == Some(&key) {
                self.by_id.remove(id.as_str());
            }
        }
    }

    /// Gives `inv` its request: by the API request id it logged, else the latest unpaired request
    /// of its IP within the window whose status fits its decision.
    fn pair(&mut self, inv: HeldInvocation) {
        if let Some(id) = &inv.api_request_id {
            if let Some(n) = self.named.get_mut(id) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.named.remove(id);
                }
            }
        }
        let exact = inv
            .api_request_id
            .as_ref()
            .and_then(|id| self.by_id.get(id.as_str()).copied())
            .filter(|k| self.requests.get(k).is_some_and(|r| r.invocation.is_none()));
        let (key, ambiguous) = match exact {
            Some(k) => (Some(k), false),
            None => self.by_ip_time(&inv),
        };
        match key.and_then(|k| self.requests.get_mut(&k)) {
            Some(slot) => {
                slot.invocation = Some(Box::new(inv));
                slot.ambiguous = ambiguous;
            }
            None => self.counts.unmatched_invocations += 1,
        }
    }

    fn by_ip_time(&self, inv: &HeldInvocation) -> (Option<Key>, bool) {
        let Some(keys) = inv.ip.as_ref().and_then(|ip| self.by_ip.get(ip)) else {
            return (None, false);
        };
        let start = inv.start_ms;
        let from = (start.saturating_sub(self.window_ms).saturating_sub(1000), 0);
        let mut best = None;
        let mut candidates = 0;
        for key in keys.range(from..=(start, u64::MAX)) {
            let Some(HeldRequest {
                record,
                invocation: paired,
                ..
            }) = self.requests.get(key)
            else {
                continue;
            };
            let claimed = record
                .request_id
                .as_deref()
                .is_some_and(|id| self.named.contains_key(id));
            let fits = paired.is_none()
                && !claimed
                && in_window(key.0, record.time_from_seconds, start, self.window_ms)
                && consistent(record.status.unwrap_or(0), inv.decision);
            if fits {
                candidates += 1;
                // Keys are in time order: a later request replaces an earlier one, ties keep the first.
                if best.is_none_or(|b: Key| b.0 < key.0) {
                    best = Some(*key);
                }
            }
        }
        (best, candidates > 1)
    }

    fn decide(&mut self, held: HeldRequest, t: i64) -> JoinedRequest {
        let HeldRequest {
            record,
            invocation: inv,
            ambiguous,
            ..
        } = held;
        let failure_text = record.authorizer_error.as_deref().is_some_and(is_failure_text);
        let class = classify(
            record.status.unwrap_or(0),
            failure_text,
            record.integration_error_message.is_some(),
            inv.as_ref().map(|i| i.decision),
        );
        let other_ip = record
            .ip
            .as_deref()
            .is_some_and(|ip| cached_for_other_ip(class, ip, record.authorizer_ip.as_deref(), &self.allowed_ips));
        let c = &mut self.counts;
        c.requests += 1;
        c.other_ip += u64::from(other_ip);
        c.ambiguous += u64::from(ambiguous);
        match class {
            Class::Fresh(Decision::Allowed) => c.fresh_allow += 1,
            Class::Fresh(Decision::Denied) => c.fresh_deny += 1,
            Class::Fresh(_) => c.fresh_unknown += 1,
            Class::CachedAllow => c.cached_allow += 1,
            Class::CachedDeny => c.cached_deny += 1,
            Class::IdentityMissing => c.identity_missing += 1,
            Class::AuthorizerFailed => c.authorizer_failed += 1,
            Class::Other => c.other += 1,
        }
        JoinedRequest {
            record,
            time_ms: Some(t),
            class,
            other_ip,
            invocation: inv.map(|i| i.row),
            ambiguous,
        }
    }

    /// How long after a request its invocation may start, in ms.
    pub fn window_ms(&self) -> i64 {
        self.window_ms
    }

    /// Requests and invocations held.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.requests.len() + self.invocations.len()
    }
}

#[cfg(test)]
mod tests;
