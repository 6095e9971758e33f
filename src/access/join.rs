//! The join of API requests with invocations (exact by API request id, else by source IP and
//! time) and the classification of every request: what answered it, and for whom a cached
//! decision was made. The rules are in docs/access-logs.md.

use rustc_hash::{FxHashMap, FxHashSet};

use super::collect::{AccessCollector, ApiRequest, IdHash};
use super::invocations::InvocationNotes;
use crate::decision::Decision;
use crate::redact::{escape_control, mask_secret_words, mask_values};
use crate::report::{Callers, ErrorCount, IpCount, Join};

/// Lists in the `callers` section keep this many entries.
const TOP: usize = 10;

/// The error text API Gateway logs for a plain deny or a missing identity: not a failure.
pub(crate) fn is_failure_text(text: &str) -> bool {
    !text.eq_ignore_ascii_case("forbidden") && !text.eq_ignore_ascii_case("unauthorized")
}

/// A request's status may come from a decision: a deny is a 403, an allow anything but 401/403,
/// a timeout or failure a 5xx. A request without a status fits every decision.
pub(crate) fn consistent(status: u16, decision: Decision) -> bool {
    if status == 0 {
        return true;
    }
    match decision {
        Decision::Allowed => status != 401 && status != 403,
        Decision::Denied => status == 403,
        Decision::Timeout | Decision::Error => status >= 500,
        Decision::Unknown => true,
    }
}

/// Whether a request stamped at `t` (whole seconds when `second_precision`) may have been the
/// one an invocation that started at `start` decided: it arrived before the START, at most
/// `window` ms before it (a stamp in whole seconds arrived up to 999 ms after it, never before).
pub(crate) fn in_window(t: i64, second_precision: bool, start: i64, window: i64) -> bool {
    let slack = if second_precision { 999 } else { 0 };
    t <= start && t.saturating_add(slack).saturating_add(window) >= start
}

/// What answered one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Fresh(Decision),
    CachedAllow,
    CachedDeny,
    IdentityMissing,
    AuthorizerFailed,
    Other,
}

impl Class {
    /// The class's name in `tail`'s JSON lines.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Fresh(Decision::Allowed) => "fresh_allow",
            Class::Fresh(Decision::Denied) => "fresh_deny",
            Class::Fresh(_) => "fresh_unknown",
            Class::CachedAllow => "cached_allow",
            Class::CachedDeny => "cached_deny",
            Class::IdentityMissing => "identity_missing",
            Class::AuthorizerFailed => "authorizer_failed",
            Class::Other => "other",
        }
    }

    /// The caller was refused (401, 403, or a 500 the authorizer caused).
    pub(crate) fn refused(self) -> bool {
        matches!(
            self,
            Class::Fresh(Decision::Denied) | Class::CachedDeny | Class::IdentityMissing | Class::AuthorizerFailed
        )
    }
}

/// What answered a request with `status`, an `authorizer.error` that names a failure (not a plain
/// Forbidden), an integration error, and the decision of its invocation when it has one.
pub(crate) fn classify(
    status: u16,
    failure_text: bool,
    integration_error: bool,
    invocation: Option<Decision>,
) -> Class {
    match invocation {
        Some(Decision::Timeout | Decision::Error) => Class::AuthorizerFailed,
        Some(_) if failure_text => Class::AuthorizerFailed,
        Some(d) => Class::Fresh(d),
        None if status == 401 => Class::IdentityMissing,
        None if failure_text => Class::AuthorizerFailed,
        None if status == 403 => Class::CachedDeny,
        None if (200..400).contains(&status) || integration_error => Class::CachedAllow,
        None => Class::Other,
    }
}

/// The pairs of the join: `matched[request] = Some(invocation)` (indexes in u32: the
/// collectors hold at most `MAX_REQUESTS`).
struct Matches {
    matched: Vec<Option<u32>>,
    invocation_used: Vec<bool>,
    join: Join,
}

fn match_requests(
    requests: &[ApiRequest],
    access: &AccessCollector,
    inv: &InvocationNotes<'_>,
    window_ms: u64,
) -> Matches {
    let mut m = Matches {
        matched: vec![None; requests.len()],
        invocation_used: vec![false; inv.notes.len()],
        join: Join {
            window_ms,
            ..Join::default()
        },
    };
    // Only an authorizer that logs API request ids needs the index of them (tens of MB a million).
    let exact = inv.notes.iter().any(|n| n.api_request_id.is_some());
    let mut by_id: FxHashMap<IdHash, usize> = FxHashMap::default();
    let mut by_ip: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, r) in requests.iter().enumerate() {
        if let Some(id) = r.request_id().filter(|_| exact) {
            by_id.entry(id).or_insert(i);
        }
        if let (Some(ip), Some(_)) = (r.ip(), r.time_ms()) {
            by_ip.entry(ip).or_default().push(i as u32);
        }
    }
    for list in by_ip.values_mut() {
        list.sort_by_key(|&i| (requests[i as usize].time_ms(), i));
    }
    // Request ids that invocations still to come name: the IP/time join leaves those requests
    // to their exact match.
    let mut named: FxHashMap<IdHash, u32> = FxHashMap::default();
    for note in &inv.notes {
        if let Some(id) = note.api_request_id {
            *named.entry(id).or_default() += 1;
        }
    }
    // One pass in START order (invocations without a time first: only their id can match):
    // each takes the request whose id it logged, else the latest unmatched request of its IP
    // that arrived within the window before it and whose status fits its decision. `tail`'s
    // live join makes the same pass.
    let mut order: Vec<usize> = (0..inv.notes.len()).collect();
    order.sort_by_key(|&k| (inv.notes[k].time_ms.unwrap_or(i64::MIN), k));
    let window = i64::try_from(window_ms).unwrap_or(i64::MAX);
    for k in order {
        let note = &inv.notes[k];
        if let Some(id) = note.api_request_id {
            if let Some(n) = named.get_mut(&id) {
                *n = n.saturating_sub(1);
            }
            if let Some(&i) = by_id.get(&id).filter(|&&i| m.matched[i].is_none()) {
                m.matched[i] = Some(k as u32);
                m.invocation_used[k] = true;
                m.join.by_request_id += 1;
                continue;
            }
        }
        let (Some(start), Some(ip)) = (note.time_ms, note.ip) else {
            continue;
        };
        let Some(list) = access.ips.get(inv.ips.text(ip)).and_then(|id| by_ip.get(&id)) else {
            continue;
        };
        // A request timed in whole seconds arrived up to 999 ms after its stamp (never before),
        // so its window reaches that much further.
        let earliest = start.saturating_sub(window).saturating_sub(1000);
        let from = list.partition_point(|&i| requests[i as usize].time_ms().unwrap_or(i64::MIN) < earliest);
        let mut best: Option<usize> = None;
        let mut candidates = 0u64;
        for &i in &list[from..] {
            let i = i as usize;
            let r = &requests[i];
            let Some(t) = r.time_ms() else { continue };
            if t > start {
                break;
            }
            let claimed = r.request_id().is_some_and(|id| named.get(&id).is_some_and(|n| *n > 0));
            let fits = m.matched[i].is_none()
                && !claimed
                && in_window(t, r.second_precision(), start, window)
                && consistent(r.status, note.decision);
            if fits {
                candidates += 1;
                // The list is in time order: a later one replaces an earlier, ties keep the first.
                if best.is_none_or(|b| requests[b].time_ms() < r.time_ms()) {
                    best = Some(i);
                }
            }
        }
        if let Some(i) = best {
            m.matched[i] = Some(k as u32);
            m.invocation_used[k] = true;
            m.join.by_ip_time += 1;
            if candidates > 1 {
                m.join.ambiguous += 1;
            }
        }
    }
    m.join.method = match (m.join.by_request_id > 0, m.join.by_ip_time > 0) {
        (true, true) => "request_id+ip_time",
        (true, false) => "request_id",
        (false, true) => "ip_time",
        (false, false) => "none",
    };
    m
}

/// Text from an access log as the report shows it: control characters escaped, known tokens
/// and values after token words masked, at most `max` characters.
pub(crate) fn shown(text: &str, tokens: &[&str], max: usize) -> String {
    let masked = mask_values(&mask_secret_words(text), tokens);
    let escaped = escape_control(&masked);
    let mut out: String = escaped.chars().take(max).collect();
    if escaped.chars().count() > max {
        out.push('…');
    }
    out
}

fn top<K: Ord + Clone>(counts: &FxHashMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = counts.iter().map(|(k, c)| (k.clone(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(TOP);
    v
}

/// Joins the requests of `access` with the invocations of `inv` and classifies every request:
/// those it holds are joined here, those it decided while reading (none could be taken) are
/// already counted.
pub fn join(access: &AccessCollector, inv: &InvocationNotes<'_>, window_ms: u64) -> Callers {
    let requests = &access.requests;
    let m = match_requests(requests, access, inv, window_ms);
    let mut tally = access.tally.clone();
    for (r, matched) in requests.iter().zip(&m.matched) {
        tally.add(r, matched.map(|k| inv.notes[k as usize].decision), &access.errors);
    }
    let tokens: Vec<&str> = inv.tokens.values().collect();
    let mut c = Callers {
        join: m.join.clone(),
        unreadable_records: access.unreadable,
        filtered_records: access.filtered,
        duplicate_records: access.duplicates,
        first_unreadable_record: access.first_unreadable().map(|s| shown(&s, &tokens, 300)),
        ..Callers::default()
    };
    let ip_of_request = access.ip_of_requests(&tally.named_requests());
    let (errors, other_ip_callers) = tally.finish(&mut c, &ip_of_request, &access.ips, &inv.allowed_ips);
    c.authorizer_errors = top(&errors)
        .into_iter()
        .map(|(e, count)| ErrorCount {
            error: shown(access.errors.text(e), &tokens, 200),
            count,
        })
        .collect();
    c.cached_other_ip_callers = top(&other_ip_callers)
        .into_iter()
        .map(|(ip, count)| IpCount {
            ip: shown(access.ips.text(ip), &tokens, 100),
            count,
        })
        .collect();
    c.unmatched_invocations = m.invocation_used.iter().filter(|used| !**used).count() as u64;
    c
}

/// Whether a cached decision answering `caller` was made for another IP, on the best evidence the
/// log carries: `decided_for`, the IP it was made for (its context IP, or the IP of the request
/// it was made for), else, for an allow, a caller IP the authorizer never allows. The report's
/// join and `tail`'s live join both ask this.
pub(crate) fn cached_for_other_ip(
    class: Class,
    caller: &str,
    decided_for: Option<&str>,
    allowed_ips: &FxHashSet<String>,
) -> bool {
    if !matches!(class, Class::CachedAllow | Class::CachedDeny) {
        return false;
    }
    match decided_for {
        Some(ip) => ip != caller,
        None => class == Class::CachedAllow && !allowed_ips.is_empty() && !allowed_ips.contains(caller),
    }
}

#[cfg(test)]
mod tests;
