//! The check that the rules' join pairs every invocation with its own request on this scenario.

use crate::scenario::JOIN_WINDOW_MS;
use crate::sim::{Decision, Sim};
use crate::time::iso;

/// Whether a request's status is consistent with an invocation's decision (the rules' join).
fn consistent(status: u16, decision: Decision) -> bool {
    match decision {
        Decision::Allow => status != 401 && status != 403,
        Decision::Deny => status == 403,
        Decision::Timeout => status >= 500,
    }
}

/// Checks that the rules' join finds every invocation's own request (and none for a console
/// test) on this scenario: invocations in START order, candidates the unmatched requests of its
/// source IP in its window with a consistent status, the latest taken (ties: first read). Returns
/// how many invocations had more than one candidate (`join.ambiguous`), or the first invocation
/// the join would pair wrongly. This is a check of the scenario, not the source of any class
/// count: those come from the simulation's state.
pub fn join_check(sim: &Sim, order: &[usize], second_precision: bool, exact: bool) -> Result<u64, String> {
    let mut position = vec![0; order.len()];
    for (p, &r) in order.iter().enumerate() {
        position[r] = p;
    }
    let time = |r: usize| {
        let t = sim.requests[r].t;
        if second_precision {
            t - t.rem_euclid(1000)
        } else {
            t
        }
    };
    let mut matched = vec![false; sim.requests.len()];
    if exact {
        for inv in &sim.invocations {
            if let Some(r) = inv.request {
                matched[r] = true;
            }
        }
    }
    let mut by_start: Vec<usize> = (0..sim.invocations.len()).collect();
    by_start.sort_by_key(|&i| (sim.invocations[i].start, i));
    let mut ambiguous = 0;
    for i in by_start {
        let inv = &sim.invocations[i];
        if exact && inv.request.is_some() {
            continue;
        }
        let (lo, hi) = if second_precision {
            (inv.start - JOIN_WINDOW_MS - 1000, inv.start + 999)
        } else {
            (inv.start - JOIN_WINDOW_MS, inv.start)
        };
        let candidates: Vec<usize> = (0..sim.requests.len())
            .filter(|&r| {
                let req = &sim.requests[r];
                !matched[r] && req.ip == inv.ip && (lo..=hi).contains(&time(r)) && consistent(req.status, inv.decision)
            })
            .collect();
        let pick = candidates
            .iter()
            .copied()
            .max_by_key(|&r| (time(r), std::cmp::Reverse(position[r])));
        if pick != inv.request {
            return Err(format!(
                "invocation {} (START {}, {}) would be joined to request {:?} instead of {:?}",
                inv.lambda_request_id,
                iso(inv.start),
                inv.ip,
                pick.map(|r| &sim.requests[r].api_request_id),
                inv.request.map(|r| &sim.requests[r].api_request_id)
            ));
        }
        if candidates.len() > 1 {
            ambiguous += 1;
        }
        if let Some(r) = pick {
            matched[r] = true;
        }
    }
    Ok(ambiguous)
}
