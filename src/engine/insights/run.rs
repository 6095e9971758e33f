//! A report's queries over every batch of groups and slice of the window, a few at a time: a
//! slice that times out or returns too many rows is split in two and run again, every answer is
//! merged into one set of totals, and however the run ends no query is left running and every
//! byte any query scanned is billed.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::lifecycle::{run_query, stop_all, Answer, QueryError, QuerySpec};
use super::plan::{api_seconds, batches, scan_cost, slices, split, Price, PriceOrigin};
use super::query::{Bounds, Queries, QueryKind, Resolution};
use super::rows::{add_rows, check_times};
use super::running::Running;
use crate::analyze::ServerTotals;
use crate::aws::resolve_groups;
use crate::aws::{client, runtime, FetchConfig};
use crate::aws::{esc, to_error, Context, CwError, Failure};
use crate::aws::{Counters, Shared};
use crate::human::human_bytes;
use crate::patterns::Patterns;
use crate::timeutil::format_rfc3339_short as short_time;

/// How the Insights engine runs.
#[derive(Debug, Clone)]
pub struct InsightsConfig {
    /// Groups, window, rate limit, retries.
    pub fetch: FetchConfig,
    /// The message table the queries are written from.
    pub patterns: Patterns,
    /// Queries running at once (the account's limit is shared with dashboards and other users).
    pub concurrency: usize,
    /// The window is cut into slices this long (split further on a timeout or too many rows).
    pub slice_ms: i64,
    /// `--price-gb-scanned`: else the price of the connection's region.
    pub price_override: Option<f64>,
    /// `--max-cost`: no query is started once the queries so far cost this much.
    pub max_cost: Option<f64>,
}

/// What the queries cost and what in the result is not exact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InsightsRun {
    pub groups: Vec<String>,
    /// Queries started (splits, timed-out and stopped ones included): all of them are billed.
    pub queries: u64,
    /// What every started query scanned, from its last statistics.
    pub bytes_scanned: f64,
    pub records_scanned: f64,
    pub records_matched: f64,
    /// The events of the window, each counted once: the `recordsScanned` of one kind of query
    /// (requests) over every slice and batch it answered. All kinds scan the same ranges, so
    /// summing them all would count each event three times; the margins past inner slice
    /// boundaries are still counted once per slice reading them.
    pub events: f64,
    /// The price the run is billed at.
    pub price: Option<Price>,
    pub api_calls: u64,
    pub throttled: u64,
    pub retries: u64,
    /// Parts of the report that are not exact in this run, each `field: why`.
    pub approximate: Vec<String>,
}

/// One query of one batch over one slice.
#[derive(Debug, Clone)]
struct Work {
    batch: usize,
    bounds: Bounds,
    kind: QueryKind,
    resolution: Resolution,
}

/// Runs the report's queries and merges their answers. `interrupted` (set on Ctrl-C) stops every
/// running query and ends the run with [`CwError::Interrupted`].
pub fn run_insights(
    config: &InsightsConfig,
    notes: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<(ServerTotals, InsightsRun), CwError> {
    let rt = runtime()?;
    let fetch = &config.fetch;
    let shared = Shared::new(fetch.max_tps, fetch.max_attempts);
    let client = rt.block_on(client(&fetch.connection))?;
    let price = Price::of(&client.region, config.price_override);
    if let PriceOrigin::Unknown(_) = price.origin {
        let _ = writeln!(notes, "authlogs: Logs Insights price: {}", price.describe());
    }
    let groups = rt.block_on(resolve_groups(&client, &shared, &fetch.groups, notes))?;
    let queries = Arc::new(Queries::new(&config.patterns));
    let group_batches = Arc::new(batches(&groups));
    let (ws, we) = (fetch.start_ms, fetch.end_ms);
    let mut queue: VecDeque<Work> = VecDeque::new();
    for batch in 0..group_batches.len() {
        for bounds in slices(ws, we, config.slice_ms) {
            for kind in QueryKind::ALL {
                queue.push_back(Work {
                    batch,
                    bounds,
                    kind,
                    resolution: Resolution::Exact,
                });
            }
        }
    }
    let running = Arc::new(Running::default());
    let mut totals = ServerTotals::default();
    let mut run = InsightsRun {
        groups: groups.clone(),
        price: Some(price.clone()),
        ..InsightsRun::default()
    };
    let mut set: JoinSet<(Work, Result<Answer, QueryError>)> = JoinSet::new();
    let outcome: Result<(), (Option<Work>, QueryError)> = rt.block_on(async {
        let mut salt = 0u64;
        loop {
            while set.len() < config.concurrency.max(1) {
                if queue.is_empty() {
                    break;
                }
                if let Some(cap) = config.max_cost {
                    let spent = scan_cost(running.bill().1.bytes, 1, price.usd_per_gb);
                    if spent >= cap {
                        return Err((None, QueryError::SpendCap { spent, cap }));
                    }
                }
                let Some(work) = queue.pop_front() else { break };
                let (start_s, end_s) = api_seconds(&work.bounds);
                let spec = QuerySpec {
                    groups: group_batches[work.batch].clone(),
                    start_s,
                    end_s,
                    text: queries.text(work.kind, &work.bounds, work.resolution),
                };
                let (client, shared, running, interrupted) =
                    (client.clone(), shared.clone(), running.clone(), interrupted.clone());
                salt += 1;
                let s = salt;
                set.spawn(async move {
                    let r = run_query(&client, &shared, &running, &interrupted, &spec, s).await;
                    (work, r)
                });
            }
            let Some(joined) = set.join_next().await else { break };
            let (work, result) = match joined {
                Ok(done) => done,
                // A task that panicked lost its answer: never a silent gap in the report.
                Err(e) => return Err((None, QueryError::Unusable(format!("a query task failed: {e}")))),
            };
            match result {
                Ok(answer) => {
                    if answer.truncated {
                        if let Some(halves) = split(&work.bounds, ws, we) {
                            for bounds in halves {
                                queue.push_back(Work { bounds, ..work.clone() });
                            }
                            continue;
                        }
                        if work.kind == QueryKind::Reports && work.resolution == Resolution::Exact {
                            let note =
                                "duration_ms: percentiles to 1 ms (a minute held more than 100,000 distinct durations)";
                            if !run.approximate.iter().any(|a| a == note) {
                                run.approximate.push(note.into());
                            }
                            queue.push_back(Work {
                                resolution: Resolution::WholeMs,
                                ..work
                            });
                            continue;
                        }
                        run.approximate.push(format!(
                            "{}: the {} query of {}–{} returned its limit of rows; later rows are missing",
                            match work.kind {
                                QueryKind::Denied => "top_denied_ips",
                                QueryKind::Requests => "decisions",
                                QueryKind::Reports => "duration_ms",
                            },
                            work.kind.name(),
                            short_time(work.bounds.start),
                            short_time(work.bounds.end)
                        ));
                    }
                    let added = add_rows(work.kind, work.resolution, &answer.rows, &mut totals)
                        .and_then(|()| check_times(&totals, ws, we));
                    if let Err(e) = added {
                        return Err((Some(work), QueryError::Unusable(e.to_string())));
                    }
                    if work.kind == QueryKind::Requests {
                        run.events += answer.records_scanned;
                    }
                }
                Err(QueryError::TimedOut) => match split(&work.bounds, ws, we) {
                    Some(halves) => {
                        let _ = writeln!(
                            notes,
                            "authlogs: the {} query of {}–{} timed out; running it again in two halves",
                            work.kind.name(),
                            short_time(work.bounds.start),
                            short_time(work.bounds.end)
                        );
                        for bounds in halves {
                            queue.push_back(Work { bounds, ..work.clone() });
                        }
                    }
                    None => return Err((Some(work), QueryError::TimedOut)),
                },
                Err(e) => return Err((Some(work), e)),
            }
        }
        Ok(())
    });
    if outcome.is_err() {
        // The other tasks end at their next call. Waiting for them (rather than dropping them)
        // lets a StartQuery already sent record its query id, so that it is stopped below.
        shared.abort.store(true, Ordering::Relaxed);
        rt.block_on(async { while set.join_next().await.is_some() {} });
    }
    // However the run ends, a query still running (a twin that could not be stopped, those
    // interrupted or cut short) would go on and be billed.
    let started = running.ids().len();
    let failed_stops = if started > 0 {
        rt.block_on(stop_all(&client, &running))
    } else {
        Vec::new()
    };
    for (id, why) in &failed_stops {
        let _ = writeln!(
            notes,
            "authlogs: could not stop query {} ({}): it runs to its end and is billed; stop it in the console or with `aws logs stop-query --query-id {}`",
            esc(id),
            esc(why),
            esc(id)
        );
    }
    let stopped = started - failed_stops.len();
    run.api_calls = Counters::get(&shared.counters.api_calls);
    run.throttled = Counters::get(&shared.counters.throttled);
    run.retries = Counters::get(&shared.counters.retries);
    let (queries, scanned) = running.bill();
    run.queries = queries;
    run.bytes_scanned = scanned.bytes;
    run.records_scanned = scanned.records;
    run.records_matched = scanned.matched;
    let Err((work, error)) = outcome else {
        return Ok((totals, run));
    };
    let spent = format!(
        "{queries} Logs Insights queries ran and scanned {} (about ${:.4} at ${}/GB)",
        human_bytes(scanned.bytes),
        scan_cost(scanned.bytes, 1, price.usd_per_gb),
        price.usd_per_gb
    );
    let error = ended_by(work, error, stopped, &client, spent.clone());
    Err(match error {
        e @ CwError::Interrupted { .. } => e,
        e => CwError::Billed {
            error: Box::new(e),
            spent,
        },
    })
}

/// The error a run ended with.
fn ended_by(
    work: Option<Work>,
    error: QueryError,
    stopped: usize,
    client: &crate::aws::Client,
    spent: String,
) -> CwError {
    if let QueryError::Interrupted = error {
        return CwError::Interrupted { stopped, spent };
    }
    if let QueryError::SpendCap { spent, cap } = error {
        return CwError::SpendCap { spent, cap };
    }
    let Some(work) = work else {
        return CwError::Other {
            operation: "Logs Insights",
            detail: error.describe(),
        };
    };
    match error {
        QueryError::Interrupted => CwError::Interrupted { stopped, spent },
        QueryError::Call {
            operation: "logs:StartQuery",
            failure: Failure::Service { code, message, .. },
        } if REJECTIONS.contains(&code.as_str()) => CwError::QueryRejected {
            query: work.kind.name(),
            code: esc(&code),
            message: esc(&message),
        },
        QueryError::Call { operation, failure } => {
            let ctx = Context {
                operation,
                group: None,
                client,
                coverage: None,
            };
            to_error(failure, &ctx)
        }
        QueryError::Unusable(reason) => CwError::QueryUnusable {
            query: work.kind.name(),
            reason,
        },
        other => CwError::QueryFailed {
            query: work.kind.name(),
            slice: format!("{}–{}", short_time(work.bounds.start), short_time(work.bounds.end)),
            reason: other.describe(),
        },
    }
}

/// StartQuery error codes that say the service refused the query itself (not the call): the
/// same query fails every time, so `--engine auto` reads the window locally instead.
const REJECTIONS: [&str; 2] = ["MalformedQueryException", "InvalidParameterException"];
