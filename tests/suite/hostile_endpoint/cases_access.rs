//! Issue 30 item 13 through the hostile endpoint: an access-log group whose records lie outside the
//! window (1969, the year 3000), repeat one request id 100,000 times, or lie apart in time from the
//! authorizer's log. The same access log without them is the reference the counts are held to.

use serde_json::{json, Value};

use super::server::{ok, Call, Endpoint, Reply};
use crate::access_cloudwatch::access_events;
use crate::access_shapes::CALLER_COUNTS;
use crate::cloudwatch::{sample_events, Event};
use crate::util::{finish, iso, Run};

const GROUP: &str = "/aws/lambda/agw-access-permission";
const ACCESS: &str = "/aws/apigateway/orders-api";
/// Events a FilterLogEvents page holds at most, as the service sends them.
const PAGE: usize = 10_000;

/// FilterLogEvents of one of two groups over `events` of each: those of the request's
/// `[startTime, endTime)`, as the service would (the hostile records are sent regardless: the
/// service's own filter is what this endpoint does not keep: once, in the slice that holds `anchor`),
/// `PAGE` a page.
fn answer(call: &Call<'_>, authorizer: &[Event], access: &[Event], hostile: &[Event], anchor: i64) -> Reply {
    let body: Value = serde_json::from_str(call.body).unwrap_or(Value::Null);
    match call.operation {
        "DescribeLogGroups" => ok(json!({ "logGroups": [
            { "logGroupName": GROUP, "storedBytes": 1000 },
            { "logGroupName": ACCESS, "storedBytes": 1000 },
        ] })
        .to_string()),
        "FilterLogEvents" => {
            let group = body["logGroupName"].as_str().unwrap_or_default();
            let (start, end) = (
                body["startTime"].as_i64().unwrap_or(i64::MIN),
                body["endTime"].as_i64().unwrap_or(i64::MAX),
            );
            let in_window = |e: &&Event| e.ts >= start && e.ts < end;
            let events: Vec<&Event> = if group == ACCESS {
                let once = if (start..end).contains(&anchor) { hostile } else { &[] };
                access.iter().filter(in_window).chain(once).collect()
            } else {
                authorizer.iter().filter(in_window).collect()
            };
            let page: usize = body["nextToken"].as_str().and_then(|t| t.parse().ok()).unwrap_or(0);
            let shown: Vec<Value> = events
                .iter()
                .enumerate()
                .skip(page * PAGE)
                .take(PAGE)
                .map(|(i, e)| {
                    json!({
                        "logStreamName": e.stream, "timestamp": e.ts, "ingestionTime": e.ts,
                        "message": e.message, "eventId": format!("{group}-{start}-{i}"),
                    })
                })
                .collect();
            let mut out = json!({ "events": shown, "searchedLogStreams": [] });
            if (page + 1) * PAGE < events.len() {
                out["nextToken"] = json!((page + 1).to_string());
            }
            ok(out.to_string())
        }
        _ => ok("{}"),
    }
}

/// `report --group … --access-log-group …` over the window around the sample's events, through an
/// endpoint that adds `hostile` to the access group's answers (and moves its records by `shift_ms`).
fn report(hostile: Vec<Event>, shift_ms: i64) -> (Run, Value) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let authorizer = sample_events();
    let access: Vec<Event> = access_events(&authorizer, dir.path())
        .into_iter()
        .map(|e| {
            // The record's own time is what the join reads: move it with the event's.
            let mut record: Value = serde_json::from_str(&e.message).expect("a JSON record");
            record["requestTimeEpoch"] = json!((e.ts + shift_ms).to_string());
            Event {
                ts: e.ts + shift_ms,
                message: record.to_string(),
                ..e
            }
        })
        .collect();
    let first = authorizer.iter().map(|e| e.ts).min().expect("events");
    let last = authorizer.iter().chain(&access).map(|e| e.ts).max().expect("events");
    let (since, until) = (iso(first - 60_000), iso(last + 60_000));
    let ep = Endpoint::start(move |call| answer(call, &authorizer, &access, &hostile, first));
    let run = finish(&mut ep.authlogs(&[
        "report",
        "--group",
        GROUP,
        "--access-log-group",
        ACCESS,
        "--since",
        &since,
        "--until",
        &until,
        "--engine",
        "local",
        "--format",
        "json",
    ]));
    run.assert_no_panic();
    let json = run.json();
    (run, json)
}

/// An access record like the sample's, with another id and time.
fn record(id: &str, ms: i64) -> Event {
    Event {
        stream: "access".into(),
        ts: ms,
        message: json!({
            "requestId": id, "ip": "198.51.100.9", "requestTimeEpoch": ms.to_string(),
            "httpMethod": "GET", "routeKey": "GET /", "status": "200", "authorizerError": "-",
        })
        .to_string(),
    }
}

#[test]
fn access_records_outside_the_window_are_skipped_and_counted() {
    let (_, want) = report(Vec::new(), 0);
    let (run, got) = report(
        vec![
            record("from-1969", -86_400_000),
            record("from-3000", 32_503_680_000_000),
        ],
        0,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for key in CALLER_COUNTS {
        assert_eq!(got["callers"][key], want["callers"][key], "callers.{key}");
    }
    assert_eq!(got["callers"]["filtered_records"], 2, "{}", got["callers"]);
    assert!(run.stderr.contains("2 records outside the window"), "{}", run.stderr);
}

#[test]
fn one_request_id_sent_100000_times_is_one_request() {
    let (_, want) = report(Vec::new(), 0);
    let requests = want["callers"]["requests"].as_u64().expect("requests");
    let at = want["window"]["first_event"]
        .as_str()
        .map(crate::util::parse_iso)
        .expect("first event");
    let (run, got) = report((0..100_000).map(|_| record("same-id=", at + 5)).collect(), 0);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        got["callers"]["requests"].as_u64(),
        Some(requests + 1),
        "{}",
        got["callers"]
    );
    assert_eq!(got["callers"]["duplicate_records"], 99_999, "{}", got["callers"]);
}

#[test]
fn an_access_log_apart_in_time_is_a_warning() {
    // Ten hours after the authorizer's log: no request can be joined with an invocation.
    let (run, got) = report(Vec::new(), 10 * 3_600_000);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let kinds: Vec<&str> = got["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(kinds.contains(&"access_log_no_overlap"), "{kinds:?} {}", got["callers"]);
    assert!(
        run.stderr.contains("does not overlap the authorizer's logs"),
        "{}",
        run.stderr
    );
}
