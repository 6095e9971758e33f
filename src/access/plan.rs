//! Which API requests an invocation could still join, known before the access logs are read.
//!
//! The report reads the authorizer's logs first, so every invocation is known when the first
//! access-log record arrives. The join's pass only ever looks at a request whose id an invocation
//! logged (the first with that id) or whose IP an invocation logged, starting within the window
//! after it. Every other request is decided the moment it is read, with no invocation, and need
//! not be held: the join holds what invocations could take, not the whole input.

use rustc_hash::{FxHashMap, FxHashSet};

use super::collect::IdHash;
use super::invocations::InvocationNotes;

/// What the invocations of a report could join: the ids they logged and, per source IP, their
/// STARTs in time order.
#[derive(Debug, Default)]
pub struct JoinPlan {
    /// At least one invocation logged an API request id (the join then matches by id first).
    exact: bool,
    /// The API request ids the invocations logged.
    named: FxHashSet<IdHash>,
    /// Per source IP, the slot of its STARTs in `starts`.
    slot_of_ip: FxHashMap<Box<str>, u32>,
    /// STARTs (epoch ms, sorted) of the invocations that logged a source IP and have a time.
    starts: Vec<Vec<i64>>,
    /// `--join-window`, in ms.
    window_ms: i64,
}

impl JoinPlan {
    /// The plan of `notes` with a join window of `window_ms`.
    pub fn new(notes: &InvocationNotes<'_>, window_ms: u64) -> JoinPlan {
        let mut plan = JoinPlan {
            window_ms: i64::try_from(window_ms).unwrap_or(i64::MAX),
            ..JoinPlan::default()
        };
        for note in &notes.notes {
            if let Some(id) = note.api_request_id {
                plan.exact = true;
                plan.named.insert(id);
            }
            if let (Some(start), Some(ip)) = (note.time_ms, note.ip) {
                let next = plan.starts.len() as u32;
                let slot = *plan.slot_of_ip.entry(notes.ips.text(ip).into()).or_insert(next);
                if slot == next {
                    plan.starts.push(Vec::new());
                }
                plan.starts[slot as usize].push(start);
            }
        }
        for starts in &mut plan.starts {
            starts.sort_unstable();
        }
        plan
    }

    /// Whether an invocation looks a request with this id up by it.
    pub fn names(&self, id: IdHash) -> bool {
        self.exact && self.named.contains(&id)
    }

    /// The slot of the invocations that logged `ip`, when any did (for [`JoinPlan::in_reach`]).
    pub fn ip_slot(&self, ip: &str) -> Option<u32> {
        self.slot_of_ip.get(ip).copied()
    }

    /// Whether an invocation of IP `slot` scans a request of that IP stamped at `t`: the pass
    /// looks from `START - window - 1000` (whole-second stamps) to the START itself.
    pub fn in_reach(&self, slot: u32, t: i64) -> bool {
        let Some(starts) = self.starts.get(slot as usize) else {
            return false;
        };
        // The earliest START at or after `t` reaches furthest back (the lower bound is monotonic).
        let i = starts.partition_point(|&s| s < t);
        starts
            .get(i)
            .is_some_and(|&s| s.saturating_sub(self.window_ms).saturating_sub(1000) <= t)
    }
}
