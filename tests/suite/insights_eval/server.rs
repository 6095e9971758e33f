//! The HTTP side: a proxy rule in front of moto that answers `StartQuery`, `GetQueryResults`,
//! `StopQuery` and `DescribeQueries` itself, reading the events of each group from moto with
//! `FilterLogEvents`, and forwards every other call.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::eval::{execute, Outcome};
use super::fields::StoredEvent;
use super::prepare;
use super::rules::Rejection;
use crate::cloudwatch::endpoint;
use crate::proxy::{start_proxy, Action, Call, Proxy};

/// How the evaluator behaves where a test wants to steer it.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Rows per GetQueryResults page when the call gives no `maxItems` (and at most 10,000).
    pub page_rows: usize,
    /// GetQueryResults calls answered `Running` (no rows) before a query is `Complete`.
    pub running_polls: u64,
    /// Whether StartQuery checks the documented rules (off only to measure what a rejected query
    /// would compute: the service never runs such a query).
    pub check_rules: bool,
    /// A query whose `[startTime, endTime]` spans more than this many seconds ends `Timeout`
    /// (billed for what it scanned, no rows), as a query over too much data does: authlogs then
    /// splits its slice.
    pub timeout_over_s: Option<i64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            page_rows: 10_000,
            running_polls: 0,
            check_rules: true,
            timeout_over_s: None,
        }
    }
}

/// One query the evaluator started.
#[derive(Debug, Clone)]
pub(crate) struct QueryRecord {
    pub id: String,
    pub text: String,
    pub groups: Vec<String>,
    /// `Running`, `Complete`, `Timeout` or `Cancelled`.
    pub status: String,
    /// It ends `Timeout` instead of `Complete` ([`Options::timeout_over_s`]).
    pub times_out: bool,
    pub polls: u64,
    pub outcome: Outcome,
    pub created_ms: i64,
}

#[derive(Default)]
struct State {
    queries: Mutex<Vec<QueryRecord>>,
    /// Every StartQuery the evaluator refused, with its reason.
    rejected: Mutex<Vec<String>>,
    next: AtomicU64,
}

/// A running evaluator: its URL (pass it as `--endpoint-url`) and what it did.
pub(crate) struct Evaluator {
    pub url: String,
    pub proxy: Proxy,
    state: Arc<State>,
}

impl Evaluator {
    /// Every query started, in order.
    pub(crate) fn queries(&self) -> Vec<QueryRecord> {
        self.state.queries.lock().map(|q| q.clone()).unwrap_or_default()
    }
    /// How many queries were started.
    pub(crate) fn started(&self) -> usize {
        self.queries().len()
    }
    /// How many were stopped while running.
    pub(crate) fn stopped(&self) -> usize {
        self.queries().iter().filter(|q| q.status == "Cancelled").count()
    }
    /// How many are still running (started, neither complete nor stopped).
    pub(crate) fn running(&self) -> usize {
        self.queries().iter().filter(|q| q.status == "Running").count()
    }
    /// Bytes every started query scanned (a stopped query is billed for its whole scan: the
    /// evaluator scans at start).
    pub(crate) fn bytes_scanned(&self) -> u64 {
        self.queries().iter().map(|q| q.outcome.bytes_scanned).sum()
    }
    /// How many calls of `operation` reached the evaluator (answered or forwarded).
    #[allow(dead_code)]
    pub(crate) fn calls(&self, operation: &str) -> usize {
        self.proxy.calls(operation)
    }
    /// The reasons of every refused StartQuery.
    pub(crate) fn rejected(&self) -> Vec<String> {
        self.state.rejected.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// An evaluator with the default options.
pub(crate) fn start_evaluator() -> Evaluator {
    start_evaluator_with(Options::default())
}

/// An evaluator in front of the moto server of this test run.
pub(crate) fn start_evaluator_with(options: Options) -> Evaluator {
    let state = Arc::new(State::default());
    let shared = state.clone();
    let proxy = start_proxy(move |call: &Call<'_>| handle(&shared, &options, call));
    Evaluator {
        url: proxy.url.clone(),
        proxy,
        state,
    }
}

fn body_json(request: &str) -> Value {
    let body = request.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or(Value::Null)
}

fn error(code: &str, message: &str) -> Action {
    Action::Reply {
        status: "400 Bad Request",
        body: json!({"__type": code, "message": message}).to_string(),
    }
}

fn now_ms() -> i64 {
    crate::cloudwatch::now_ms()
}

fn handle(state: &State, options: &Options, call: &Call<'_>) -> Action {
    let body = body_json(call.request);
    match call.operation {
        "StartQuery" => start(state, options, call.request, &body),
        "GetQueryResults" => results(state, options, &body),
        "StopQuery" => {
            let id = body["queryId"].as_str().unwrap_or_default();
            let Ok(mut queries) = state.queries.lock() else {
                return error("ServiceUnavailableException", "evaluator state poisoned");
            };
            match queries.iter_mut().find(|q| q.id == id) {
                None => error("ResourceNotFoundException", "The query does not exist."),
                Some(q) if q.status == "Running" => {
                    q.status = "Cancelled".into();
                    Action::Answer(json!({"success": true}).to_string())
                }
                Some(_) => Action::Answer(json!({"success": false}).to_string()),
            }
        }
        "DescribeQueries" => {
            let want_status = body["status"].as_str();
            let want_group = body["logGroupName"].as_str();
            let queries = state.queries.lock().map(|q| q.clone()).unwrap_or_default();
            let list: Vec<Value> = queries
                .iter()
                .rev()
                .filter(|q| want_status.is_none_or(|s| s == q.status))
                .filter(|q| want_group.is_none_or(|g| q.groups.iter().any(|x| x == g)))
                .map(|q| {
                    json!({"queryId": q.id, "queryString": q.text, "status": q.status,
                           "createTime": q.created_ms, "logGroupName": q.groups.first()})
                })
                .collect();
            Action::Answer(json!({"queries": list}).to_string())
        }
        _ => Action::Forward,
    }
}

/// A group name from a name or an ARN (`arn:…:log-group:NAME[:*]`).
fn group_name(id: &str) -> String {
    match id.split_once(":log-group:") {
        Some((_, rest)) => rest.trim_end_matches(":*").to_string(),
        None => id.to_string(),
    }
}

fn start(state: &State, options: &Options, request: &str, body: &Value) -> Action {
    let text = body["queryString"].as_str().unwrap_or_default().to_string();
    let mut groups: Vec<String> = Vec::new();
    if let Some(g) = body["logGroupName"].as_str() {
        groups.push(g.to_string());
    }
    for key in ["logGroupNames", "logGroupIdentifiers"] {
        if let Some(list) = body[key].as_array() {
            groups.extend(list.iter().filter_map(Value::as_str).map(group_name));
        }
    }
    let prepared = if options.check_rules {
        prepare(&text)
    } else {
        super::parse::parse_query(&text)
    };
    let query = match prepared {
        Ok(q) => q,
        Err(rejection) => {
            let (code, message) = match rejection {
                Rejection::Malformed(m) => ("MalformedQueryException", m),
                Rejection::Unsupported(m) => (
                    "InvalidParameterException",
                    format!("the test evaluator does not implement {m}"),
                ),
            };
            if let Ok(mut r) = state.rejected.lock() {
                r.push(format!("{code}: {message}"));
            }
            return error(code, &message);
        }
    };
    // StartQuery's bounds are epoch seconds, both inclusive.
    let (Some(start_s), Some(end_s)) = (body["startTime"].as_i64(), body["endTime"].as_i64()) else {
        return error("InvalidParameterException", "startTime and endTime are required");
    };
    if end_s < start_s {
        return error("InvalidParameterException", "endTime is before startTime");
    }
    let (from, to) = (start_s * 1000, end_s * 1000 + 999);
    let mut events = Vec::new();
    for group in &groups {
        match fetch(request, group, from, to) {
            Ok(mut e) => events.append(&mut e),
            Err((code, message)) => return error(&code, &message),
        }
    }
    let outcome = match execute(&query, &events) {
        Ok(mut o) => {
            let limit = body["limit"].as_u64().map_or(10_000, |l| l as usize);
            o.rows.truncate(limit);
            o
        }
        Err(Rejection::Malformed(m)) => return error("MalformedQueryException", &m),
        Err(Rejection::Unsupported(m)) => return error("InvalidParameterException", &m),
    };
    let id = format!(
        "eval-{:08}-{}",
        state.next.fetch_add(1, Ordering::Relaxed),
        std::process::id()
    );
    if let Ok(mut q) = state.queries.lock() {
        q.push(QueryRecord {
            id: id.clone(),
            text,
            groups,
            status: "Running".into(),
            times_out: options.timeout_over_s.is_some_and(|limit| end_s - start_s > limit),
            polls: 0,
            outcome,
            created_ms: now_ms(),
        });
    }
    Action::Answer(json!({"queryId": id}).to_string())
}

fn results(state: &State, options: &Options, body: &Value) -> Action {
    let id = body["queryId"].as_str().unwrap_or_default();
    let Ok(mut queries) = state.queries.lock() else {
        return error("ServiceUnavailableException", "evaluator state poisoned");
    };
    let Some(q) = queries.iter_mut().find(|q| q.id == id) else {
        return error("ResourceNotFoundException", "The query does not exist.");
    };
    q.polls += 1;
    if q.status == "Running" && q.polls > options.running_polls {
        q.status = if q.times_out { "Timeout" } else { "Complete" }.into();
    }
    let statistics = json!({
        "recordsMatched": q.outcome.records_matched as f64,
        "recordsScanned": q.outcome.records_scanned as f64,
        "bytesScanned": q.outcome.bytes_scanned as f64,
    });
    if q.status != "Complete" {
        return Action::Answer(json!({"status": q.status, "results": [], "statistics": statistics}).to_string());
    }
    let page = body["maxItems"]
        .as_u64()
        .map_or(options.page_rows, |m| m as usize)
        .clamp(1, 10_000);
    let from = body["nextToken"]
        .as_str()
        .and_then(|t| t.strip_prefix("row-"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let rows = &q.outcome.rows;
    let to = (from + page).min(rows.len());
    let results: Vec<Value> = rows
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .map(|row| Value::Array(row.iter().map(|(f, v)| json!({"field": f, "value": v})).collect()))
        .collect();
    let mut answer = json!({"status": "Complete", "results": results, "statistics": statistics});
    if to < rows.len() {
        answer["nextToken"] = json!(format!("row-{to}"));
    }
    Action::Answer(answer.to_string())
}

/// The `Authorization` header of `request` (moto reads the region from it; it checks no signature).
fn authorization(request: &str) -> String {
    request
        .split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("authorization").then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| {
            "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0"
                .into()
        })
}

/// Every event of `group` in `[from, to]` (ms, inclusive), from moto, following `nextToken`.
fn fetch(request: &str, group: &str, from: i64, to: i64) -> Result<Vec<StoredEvent>, (String, String)> {
    let auth = authorization(request);
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"logGroupName": group, "startTime": from, "endTime": to, "limit": 10000});
        if let Some(t) = &token {
            body["nextToken"] = json!(t);
        }
        let (status, text) = post("FilterLogEvents", &body.to_string(), &auth)
            .map_err(|e| ("ServiceUnavailableException".to_string(), format!("moto: {e}")))?;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status != 200 {
            let code = v["__type"].as_str().unwrap_or("ServiceUnavailableException");
            let code = code.rsplit('#').next().unwrap_or(code).to_string();
            return Err((code, v["message"].as_str().unwrap_or(&text).to_string()));
        }
        for e in v["events"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let timestamp = e["timestamp"].as_i64().unwrap_or(0);
            if timestamp < from || timestamp > to {
                continue;
            }
            out.push(StoredEvent {
                group: group.to_string(),
                stream: e["logStreamName"].as_str().unwrap_or_default().to_string(),
                timestamp,
                ingestion: e["ingestionTime"].as_i64().unwrap_or(timestamp),
                message: e["message"].as_str().unwrap_or_default().to_string(),
            });
        }
        match v["nextToken"].as_str() {
            Some(t) if token.as_deref() != Some(t) && !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

/// One JSON call to moto: (HTTP status, body).
fn post(target: &str, body: &str, auth: &str) -> std::io::Result<(u16, String)> {
    let upstream = endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut conn = TcpStream::connect(&upstream)?;
    write!(
        conn,
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Logs_20140328.{target}\r\nAuthorization: {auth}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    conn.flush()?;
    let mut response = Vec::new();
    conn.read_to_end(&mut response)?;
    let _ = conn.shutdown(Shutdown::Both);
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let rest = response.get(split + 4..).unwrap_or_default();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let chunked = head
        .lines()
        .any(|l| l.starts_with("transfer-encoding:") && l.contains("chunked"));
    let body = if chunked { dechunk(rest) } else { rest.to_vec() };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The body of a chunked HTTP response.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..line_end]).trim().to_string();
        let Ok(n) = usize::from_str_radix(&size, 16) else { break };
        let after = &rest[line_end + 2..];
        if n == 0 || after.len() < n {
            break;
        }
        out.extend_from_slice(&after[..n]);
        rest = after[n..].strip_prefix(b"\r\n").unwrap_or(&after[n..]);
    }
    out
}
