//! Exactly-once delivery while following, in memory bounded by the overlap window.
//!
//! Two stores, one per way of reading:
//!
//! * [`Fingerprints`] for Live Tail and the FilterLogEvents backfills around it. Live Tail results
//!   carry no `eventId`, so an event is known by a 128-bit fingerprint of (group, stream, timestamp,
//!   ingestion time, message). Two identical events of one batch (same line, same millisecond)
//!   share a fingerprint; only FilterLogEvents tells them apart (by `eventId`), so each fingerprint
//!   counts the copies emitted, and a query that returns more copies than were emitted shows the
//!   rest. A Live Tail session is not trusted to send a copy only once (moto sends a group twice
//!   when asked for two), so from Live Tail a known fingerprint is always a repeat. Entries are evicted once they are older than the overlap window on
//!   *both* clocks (timestamp and ingestion time); the evicted region is remembered as a
//!   watermark, so an event a server re-sends after its entry was evicted (moto replays every stored
//!   event in every session) is recognised as old and dropped.
//! * [`EventIds`] for polling: FilterLogEvents results carry an `eventId`; ids are kept while a
//!   later poll can still return their event (its timestamp is at or after the next look-back
//!   start), plus the previous page's, for the repeats FilterLogEvents makes across page boundaries.

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::source::cloudwatch::slice::Dedup;

/// A 128-bit fingerprint of an event: SHA-256 (not a fast hash) because messages come from the
/// log, and a crafted line must not be able to collide with, and so hide, another one.
pub(super) fn fingerprint(group: &str, stream: &str, timestamp: i64, ingestion: i64, message: &str) -> u128 {
    let mut h = Sha256::new();
    for part in [group, stream] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update(timestamp.to_le_bytes());
    h.update(ingestion.to_le_bytes());
    h.update(message.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// Where an event came from, which decides whether the watermark applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A Live Tail session update: may replay anything (moto does), so the watermark applies.
    LiveTail,
    /// A FilterLogEvents query: no query starts below the horizon of an earlier eviction, and
    /// inside one query repeats are dropped by `eventId`, so the watermark is not needed; it would
    /// be wrong for the old events of a `--since` backfill (or of a second group's).
    Query,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    timestamp: i64,
    ingestion: i64,
    /// Copies of this event emitted so far.
    emitted: u32,
    /// The query that last returned it, and how many copies (distinct `eventId`s) it returned.
    unit: u64,
    in_unit: u32,
}

/// The fingerprints of the events emitted within the overlap window, with the watermark of those
/// evicted. See the module documentation.
#[derive(Debug)]
pub(super) struct Fingerprints {
    overlap_ms: i64,
    entries: FxHashMap<u128, Entry>,
    unit: u64,
    /// During a query: the lowest start time of any later query.
    query_floor: Option<i64>,
    /// The evicted region: every entry with `timestamp < horizon_ts` and `ingestion < horizon_ing`
    /// is gone. Both only grow.
    horizon_ts: i64,
    horizon_ing: i64,
    /// The newest ingestion time seen: the server's clock, for the ingestion horizon.
    newest_ingestion: i64,
}

impl Fingerprints {
    pub(super) fn new(overlap_ms: i64) -> Self {
        Fingerprints {
            overlap_ms: overlap_ms.max(0),
            entries: FxHashMap::default(),
            unit: 0,
            query_floor: None,
            horizon_ts: i64::MIN,
            horizon_ing: i64::MIN,
            newest_ingestion: i64::MIN,
        }
    }

    /// Starts reading a Live Tail session's updates (and ends any query).
    pub(super) fn begin_session(&mut self) {
        self.unit += 1;
        self.query_floor = None;
    }

    /// Starts a FilterLogEvents query: a new delivery unit. `next_floor` is the lowest start time
    /// any later query will use (see [`evict`](Self::evict)). Repeats inside the query are the
    /// caller's to drop by `eventId`.
    pub(super) fn begin_query(&mut self, next_floor: i64) {
        self.unit += 1;
        self.query_floor = Some(next_floor);
    }

    /// After each page of a query: forgets this query's own events that are older than the overlap
    /// window, so a long `--since` backfill holds only its last overlap too. Entries of earlier
    /// units stay until the query ends: the query may still return them.
    pub(super) fn query_page(&mut self) {
        let Some(floor) = self.query_floor else { return };
        self.raise_horizons(floor);
        let (unit, ts, ing) = (self.unit, self.horizon_ts, self.horizon_ing);
        self.entries
            .retain(|_, e| e.unit != unit || e.timestamp >= ts || e.ingestion >= ing);
    }

    /// Ends a query: evicts up to its `next_floor`.
    pub(super) fn end_query(&mut self) {
        if let Some(floor) = self.query_floor.take() {
            self.evict(floor);
        }
    }

    /// Whether to emit this event; records it.
    pub(super) fn admit(&mut self, key: u128, timestamp: i64, ingestion: i64, origin: Origin) -> bool {
        self.newest_ingestion = self.newest_ingestion.max(ingestion);
        let unit = self.unit;
        if let Some(e) = self.entries.get_mut(&key) {
            if origin == Origin::LiveTail {
                return false;
            }
            if e.unit != unit {
                e.unit = unit;
                e.in_unit = 0;
            }
            e.in_unit += 1;
            if e.in_unit > e.emitted {
                e.emitted += 1;
                return true;
            }
            return false;
        }
        if origin == Origin::LiveTail && self.in_evicted_region(timestamp, ingestion) {
            // Re-sent after its entry was evicted: it was emitted long ago.
            return false;
        }
        self.entries.insert(
            key,
            Entry {
                timestamp,
                ingestion,
                emitted: 1,
                unit,
                in_unit: 1,
            },
        );
        true
    }

    /// Whether an event with this fingerprint was emitted (and not yet evicted).
    pub(super) fn contains(&self, key: u128) -> bool {
        self.entries.contains_key(&key)
    }

    /// Forgets the events older than the overlap window on both clocks: timestamps below `ts_floor`
    /// (which must not exceed the start time of any query still to come) and ingestion times more
    /// than the overlap before the newest one seen.
    pub(super) fn evict(&mut self, ts_floor: i64) {
        self.raise_horizons(ts_floor);
        let (ts, ing) = (self.horizon_ts, self.horizon_ing);
        self.entries.retain(|_, e| e.timestamp >= ts || e.ingestion >= ing);
    }

    /// The evicted region only grows: an entry evicted once stays recognisable as old.
    fn raise_horizons(&mut self, ts_floor: i64) {
        self.horizon_ts = self.horizon_ts.max(ts_floor);
        self.horizon_ing = self.horizon_ing.max(self.ingestion_horizon());
    }

    fn ingestion_horizon(&self) -> i64 {
        self.newest_ingestion.saturating_sub(self.overlap_ms)
    }

    fn in_evicted_region(&self, timestamp: i64, ingestion: i64) -> bool {
        timestamp < self.horizon_ts && ingestion < self.horizon_ing
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The `eventId`s a poller has emitted that a later poll may return again. One per group.
#[derive(Debug, Default)]
pub(super) struct EventIds {
    /// id → event timestamp, for the events at or after the next look-back start.
    kept: FxHashMap<String, i64>,
    /// The current and previous page, for repeats across a page boundary of one query.
    pages: Dedup,
    /// The next look-back start of the current query.
    floor: i64,
}

impl EventIds {
    /// Starts a query; the next one will look back to `next_floor`.
    pub(super) fn begin_query(&mut self, next_floor: i64) {
        self.pages = Dedup::default();
        self.floor = next_floor;
    }

    /// Starts the next page of the current query.
    pub(super) fn page(&mut self) {
        self.pages.page();
    }

    /// Whether the event is new; records it. Events without an id are always new.
    pub(super) fn fresh(&mut self, id: Option<&str>, timestamp: i64) -> bool {
        let Some(id) = id else { return true };
        if self.kept.contains_key(id) || !self.pages.fresh(Some(id)) {
            return false;
        }
        if timestamp >= self.floor {
            self.kept.insert(id.to_string(), timestamp);
        }
        true
    }

    /// Ends a query: forgets the ids no later poll can return.
    pub(super) fn end_query(&mut self) {
        let floor = self.floor;
        self.kept.retain(|_, ts| *ts >= floor);
        self.pages = Dedup::default();
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn fp(ts: i64, ing: i64, msg: &str) -> u128 {
        fingerprint("g", "s", ts, ing, msg)
    }

    #[test]
    fn fingerprints_tell_every_field_apart() {
        let base = fingerprint("g", "s", 1, 2, "m");
        assert_eq!(base, fingerprint("g", "s", 1, 2, "m"));
        assert_ne!(base, fingerprint("h", "s", 1, 2, "m"));
        assert_ne!(base, fingerprint("g", "t", 1, 2, "m"));
        assert_ne!(base, fingerprint("g", "s", 3, 2, "m"));
        assert_ne!(base, fingerprint("g", "s", 1, 3, "m"));
        assert_ne!(base, fingerprint("g", "s", 1, 2, "n"));
        // Lengths are part of the input: moving a byte from the group to the stream changes it.
        assert_ne!(fingerprint("ab", "c", 1, 2, "m"), fingerprint("a", "bc", 1, 2, "m"));
    }

    #[test]
    fn a_replay_is_dropped_and_twins_pass_once_a_query_tells_them_apart() {
        let mut f = Fingerprints::new(2 * MIN);
        f.begin_session();
        let now = 100 * MIN;
        assert!(f.admit(fp(now, now, "a"), now, now, Origin::LiveTail));
        // Two identical events in one update: twins, or a repeat? Live Tail cannot tell.
        assert!(f.admit(fp(now, now, "b"), now, now, Origin::LiveTail));
        assert!(!f.admit(fp(now, now, "b"), now, now, Origin::LiveTail));
        // A backfill returns both, with two eventIds: twins, the second is shown now.
        f.begin_query(now - 2 * MIN);
        assert!(!f.admit(fp(now, now, "a"), now, now, Origin::Query));
        assert!(!f.admit(fp(now, now, "b"), now, now, Origin::Query));
        assert!(f.admit(fp(now, now, "b"), now, now, Origin::Query));
        f.end_query();
        // The next session replays all three, and a backfill returns them again.
        for origin in [Origin::LiveTail, Origin::Query] {
            if origin == Origin::Query {
                f.begin_query(now - 2 * MIN);
            } else {
                f.begin_session();
            }
            assert!(!f.admit(fp(now, now, "a"), now, now, origin));
            assert!(!f.admit(fp(now, now, "b"), now, now, origin));
            assert!(!f.admit(fp(now, now, "b"), now, now, origin));
            f.end_query();
        }
        // A query finds a third copy: it is new.
        f.begin_query(now - 2 * MIN);
        let shown: Vec<bool> = (0..3)
            .map(|_| f.admit(fp(now, now, "b"), now, now, Origin::Query))
            .collect();
        assert_eq!(shown, vec![false, false, true]);
        f.end_query();
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn eviction_keeps_the_overlap_window_and_the_watermark_drops_replays() {
        let mut f = Fingerprints::new(2 * MIN);
        f.begin_session();
        // One event a second for ten minutes, ingested a second later.
        let t0 = 1_000 * MIN;
        for i in 0..600 {
            let ts = t0 + i * 1000;
            assert!(f.admit(fp(ts, ts + 1000, "x"), ts, ts + 1000, Origin::LiveTail));
            f.evict(ts + 1000 - 2 * MIN);
        }
        // About two minutes of events are kept, not ten.
        assert!((119..=122).contains(&f.len()), "{} entries", f.len());
        // moto's next session replays everything: nothing is new.
        f.begin_session();
        for i in 0..600 {
            let ts = t0 + i * 1000;
            assert!(
                !f.admit(fp(ts, ts + 1000, "x"), ts, ts + 1000, Origin::LiveTail),
                "event {i}"
            );
        }
        // A late event (old timestamp, fresh ingestion) is new, and so is a fresh one.
        let now = t0 + 600_000;
        assert!(f.admit(fp(t0, now, "late"), t0, now, Origin::LiveTail));
        assert!(f.admit(fp(now, now, "new"), now, now, Origin::LiveTail));
        f.evict(now - 2 * MIN);
        // The late event is kept by its ingestion time: the next replay does not repeat it.
        f.begin_session();
        assert!(!f.admit(fp(t0, now, "late"), t0, now, Origin::LiveTail));
        assert!(!f.admit(fp(now, now, "new"), now, now, Origin::LiveTail));
    }

    #[test]
    fn a_long_backfill_stores_only_its_last_overlap_and_old_events_still_pass() {
        let mut f = Fingerprints::new(2 * MIN);
        let now = 10_000 * MIN;
        // A one-day `--since` backfill, an event a minute, ingested when stamped.
        f.begin_query(now - 2 * MIN);
        for page in 0..144 {
            for i in page * 10..page * 10 + 10 {
                let ts = now - 1440 * MIN + i * MIN;
                assert!(f.admit(fp(ts, ts, "d"), ts, ts, Origin::Query));
            }
            f.query_page();
            assert!(f.len() <= 13, "{} entries", f.len());
        }
        f.end_query();
        // The first session (moto) replays the day: nothing passes.
        f.begin_session();
        for i in 0..1440 {
            let ts = now - 1440 * MIN + i * MIN;
            assert!(!f.admit(fp(ts, ts, "d"), ts, ts, Origin::LiveTail));
        }
        // A second query of another group over the same old window: its old events are all new.
        f.begin_query(now - 2 * MIN);
        for i in 0..10 {
            let ts = now - 600 * MIN + i * MIN;
            assert!(f.admit(fingerprint("other", "s", ts, ts, "d"), ts, ts, Origin::Query));
        }
        f.end_query();
    }

    #[test]
    fn a_reconnect_backfill_does_not_repeat_what_the_session_emitted() {
        let mut f = Fingerprints::new(2 * MIN);
        let t = 5_000 * MIN;
        f.begin_session();
        assert!(f.admit(fp(t, t, "e"), t, t, Origin::LiveTail));
        f.evict(t - 2 * MIN);
        // The network drops for ten minutes; the backfill looks back from the last update.
        f.begin_query(t + 10 * MIN - 2 * MIN);
        assert!(!f.admit(fp(t, t, "e"), t, t, Origin::Query));
        assert!(f.admit(fp(t + MIN, t + MIN, "gap"), t + MIN, t + MIN, Origin::Query));
        f.query_page();
        f.end_query();
        assert!(f.contains(fp(t + MIN, t + MIN, "gap")));
    }

    #[test]
    fn event_ids_are_bounded_by_the_look_back() {
        let mut ids = EventIds::default();
        let now = 1_000 * MIN;
        // A first poll over an hour, an event a second: only the last two minutes are kept.
        ids.begin_query(now - 2 * MIN);
        for (page, chunk) in (0..3600).collect::<Vec<i64>>().chunks(500).enumerate() {
            ids.page();
            for &i in chunk {
                let ts = now - 3_600_000 + i * 1000;
                assert!(ids.fresh(Some(&format!("id{i}")), ts), "page {page}");
            }
            // The first event of this page repeated from the previous page.
            if let Some(&i) = chunk.first() {
                if i > 0 {
                    assert!(!ids.fresh(Some(&format!("id{}", i - 1)), now - 3_600_000 + (i - 1) * 1000));
                }
            }
        }
        ids.end_query();
        assert_eq!(ids.len(), 120);
        // The next poll returns the last two minutes again: all known.
        ids.begin_query(now + 1000 - 2 * MIN);
        ids.page();
        for i in 3480..3600 {
            assert!(!ids.fresh(Some(&format!("id{i}")), now - 3_600_000 + i * 1000));
        }
        assert!(ids.fresh(Some("new"), now));
        assert!(ids.fresh(None, now));
        assert!(ids.fresh(None, now));
        ids.end_query();
        assert_eq!(ids.len(), 120);
        // Later polls forget what they cannot return again.
        ids.begin_query(now + 10 * MIN);
        ids.end_query();
        assert_eq!(ids.len(), 0);
    }
}
