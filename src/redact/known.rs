//! Token values to mask wherever they turn up again, in bounded memory that no logged value can empty of the allowed ones.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::token_is_missing;

/// Bytes of allowed tokens kept: a real authorizer has one or two; past this, further ones are
/// not kept (and counted), so the first ones are never let go.
const PINNED_BYTES: usize = 64 * 1024;
/// Bytes of received tokens kept by default, the most recent; the oldest are let go first. Every
/// line masked is searched for each: a few hundred keep `tail --raw` as fast as the lines come.
pub(crate) const RECEIVED_BYTES: usize = 64 * 1024;
/// What one kept value costs besides its bytes (its entries in the list and the set).
const ENTRY_BYTES: usize = 48;

/// Token values seen in a log, to mask wherever they turn up again. The allowed tokens are
/// pinned: received tokens (which a caller chooses, as many as it likes) are kept in a budget of
/// their own and can never push an allowed token out. At most 64 KiB + the received budget
/// (64 KiB by default), whatever the input.
#[derive(Debug)]
pub(crate) struct KnownTokens {
    pinned: Vec<Arc<str>>,
    pinned_bytes: usize,
    received: VecDeque<Arc<str>>,
    received_bytes: usize,
    /// Every value kept, pinned or received, to find one again in constant time.
    all: FxHashSet<Arc<str>>,
    /// Values let go or never kept for want of room.
    lost: u64,
    /// Bytes of received tokens kept.
    budget: usize,
}

impl Default for KnownTokens {
    fn default() -> Self {
        KnownTokens::with_budget(RECEIVED_BYTES)
    }
}

impl KnownTokens {
    /// Keeps up to `budget` bytes of received tokens.
    pub(crate) fn with_budget(budget: usize) -> KnownTokens {
        KnownTokens {
            pinned: Vec::new(),
            pinned_bytes: 0,
            received: VecDeque::new(),
            received_bytes: 0,
            all: FxHashSet::default(),
            lost: 0,
            budget,
        }
    }

    /// Keeps `token`, an allowed token, for good (unless the pinned budget is full).
    pub(crate) fn pin(&mut self, token: &str) {
        if token_is_missing(token) || self.pinned.last().is_some_and(|t| &**t == token) {
            return;
        }
        if let Some(kept) = self.all.get(token).cloned() {
            if self.pinned.contains(&kept) {
                return;
            }
            // Received before: now pinned, and out of the received budget.
            if let Some(at) = self.received.iter().position(|t| *t == kept) {
                self.received.remove(at);
                self.received_bytes -= cost(&kept);
            }
            self.pinned_bytes += cost(&kept);
            self.pinned.push(kept);
            return;
        }
        if self.pinned_bytes + cost(token) > PINNED_BYTES {
            self.lost += 1;
            return;
        }
        let kept: Arc<str> = Arc::from(token);
        self.pinned_bytes += cost(&kept);
        self.all.insert(kept.clone());
        self.pinned.push(kept);
    }

    /// Keeps `token`, a received token, among the most recent ones.
    pub(crate) fn receive(&mut self, token: &str) {
        // Most received tokens are the allowed one: one comparison, not a lookup.
        if token_is_missing(token) || self.pinned.last().is_some_and(|t| &**t == token) || self.all.contains(token) {
            return;
        }
        if cost(token) > self.budget {
            self.lost += 1;
            return;
        }
        while self.received_bytes + cost(token) > self.budget {
            let Some(old) = self.received.pop_front() else { break };
            self.received_bytes -= cost(&old);
            self.all.remove(&old);
            self.lost += 1;
        }
        let kept: Arc<str> = Arc::from(token);
        self.received_bytes += cost(&kept);
        self.all.insert(kept.clone());
        self.received.push_back(kept);
    }

    /// Every value kept, for [`super::mask_values`].
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> {
        self.pinned.iter().chain(self.received.iter()).map(|t| &**t)
    }

    /// Whether a value was ever let go or not kept: then a text may hold a token not masked by
    /// these values alone.
    pub(crate) fn lost_any(&self) -> bool {
        self.lost > 0
    }
}

fn cost(token: &str) -> usize {
    token.len() + ENTRY_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: a caller who sends many tokens (`x-h1: Token: g1`, …) pushed the allowed token
    /// out of the values masked, after which it printed as logged.
    #[test]
    fn received_tokens_cannot_push_out_an_allowed_one() {
        let mut known = KnownTokens::default();
        known.receive("Ab12Xy34");
        known.pin("Ab12Xy34");
        for i in 0..100_000 {
            known.receive(&format!("guess-{i:06}"));
        }
        assert!(known.values().any(|t| t == "Ab12Xy34"));
        assert!(known.values().any(|t| t == "guess-099999"), "the most recent are kept");
        assert!(!known.values().any(|t| t == "guess-000000"), "the oldest are let go");
        assert!(known.lost_any());
        let bytes: usize = known.values().map(cost).sum();
        assert!(bytes <= PINNED_BYTES + RECEIVED_BYTES, "{bytes}");
        assert_eq!(known.values().filter(|t| *t == "Ab12Xy34").count(), 1, "kept once");
    }

    #[test]
    fn missing_tokens_are_no_token_and_a_full_pin_budget_keeps_the_first() {
        let mut known = KnownTokens::default();
        known.pin("None");
        known.receive("");
        assert!(known.values().next().is_none() && !known.lost_any());
        let big = "x".repeat(PINNED_BYTES / 2);
        known.pin(&format!("a{big}"));
        known.pin(&format!("b{big}"));
        assert!(known.values().any(|t| t.starts_with('a')));
        assert!(!known.values().any(|t| t.starts_with('b')));
        assert!(known.lost_any());
    }
}
