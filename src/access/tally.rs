//! The counts the `callers` section reports, added one classified request at a time, so a
//! request can be decided (and dropped) as soon as no invocation can take it.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::collect::{ApiRequest, IdHash, Interner};
use super::join::{cached_for_other_ip, classify, is_failure_text, Class};
use crate::decision::Decision;
use crate::report::Callers;

/// A cached request whose "made for another IP" question waits for the end of the input (the
/// request its decision names may come later): the IP its context names (interned +1, 0 none),
/// else the request id it names, the caller's IP, and whether it was an allow.
type CachedKey = (u32, Option<IdHash>, u32, bool);

/// Counts over classified requests. Its maps grow with distinct statuses, error texts and
/// (decision's IP or named request, caller IP) pairs of cached decisions: in an API's logs a few
/// per fresh decision, not one per request.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    requests: u64,
    invoked: u64,
    by_status: BTreeMap<u16, u64>,
    fresh: [u64; 3],
    cached: [u64; 2],
    identity_missing: u64,
    authorizer_failed: u64,
    other: u64,
    errors: FxHashMap<u32, u64>,
    without_ip_or_time: u64,
    any_authorizer_ip: bool,
    any_authorizer_request_id: bool,
    cached_callers: FxHashMap<CachedKey, u64>,
}

impl Tally {
    /// Counts `r`, answered by an invocation that decided `invocation` (none: no invocation).
    pub fn add(&mut self, r: &ApiRequest, invocation: Option<Decision>, errors: &Interner) {
        self.requests += 1;
        *self.by_status.entry(r.status).or_default() += 1;
        self.invoked += u64::from(invocation.is_some());
        self.any_authorizer_ip |= r.authorizer_ip().is_some();
        self.any_authorizer_request_id |= r.authorizer_request_id().is_some();
        if invocation.is_none() && (r.ip().is_none() || r.time_ms().is_none()) {
            self.without_ip_or_time += 1;
        }
        let failure_text = r.authorizer_error().is_some_and(|e| is_failure_text(errors.text(e)));
        let class = classify(r.status, failure_text, r.integration_error(), invocation);
        match class {
            Class::Fresh(Decision::Allowed) => self.fresh[0] += 1,
            Class::Fresh(Decision::Denied) => self.fresh[1] += 1,
            Class::Fresh(_) => self.fresh[2] += 1,
            Class::CachedAllow => self.cached[0] += 1,
            Class::CachedDeny => self.cached[1] += 1,
            Class::IdentityMissing => self.identity_missing += 1,
            Class::AuthorizerFailed => {
                self.authorizer_failed += 1;
                if let Some(e) = r.authorizer_error() {
                    *self.errors.entry(e).or_default() += 1;
                }
            }
            Class::Other => self.other += 1,
        }
        if let (Some(ip), true) = (r.ip(), matches!(class, Class::CachedAllow | Class::CachedDeny)) {
            // The context's IP wins over the IP of the request it names.
            let context_ip = r.authorizer_ip().map_or(0, |i| i.saturating_add(1));
            let named = if context_ip == 0 {
                r.authorizer_request_id()
            } else {
                None
            };
            *self
                .cached_callers
                .entry((context_ip, named, ip, class == Class::CachedAllow))
                .or_default() += 1;
        }
    }

    /// The request ids cached decisions name (whose IPs [`Tally::finish`] needs).
    pub fn named_requests(&self) -> FxHashSet<IdHash> {
        self.cached_callers.keys().filter_map(|k| k.1).collect()
    }

    /// Writes the counts into `c`; `ip_of_request` is the caller IP of the last request with
    /// each of [`Tally::named_requests`], `ips` the interned IPs. Returns the errors and the callers of
    /// cached decisions made for another IP, by count, for the report's top lists.
    pub fn finish(
        &self,
        c: &mut Callers,
        ip_of_request: &FxHashMap<IdHash, u32>,
        ips: &Interner,
        allowed_ips: &FxHashSet<String>,
    ) -> (FxHashMap<u32, u64>, FxHashMap<u32, u64>) {
        c.requests = self.requests;
        c.authorizer_invoked = self.invoked;
        c.fresh.allow = self.fresh[0];
        c.fresh.deny = self.fresh[1];
        c.fresh.unknown = self.fresh[2];
        c.cached.allow = self.cached[0];
        c.cached.deny = self.cached[1];
        c.identity_missing = self.identity_missing;
        c.authorizer_failed = self.authorizer_failed;
        c.other = self.other;
        c.join.without_ip_or_time = self.without_ip_or_time;
        c.by_status = self
            .by_status
            .iter()
            .map(|(&status, &count)| crate::report::StatusCount { status, count })
            .collect();
        c.cached_other_ip_basis = if self.any_authorizer_ip {
            "authorizer_ip"
        } else if self.any_authorizer_request_id {
            "authorizer_request_id"
        } else if !allowed_ips.is_empty() {
            "allowed_ip"
        } else {
            "none"
        };
        let mut other_ip_callers: FxHashMap<u32, u64> = FxHashMap::default();
        for (&(context_ip, named, caller, allow), &n) in &self.cached_callers {
            let decided_for = match context_ip.checked_sub(1) {
                Some(ip) => Some(ip),
                None => named.and_then(|id| ip_of_request.get(&id).copied()),
            };
            let class = if allow { Class::CachedAllow } else { Class::CachedDeny };
            if cached_for_other_ip(class, ips.text(caller), decided_for.map(|ip| ips.text(ip)), allowed_ips) {
                c.cached_other_ip += n;
                if allow {
                    c.cached_other_ip_allow += n;
                }
                *other_ip_callers.entry(caller).or_default() += n;
            }
        }
        (self.errors.clone(), other_ip_callers)
    }
}
