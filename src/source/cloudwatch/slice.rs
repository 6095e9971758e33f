//! FilterLogEvents over a window: slices fetched concurrently, pages followed, events de-duplicated.

use std::collections::HashSet;
use std::hash::Hasher;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use rustc_hash::FxHashSet;
use tokio::sync::mpsc;

use crate::aws::Client;
use crate::aws::{call, Failure, Pages, Shared};

/// The most events FilterLogEvents returns in one page.
pub const PAGE_LIMIT: i32 = 10_000;

/// One part of the window, both ends inclusive as FilterLogEvents takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub start_ms: i64,
    pub end_ms: i64,
}

/// Splits `[start, end)` into at most `n` slices of nearly equal length. Each non-final slice ends
/// 1 ms before the next one starts, so no event can be fetched by two slices.
pub fn slices(start_ms: i64, end_ms: i64, n: u32) -> Vec<Slice> {
    let len = end_ms.saturating_sub(start_ms);
    if len <= 0 {
        return Vec::new();
    }
    let n = i64::from(n.max(1)).min(len);
    (0..n)
        .map(|i| Slice {
            start_ms: start_ms + (len as i128 * i as i128 / n as i128) as i64,
            end_ms: start_ms + (len as i128 * (i + 1) as i128 / n as i128) as i64 - 1,
        })
        .collect()
}

/// An event as it crosses from the fetch tasks to the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedEvent {
    /// Epoch ms, as CloudWatch stamped the event.
    pub timestamp_ms: Option<i64>,
    /// The log stream.
    pub stream: String,
    /// The message, which may hold embedded newlines.
    pub message: String,
}

/// Event ids of one slice remembered beyond its last two pages: 1,048,576 (8 to 16 MiB of 64-bit
/// hashes). Past it, only the last two pages are (the repeats CloudWatch itself sends).
const MAX_IDS: usize = 1 << 20;

/// Drops events already seen in one slice. FilterLogEvents may repeat an event across a page
/// boundary, so the ids of the previous page are kept whole; a server that repeats an event on a
/// later page (a cycling token, a broken endpoint) would have it counted twice in `source.events`
/// and `input.events` and its lines seen as late, so every id of the slice is kept too, as a
/// 64-bit hash, up to [`MAX_IDS`]: memory is bounded whatever the window.
#[derive(Debug)]
pub struct Dedup {
    previous: HashSet<String>,
    current: HashSet<String>,
    /// The hashes of the slice's ids, at most `cap`.
    all: FxHashSet<u64>,
    cap: usize,
}

impl Default for Dedup {
    fn default() -> Self {
        Dedup::with_cap(MAX_IDS)
    }
}

impl Dedup {
    /// A de-duplicator remembering at most `cap` ids beyond the last two pages (tests lower it).
    pub fn with_cap(cap: usize) -> Dedup {
        Dedup {
            previous: HashSet::new(),
            current: HashSet::new(),
            all: FxHashSet::default(),
            cap,
        }
    }

    /// Starts a new page.
    pub fn page(&mut self) {
        std::mem::swap(&mut self.previous, &mut self.current);
        self.current.clear();
    }

    /// Whether the event with this id is new. Events without an id are always kept.
    pub fn fresh(&mut self, id: Option<&str>) -> bool {
        let Some(id) = id else { return true };
        // SipHash with fixed keys: the same id gives the same hash in every run.
        let mut h = std::hash::DefaultHasher::new();
        h.write(id.as_bytes());
        let hash = h.finish();
        if self.all.contains(&hash) || self.previous.contains(id) || !self.current.insert(id.to_string()) {
            return false;
        }
        if self.all.len() < self.cap {
            self.all.insert(hash);
        }
        true
    }
}

/// How far one slice has got, for the progress line: the newest timestamp seen so far.
#[derive(Debug)]
pub struct SliceProgress {
    pub slice: Slice,
    pub reached_ms: AtomicI64,
}

impl SliceProgress {
    pub fn new(slice: Slice) -> Self {
        SliceProgress {
            slice,
            reached_ms: AtomicI64::new(slice.start_ms),
        }
    }

    pub fn done(&self) {
        self.reached_ms.store(self.slice.end_ms + 1, Ordering::Relaxed);
    }

    pub fn fraction(&self) -> f64 {
        let len = (self.slice.end_ms + 1 - self.slice.start_ms).max(1) as f64;
        let got = self.reached_ms.load(Ordering::Relaxed) - self.slice.start_ms;
        (got as f64 / len).clamp(0.0, 1.0)
    }
}

/// What a fetch task sends to the pipeline side: a page of new events of task `usize`, or its end.
#[derive(Debug)]
pub enum Msg {
    Page(usize, Vec<OwnedEvent>),
    Done(usize),
}

/// Fetches one slice of one group (task number `task`), page after page, sending each page's new
/// events down `tx`, then `Done`.
pub async fn fetch_slice(
    client: Client,
    shared: Arc<Shared>,
    group: String,
    progress: Arc<SliceProgress>,
    task: usize,
    tx: mpsc::Sender<Msg>,
) -> Result<(), Failure> {
    let salt = task as u64;
    let slice = progress.slice;
    let mut token: Option<String> = None;
    let mut dedup = Dedup::default();
    let mut pages = Pages::default();
    loop {
        let out = call(&shared, salt, || {
            client
                .logs
                .filter_log_events()
                .log_group_name(&group)
                .start_time(slice.start_ms)
                .end_time(slice.end_ms)
                .limit(PAGE_LIMIT)
                .set_next_token(token.clone())
                .send()
        })
        .await?;
        shared.counters.pages.fetch_add(1, Ordering::Relaxed);
        dedup.page();
        let mut batch = Vec::with_capacity(out.events.as_ref().map_or(0, Vec::len));
        for e in out.events.unwrap_or_default() {
            if !dedup.fresh(e.event_id.as_deref()) {
                continue;
            }
            if let Some(t) = e.timestamp {
                progress.reached_ms.fetch_max(t, Ordering::Relaxed);
            }
            batch.push(OwnedEvent {
                timestamp_ms: e.timestamp,
                stream: e.log_stream_name.unwrap_or_default(),
                message: e.message.unwrap_or_default(),
            });
        }
        shared.counters.events.fetch_add(batch.len() as u64, Ordering::Relaxed);
        // Empty pages are skipped, but their token is still followed: CloudWatch returns them while
        // it keeps searching.
        if !batch.is_empty() && tx.send(Msg::Page(task, batch)).await.is_err() {
            return Err(Failure::Aborted);
        }
        token = pages.follow(out.next_token)?;
        if token.is_none() {
            break;
        }
    }
    progress.done();
    tx.send(Msg::Done(task)).await.map_err(|_| Failure::Aborted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_window_without_overlap() {
        let s = slices(1000, 2000, 4);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].start_ms, 1000);
        assert_eq!(s[3].end_ms, 1999);
        for w in s.windows(2) {
            assert_eq!(w[0].end_ms + 1, w[1].start_ms);
        }
    }

    #[test]
    fn tiny_and_empty_windows() {
        assert_eq!(slices(5, 7, 4).len(), 2);
        assert_eq!(slices(5, 6, 4), vec![Slice { start_ms: 5, end_ms: 5 }]);
        assert!(slices(5, 5, 4).is_empty());
        assert!(slices(9, 5, 4).is_empty());
        assert_eq!(slices(0, 10, 0), vec![Slice { start_ms: 0, end_ms: 9 }]);
    }

    #[test]
    fn uneven_split_and_huge_values() {
        let s = slices(0, 10, 3);
        assert_eq!(
            s.iter().map(|s| (s.start_ms, s.end_ms)).collect::<Vec<_>>(),
            vec![(0, 2), (3, 5), (6, 9)]
        );
        let s = slices(i64::MIN / 2, i64::MAX / 2, 4);
        assert_eq!(s.len(), 4);
        assert_eq!(s[3].end_ms, i64::MAX / 2 - 1);
    }

    #[test]
    fn dedup_drops_repeats_within_a_page_across_its_boundary_and_on_later_pages() {
        let mut d = Dedup::default();
        d.page();
        assert!(d.fresh(Some("a")));
        assert!(!d.fresh(Some("a")));
        assert!(d.fresh(None));
        assert!(d.fresh(None));
        d.page();
        assert!(!d.fresh(Some("a")));
        assert!(d.fresh(Some("b")));
        d.page();
        // A repeat on a later page (a server that sends a page again) is dropped too.
        assert!(!d.fresh(Some("a")));
        assert!(d.fresh(Some("c")));
    }

    #[test]
    fn past_its_cap_dedup_remembers_the_last_two_pages_only() {
        let mut d = Dedup::with_cap(2);
        d.page();
        for id in ["a", "b", "c"] {
            assert!(d.fresh(Some(id)));
        }
        d.page();
        d.page();
        // "a" and "b" are among the remembered ids; "c" came past the cap.
        assert!(!d.fresh(Some("a")));
        assert!(!d.fresh(Some("b")));
        assert!(d.fresh(Some("c")));
        assert!(!d.fresh(Some("c")));
    }

    #[test]
    fn progress_fraction() {
        let p = SliceProgress::new(Slice {
            start_ms: 0,
            end_ms: 99,
        });
        assert_eq!(p.fraction(), 0.0);
        p.reached_ms.fetch_max(50, Ordering::Relaxed);
        assert_eq!(p.fraction(), 0.5);
        p.done();
        assert_eq!(p.fraction(), 1.0);
    }
}
