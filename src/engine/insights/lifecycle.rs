//! One Logs Insights query from StartQuery to its last page of results: polling while it is
//! Scheduled or Running, paging with `nextToken`, every final status told apart, and the query
//! stopped (StopQuery) when the run ends early, since an abandoned query runs on and is billed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::config::http::HttpResponse;
use aws_sdk_cloudwatchlogs::error::SdkError;
use aws_sdk_cloudwatchlogs::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_cloudwatchlogs::types::QueryStatus;

use super::rows::Row;
use super::running::{Running, Scanned};
use super::twins;
use crate::aws::Client;
use crate::aws::{call, one_line, Failure, Pages, Shared};
use crate::redact::escape_control;

/// Rows one query may return: Logs Insights QL pages 10,000 rows a call and follows `nextToken`
/// up to 100,000.
pub const ROW_LIMIT: usize = 100_000;
const PAGE_ROWS: i32 = 10_000;

/// The first wait before asking for results; each wait doubles up to `MAX_POLL`.
const FIRST_POLL: Duration = Duration::from_millis(250);
const MAX_POLL: Duration = Duration::from_secs(2);

/// How long StopQuery (and the statistics read after it) may take on the way out of a run.
const STOP_WAIT: Duration = Duration::from_secs(5);

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
    /// `--max-cost` was reached: no further query is started.
    SpendCap { spent: f64, cap: f64 },
}

impl QueryError {
    /// One line for an error message.
    pub fn describe(&self) -> String {
        match self {
            QueryError::TimedOut => "it timed out (status Timeout)".into(),
            QueryError::Ended { status } if status == "Cancelled" => {
                "it was cancelled (status Cancelled: StopQuery from another client or the console)".into()
            }
            QueryError::Ended { status } => format!("it ended with status {}", escape_control(status)),
            QueryError::Call { operation, failure } => format!("{operation}: {}", one_line(failure)),
            QueryError::Interrupted => "interrupted".into(),
            QueryError::Unusable(why) => why.clone(),
            QueryError::SpendCap { spent, cap } => {
                format!("the queries so far cost about ${spent:.4}, --max-cost {cap}")
            }
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
        // The status is the server's text: escaped here, so no message can print it raw.
        Some(s) => Phase::Ended(escape_control(s.as_str()).into_owned()),
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

/// Whether a failed StartQuery attempt may still have started a query: the request may have
/// reached the service and only its answer was lost (a timeout, a dropped connection, an
/// unreadable answer, a 5xx). A 4xx error code says the service refused it.
fn may_have_started<E>(e: &SdkError<E, HttpResponse>) -> bool {
    match e {
        SdkError::ServiceError(se) => !(400..500).contains(&se.raw().status().as_u16()),
        SdkError::ConstructionFailure(_) => false,
        _ => true,
    }
}

/// Runs `spec` to its end. `interrupted` is looked at between polls: the query is then left in
/// `running` for the caller to stop. A query still running when a call fails for good stays
/// there too; so does a twin a retried StartQuery may have started, found with DescribeQueries.
pub async fn run_query(
    client: &Client,
    shared: &Shared,
    running: &Running,
    interrupted: &AtomicBool,
    spec: &QuerySpec,
    salt: u64,
) -> Result<Answer, QueryError> {
    let asked_ms = chrono::Utc::now().timestamp_millis();
    let lost = AtomicBool::new(false);
    let started = call(shared, salt, || {
        let send = client
            .logs
            .start_query()
            .set_log_group_names(Some(spec.groups.clone()))
            .start_time(spec.start_s)
            .end_time(spec.end_s)
            .query_string(spec.text.clone())
            .limit(ROW_LIMIT as i32)
            .send();
        let lost = &lost;
        async move {
            let r = send.await;
            if r.as_ref().is_err_and(may_have_started) {
                lost.store(true, Ordering::Relaxed);
            }
            r
        }
    })
    .await;
    let id = started.as_ref().ok().and_then(|s| s.query_id()).map(str::to_string);
    if let Some(id) = &id {
        running.add(id);
    }
    if lost.load(Ordering::Relaxed) {
        // An answer was lost: the service may run a query whose id this run never saw.
        twins::stop_twins(client, shared, running, spec, asked_ms, salt).await;
    }
    let started = started.map_err(|failure| QueryError::Call {
        operation: "logs:StartQuery",
        failure,
    })?;
    let Some(id) = id.or_else(|| started.query_id().map(str::to_string)) else {
        return Err(QueryError::Ended {
            status: "(StartQuery returned no query id)".into(),
        });
    };
    poll(client, shared, running, interrupted, &id, salt).await
}

/// The most one query can scan or count: 10^18 (an exabyte, a quintillion records). More is an
/// endpoint's error, and would be billed and counted as if it were true.
const MAX_SCANNED: f64 = 1e18;

/// The statistics of a GetQueryResults answer; a value that is negative, not finite or past
/// [`MAX_SCANNED`] is an error naming its field.
fn scanned_of(out: &GetQueryResultsOutput) -> Result<Option<Scanned>, QueryError> {
    let Some(s) = out.statistics() else { return Ok(None) };
    for (field, x) in [
        ("bytesScanned", s.bytes_scanned()),
        ("recordsScanned", s.records_scanned()),
        ("recordsMatched", s.records_matched()),
    ] {
        if !(0.0..=MAX_SCANNED).contains(&x) {
            return Err(QueryError::Unusable(format!(
                "Logs Insights returned {field} out of range ({x:e}, more than {MAX_SCANNED:e} or not a count): the endpoint's numbers cannot be right; try again, or use --engine local"
            )));
        }
    }
    Ok(Some(Scanned {
        bytes: s.bytes_scanned(),
        records: s.records_scanned(),
        matched: s.records_matched(),
    }))
}

async fn poll(
    client: &Client,
    shared: &Shared,
    running: &Running,
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
        // A call failing for good here leaves the query in `running`: it may still run and bill.
        let out = get(None).await.map_err(map)?;
        let scanned = scanned_of(&out)?;
        if let Some(s) = scanned {
            running.saw(id, s);
        }
        let phase = phase(out.status());
        if phase != Phase::Waiting {
            running.remove(id);
        }
        match phase {
            Phase::Waiting => continue,
            Phase::TimedOut => return Err(QueryError::TimedOut),
            Phase::Ended(status) => return Err(QueryError::Ended { status }),
            Phase::Complete => {}
        }
        let scanned = scanned.unwrap_or_default();
        let mut answer = Answer {
            bytes_scanned: scanned.bytes,
            records_scanned: scanned.records,
            records_matched: scanned.matched,
            rows: rows_of(out.results()),
            ..Answer::default()
        };
        // A token sent again (`A, B, A`) would page forever: the answer is refused, not cut short.
        let mut pages = Pages::default();
        let mut token = pages.follow(out.next_token().map(str::to_string)).map_err(map)?;
        while let Some(t) = token.take() {
            if answer.rows.len() >= ROW_LIMIT {
                break;
            }
            let page = get(Some(t)).await.map_err(map)?;
            let rows = rows_of(page.results());
            if rows.is_empty() {
                break;
            }
            answer.rows.extend(rows);
            token = pages.follow(page.next_token().map(str::to_string)).map_err(map)?;
        }
        answer.truncated = answer.rows.len() >= ROW_LIMIT;
        answer.rows.truncate(ROW_LIMIT);
        return Ok(answer);
    }
}

/// Stops every query still running, one try each, then reads each stopped query's statistics
/// once (what it scanned before it stopped is billed); says which could not be stopped.
pub async fn stop_all(client: &Client, running: &Arc<Running>) -> Vec<(String, String)> {
    let mut failed = Vec::new();
    for id in running.ids() {
        match stop(client, &id).await {
            Ok(()) => {
                running.remove(&id);
                read_final_statistics(client, running, &id).await;
            }
            Err(why) => failed.push((id, why)),
        }
    }
    failed
}

/// One StopQuery, within 5 s: the error worded for a note.
pub(super) async fn stop(client: &Client, id: &str) -> Result<(), String> {
    let sent = tokio::time::timeout(STOP_WAIT, client.logs.stop_query().query_id(id).send()).await;
    match sent {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
            Err(match (&e, e.code()) {
                (_, Some(code)) => format!("{code}: {}", e.message().unwrap_or_default()),
                (SdkError::ServiceError(se), None) => format!("HTTP {}", se.raw().status().as_u16()),
                _ => crate::aws::root_message(&e),
            })
        }
        Err(_) => Err(format!("no answer within {} s", STOP_WAIT.as_secs())),
    }
}

/// What a stopped query scanned, from one GetQueryResults (best effort: the last statistics a
/// poll saw stay when this fails).
pub(super) async fn read_final_statistics(client: &Client, running: &Running, id: &str) {
    let got = tokio::time::timeout(
        STOP_WAIT,
        client.logs.get_query_results().query_id(id).max_items(1).send(),
    )
    .await;
    if let Ok(Ok(out)) = got {
        // Numbers out of range are left out: what the poll saw stays.
        if let Ok(Some(s)) = scanned_of(&out) {
            running.saw(id, s);
        }
    }
}

#[cfg(test)]
mod tests;
