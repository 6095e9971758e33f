//! Following with Live Tail: one StartLiveTail session for all the groups (at most 10), a
//! FilterLogEvents backfill each time a session starts (the gap since the previous one, or the
//! `--since` window), reconnection when a session ends, and the fall back to polling when Live
//! Tail is denied or not there.
//!
//! A session ends after 3 hours on AWS, when the network drops, or (moto) after its one update,
//! which replays every stored event of the group. Each new session is backfilled from the overlap
//! before the last sign of life of the previous one; the fingerprints of `dedup.rs` keep every event
//! to one delivery.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::config::StalledStreamProtectionConfig;
use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudwatchlogs::primitives::event_stream::EventReceiver;
use aws_sdk_cloudwatchlogs::types::error::StartLiveTailResponseStreamError;
use aws_sdk_cloudwatchlogs::types::{LiveTailSessionUpdate, StartLiveTailResponseStream};

use super::dedup::{fingerprint, Fingerprints, Origin};
use super::{human_duration, now_ms, owned, poll, short_time, End, FollowStats, Follower};
use crate::aws::group_arns;
use crate::aws::{call, one_line, root_message, Failure};
use crate::aws::{esc, to_error, CwError};
use crate::source::cloudwatch::slice::{Dedup, OwnedEvent};

/// The most log groups one StartLiveTail session takes.
pub(super) const MAX_GROUPS: usize = 10;
/// Sessions start at least this far apart, so a server that closes them at once (moto does, after
/// its one update) is not hammered; small, because on moto it is most of the delay to an event.
const MIN_SESSION_GAP: Duration = Duration::from_millis(200);
/// How long a new session's first messages are waited for before the backfill runs: moto sends
/// its one update at once; AWS sends its first a second later, so this costs it little.
const EARLY: Duration = Duration::from_millis(20);
/// The longest wait before reopening a session that failed.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// AWS sends an update every second, with no events if none came; a session silent this long is
/// taken for dead.
const IDLE: Duration = Duration::from_secs(15);
/// How long StartLiveTail may take to send its first message.
const OPEN_TIMEOUT: Duration = Duration::from_secs(30);
/// A session that lasted this long was a real one: its end is worth a note, and it resets the count
/// of failed sessions.
const NOTABLE_SESSION: Duration = Duration::from_secs(60);

type Stream = EventReceiver<StartLiveTailResponseStream, StartLiveTailResponseStreamError>;

/// What to do about a Live Tail failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnFailure {
    /// Live Tail is not there for us: poll instead, with a note.
    FallBack,
    /// The run ends with this error.
    Fatal,
    /// Open another session after a backoff.
    Reconnect,
}

/// Error codes that say the operation is denied or does not exist here (an old emulator, a proxy,
/// a policy without `logs:StartLiveTail`): polling may still work.
const UNAVAILABLE_CODES: [&str; 10] = [
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedOperation",
    "UnknownOperationException",
    "UnknownOperation",
    "InvalidAction",
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "NotImplemented",
    "NotImplementedException",
];

/// Decides between falling back to polling, failing, and reconnecting. `opened_before`: a session
/// of this run has started, so Live Tail works here and a failure now is a fault, not a lack.
pub(super) fn on_failure(failure: &Failure, opened_before: bool) -> OnFailure {
    let lack = if opened_before {
        OnFailure::Fatal
    } else {
        OnFailure::FallBack
    };
    match failure {
        Failure::Service { code, status, .. } => {
            let unknown_path = *status == 404 && code.starts_with("HTTP");
            if UNAVAILABLE_CODES.contains(&code.as_str()) || *status == 501 || unknown_path {
                lack
            } else {
                // The group, the credentials, the filter pattern: polling would fail the same way.
                OnFailure::Fatal
            }
        }
        // The `stream-` endpoint cannot be reached, or does not speak the event stream.
        Failure::Connect { .. } | Failure::Other { .. } if !opened_before => OnFailure::FallBack,
        Failure::Connect { .. } | Failure::Other { .. } => OnFailure::Reconnect,
        // Retries ran out (e.g. the account's 15 concurrent sessions are taken): poll, if it never worked.
        Failure::Exhausted { .. } => lack,
        // Live Tail's stream may be what the endpoint cannot serve; polling then says what is wrong.
        Failure::Unreadable { .. } | Failure::Redirected { .. } => lack,
        Failure::NoCredentials { .. } | Failure::Unsendable { .. } | Failure::Aborted => OnFailure::Fatal,
    }
}

/// How a session ended.
enum SessionEnd {
    /// The server closed it (moto after one update; AWS after 3 h, with `SessionTimeoutException`).
    Closed,
    /// No message for `IDLE`.
    Idle,
    /// The stream failed.
    Failed(Failure),
}

/// The wait before reopening after `failures` failed sessions in a row.
fn backoff(failures: u32) -> Duration {
    MIN_SESSION_GAP
        .saturating_mul(1 << failures.saturating_sub(1).min(8))
        .min(MAX_BACKOFF)
}

/// Follows with Live Tail until stopped, past `end_ms`, or failed; polls if Live Tail is unavailable.
pub(super) async fn live(f: &Follower<'_>) -> Result<(), End> {
    if f.groups.len() > MAX_GROUPS {
        return Err(CwError::TooManyLiveGroups { count: f.groups.len() }.into());
    }
    let arns = group_arns(&f.client, &f.shared, &f.groups).await?;
    let index = group_index(&f.groups, &arns);
    let mut seen = Fingerprints::new(f.overlap_ms());
    // The last sign of life of a session (or the start of the `--since` backfill): the next backfill
    // looks back the overlap from here.
    let mut last_alive: Option<i64> = None;
    let t0 = now_ms();
    if f.config.start_ms < t0.saturating_sub(f.overlap_ms()) || f.past_end(t0) {
        // A long `--since`: read it before the first session, which would otherwise wait on it.
        backfill(f, &mut seen, f.config.start_ms, t0).await?;
        last_alive = Some(t0);
    }
    let mut opened_before = false;
    let mut failures = 0u32;
    loop {
        let began = Instant::now();
        if f.past_end(now_ms()) {
            return Ok(());
        }
        let opened = tokio::select! {
            r = open(f, &arns) => r,
            () = f.end_reached() => return Ok(()),
        };
        let (mut stream, first) = match opened {
            Ok(s) => s,
            Err(failure) => match on_failure(&failure, opened_before) {
                OnFailure::FallBack => {
                    f.out.note(format!(
                        "authlogs: Live Tail is not available ({}); polling FilterLogEvents every {} instead",
                        esc(&one_line(&failure)),
                        human_duration(f.config.interval)
                    ))?;
                    let from = last_alive.map_or(f.config.start_ms, |t| f.look_back(t));
                    return poll::poll(f, from, Some(seen)).await;
                }
                OnFailure::Fatal => return Err(fatal(f, failure)),
                OnFailure::Reconnect => {
                    failures += 1;
                    retry_later(f, failure, failures, last_alive, "could not be reopened").await?;
                    continue;
                }
            },
        };
        let opened_at = now_ms();
        FollowStats::add(&f.out.stats.sessions, 1);
        if opened_before {
            FollowStats::add(&f.out.stats.reconnects, 1);
        }
        opened_before = true;
        // The gap to backfill: from the overlap before the previous session's last sign of life.
        let from = last_alive.map_or(f.config.start_ms, |t| f.look_back(t));
        last_alive = Some(opened_at);
        // What the session sends at once (moto: everything) is shown before the backfill. Until
        // the backfill has run, nothing it may return is evicted.
        seen.begin_session();
        let mut ending = None;
        if let Some(first) = first {
            ending = message(f, &mut seen, &index, Ok(Some(first)), from, &mut last_alive)?;
        }
        while ending.is_none() {
            match tokio::time::timeout(EARLY, stream.recv()).await {
                Ok(msg) => {
                    let msg = msg.map_err(|e| stream_failure(&e));
                    ending = message(f, &mut seen, &index, msg, from, &mut last_alive)?;
                }
                Err(_) => break,
            }
        }
        backfill(f, &mut seen, from, opened_at).await?;
        seen.begin_session();
        let ending = match ending {
            Some(e) => e,
            None => loop {
                let msg = tokio::select! {
                    r = stream.recv() => r.map_err(|e| stream_failure(&e)),
                    () = f.end_reached() => return Ok(()),
                    () = tokio::time::sleep(IDLE) => break SessionEnd::Idle,
                };
                let floor = f.look_back(now_ms());
                if let Some(end) = message(f, &mut seen, &index, msg, floor, &mut last_alive)? {
                    break end;
                }
            },
        };
        drop(stream);
        f.out.stats.sync(&f.shared);
        let lasted = began.elapsed();
        if lasted >= NOTABLE_SESSION {
            failures = 0;
        }
        match ending {
            SessionEnd::Closed => {
                failures = 0;
                if lasted >= NOTABLE_SESSION {
                    f.out.note(format!(
                        "authlogs: Live Tail session ended; reconnecting (backfilling {})",
                        gap(f, last_alive)
                    ))?;
                }
                tokio::time::sleep(MIN_SESSION_GAP.saturating_sub(lasted)).await;
            }
            SessionEnd::Idle => {
                f.out.note(format!(
                    "authlogs: Live Tail session silent for {}; reconnecting (backfilling {})",
                    human_duration(IDLE),
                    gap(f, last_alive)
                ))?;
            }
            SessionEnd::Failed(failure) => {
                failures += 1;
                retry_later(f, failure, failures, last_alive, "failed").await?;
            }
        }
    }
}

/// Notes a failed session and waits before the next, or ends the run when too many failed in a row.
async fn retry_later(
    f: &Follower<'_>,
    failure: Failure,
    failures: u32,
    last_alive: Option<i64>,
    what: &str,
) -> Result<(), End> {
    if failures >= f.config.max_attempts.max(1) {
        let last = one_line(&failure);
        return Err(fatal(
            f,
            Failure::Exhausted {
                attempts: failures,
                last,
            },
        ));
    }
    let wait = backoff(failures);
    f.out.note(format!(
        "authlogs: Live Tail session {what} ({}); reconnecting in {} (backfilling {})",
        esc(&one_line(&failure)),
        human_duration(wait),
        gap(f, last_alive)
    ))?;
    tokio::time::sleep(wait).await;
    Ok(())
}

/// The gap the next backfill closes (it also looks back the overlap before it), e.g. `12 s`.
fn gap(f: &Follower<'_>, last_alive: Option<i64>) -> String {
    let since = last_alive.unwrap_or(f.config.start_ms);
    human_duration(Duration::from_millis((now_ms() - since).max(0) as u64))
}

fn fatal(f: &Follower<'_>, failure: Failure) -> End {
    let group = (f.groups.len() == 1).then(|| f.groups[0].as_str());
    let mut ctx = f.context("logs:StartLiveTail", group);
    ctx.coverage = Some((
        "everything up to the last event shown".into(),
        format!(
            "log group {} since {}",
            f.groups.iter().map(|g| esc(g)).collect::<Vec<_>>().join(", "),
            short_time(f.config.start_ms)
        ),
    ));
    End::Failed(to_error(failure, &ctx))
}

/// Group identifiers (ARNs as given, ARNs with `:*`, names) → index in `groups`.
pub(super) fn group_index(groups: &[String], arns: &[String]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, (name, arn)) in groups.iter().zip(arns).enumerate() {
        index.insert(name.clone(), i);
        index.insert(arn.clone(), i);
        index.insert(format!("{arn}:*"), i);
    }
    index
}

/// Which of our groups a Live Tail result belongs to. Its `logGroupIdentifier` is the ARN we
/// asked with; a name, or an ARN in another form, is matched by the group name it holds. With
/// one group, a result without a recognisable identifier is taken to be its.
pub(super) fn group_of(index: &HashMap<String, usize>, groups: usize, id: Option<&str>) -> Option<usize> {
    let Some(id) = id else {
        return (groups == 1).then_some(0);
    };
    if let Some(&i) = index.get(id) {
        return Some(i);
    }
    match id.split_once(":log-group:") {
        Some((_, name)) => index.get(name.trim_end_matches(":*")).copied(),
        None => (groups == 1).then_some(0),
    }
}

/// Opens a session and reads its first message (normally `SessionStart`, which is returned too so
/// an early update is not lost). Errors before that mean the stream cannot be opened.
async fn open(f: &Follower<'_>, arns: &[String]) -> Result<(Stream, Option<StartLiveTailResponseStream>), Failure> {
    let opening = async {
        let output = call(&f.shared, 7, || {
            f.client
                .logs
                .start_live_tail()
                .set_log_group_identifiers(Some(arns.to_vec()))
                .set_log_event_filter_pattern(f.config.filter_pattern.clone())
                .customize()
                // A quiet session sends little: it is not a stalled download.
                .config_override(
                    aws_sdk_cloudwatchlogs::config::Builder::default()
                        .stalled_stream_protection(StalledStreamProtectionConfig::disabled()),
                )
                .send()
        })
        .await?;
        let mut stream = output.response_stream;
        match stream.recv().await {
            Ok(Some(first)) => Ok((stream, Some(first))),
            Ok(None) => Err(Failure::Other {
                detail: "the Live Tail session closed before it started".into(),
            }),
            Err(e) => Err(stream_failure(&e)),
        }
    };
    match tokio::time::timeout(OPEN_TIMEOUT, opening).await {
        Ok(r) => r,
        Err(_) => Err(Failure::Other {
            detail: format!("no answer to StartLiveTail in {}", human_duration(OPEN_TIMEOUT)),
        }),
    }
}

/// A failed event stream, in the terms of `call`'s failures.
fn stream_failure<R: std::fmt::Debug + 'static>(e: &SdkError<StartLiveTailResponseStreamError, R>) -> Failure {
    match e {
        SdkError::ServiceError(_) => Failure::Service {
            code: e.code().unwrap_or("SessionStreamingException").to_string(),
            message: e.message().unwrap_or_default().to_string(),
            status: 200,
        },
        _ => Failure::Other {
            detail: format!("Live Tail stream: {}", root_message(e)),
        },
    }
}

/// One message of a session's stream: its events out, or how the session ended. `floor`: the
/// fingerprints may be evicted up to here (no query to come starts earlier).
fn message(
    f: &Follower<'_>,
    seen: &mut Fingerprints,
    index: &HashMap<String, usize>,
    msg: Result<Option<StartLiveTailResponseStream>, Failure>,
    floor: i64,
    last_alive: &mut Option<i64>,
) -> Result<Option<SessionEnd>, End> {
    match msg {
        Ok(Some(StartLiveTailResponseStream::SessionUpdate(u))) => {
            *last_alive = Some(now_ms());
            update(f, seen, index, u, floor)?;
            Ok(None)
        }
        Ok(Some(_)) => {
            *last_alive = Some(now_ms());
            Ok(None)
        }
        Ok(None) => Ok(Some(SessionEnd::Closed)),
        // The 3-hour limit: an ordinary end.
        Err(Failure::Service { code, .. }) if code == "SessionTimeoutException" => Ok(Some(SessionEnd::Closed)),
        Err(failure) => Ok(Some(SessionEnd::Failed(failure))),
    }
}

/// One session update: its new events, after a note when CloudWatch sampled them.
fn update(
    f: &Follower<'_>,
    seen: &mut Fingerprints,
    index: &HashMap<String, usize>,
    u: LiveTailSessionUpdate,
    floor: i64,
) -> Result<(), End> {
    let now = now_ms();
    let sampled = u.session_metadata.is_some_and(|m| m.sampled);
    let mut batch = Vec::new();
    for e in u.session_results.unwrap_or_default() {
        // Not a group of ours (moto may answer for another group): not ours to show.
        let Some(group) = group_of(index, f.groups.len(), e.log_group_identifier.as_deref()) else {
            continue;
        };
        let timestamp = e.timestamp.unwrap_or(now);
        let ingestion = e.ingestion_time.unwrap_or(timestamp);
        if !f.wanted(timestamp, ingestion) {
            continue;
        }
        let stream = e.log_stream_name.unwrap_or_default();
        let message = e.message.unwrap_or_default();
        let key = fingerprint(&f.groups[group], &stream, timestamp, ingestion, &message);
        if seen.admit(key, timestamp, ingestion, Origin::LiveTail) {
            batch.push(OwnedEvent {
                timestamp_ms: Some(timestamp),
                stream,
                message,
            });
        }
    }
    seen.evict(floor);
    // A sampled update that brought nothing new was a replay (moto sends the group's oldest 500
    // events, sampled, in every session) or was backfilled in full: nothing was left out.
    if sampled && !batch.is_empty() {
        FollowStats::add(&f.out.stats.sampled_seconds, 1);
        f.out.note(format!(
            "authlogs: CloudWatch sampled the events of {}: not every event is shown",
            short_time(now)
        ))?;
    }
    let n = batch.len() as u64;
    f.out.events(batch)?;
    FollowStats::add(&f.out.stats.live_events, n);
    Ok(())
}

/// Reads `[from, end_ms)` of every group with FilterLogEvents into the fingerprints: what the
/// sessions missed. `alive_ms`: the session start (or now) this backfill is for.
async fn backfill(f: &Follower<'_>, seen: &mut Fingerprints, from: i64, alive_ms: i64) -> Result<(), End> {
    FollowStats::add(&f.out.stats.polls, 1);
    for (g, group) in f.groups.iter().enumerate() {
        seen.begin_query(f.look_back(alive_ms));
        let mut pages = Dedup::default();
        f.query(group, from, g as u64, |events| {
            pages.page();
            let mut batch = Vec::new();
            for e in events {
                if !pages.fresh(e.event_id.as_deref()) {
                    continue;
                }
                let timestamp = e.timestamp.unwrap_or(from);
                let ingestion = e.ingestion_time.unwrap_or(timestamp);
                if !f.wanted(timestamp, ingestion) {
                    continue;
                }
                let key = fingerprint(
                    group,
                    e.log_stream_name.as_deref().unwrap_or_default(),
                    timestamp,
                    ingestion,
                    e.message.as_deref().unwrap_or_default(),
                );
                if seen.admit(key, timestamp, ingestion, Origin::Query) {
                    batch.push(owned(e));
                }
            }
            seen.query_page();
            f.out.events(batch)
        })
        .await?;
        seen.end_query();
    }
    Ok(())
}
