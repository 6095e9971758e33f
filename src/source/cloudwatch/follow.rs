//! Following log groups live for `authlogs tail`: Live Tail sessions with FilterLogEvents backfills
//! around them (`livetail.rs`), or FilterLogEvents polling (`poll.rs`), each event delivered
//! exactly once (`dedup.rs`) on a thread of its own.
//!
//! The caller gets [`FollowMsg`]s on a std channel and sets a stop flag to end it; see [`follow`].

mod dedup;
mod expect;
mod livetail;
mod poll;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;

use super::slice::{OwnedEvent, PAGE_LIMIT};
use crate::aws::resolve_groups;
use crate::aws::{call, Counters, Failure, Pages, Shared};
use crate::aws::{client, runtime, Client, Connection, GroupSelection};
use crate::aws::{esc, to_error, Context, CwError};

/// How to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowMode {
    /// Live Tail sessions (StartLiveTail), backfilled with FilterLogEvents when a session starts;
    /// falls back to `Poll` with a note when Live Tail is denied or unavailable.
    Live,
    /// FilterLogEvents every `interval` over the last `overlap`, de-duplicated by `eventId`.
    Poll,
}

/// What to follow and how, validated.
#[derive(Debug, Clone)]
pub struct FollowConfig {
    /// Where to connect.
    pub connection: Connection,
    /// Which groups to follow (resolved as `report` does).
    pub groups: GroupSelection,
    /// Live Tail (default) or polling.
    pub mode: FollowMode,
    /// Events with a timestamp at or after this are wanted (a `--since` backfill, else the start
    /// time); so is every event ingested after following began, whatever its timestamp (a late
    /// event can carry one from before the start).
    pub start_ms: i64,
    /// Stop following at this wall-clock time / ignore events at or after it (`--until`).
    pub end_ms: Option<i64>,
    /// Poll interval (default 1 s).
    pub interval: Duration,
    /// How far back each poll and each backfill looks for late-ingested events (default 2 min).
    pub overlap: Duration,
    /// Passed to CloudWatch as filterPattern / logEventFilterPattern.
    pub filter_pattern: Option<String>,
    /// Requests per second, shared by every call of the run.
    pub max_tps: f64,
    /// Tries per request, the first included.
    pub max_attempts: u32,
}

/// What the follower tells its caller.
#[derive(Debug)]
pub enum FollowMsg {
    /// New events, each exactly once, in arrival order.
    Events(Vec<OwnedEvent>),
    /// One line for stderr, already worded and escaped (no trailing newline).
    Note(String),
    /// Fatal: the run ends with this error (non-zero exit). Nothing is sent after it.
    Failed(CwError),
}

/// Counters for the final summary; readable while following (the request counters are brought up
/// to date after each request, the others as they change).
#[derive(Debug, Default)]
pub struct FollowStats {
    /// Events delivered in [`FollowMsg::Events`].
    pub events: AtomicU64,
    /// Of `events`, those a Live Tail update delivered first (the others came from FilterLogEvents).
    pub live_events: AtomicU64,
    /// Live Tail sessions opened after the first one.
    pub reconnects: AtomicU64,
    /// Live Tail updates CloudWatch sampled (each covers about a second) that brought new events.
    pub sampled_seconds: AtomicU64,
    /// Live Tail sessions opened.
    pub sessions: AtomicU64,
    /// FilterLogEvents queries (polls and backfills, each over every group).
    pub polls: AtomicU64,
    /// Requests sent, retries included.
    pub api_calls: AtomicU64,
    /// Requests CloudWatch throttled (all retried).
    pub throttled: AtomicU64,
    /// Requests retried.
    pub retries: AtomicU64,
}

impl FollowStats {
    /// Reads one counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Copies the request counters of the run's shared state.
    fn sync(&self, shared: &Shared) {
        let c = &shared.counters;
        self.api_calls.store(Counters::get(&c.api_calls), Ordering::Relaxed);
        self.throttled.store(Counters::get(&c.throttled), Ordering::Relaxed);
        self.retries.store(Counters::get(&c.retries), Ordering::Relaxed);
    }
}

/// Starts following on a thread of its own (own tokio runtime); returns at once.
///
/// Messages go to `out`. Setting `stop` ends it promptly: in-flight requests and waits are
/// dropped, which also closes the Live Tail session; nothing is sent once `stop` is seen. The thread
/// also ends by itself after a [`FollowMsg::Failed`], once `end_ms` (plus a short grace for
/// ingestion) has passed, or when the receiver is gone; the sender is dropped then, so the
/// caller's `recv` reports the channel disconnected. Fails only when the thread cannot be started.
pub fn follow(
    config: FollowConfig,
    out: Sender<FollowMsg>,
    stop: Arc<AtomicBool>,
    stats: Arc<FollowStats>,
) -> Result<std::thread::JoinHandle<()>, CwError> {
    std::thread::Builder::new()
        .name("authlogs-follow".into())
        .spawn(move || run(&config, Out { tx: out, stop, stats }))
        .map_err(CwError::Runtime)
}

/// How long after `end_ms` the follower keeps reading: events are ingested a little after their time.
const END_GRACE: Duration = Duration::from_secs(2);

/// How often the stop flag is looked at.
const STOP_CHECK: Duration = Duration::from_millis(20);

fn run(config: &FollowConfig, out: Out) {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            let _ = out.send(FollowMsg::Failed(e));
            return;
        }
    };
    let stop = out.stop.clone();
    let shared = Shared::new(config.max_tps, config.max_attempts);
    let result = rt.block_on(async {
        tokio::select! {
            r = follow_async(config, &out, shared.clone()) => r,
            () = stopped(&stop) => Err(End::Stopped),
        }
    });
    out.stats.sync(&shared);
    if let Err(End::Failed(e)) = result {
        let _ = out.send(FollowMsg::Failed(e));
    }
    // Nothing may linger: a session being read, a request in flight.
    rt.shutdown_background();
}

async fn stopped(stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(STOP_CHECK).await;
    }
}

async fn follow_async(config: &FollowConfig, out: &Out, shared: Arc<Shared>) -> Result<(), End> {
    let started_ms = now_ms();
    let client = client(&config.connection).await?;
    let mut notes = Vec::new();
    let groups = resolve_groups(&client, &shared, &config.groups, &mut notes).await;
    for line in String::from_utf8_lossy(&notes).lines() {
        out.note(line.to_string())?;
    }
    let f = Follower {
        config,
        client,
        shared,
        out,
        groups: groups?,
        started_ms,
    };
    match config.mode {
        FollowMode::Live => livetail::live(&f).await,
        FollowMode::Poll => poll::poll(&f, config.start_ms, None).await,
    }
}

/// Why following ended before its time.
#[derive(Debug)]
enum End {
    /// The stop flag, or the receiver is gone.
    Stopped,
    /// The error to send as [`FollowMsg::Failed`].
    Failed(CwError),
}

impl From<CwError> for End {
    fn from(e: CwError) -> Self {
        End::Failed(e)
    }
}

/// The sending side: nothing goes out once the stop flag is set.
struct Out {
    tx: Sender<FollowMsg>,
    stop: Arc<AtomicBool>,
    stats: Arc<FollowStats>,
}

impl Out {
    fn send(&self, msg: FollowMsg) -> Result<(), End> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(End::Stopped);
        }
        self.tx.send(msg).map_err(|_| End::Stopped)
    }

    fn note(&self, line: String) -> Result<(), End> {
        self.send(FollowMsg::Note(line))
    }

    fn events(&self, events: Vec<OwnedEvent>) -> Result<(), End> {
        if events.is_empty() {
            return Ok(());
        }
        let n = events.len() as u64;
        self.send(FollowMsg::Events(events))?;
        FollowStats::add(&self.stats.events, n);
        Ok(())
    }
}

/// What every part of one run shares.
struct Follower<'a> {
    config: &'a FollowConfig,
    client: Client,
    shared: Arc<Shared>,
    out: &'a Out,
    groups: Vec<String>,
    /// When following began: events ingested since are new, whatever their timestamp.
    started_ms: i64,
}

impl Follower<'_> {
    fn overlap_ms(&self) -> i64 {
        i64::try_from(self.config.overlap.as_millis()).unwrap_or(i64::MAX)
    }

    /// The look-back start for a query after `alive_ms`: the overlap before it, where an event
    /// ingested late may carry its timestamp (even one from before `start_ms`).
    fn look_back(&self, alive_ms: i64) -> i64 {
        alive_ms.saturating_sub(self.overlap_ms())
    }

    /// Whether following is over at `now_ms`: `end_ms` and its grace have passed.
    fn past_end(&self, now_ms: i64) -> bool {
        self.config
            .end_ms
            .is_some_and(|end| now_ms >= end.saturating_add(END_GRACE.as_millis() as i64))
    }

    /// Waits until `past_end` holds; forever without `end_ms`.
    async fn end_reached(&self) {
        match self.config.end_ms {
            Some(end) => {
                let wait = end.saturating_add(END_GRACE.as_millis() as i64) - now_ms();
                tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
            }
            None => std::future::pending().await,
        }
    }

    /// Whether an event is wanted: stamped at or after `start_ms`, or ingested since following
    /// began (a late event), and stamped before `end_ms`. History from before the start (which
    /// moto replays in every Live Tail session) is not.
    fn wanted(&self, timestamp: i64, ingestion: i64) -> bool {
        // Ingestion times are the server's clock, `started_ms` ours: a skew between them only moves
        // the line between history and new events by that much, at the start.
        let new = timestamp >= self.config.start_ms || ingestion >= self.started_ms;
        new && self.config.end_ms.is_none_or(|end| timestamp < end)
    }

    fn context<'c>(&'c self, operation: &'static str, group: Option<&'c str>) -> Context<'c> {
        Context {
            operation,
            group,
            client: &self.client,
            coverage: None,
        }
    }

    /// One FilterLogEvents query of one group over `[from, end_ms)`, every page, handing each
    /// page's events to `page`; returns whether the last page came back full (more may be
    /// waiting). Throttling and transient faults are retried by `call`; a failure
    /// that outlasts the retries is fatal.
    async fn query(
        &self,
        group: &str,
        from: i64,
        salt: u64,
        mut page: impl FnMut(Vec<FilteredLogEvent>) -> Result<(), End>,
    ) -> Result<bool, End> {
        let mut token: Option<String> = None;
        let mut pages = Pages::default();
        let end_time = self.config.end_ms.map(|e| e - 1);
        loop {
            let result = call(&self.shared, salt, || {
                self.client
                    .logs
                    .filter_log_events()
                    .log_group_name(group)
                    .start_time(from)
                    .set_end_time(end_time)
                    .set_filter_pattern(self.config.filter_pattern.clone())
                    .limit(PAGE_LIMIT)
                    .set_next_token(token.clone())
                    .send()
            })
            .await;
            self.out.stats.sync(&self.shared);
            let out = result.map_err(|failure| self.query_error(failure, group, from))?;
            let events = out.events.unwrap_or_default();
            let full = events.len() >= PAGE_LIMIT as usize;
            page(events)?;
            token = pages
                .follow(out.next_token)
                .map_err(|failure| self.query_error(failure, group, from))?;
            if token.is_none() {
                return Ok(full);
            }
        }
    }

    fn query_error(&self, failure: Failure, group: &str, from: i64) -> End {
        let mut ctx = self.context("logs:FilterLogEvents", Some(group));
        ctx.coverage = Some((
            format!("everything before {}", short_time(from)),
            format!("log group {} since {}", esc(group), short_time(self.config.start_ms)),
        ));
        End::Failed(to_error(failure, &ctx))
    }
}

/// A FilterLogEvents result as the pipeline takes it.
fn owned(e: FilteredLogEvent) -> OwnedEvent {
    OwnedEvent {
        timestamp_ms: e.timestamp,
        stream: e.log_stream_name.unwrap_or_default(),
        message: e.message.unwrap_or_default(),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// `2025-07-11T06:05:34Z`: times in notes, to the second.
fn short_time(ms: i64) -> String {
    crate::timeutil::format_rfc3339_short(ms.div_euclid(1000) * 1000)
}

/// `1 s`, `500 ms`, `1.5 s`, `2 min`: durations in notes.
fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
