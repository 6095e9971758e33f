//! The CloudWatch Logs source: fetch a window of one or more log groups into the same `EventSink` as files.

pub mod call;
pub mod config;
pub mod fetch;
pub mod groups;
pub mod ratelimit;
pub mod retry;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use thiserror::Error;
use tokio::sync::mpsc;

use crate::redact::escape_control;
use crate::report::SourceInfo;
use crate::source::{EventSink, LogEvent};
use call::{Counters, Failure, Shared};
pub use config::Connection;
use fetch::{Slice, SliceProgress};
pub use groups::{GroupInfo, DEFAULT_PATTERN};
use ratelimit::RateLimiter;
use retry::RetryPolicy;

/// Which groups to read: the named ones, else those whose name contains `pattern`.
#[derive(Debug, Clone)]
pub struct GroupSelection {
    pub names: Vec<String>,
    pub pattern: String,
    /// Read every group the pattern matches instead of asking which one.
    pub all: bool,
}

/// A `report` against CloudWatch, validated.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connection: Connection,
    pub groups: GroupSelection,
    /// Window start, inclusive (epoch ms).
    pub start_ms: i64,
    /// Window end, exclusive (epoch ms).
    pub end_ms: i64,
    pub slices: u32,
    pub max_tps: f64,
    pub max_attempts: u32,
    /// Draw a progress line on stderr (only when it is a terminal).
    pub progress: bool,
}

/// Pages in flight between the fetch tasks and the pipeline, per slice: bounds memory to a few pages.
pub const PAGES_IN_FLIGHT_PER_SLICE: usize = 2;

/// What went wrong talking to CloudWatch, worded for the user: one line, with what to do about it.
#[derive(Debug, Error)]
pub enum CwError {
    #[error(
        "no AWS region configured for profile '{profile}': pass --region (e.g. --region us-east-1) or set AWS_REGION"
    )]
    NoRegion { profile: String },
    #[error("log group '{group}' not found in region {region} (profile '{profile}'): list the groups with `authlogs groups`, or check --region/--profile")]
    GroupNotFound {
        group: String,
        region: String,
        profile: String,
    },
    #[error("no log group name contains '{pattern}' in region {region} (profile '{profile}'): pass --group NAME, or --group-pattern to match another name (list them with `authlogs groups --group-pattern ''`)")]
    NoGroups {
        pattern: String,
        region: String,
        profile: String,
    },
    #[error("{count} log groups contain '{pattern}': {names}; pass --group NAME (repeatable) to pick, or --all-groups to read them all")]
    SeveralGroups {
        pattern: String,
        count: usize,
        names: String,
    },
    #[error("access denied: the credentials of profile '{profile}' may not call {permission}{target} in region {region}: grant {permission} to that identity (AWS said: {detail})")]
    AccessDenied {
        permission: &'static str,
        target: String,
        region: String,
        profile: String,
        detail: String,
    },
    #[error("no AWS credentials found (profile '{profile}'): run `aws configure` or `aws sso login`, pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    NoCredentials { profile: String },
    #[error("the AWS credentials of profile '{profile}' have expired: refresh them (e.g. `aws sso login --profile {profile}`) and run again")]
    ExpiredToken { profile: String },
    #[error("the AWS credentials of profile '{profile}' were rejected ({code}): check the access key, secret and session token")]
    BadCredentials { profile: String, code: String },
    #[error("cannot reach the CloudWatch Logs endpoint {endpoint}: {detail}; check --endpoint-url / AWS_ENDPOINT_URL, --region and the network")]
    Connect { endpoint: String, detail: String },
    #[error("{operation} kept failing after {attempts} tries ({last}); covered {covered} of {window} — try again later, lower --max-tps, or narrow --since/--until")]
    Exhausted {
        operation: &'static str,
        attempts: u32,
        last: String,
        covered: String,
        window: String,
    },
    #[error("{operation} failed: {detail}")]
    Other { operation: &'static str, detail: String },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// What an error message needs to know about the call that failed.
struct Context<'a> {
    operation: &'static str,
    group: Option<&'a str>,
    client: &'a config::Client,
    /// Only for fetches: which part of the window was read, and all of it.
    coverage: Option<(String, String)>,
}

fn esc(s: &str) -> String {
    escape_control(s).into_owned()
}

fn to_error(failure: Failure, ctx: &Context<'_>) -> CwError {
    let region = esc(&ctx.client.region);
    let profile = esc(&ctx.client.profile);
    match failure {
        Failure::Service { code, message, .. } => match code.as_str() {
            "ResourceNotFoundException" => CwError::GroupNotFound {
                group: esc(ctx.group.unwrap_or("?")),
                region,
                profile,
            },
            "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => CwError::AccessDenied {
                permission: ctx.operation,
                target: ctx
                    .group
                    .map(|g| format!(" on log group '{}'", esc(g)))
                    .unwrap_or_default(),
                region,
                profile,
                detail: esc(&message),
            },
            "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" => CwError::ExpiredToken { profile },
            "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "InvalidClientTokenId"
            | "IncompleteSignature" => CwError::BadCredentials {
                profile,
                code: esc(&code),
            },
            _ => CwError::Other {
                operation: ctx.operation,
                detail: esc(&format!("{code}: {message}")),
            },
        },
        Failure::Connect { detail } => CwError::Connect {
            endpoint: esc(&ctx
                .client
                .endpoint
                .clone()
                .unwrap_or_else(|| format!("of region {}", ctx.client.region))),
            detail,
        },
        Failure::NoCredentials { .. } => CwError::NoCredentials { profile },
        Failure::Exhausted { attempts, last } => {
            let (covered, window) = ctx
                .coverage
                .clone()
                .unwrap_or_else(|| ("nothing".into(), "the request".into()));
            CwError::Exhausted {
                operation: ctx.operation,
                attempts,
                last: esc(&last),
                covered,
                window,
            }
        }
        Failure::Other { detail } => CwError::Other {
            operation: ctx.operation,
            detail: esc(&detail),
        },
        Failure::Aborted => CwError::Other {
            operation: ctx.operation,
            detail: "stopped".into(),
        },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CwError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CwError::Runtime)
}

fn shared(max_tps: f64, max_attempts: u32) -> Arc<Shared> {
    Arc::new(Shared {
        limiter: RateLimiter::new(max_tps),
        policy: RetryPolicy {
            max_attempts,
            ..RetryPolicy::default()
        },
        counters: Counters::default(),
        abort: AtomicBool::new(false),
    })
}

/// Lists the groups whose name contains `pattern`, with their newest event time.
pub fn list_groups(connection: &Connection, pattern: &str, max_tps: f64) -> Result<Vec<GroupInfo>, CwError> {
    let rt = runtime()?;
    rt.block_on(async {
        let client = config::client(connection).await?;
        let shared = shared(max_tps, RetryPolicy::default().max_attempts);
        let ctx = Context {
            operation: "logs:DescribeLogGroups",
            group: None,
            client: &client,
            coverage: None,
        };
        let mut found = groups::describe_groups(&client, &shared, pattern)
            .await
            .map_err(|f| to_error(f, &ctx))?;
        for g in &mut found {
            let ctx = Context {
                operation: "logs:DescribeLogStreams",
                group: Some(&g.name),
                client: &client,
                coverage: None,
            };
            g.newest_event_ms = groups::newest_event(&client, &shared, &g.name)
                .await
                .map_err(|f| to_error(f, &ctx))?;
            g.created = g.created_ms.map(crate::timeutil::format_rfc3339_ms);
            g.newest_event = g.newest_event_ms.map(crate::timeutil::format_rfc3339_ms);
        }
        Ok(found)
    })
}

/// Resolves which groups to read; tells `notes` when it picked the only match by itself.
async fn resolve_groups(
    client: &config::Client,
    shared: &Shared,
    selection: &GroupSelection,
    notes: &mut dyn Write,
) -> Result<Vec<String>, CwError> {
    if !selection.names.is_empty() {
        let mut names = selection.names.clone();
        names.dedup();
        return Ok(names);
    }
    let ctx = Context {
        operation: "logs:DescribeLogGroups",
        group: None,
        client,
        coverage: None,
    };
    let found = groups::describe_groups(client, shared, &selection.pattern)
        .await
        .map_err(|f| to_error(f, &ctx))?;
    let names: Vec<String> = found.into_iter().map(|g| g.name).collect();
    match names.len() {
        0 => Err(CwError::NoGroups {
            pattern: esc(&selection.pattern),
            region: esc(&client.region),
            profile: esc(&client.profile),
        }),
        1 => {
            let _ = writeln!(
                notes,
                "authlogs: reading log group {} (the only one containing '{}')",
                esc(&names[0]),
                esc(&selection.pattern)
            );
            Ok(names)
        }
        n if selection.all => {
            let _ = writeln!(
                notes,
                "authlogs: reading {n} log groups containing '{}'",
                esc(&selection.pattern)
            );
            Ok(names)
        }
        n => Err(CwError::SeveralGroups {
            pattern: esc(&selection.pattern),
            count: n,
            names: names.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// `2025-07-11T06:00:00Z`: window bounds in messages, without milliseconds unless they matter.
fn short_time(ms: i64) -> String {
    let full = crate::timeutil::format_rfc3339_ms(ms);
    full.strip_suffix(".000Z").map_or(full.clone(), |s| format!("{s}Z"))
}

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

/// Fetches the window from CloudWatch into `sink`, page by page. Returns what it cost.
pub fn fetch_into(
    config: &FetchConfig,
    sink: &mut dyn EventSink,
    notes: &mut dyn Write,
) -> Result<SourceInfo, CwError> {
    let rt = runtime()?;
    let shared = shared(config.max_tps, config.max_attempts);
    let client = rt.block_on(config::client(&config.connection))?;
    let groups = rt.block_on(resolve_groups(&client, &shared, &config.groups, notes))?;
    let window = fetch::slices(config.start_ms, config.end_ms, config.slices);
    let (tx, mut rx) = mpsc::channel::<fetch::Msg>(PAGES_IN_FLIGHT_PER_SLICE * window.len().max(1));
    let mut reorder = fetch::Reorder::new(groups.len(), &window);
    let mut tasks = Vec::new();
    let mut all_progress = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (i, slice) in window.iter().enumerate() {
            let progress = Arc::new(SliceProgress::new(*slice));
            all_progress.push(progress.clone());
            let task = fetch::fetch_slice(
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
    let done = Arc::new(AtomicBool::new(false));
    let ticker = config
        .progress
        .then(|| rt.spawn(progress_line(shared.clone(), all_progress, done.clone())));
    let mut deliver = |e: &fetch::OwnedEvent| {
        sink.event(&LogEvent {
            timestamp_ms: e.timestamp_ms,
            stream: &e.stream,
            message: &e.message,
        })
    };
    while let Some(msg) = rx.blocking_recv() {
        reorder.push(msg, &mut deliver);
    }
    reorder.finish(&mut deliver);
    done.store(true, Ordering::Relaxed);
    let results = rt.block_on(async {
        let mut results = Vec::new();
        for (g, slice, handle) in tasks {
            let r = match handle.await {
                Ok(r) => r,
                Err(e) => Err(Failure::Other { detail: e.to_string() }),
            };
            results.push((g, slice, r));
        }
        if let Some(t) = ticker {
            let _ = t.await;
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
        groups: groups.iter().map(|g| esc(g)).collect(),
        api_calls: Counters::get(&c.api_calls),
        events: Counters::get(&c.events),
        throttled: Counters::get(&c.throttled),
        retries: Counters::get(&c.retries),
    })
}

/// Redraws `events, pages, rate, % of window` on stderr until `done`, then clears the line.
async fn progress_line(shared: Arc<Shared>, slices: Vec<Arc<SliceProgress>>, done: Arc<AtomicBool>) {
    let start = Instant::now();
    let mut stderr = std::io::stderr();
    while !done.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let events = Counters::get(&shared.counters.events);
        let pages = Counters::get(&shared.counters.pages);
        let rate = events as f64 / start.elapsed().as_secs_f64().max(0.001);
        let pct = 100.0 * slices.iter().map(|s| s.fraction()).sum::<f64>() / slices.len().max(1) as f64;
        let _ = write!(
            stderr,
            "\r\x1b[2K{events} events, {pages} pages, {rate:.0} events/s, {pct:.0}% of window"
        );
        let _ = stderr.flush();
    }
    let _ = write!(stderr, "\r\x1b[2K");
    let _ = stderr.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_merges_adjacent_slices() {
        let s = fetch::slices(0, 4 * 3_600_000, 4);
        assert_eq!(coverage(&[]), "nothing");
        assert_eq!(
            coverage(&[s[1], s[0], s[3]]),
            "1970-01-01T00:00:00Z–1970-01-01T02:00:00Z, 1970-01-01T03:00:00Z–1970-01-01T04:00:00Z"
        );
        assert_eq!(short_time(1), "1970-01-01T00:00:00.001Z");
    }
}
