//! `report --engine insights|auto`, `--explain` and `--cross-check` against moto, which runs the
//! Logs Insights query lifecycle but does not evaluate `stats`; the proxy gives the statuses and
//! the result pages moto never does (Running, Failed, Timeout, paged rows of the report's queries).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json as j, Value};

use crate::cloudwatch::{
    authlogs, cloudwatch_report, endpoint, json, now_ms, put_events, sample_events, unique_group, without_source,
};
use crate::proxy::{start_proxy, Action, Call};
use crate::util::iso;

/// A group holding the sample's events (moved to the last ten minutes) and the window around them.
fn sample_group(test: &str) -> (String, String, String) {
    let group = unique_group(test);
    let events = sample_events();
    put_events(&group, &events);
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    (group, iso(first - 60_000), iso(last + 60_000))
}

/// `report` of one group's window on the Insights engine, through `endpoint`.
fn insights_args<'a>(endpoint: &'a str, group: &'a str, since: &'a str, until: &'a str) -> [&'a str; 11] {
    [
        "report",
        "--endpoint-url",
        endpoint,
        "--group",
        group,
        "--since",
        since,
        "--until",
        until,
        "--engine",
        "insights",
    ]
}

#[test]
fn insights_on_moto_says_the_endpoint_does_not_evaluate_stats() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("moto-stats");
    let r = cloudwatch_report(
        &endpoint(),
        &[
            "--group", &group, "--since", &since, "--until", &until, "--engine", "insights",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.text());
    assert!(
        r.stderr.contains("authlogs: engine insights: --engine insights"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("does not evaluate Logs Insights `stats`") && r.stderr.contains("--engine local"),
        "{}",
        r.stderr
    );
}

#[test]
fn auto_picks_local_for_a_small_window_and_reports_what_local_does() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("auto-local");
    let args = ["--group", group.as_str(), "--since", &since, "--until", &until];
    let auto = cloudwatch_report(&endpoint(), &args);
    assert!(
        auto.stderr.contains("authlogs: engine local: about "),
        "{}",
        auto.stderr
    );
    assert!(auto.stderr.contains("at --max-tps 5"), "{}", auto.stderr);
    let local = cloudwatch_report(&endpoint(), &[&args[..], &["--engine", "local"]].concat());
    assert!(!local.stderr.contains("engine"), "{}", local.stderr);
    let (auto, auto_source) = without_source(json(&auto));
    let (local, _) = without_source(json(&local));
    assert_eq!(auto, local);
    assert_eq!(auto_source["engine"], "local");
    assert_eq!(auto_source["approximate"], j!([]));
}

#[test]
fn auto_picks_insights_when_downloading_would_take_over_a_minute() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("auto-insights");
    // At 0.01 requests a second even one page takes 100 s. (--explain: at that rate the queries
    // themselves would take minutes to start, and moto cannot evaluate them.)
    let r = crate::util::finish(authlogs().args([
        "report",
        "--endpoint-url",
        &endpoint(),
        "--group",
        &group,
        "--since",
        &since,
        "--until",
        &until,
        "--max-tps",
        "0.01",
        "--explain",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = r.text();
    assert!(
        out.starts_with("engine: insights (about ")
            && out.contains("downloading takes about 2 min at --max-tps 0.01, Logs Insights scans it for about $"),
        "{out}"
    );
    assert!(!out.contains("would run"), "{out}");
}

#[test]
fn explain_prints_the_plan_and_runs_no_query() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("explain");
    let proxy = start_proxy(|_: &Call<'_>| Action::Forward);
    let r = crate::util::finish(authlogs().args([
        "report",
        "--endpoint-url",
        &proxy.url,
        "--group",
        &group,
        "--since",
        &since,
        "--until",
        &until,
        "--explain",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = r.text();
    for want in [
        "engine: local (about ",
        "(the plan below is what --engine insights would run)",
        "slices: 1 of up to 86400 s",
        "queries: 3 (3 per slice and batch: reports, requests, denied), 4 at a time",
        "# reports query, first slice",
        "# requests query, first slice",
        "# denied query, first slice",
        "| parse txt /^(?:\\[[A-Z]{1,10}\\][ \\t]*)?(?<m0>Source IP\\: (?:(?<v0a>[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*(?:\\/[0-9]+)?(?:%[0-9A-Za-z_.\\-]+)?)(?:[\\t ][^\\n]*?)??|(?<t0a>[^\\n]*?)))\\r*\\z/",
        "; follows the two-stats rules):",
        "by datefloor(t, 1m) as minute",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert_eq!(proxy.calls("StartQuery"), 0);
    assert_eq!(proxy.calls("FilterLogEvents"), 0);
}

/// The query kind a StartQuery body asks for, by the fields only that query computes.
fn kind_of(request: &str) -> &'static str {
    if request.contains("as restores") {
        "reports"
    } else if request.contains("as invocations") {
        "requests"
    } else {
        "denied"
    }
}

/// A GetQueryResults answer: rows of (field, value) strings.
fn results(status: &str, rows: &[Vec<(&str, String)>], next: Option<&str>, bytes: f64) -> String {
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| Value::Array(r.iter().map(|(f, v)| j!({"field": f, "value": v})).collect()))
        .collect();
    let mut v = j!({
        "status": status,
        "results": rows,
        "statistics": {"recordsMatched": 30.0, "recordsScanned": 70.0, "bytesScanned": bytes},
    });
    if let Some(n) = next {
        v["nextToken"] = j!(n);
    }
    v.to_string()
}

fn field(request: &str, name: &str) -> Option<String> {
    let body = request.split_once("\r\n\r\n")?.1;
    let v: Value = serde_json::from_str(body).ok()?;
    v[name].as_str().map(str::to_string)
}

/// The `minute` of the scripted rows for a window ending at `until`: two minutes before its end, as
/// Logs Insights prints it. Rows outside the window are an error (a broken or hostile endpoint).
pub(crate) fn insights_minute(until: &str) -> String {
    let until_ms = chrono::DateTime::parse_from_rfc3339(until).map_or(0, |t| t.timestamp_millis());
    let minute_ms = (until_ms - 120_000) / 60_000 * 60_000;
    iso(minute_ms).replace('T', " ").replace('Z', "")
}

/// A proxy that lets moto start the queries and answers GetQueryResults itself: each query's
/// rows (recorded shapes: strings, floats, bytes with exponents) in two pages joined by nextToken.
/// Every other call (API Gateway and Lambda for `--audit`) goes to moto.
pub(crate) fn insights_proxy(minute: String) -> crate::proxy::Proxy {
    let kinds: Arc<Mutex<HashMap<String, &'static str>>> = Arc::default();
    start_proxy(move |call: &Call<'_>| match call.operation {
        "StartQuery" => {
            let kind = kind_of(call.request);
            let kinds = kinds.clone();
            Action::Rewrite(Box::new(move |body: &str| {
                let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                if let (Some(id), Ok(mut k)) = (v["queryId"].as_str(), kinds.lock()) {
                    k.insert(id.to_string(), kind);
                }
                body.to_string()
            }))
        }
        "GetQueryResults" => {
            let id = field(call.request, "queryId").unwrap_or_default();
            let kind = kinds.lock().ok().and_then(|k| k.get(&id).copied()).unwrap_or("?");
            let second = field(call.request, "nextToken").as_deref() == Some("page-2");
            let m = |extra: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
                let mut r = vec![("minute", minute.clone())];
                r.extend(extra.iter().map(|(f, v)| (*f, v.to_string())));
                r
            };
            let (rows, next) = match (kind, second) {
                ("reports", false) => (
                    vec![vec![
                        ("d", "1.85".to_string()),
                        ("n", "2.0".into()),
                        ("durations", "2.0".into()),
                        ("billed", "4.0".into()),
                        ("billedn", "2.0".into()),
                        ("mbms", "1.024E9".into()),
                        ("memsize", "1.28E8".into()),
                        ("usedmax", "6.7E7".into()),
                        ("usedsum", "1.3E8".into()),
                        ("usedn", "2.0".into()),
                    ]],
                    Some("page-2"),
                ),
                ("reports", true) => (
                    vec![vec![
                        ("d", "3000.0".to_string()),
                        ("n", "1.0".into()),
                        ("durations", "1.0".into()),
                        ("billed", "3000.0".into()),
                        ("billedn", "1.0".into()),
                        ("mbms", "3.84E11".into()),
                        ("memsize", "1.28E8".into()),
                        ("usedmax", "6.0E7".into()),
                        ("usedsum", "6.0E7".into()),
                        ("usedn", "1.0".into()),
                    ]],
                    None,
                ),
                ("requests", false) => (
                    vec![m(&[
                        ("invocations", "2.0"),
                        ("reported", "2.0"),
                        ("allowed", "1.0"),
                        ("denied", "1.0"),
                        ("tokenmismatch", "1.0"),
                    ])],
                    Some("page-2"),
                ),
                ("requests", true) => (
                    vec![m(&[("invocations", "1.0"), ("reported", "1.0"), ("timeout", "1.0")])],
                    None,
                ),
                ("denied", false) => (
                    vec![m(&[
                        ("src", "198.51.100.9"),
                        ("denied", "1.0"),
                        ("tokenmismatch", "1.0"),
                        ("tkn", "1.0"),
                    ])],
                    None,
                ),
                _ => (Vec::new(), None),
            };
            Action::Answer(results("Complete", &rows, next, 1000.0))
        }
        _ => Action::Forward,
    })
}

#[test]
fn insights_report_from_paged_results_of_the_three_queries() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("paged");
    let proxy = insights_proxy(insights_minute(&until));
    let r = crate::cloudwatch::insights_report(&proxy.url, &group, &since, &until);
    let v = json(&r);
    // Both pages of each query count.
    assert_eq!(v["invocations"], 3);
    assert_eq!(
        v["decisions"],
        j!({"allowed": 1, "denied": 1, "timeout": 1, "error": 0, "unknown": 0})
    );
    assert_eq!(v["duration_ms"]["count"], 3);
    assert_eq!(v["duration_ms"]["p50"], 1.85);
    assert_eq!(v["duration_ms"]["max"], 3000.0);
    assert_eq!(v["memory_mb"]["size"], 128);
    assert_eq!(v["memory_mb"]["max_used_max"], 67);
    assert_eq!(v["billed_duration_ms"]["sum"], 3004);
    assert_eq!(v["top_denied_ips"][0]["ip"], "198.51.100.9");
    assert_eq!(v["source"]["engine"], "insights");
    assert_eq!(v["source"]["scan"]["queries"], 3);
    // Statistics come from the first page of each query: 1000 bytes each.
    assert_eq!(v["source"]["scan"]["bytes_scanned"], 3000);
    assert!(v["source"]["approximate"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(
        proxy.calls("GetQueryResults") >= 5,
        "{}",
        proxy.calls("GetQueryResults")
    );
    // The table says where the numbers come from.
    let table = crate::util::finish(authlogs().args(insights_args(&proxy.url, &group, &since, &until)));
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    assert!(
        table
            .text()
            .contains("engine        Logs Insights: 3 queries scanned 0.0 MB (about $0.0000); 8 approximate parts"),
        "{}",
        table.text()
    );
}

#[test]
fn cross_check_lists_the_fields_where_the_engines_differ() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, _) = sample_group("cross");
    let minute_ms = now_ms() / 60_000 * 60_000 - 300_000;
    let proxy = insights_proxy(iso(minute_ms).replace('T', " ").replace('Z', ""));
    let cross = [
        "report",
        "--endpoint-url",
        &proxy.url,
        "--group",
        &group,
        "--since",
        &since,
        "--cross-check",
        "1d",
    ];
    let r = crate::util::finish(authlogs().args(cross));
    // The canned answers are not the sample's events: the differences are listed, exit 1.
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let out = r.text();
    assert!(out.starts_with("cross-check of "), "{out}");
    // The window ends 5 minutes before now (events may still arrive later), and the Insights run
    // is cut into several slices so the margins past inner boundaries are compared too: each slice
    // runs the three queries and gets the canned answers again.
    let end = out
        .lines()
        .next()
        .and_then(|l| l.split(" – ").nth(1))
        .and_then(|l| l.split(": ").next())
        .map(crate::util::parse_iso)
        .expect("the window's end");
    assert!(end <= now_ms() - 300_000, "{out}");
    let queries: u64 = out
        .split("insights: ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the number of queries");
    let slices = queries / 3;
    assert!(queries.is_multiple_of(3) && slices >= 4, "{out}");
    assert!(
        out.contains(&format!("local: {} events downloaded in ", sample_events().len())),
        "{out}"
    );
    assert!(
        out.contains(&format!("insights: {queries} queries scanned {} bytes", queries * 1000)),
        "{out}"
    );
    assert!(
        out.contains(&format!("\n  invocations: local 10, insights {}\n", 3 * slices)),
        "{out}"
    );
    assert!(
        out.contains("\n  cold_starts.count: local 1, insights 0 (approximate)\n"),
        "{out}"
    );
    // The same comparison as JSON.
    let r = crate::util::finish(authlogs().args(cross).args(["-f", "json"]));
    let v: Value = serde_json::from_slice(&r.stdout).expect("json");
    let diffs = v["differences"].as_array().expect("differences");
    let insights = (3 * slices).to_string();
    assert!(diffs
        .iter()
        .any(|d| d["field"] == "invocations" && d["local"] == "10" && d["insights"] == insights.as_str()));
}

/// Sends SIGINT to a running child.
fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[test]
fn ctrl_c_stops_every_running_query() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("sigint");
    let proxy = start_proxy(|call: &Call<'_>| match call.operation {
        "GetQueryResults" => Action::Answer(r#"{"status":"Running","results":[]}"#.into()),
        "StopQuery" => Action::Answer(r#"{"success":true}"#.into()),
        _ => Action::Forward,
    });
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_authlogs"))
        .args(insights_args(&proxy.url, &group, &since, &until))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(30);
    while proxy.calls("GetQueryResults") < 3 {
        assert!(Instant::now() < deadline, "the queries were never polled");
        std::thread::sleep(Duration::from_millis(50));
    }
    interrupt(&child);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: stopped 3 running Logs Insights queries"),
        "{stderr}"
    );
    assert_eq!(proxy.calls("StopQuery"), 3);
}

#[test]
fn failed_and_timed_out_queries_are_clear_errors_and_a_timeout_splits_the_slice() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("status");
    let failed = start_proxy(|call: &Call<'_>| match call.operation {
        "GetQueryResults" => Action::Answer(r#"{"status":"Failed","results":[]}"#.into()),
        _ => Action::Forward,
    });
    let r = crate::cloudwatch::insights_report(&failed.url, &group, &since, &until);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("query of ") && r.stderr.contains("failed: it ended with status Failed; try again"),
        "{}",
        r.stderr
    );
    let timeout = start_proxy(|call: &Call<'_>| match call.operation {
        "GetQueryResults" => Action::Answer(r#"{"status":"Timeout","results":[]}"#.into()),
        _ => Action::Forward,
    });
    // Three minutes: split once into halves too short to split again.
    let three_before = iso(crate::util::parse_iso(&until) - 180_000);
    let r = crate::cloudwatch::insights_report(&timeout.url, &group, &three_before, &until);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("timed out; running it again in two halves"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("it timed out (status Timeout)"), "{}", r.stderr);
    // The first three, then at least the two halves of the one that timed out first.
    assert!(timeout.calls("StartQuery") >= 5, "{}", timeout.calls("StartQuery"));
}
