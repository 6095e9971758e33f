//! The scenario's facts and the checks that it shows every case the fixtures are meant to cover.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::scenario::{
    ALLOWED_IP, ALLOWED_TOKEN, BACKEND_OUTAGE, CACHE_TTL_MS, JOIN_WINDOW_MS, PERMISSION_OUTAGE, T0, TIMEOUTS_AT,
};
use crate::sim::{Decision, Outcome, Request, Sim};
use crate::time::iso;
use crate::traffic::PROFILES;

pub struct Facts {
    pub value: Value,
    pub summary: String,
}

pub fn facts(sim: &Sim) -> Result<Facts, String> {
    let reqs = &sim.requests;
    let count = |f: &dyn Fn(&Request) -> bool| reqs.iter().filter(|r| f(r)).count();
    let hits = count(&|r| matches!(r.outcome, Outcome::Cached { .. }));
    let hit_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, .. }));
    let other_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, made_for } if made_for != r.ip));
    let other_deny = count(&|r| matches!(r.outcome, Outcome::Cached { allow: false, made_for } if made_for != r.ip));
    let would_allow = |r: &Request| r.ip == ALLOWED_IP && r.token.as_deref() == Some(ALLOWED_TOKEN);
    // Cache hits a fresh invocation would have decided otherwise.
    let allowed_would_deny = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, .. }) && !would_allow(r));
    let denied_would_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: false, .. }) && would_allow(r));
    let permission = count(&|r| r.outcome == Outcome::PermissionFailure);
    let not_found = count(&|r| r.outcome == Outcome::NotFound);
    let missing = count(&|r| r.outcome == Outcome::IdentityMissing);
    let backend_failed = count(&|r| r.integration_error);
    let backend_failed_cached = count(&|r| r.integration_error && matches!(r.outcome, Outcome::Cached { .. }));
    let fresh_allow = count(&|r| r.outcome == Outcome::Invoked(Decision::Allow));
    let fresh_deny = count(&|r| r.outcome == Outcome::Invoked(Decision::Deny));
    let timeouts = sim
        .invocations
        .iter()
        .filter(|i| i.decision == Decision::Timeout)
        .count();
    let cold = sim.invocations.iter().filter(|i| i.cold.is_some()).count();
    let console = sim.invocations.iter().filter(|i| i.request.is_none()).count();
    let max_start_delay = sim
        .invocations
        .iter()
        .filter_map(|i| i.request.map(|r| i.start - reqs[r].t))
        .max()
        .unwrap_or(0);
    let mut ips: Vec<&str> = reqs.iter().map(|r| r.ip).collect();
    ips.sort_unstable();
    ips.dedup();
    // Pairs of consecutive requests of one IP less than the join window apart.
    let mut last: HashMap<&str, i64> = HashMap::new();
    let mut close_pairs = 0;
    for r in reqs {
        if last.get(r.ip).is_some_and(|&t| r.t - t < JOIN_WINDOW_MS) {
            close_pairs += 1;
        }
        last.insert(r.ip, r.t);
    }
    let per_ip: BTreeMap<&str, usize> = ips.iter().map(|ip| (*ip, count(&|r| r.ip == *ip))).collect();
    let checks = [
        (timeouts == TIMEOUTS_AT.len(), "every scheduled timeout happened"),
        (permission >= 2, "at least 2 permission failures"),
        (console == 2, "2 console tests"),
        (close_pairs >= 3, "at least 3 same-IP pairs within 10 s"),
        (fresh_allow >= 2, "at least 2 fresh allows"),
        (hit_allow >= hits / 2, "cached allows (at least half of the cache hits)"),
        (other_allow >= 5, "at least 5 cached allows made for another IP"),
        (other_deny >= 5, "at least 5 cached denies made for another IP"),
        (
            denied_would_allow >= 1,
            "a cached deny turning away the allowed IP with the allowed token",
        ),
        (backend_failed_cached >= 1, "a backend failure behind a cached allow"),
        (max_start_delay <= 300, "every START within 300 ms of its request"),
    ];
    let summary = format!(
        "{} requests from {} IPs in 15 minutes; the Lambda authorizer ran {} times ({} for requests, {} console \
         tests; {} cold starts, {} timeouts). {} requests were answered from API Gateway's authorizer cache, {} of them \
         with a decision made for another IP ({} allows, {} denies): {} requests were let in that the IP check would \
         have turned away, and the allowed IP with the allowed token was turned away {} times. {} requests got a 401 \
         without a token, {} a 500 because API Gateway could not invoke the authorizer, {} a 404 on an unknown route.",
        reqs.len(),
        ips.len(),
        sim.invocations.len(),
        sim.invocations.len() - console,
        console,
        cold,
        timeouts,
        hits,
        other_allow + other_deny,
        other_allow,
        other_deny,
        allowed_would_deny,
        denied_would_allow,
        missing,
        permission,
        not_found
    );
    let value = json!({
        "requests": reqs.len(),
        "requests_per_ip": per_ip,
        "first_request": iso(reqs.first().map_or(T0, |r| r.t)),
        "last_request": iso(reqs.last().map_or(T0, |r| r.t)),
        "invocations": sim.invocations.len(),
        "invocations_for_requests": sim.invocations.len() - console,
        "console_tests": console,
        "cold_starts": cold,
        "timeouts": timeouts,
        "fresh_allow": fresh_allow,
        "fresh_deny": fresh_deny,
        "cache_hits": hits,
        "cache_hits_allow": hit_allow,
        "cache_hits_deny": hits - hit_allow,
        "cache_hits_made_for_another_ip": {"allow": other_allow, "deny": other_deny},
        "cache_hits_a_fresh_invocation_would_decide_otherwise": {
            "allowed_would_deny": allowed_would_deny,
            "denied_would_allow": denied_would_allow,
        },
        "identity_missing_401": missing,
        "permission_failures_500": permission,
        "unknown_route_404": not_found,
        "backend_failures_500": backend_failed,
        "backend_failures_behind_a_cached_allow": backend_failed_cached,
        "same_ip_pairs_within_10s": close_pairs,
        "max_start_delay_ms": max_start_delay,
        "cache_ttl_s": CACHE_TTL_MS / 1000,
        "allowed_ip": ALLOWED_IP,
        "permission_outage_s": [PERMISSION_OUTAGE.0 / 1000, PERMISSION_OUTAGE.1 / 1000],
        "backend_outage_s": [BACKEND_OUTAGE.0 / 1000, BACKEND_OUTAGE.1 / 1000],
        "callers": PROFILES.iter().map(|p| json!({"ip": p.ip, "who": p.who})).collect::<Vec<_>>(),
    });
    if let Some((_, what)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(format!("the scenario lacks: {what}\n{summary}\n{value:#}"));
    }
    Ok(Facts { value, summary })
}
