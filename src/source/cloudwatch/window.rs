//! A `report --since` window: resolves the groups, fetches each group's slices concurrently, puts the
//! events back in order into the sink, and says which part was read when it fails.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::reorder::Reorder;
use super::slice::{fetch_slice, slices, Msg, OwnedEvent, Slice, SliceProgress};
use crate::aws::resolve_groups;
use crate::aws::{client, runtime, FetchConfig};
use crate::aws::{esc, to_error, Context, CwError};
use crate::aws::{Counters, Failure, Shared};
use crate::report::SourceInfo;
use crate::source::{EventSink, LogEvent};
use crate::timeutil::format_rfc3339_short as short_time;

/// How often a fetch tells its progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// How far a window fetch got: for a progress line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FetchProgress {
    /// Events received so far.
    pub events: u64,
    /// Pages received so far.
    pub pages: u64,
    /// Share of the window's time covered, 0 to 1.
    pub fraction: f64,
    /// The fetch is over: the last report.
    pub done: bool,
}

impl FetchProgress {
    fn of(shared: &Shared, slices: &[Arc<SliceProgress>], done: bool) -> FetchProgress {
        FetchProgress {
            events: Counters::get(&shared.counters.events),
            pages: Counters::get(&shared.counters.pages),
            fraction: slices.iter().map(|s| s.fraction()).sum::<f64>() / slices.len().max(1) as f64,
            done,
        }
    }
}

/// Pages in flight between the fetch tasks and the pipeline, per slice: bounds memory to a few pages.
pub const PAGES_IN_FLIGHT_PER_SLICE: usize = 2;

/// The parts of the window read completely, e.g. `2025-07-11T00:00:00Z–06:00:00Z`, merged where adjacent.
fn coverage(done: &[Slice]) -> String {
    let mut spans: Vec<(i64, i64)> = Vec::new();
    let mut sorted = done.to_vec();
    sorted.sort_by_key(|s| s.start_ms);
    for s in sorted {
        match spans.last_mut() {
            Some(last) if last.1 == s.start_ms => last.1 = s.end_ms + 1,
            _ => spans.push((s.start_ms, s.end_ms + 1)),
        }
    }
    if spans.is_empty() {
        return "nothing".into();
    }
    spans
        .iter()
        .map(|(a, b)| format!("{}–{}", short_time(*a), short_time(*b)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fetches the window from CloudWatch into `sink`, page by page. Returns what it cost. `progress`,
/// when given, is told how far the fetch got about every `PROGRESS_EVERY`, and once more at the end.
pub fn fetch_window(
    config: &FetchConfig,
    sink: &mut dyn EventSink,
    notes: &mut dyn Write,
    mut progress: Option<&mut dyn FnMut(&FetchProgress)>,
) -> Result<SourceInfo, CwError> {
    let rt = runtime()?;
    let shared = Shared::new(config.max_tps, config.max_attempts);
    let client = rt.block_on(client(&config.connection))?;
    let groups = rt.block_on(resolve_groups(&client, &shared, &config.groups, notes))?;
    let window = slices(config.start_ms, config.end_ms, config.slices);
    let (tx, mut rx) = mpsc::channel::<Msg>(PAGES_IN_FLIGHT_PER_SLICE * window.len().max(1));
    let mut reorder = Reorder::new(groups.len(), &window);
    let mut tasks = Vec::new();
    let mut all_progress = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (i, slice) in window.iter().enumerate() {
            let progress = Arc::new(SliceProgress::new(*slice));
            all_progress.push(progress.clone());
            let task = fetch_slice(
                client.clone(),
                shared.clone(),
                group.clone(),
                progress,
                g * window.len() + i,
                tx.clone(),
            );
            let shared = shared.clone();
            tasks.push((
                g,
                *slice,
                rt.spawn(async move {
                    let r = task.await;
                    if r.is_err() {
                        shared.abort.store(true, Ordering::Relaxed);
                    }
                    r
                }),
            ));
        }
    }
    drop(tx);
    let stopped = Cell::new(false);
    // Shared with the loop below, which asks the sink between pages: pages without events never
    // reach `event`, yet an interrupted run must stop.
    let sink = RefCell::new(sink);
    let mut deliver = |e: &OwnedEvent| {
        if stopped.get() {
            return;
        }
        let flow = sink.borrow_mut().event(&LogEvent {
            timestamp_ms: e.timestamp_ms,
            stream: &e.stream,
            message: &e.message,
        });
        stopped.set(flow.is_break());
    };
    let mut tell = |done: bool| {
        if let Some(p) = progress.as_mut() {
            p(&FetchProgress::of(&shared, &all_progress, done));
        }
    };
    let mut last_told = Instant::now();
    loop {
        // A bounded wait, so progress is told while every slice waits on throttling too.
        // The timer is made inside the runtime: `timeout` needs its reactor when called.
        match rt.block_on(async { tokio::time::timeout(PROGRESS_EVERY, rx.recv()).await }) {
            Ok(Some(msg)) => reorder.push(msg, &mut deliver),
            Ok(None) => break,
            Err(_) => {}
        }
        if !stopped.get() && sink.borrow().stopped() {
            stopped.set(true);
        }
        if stopped.get() {
            // The sink wants no more: the fetch tasks stop at their next call or send.
            shared.abort.store(true, Ordering::Relaxed);
            break;
        }
        if last_told.elapsed() >= PROGRESS_EVERY {
            last_told = Instant::now();
            tell(false);
        }
    }
    if !stopped.get() {
        reorder.finish(&mut deliver);
    }
    drop(rx);
    tell(true);
    let results = rt.block_on(async {
        let mut results = Vec::new();
        for (g, slice, handle) in tasks {
            let r = match handle.await {
                Ok(r) => r,
                Err(e) => Err(Failure::Other { detail: e.to_string() }),
            };
            results.push((g, slice, r));
        }
        results
    });
    let failed = results
        .iter()
        .find(|(_, _, r)| matches!(r, Err(f) if !matches!(f, Failure::Aborted)));
    if let Some((g, _, Err(failure))) = failed {
        let done: Vec<Slice> = results
            .iter()
            .filter(|(gg, _, r)| gg == g && r.is_ok())
            .map(|(_, s, _)| *s)
            .collect();
        let whole = format!("{}–{}", short_time(config.start_ms), short_time(config.end_ms));
        let ctx = Context {
            operation: "logs:FilterLogEvents",
            group: Some(&groups[*g]),
            client: &client,
            coverage: Some((coverage(&done), format!("{whole} of log group {}", esc(&groups[*g])))),
        };
        return Err(to_error(failure.clone(), &ctx));
    }
    let c = &shared.counters;
    Ok(SourceInfo {
        kind: "cloudwatch",
        engine: "local",
        groups: groups.iter().map(|g| esc(g)).collect(),
        api_calls: Counters::get(&c.api_calls),
        events: Counters::get(&c.events),
        throttled: Counters::get(&c.throttled),
        retries: Counters::get(&c.retries),
        approximate: Vec::new(),
        scan: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_merges_adjacent_slices() {
        let s = slices(0, 4 * 3_600_000, 4);
        assert_eq!(coverage(&[]), "nothing");
        assert_eq!(
            coverage(&[s[1], s[0], s[3]]),
            "1970-01-01T00:00:00Z–1970-01-01T02:00:00Z, 1970-01-01T03:00:00Z–1970-01-01T04:00:00Z"
        );
        assert_eq!(short_time(1), "1970-01-01T00:00:00.001Z");
    }
}
