//! The ground truth: the `callers` section each variant must give, counted from the simulation's state.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::scenario::{ALLOWED_IP, JOIN_WINDOW_MS, PERMISSION_ERROR};
use crate::sim::{Decision, Outcome, Request, Sim};

/// What a variant's access log records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// Status and the error fields, no authorizer context: `cached_other_ip` by `allowed_ip`.
    Errors,
    /// Status, the error fields and `authorizerIp`: `cached_other_ip` by `authorizer_ip`.
    ErrorsAndContext,
    /// AWS's CLF example: status only, times in seconds.
    Clf,
}

/// The class a request is counted in. For `Errors` and `ErrorsAndContext` it is what happened to
/// it; the CLF records no error fields, so a 500 that no invocation explains (the permission
/// failures, a backend failure behind a cached allow) is `other` there, as the rules give.
fn class(req: &Request, recorded: Recorded) -> &'static str {
    match req.outcome {
        Outcome::NotFound => "other",
        Outcome::IdentityMissing => "identity_missing",
        Outcome::PermissionFailure if recorded == Recorded::Clf => "other",
        Outcome::PermissionFailure | Outcome::Invoked(Decision::Timeout) => "authorizer_failed",
        Outcome::Invoked(Decision::Allow) => "fresh.allow",
        Outcome::Invoked(Decision::Deny) => "fresh.deny",
        Outcome::Cached { allow: true, .. } if recorded == Recorded::Clf && req.status >= 400 => "other",
        Outcome::Cached { allow: true, .. } => "cached.allow",
        Outcome::Cached { allow: false, .. } => "cached.deny",
    }
}

/// Whether a cached answer counts in `cached_other_ip`: with `authorizerIp`, a cached decision
/// (allow or deny) made for another IP; otherwise a cached allow of a caller that is not the
/// allowed IP (only the allowed IP is ever allowed, so that decision was made for it).
fn cached_other_ip(req: &Request, recorded: Recorded) -> bool {
    let counted = matches!(class(req, recorded), "cached.allow" | "cached.deny");
    match req.outcome {
        Outcome::Cached { made_for, .. } if recorded == Recorded::ErrorsAndContext => counted && made_for != req.ip,
        Outcome::Cached { allow: true, .. } => counted && req.ip != ALLOWED_IP,
        _ => false,
    }
}

/// The `callers` section a variant must give.
pub fn expected_callers(sim: &Sim, recorded: Recorded, exact: bool, ambiguous: u64) -> Value {
    let mut classes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_status: BTreeMap<u16, u64> = BTreeMap::new();
    let mut other_ip: BTreeMap<&str, u64> = BTreeMap::new();
    let mut errors: BTreeMap<&str, u64> = BTreeMap::new();
    for req in &sim.requests {
        let c = class(req, recorded);
        *classes.entry(c).or_default() += 1;
        *by_status.entry(req.status).or_default() += 1;
        if cached_other_ip(req, recorded) {
            *other_ip.entry(req.ip).or_default() += 1;
        }
        if c == "authorizer_failed" && recorded != Recorded::Clf && req.outcome == Outcome::PermissionFailure {
            *errors.entry(PERMISSION_ERROR).or_default() += 1;
        }
    }
    let n = |c: &str| classes.get(c).copied().unwrap_or(0);
    let invoked = sim.requests.iter().filter(|r| r.invocation.is_some()).count() as u64;
    let console = sim.invocations.iter().filter(|i| i.request.is_none()).count() as u64;
    let mut callers_by_count: Vec<(&str, u64)> = other_ip.into_iter().collect();
    callers_by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut errors_by_count: Vec<(&str, u64)> = errors.into_iter().collect();
    errors_by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    json!({
        "join": {
            "method": if exact { "request_id" } else { "ip_time" },
            "window_ms": JOIN_WINDOW_MS,
            "by_request_id": if exact { invoked } else { 0 },
            "by_ip_time": if exact { 0 } else { invoked },
            "ambiguous": ambiguous,
            "without_ip_or_time": 0,
        },
        "requests": sim.requests.len(),
        "by_status": by_status.iter().map(|(s, c)| json!({"status": s, "count": c})).collect::<Vec<_>>(),
        "authorizer_invoked": invoked,
        "fresh": {"allow": n("fresh.allow"), "deny": n("fresh.deny"), "unknown": 0},
        "cached": {"allow": n("cached.allow"), "deny": n("cached.deny")},
        "identity_missing": n("identity_missing"),
        "authorizer_failed": n("authorizer_failed"),
        "authorizer_errors": errors_by_count.iter().map(|(e, c)| json!({"error": e, "count": c})).collect::<Vec<_>>(),
        "cached_other_ip": callers_by_count.iter().map(|(_, c)| c).sum::<u64>(),
        "cached_other_ip_basis": if recorded == Recorded::ErrorsAndContext { "authorizer_ip" } else { "allowed_ip" },
        "cached_other_ip_callers": callers_by_count.iter().map(|(ip, c)| json!({"ip": ip, "count": c})).collect::<Vec<_>>(),
        "other": n("other"),
        "unmatched_invocations": console,
        "unreadable_records": 0,
    })
}
