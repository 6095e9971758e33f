//! Following by polling FilterLogEvents: every `interval`, each group over the last `overlap` (the
//! first poll from `start_ms`), de-duplicated by `eventId`; sooner while more is known to be on
//! its way. It never moves the start time up to the newest event seen, which would lose events
//! ingested late.

use std::time::{Duration, Instant};

use super::dedup::{fingerprint, EventIds, Fingerprints};
use super::expect::Expected;
use super::{now_ms, owned, End, FollowStats, Follower};

/// The gap between polls while more is on its way (a page came back full, a START has no REPORT
/// yet), when the interval is longer: the rate limiter still spaces every request to `--max-tps`.
const EAGER: Duration = Duration::from_millis(250);

/// Polls until stopped, past `end_ms`, or failed. `first_from`: where the first poll looks back to.
/// `seen`: what Live Tail already delivered before falling back here, so it is not repeated.
pub(super) async fn poll(f: &Follower<'_>, first_from: i64, mut seen: Option<Fingerprints>) -> Result<(), End> {
    let mut ids: Vec<EventIds> = f.groups.iter().map(|_| EventIds::default()).collect();
    // The first poll also looks back the overlap before now, for late events stamped before the start.
    let mut from = first_from.min(f.look_back(now_ms()));
    let mut expected = Expected::default();
    loop {
        let began = Instant::now();
        let started = now_ms();
        // The next poll looks back the overlap from this one's start: ids older than that go.
        let next_from = f.look_back(started);
        FollowStats::add(&f.out.stats.polls, 1);
        let mut full = false;
        for ((g, group), ids) in f.groups.iter().enumerate().zip(&mut ids) {
            ids.begin_query(next_from);
            let more = f
                .query(group, from, g as u64, |events| {
                    ids.page();
                    let batch = events
                        .into_iter()
                        .filter(|e| {
                            let timestamp = e.timestamp.unwrap_or(started);
                            let ingestion = e.ingestion_time.unwrap_or(timestamp);
                            ids.fresh(e.event_id.as_deref(), timestamp)
                                && f.wanted(timestamp, ingestion)
                                && seen.as_ref().is_none_or(|s| {
                                    !s.contains(fingerprint(
                                        group,
                                        e.log_stream_name.as_deref().unwrap_or_default(),
                                        timestamp,
                                        e.ingestion_time.unwrap_or(timestamp),
                                        e.message.as_deref().unwrap_or_default(),
                                    ))
                                })
                        })
                        .map(owned)
                        .collect::<Vec<_>>();
                    let seen_ms = now_ms();
                    for e in &batch {
                        expected.see(g, &e.stream, &e.message, seen_ms);
                    }
                    f.out.events(batch)
                })
                .await?;
            full |= more;
            ids.end_query();
        }
        if let Some(s) = seen.as_mut() {
            s.evict(next_from);
            if s.is_empty() {
                seen = None;
            }
        }
        if f.past_end(started) {
            return Ok(());
        }
        from = next_from;
        // A REPORT on its way, or a full page, is asked for again soon: on a quiet stream the
        // next poll would otherwise come a whole interval after the START.
        let soon = full || expected.expecting(now_ms());
        let gap = if soon {
            f.config.interval.min(EAGER)
        } else {
            f.config.interval
        };
        let wait = gap.saturating_sub(began.elapsed());
        // When `end_ms` comes first, one last poll reads up to it.
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = f.end_reached() => {}
        }
    }
}
