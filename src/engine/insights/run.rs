//! A report's queries over every batch of groups and slice of the window, a few at a time: a
//! slice that times out or returns too many rows is split in two and run again, every answer is
//! merged into one set of totals, and on any early end the queries still running are stopped.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::lifecycle::{run_query, stop_all, Answer, QueryError, QuerySpec};
use super::running::Running;
use super::plan::{api_seconds, batches, slices, split};
use super::query::{Bounds, Queries, QueryKind, Resolution};
use super::rows::add_rows;
use crate::analyze::ServerTotals;
use crate::aws::resolve_groups;
use crate::aws::{client, runtime, FetchConfig};
use crate::aws::{esc, to_error, Context, CwError};
use crate::aws::{Counters, Shared};
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
}

/// What the queries cost and what in the result is not exact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InsightsRun {
    pub groups: Vec<String>,
    /// Queries that completed (splits included).
    pub queries: u64,
    pub bytes_scanned: f64,
    pub records_scanned: f64,
    pub records_matched: f64,
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
        ..InsightsRun::default()
    };
    let outcome: Result<(), (Option<Work>, QueryError)> = rt.block_on(async {
        let mut set: JoinSet<(Work, Result<Answer, QueryError>)> = JoinSet::new();
        let mut salt = 0u64;
        loop {
            while set.len() < config.concurrency.max(1) {
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
                    if let Err(e) = add_rows(work.kind, work.resolution, &answer.rows, &mut totals) {
                        return Err((Some(work), QueryError::Unusable(e.to_string())));
                    }
                    run.queries += 1;
                    run.bytes_scanned += answer.bytes_scanned;
                    run.records_scanned += answer.records_scanned;
                    run.records_matched += answer.records_matched;
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
    run.api_calls = Counters::get(&shared.counters.api_calls);
    run.throttled = Counters::get(&shared.counters.throttled);
    run.retries = Counters::get(&shared.counters.retries);
    let Err((work, error)) = outcome else {
        return Ok((totals, run));
    };
    // Whatever ended the run early: the queries still running would go on and be billed.
    shared.abort.store(true, Ordering::Relaxed);
    let started = running.ids().len();
    let failed_stops = rt.block_on(stop_all(&client, &running));
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
    let Some(work) = work else {
        return Err(CwError::Other {
            operation: "Logs Insights",
            detail: error.describe(),
        });
    };
    match error {
        QueryError::Interrupted => Err(CwError::Interrupted { stopped }),
        QueryError::Call { operation, failure } => {
            let ctx = Context {
                operation,
                group: None,
                client: &client,
                coverage: None,
            };
            Err(to_error(failure, &ctx))
        }
        QueryError::Unusable(reason) => Err(CwError::QueryUnusable {
            query: work.kind.name(),
            reason,
        }),
        other => Err(CwError::QueryFailed {
            query: work.kind.name(),
            slice: format!("{}–{}", short_time(work.bounds.start), short_time(work.bounds.end)),
            reason: other.describe(),
        }),
    }
}
