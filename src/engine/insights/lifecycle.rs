//! One Logs Insights query from StartQuery to its last page of results: polling while it is
//! Scheduled or Running, paging with `nextToken`, every final status told apart, and the query
//! stopped (StopQuery) when the run ends early, since an abandoned query runs on and is billed.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::QueryStatus;

use super::running::Running;
use super::rows::Row;
use crate::aws::Client;
use crate::aws::{call, one_line, Failure, Shared};

/// Rows one query may return: Logs Insights QL pages 10,000 rows a call and follows `nextToken`
/// up to 100,000.
pub const ROW_LIMIT: usize = 100_000;
const PAGE_ROWS: i32 = 10_000;

/// The first wait before asking for results; each wait doubles up to `MAX_POLL`.
const FIRST_POLL: Duration = Duration::from_millis(250);
const MAX_POLL: Duration = Duration::from_secs(2);

/// One query to run.
#[derive(Debug, Clone)]
pub struct QuerySpec {
    /// At most 50 log groups.
    pub groups: Vec<String>,
    /// Epoch seconds, both inclusive (as StartQuery takes them).
    pub start_s: i64,
    pub end_s: i64,
    pub text: String,
}

/// What a finished query gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub rows: Vec<Row>,
    /// `rows` reached [`ROW_LIMIT`]: there may be more.
    pub truncated: bool,
    pub bytes_scanned: f64,
    pub records_scanned: f64,
    pub records_matched: f64,
}

/// Why a query gave no answer.
#[derive(Debug, Clone)]
pub enum QueryError {
    /// The service gave up on it (status `Timeout`): a smaller slice may finish.
    TimedOut,
    /// It ended `Failed`, `Cancelled` or `Unknown`.
    Ended { status: String },
    /// A call failed for good.
    Call { operation: &'static str, failure: Failure },
    /// The user interrupted the run (the query was stopped).
    Interrupted,
    /// It completed, with rows authlogs cannot read.
    Unusable(String),
}

impl QueryError {
    /// One line for an error message.
    pub fn describe(&self) -> String {
        match self {
            QueryError::TimedOut => "it timed out (status Timeout)".into(),
            QueryError::Ended { status } if status == "Cancelled" => {
                "it was cancelled (status Cancelled: StopQuery from another client or the console)".into()
            }
            QueryError::Ended { status } => format!("it ended with status {status}"),
            QueryError::Call { operation, failure } => format!("{operation}: {}", one_line(failure)),
            QueryError::Interrupted => "interrupted".into(),
            QueryError::Unusable(why) => why.clone(),
        }
    }
}

/// Whether a status is final, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Waiting,
    Complete,
    TimedOut,
    Ended(String),
}

/// What a GetQueryResults status means for the loop.
pub fn phase(status: Option<&QueryStatus>) -> Phase {
    match status {
        Some(QueryStatus::Scheduled | QueryStatus::Running) => Phase::Waiting,
        Some(QueryStatus::Complete) => Phase::Complete,
        Some(QueryStatus::Timeout) => Phase::TimedOut,
        Some(s) => Phase::Ended(s.as_str().to_string()),
        None => Phase::Ended("(none)".into()),
    }
}

fn rows_of(results: &[Vec<aws_sdk_cloudwatchlogs::types::ResultField>]) -> Vec<Row> {
    results
        .iter()
        .map(|r| {
            r.iter()
                .filter_map(|f| Some((f.field()?.to_string(), f.value().unwrap_or_default().to_string())))
                .collect()
        })
        .collect()
}

/// Runs `spec` to its end. `interrupted` is looked at between polls: the query is then stopped.
pub async fn run_query(
    client: &Client,
    shared: &Shared,
    running: &Running,
    interrupted: &AtomicBool,
    spec: &QuerySpec,
    salt: u64,
) -> Result<Answer, QueryError> {
    let started = call(shared, salt, || {
        client
            .logs
            .start_query()
            .set_log_group_names(Some(spec.groups.clone()))
            .start_time(spec.start_s)
            .end_time(spec.end_s)
            .query_string(spec.text.clone())
            .limit(ROW_LIMIT as i32)
            .send()
    })
    .await
    .map_err(|failure| QueryError::Call {
        operation: "logs:StartQuery",
        failure,
    })?;
    let Some(id) = started.query_id().map(str::to_string) else {
        return Err(QueryError::Ended {
            status: "(StartQuery returned no query id)".into(),
        });
    };
    running.add(&id);
    let result = poll(client, shared, interrupted, &id, salt).await;
    match &result {
        // Stopped by `stop_all` (interrupt) or already over.
        Err(QueryError::Interrupted) => {}
        _ => running.remove(&id),
    }
    result
}

async fn poll(
    client: &Client,
    shared: &Shared,
    interrupted: &AtomicBool,
    id: &str,
    salt: u64,
) -> Result<Answer, QueryError> {
    let mut wait = FIRST_POLL;
    let get = |token: Option<String>| {
        call(shared, salt, move || {
            client
                .logs
                .get_query_results()
                .query_id(id)
                .set_next_token(token.clone())
                .max_items(PAGE_ROWS)
                .send()
        })
    };
    let map = |failure| QueryError::Call {
        operation: "logs:GetQueryResults",
        failure,
    };
    loop {
        if interrupted.load(Ordering::Relaxed) {
            return Err(QueryError::Interrupted);
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(MAX_POLL);
        if interrupted.load(Ordering::Relaxed) {
            return Err(QueryError::Interrupted);
        }
        let out = get(None).await.map_err(map)?;
        match phase(out.status()) {
            Phase::Waiting => continue,
            Phase::TimedOut => return Err(QueryError::TimedOut),
            Phase::Ended(status) => return Err(QueryError::Ended { status }),
            Phase::Complete => {}
        }
        let mut answer = Answer::default();
        if let Some(s) = out.statistics() {
            answer.bytes_scanned = s.bytes_scanned();
            answer.records_scanned = s.records_scanned();
            answer.records_matched = s.records_matched();
        }
        answer.rows = rows_of(out.results());
        let mut token = out.next_token().map(str::to_string);
        // A token that comes back unchanged would page forever: stop at the first repeat.
        let mut seen = BTreeSet::new();
        while let Some(t) = token.take() {
            if answer.rows.len() >= ROW_LIMIT || !seen.insert(t.clone()) {
                break;
            }
            let page = get(Some(t)).await.map_err(map)?;
            let rows = rows_of(page.results());
            if rows.is_empty() {
                break;
            }
            answer.rows.extend(rows);
            token = page.next_token().map(str::to_string);
        }
        answer.truncated = answer.rows.len() >= ROW_LIMIT;
        answer.rows.truncate(ROW_LIMIT);
        return Ok(answer);
    }
}

/// Stops every query still running, one try each, and says which could not be stopped.
pub async fn stop_all(client: &Client, running: &Arc<Running>) -> Vec<(String, String)> {
    let mut failed = Vec::new();
    for id in running.ids() {
        let sent = tokio::time::timeout(
            Duration::from_secs(5),
            client.logs.stop_query().query_id(id.clone()).send(),
        )
        .await;
        match sent {
            Ok(Ok(_)) => running.remove(&id),
            Ok(Err(e)) => {
                use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};
                let why = match (&e, e.code()) {
                    (_, Some(code)) => format!("{code}: {}", e.message().unwrap_or_default()),
                    (SdkError::ServiceError(se), None) => format!("HTTP {}", se.raw().status().as_u16()),
                    _ => crate::aws::root_message(&e),
                };
                failed.push((id, why));
            }
            Err(_) => failed.push((id, "no answer within 5 s".into())),
        }
    }
    failed
}

#[cfg(test)]
mod tests;
