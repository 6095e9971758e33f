//! Each misbehaviour of issue 30 in this scope, driven by the hostile endpoint, with the behaviour chosen:
//! a page token sent again ends the run with one error naming the call; server text is escaped.

use serde_json::Value;

use super::expect::assert_one_error;
use super::server::{ok, Call, Endpoint, Reply};
use crate::util::finish;

const GROUP: &str = "/aws/lambda/agw-access-permission";

/// The token the request sent, if any.
fn token_of(call: &Call<'_>) -> Option<String> {
    let v: Value = serde_json::from_str(call.body).ok()?;
    v["nextToken"].as_str().map(str::to_string)
}

/// `A, B, A, B, …`: the next token after the one the request sent, a cycle that never ends.
fn cycle(call: &Call<'_>) -> &'static str {
    match token_of(call).as_deref() {
        Some("A") => "B",
        _ => "A",
    }
}

/// The answers every case shares: one group, no streams, queries that start and stop.
fn common(call: &Call<'_>) -> Reply {
    match call.operation {
        "DescribeLogGroups" => ok(format!(
            r#"{{"logGroups":[{{"logGroupName":"{GROUP}","storedBytes":1000,"creationTime":1700000000000}}]}}"#
        )),
        "DescribeLogStreams" => ok(r#"{"logStreams":[]}"#),
        "StartQuery" => ok(format!(r#"{{"queryId":"q-{}"}}"#, call.n)),
        "StopQuery" => ok(r#"{"success":true}"#),
        "DescribeQueries" => ok(r#"{"queries":[]}"#),
        "FilterLogEvents" => ok(r#"{"events":[],"searchedLogStreams":[]}"#),
        _ => ok("{}"),
    }
}

#[test]
fn filter_log_events_token_cycle_ends_with_one_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "FilterLogEvents" => ok(format!(r#"{{"events":[],"nextToken":"{}"}}"#, cycle(call))),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "local"]));
    assert_one_error(
        &r,
        &[
            "logs:FilterLogEvents",
            "page token it had already sent",
            "--endpoint-url",
        ],
    );
    // Each slice stops at its first repeat: the first call, A, B, then A again.
    let calls = ep.calls("FilterLogEvents");
    assert!(calls > 0 && calls <= 3 * 16, "{calls} FilterLogEvents calls");
}

#[test]
fn describe_log_groups_token_cycle_ends_with_one_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => ok(format!(
            r#"{{"logGroups":[{{"logGroupName":"{GROUP}-{}"}}],"nextToken":"{}"}}"#,
            call.n,
            cycle(call)
        )),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["groups"]));
    assert_one_error(&r, &["logs:DescribeLogGroups", "page token it had already sent"]);
    assert_eq!(ep.calls("DescribeLogGroups"), 3, "the first call, A, B");
}

#[test]
fn tail_poll_token_cycle_ends_with_one_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "FilterLogEvents" => ok(format!(r#"{{"events":[],"nextToken":"{}"}}"#, cycle(call))),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["tail", "--poll", "--group", GROUP]));
    assert_one_error(&r, &["logs:FilterLogEvents", "page token it had already sent"]);
    assert_eq!(ep.calls("FilterLogEvents"), 3, "the first call, A, B");
}

#[test]
fn insights_results_token_cycle_ends_with_one_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "GetQueryResults" => ok(format!(
            r#"{{"status":"Complete","results":[[{{"field":"n","value":"1"}}]],"statistics":{{"bytesScanned":10,"recordsScanned":1,"recordsMatched":1}},"nextToken":"{}"}}"#,
            cycle(call)
        )),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "insights"]));
    assert_one_error(&r, &["logs:GetQueryResults", "page token it had already sent"]);
}

#[test]
fn unknown_query_status_is_escaped() {
    let ep = Endpoint::start(|call| match call.operation {
        "GetQueryResults" => ok(r#"{"status":"Failed\u001b[31m","results":[]}"#),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "insights"]));
    assert_one_error(&r, &["status Failed\\x1b[31m"]);
}

#[test]
fn groups_json_escapes_names_as_report_json_does() {
    let name = format!("{GROUP}\u{202e}\u{1b}[31m");
    let listed = serde_json::json!({ "logGroups": [{ "logGroupName": name, "storedBytes": 5 }] }).to_string();
    let ep = Endpoint::start(move |call| match call.operation {
        "DescribeLogGroups" => ok(listed.clone()),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["groups", "--format", "json"]));
    r.assert_code(0);
    let text = r.text();
    assert!(
        !text.contains('\x1b') && !text.contains('\u{202e}'),
        "raw in:\n{text:?}"
    );
    assert!(
        text.contains(r"\u202e") && text.contains(r"\u001b"),
        "escaped in:\n{text}"
    );
    // Still the same name for a JSON reader.
    assert_eq!(r.json()[0]["name"], Value::String(name));
}

#[test]
fn a_long_fetch_tells_its_progress_off_a_terminal() {
    // Pages half a second apart, 25 per slice: over 10 s, so at least one plain progress line.
    let ep = Endpoint::start(|call| match call.operation {
        "FilterLogEvents" => {
            std::thread::sleep(std::time::Duration::from_millis(500));
            let next = token_of(call).and_then(|t| t.parse::<u32>().ok()).unwrap_or(0) + 1;
            let token = if next < 25 {
                format!(r#","nextToken":"{next}""#)
            } else {
                String::new()
            };
            ok(format!(r#"{{"events":[]{token}}}"#))
        }
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "local"]));
    r.assert_code(0);
    assert!(r.stderr.contains("authlogs: fetching: 0 events, "), "{}", r.stderr);
    assert!(!r.stderr.contains('\r') && !r.stderr.contains('\x1b'), "{:?}", r.stderr);
}

/// An endpoint whose requests query answers `rows` (JSON arrays of fields) and whose other
/// queries answer nothing.
fn insights_answering(rows: &'static str) -> Endpoint {
    Endpoint::start(move |call| match call.operation {
        "StartQuery" => {
            let kind = if call.body.contains("as invocations") {
                "requests"
            } else {
                "other"
            };
            ok(format!(r#"{{"queryId":"{kind}-{}"}}"#, call.n))
        }
        "GetQueryResults" => {
            let results = if call.body.contains("requests-") { rows } else { "[]" };
            ok(format!(
                r#"{{"status":"Complete","results":{results},"statistics":{{"bytesScanned":10,"recordsScanned":1,"recordsMatched":1}}}}"#
            ))
        }
        _ => common(call),
    })
}

#[test]
fn insights_counts_past_u64_are_an_error_not_a_wrapped_total() {
    let ep =
        insights_answering(r#"[[{"field":"invocations","value":"1e19"}],[{"field":"invocations","value":"1e19"}]]"#);
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "insights"]));
    assert_one_error(&r, &["invocations out of range", "the total of the rows overflows"]);
    assert!(r.stdout.is_empty(), "no report: {}", r.text());
}

#[test]
fn insights_times_outside_the_window_are_an_error() {
    let ep = insights_answering(
        r#"[[{"field":"invocations","value":"1"},{"field":"first","value":"9200000000000000000"},{"field":"last","value":"9200000000000000000"}]]"#,
    );
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "insights"]));
    assert_one_error(&r, &["first out of range", "outside the query's window"]);
}

#[test]
fn insights_bytes_scanned_past_an_exabyte_is_an_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "GetQueryResults" => ok(
            r#"{"status":"Complete","results":[],"statistics":{"bytesScanned":1.8446744073709552e19,"recordsScanned":1,"recordsMatched":1}}"#,
        ),
        _ => common(call),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "insights"]));
    assert_one_error(&r, &["bytesScanned out of range"]);
    assert!(
        !r.stderr.contains("$92233720"),
        "no cost of the bogus scan: {}",
        r.stderr
    );
}
