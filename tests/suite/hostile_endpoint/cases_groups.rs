//! Issue 30 through the hostile endpoint: the cap on the groups one run reads (item 7), a window of
//! unrecognised lines (4), a signal during `report -o` (5), auto's spending guard (6), and event ids
//! repeated on non-adjacent pages (12).

use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::server::{ok, Call, Endpoint, Reply};
use crate::cloudwatch::{AWS_ENV_REMOVED, AWS_TEST_ENV};
use crate::util::finish;

const GROUP: &str = "/aws/lambda/agw-access-permission";

/// DescribeLogGroups pages as the service sends them (50 groups a page).
const PAGE: usize = 50;

/// The request's JSON body.
fn body(call: &Call<'_>) -> Value {
    serde_json::from_str(call.body).unwrap_or(Value::Null)
}

/// Page `n` of `total` groups named `GROUP-000000` …, with the token of the next page.
fn groups_page(call: &Call<'_>, total: usize) -> Reply {
    let page = body(call)["nextToken"]
        .as_str()
        .and_then(|t| t.strip_prefix("page-"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let first = page * PAGE;
    let groups: Vec<Value> = (first..total.min(first + PAGE))
        .map(|i| json!({ "logGroupName": format!("{GROUP}-{i:06}"), "storedBytes": 1000 }))
        .collect();
    let mut answer = json!({ "logGroups": groups });
    if first + PAGE < total {
        answer["nextToken"] = json!(format!("page-{}", page + 1));
    }
    ok(answer.to_string())
}

/// The answers every case shares: `stored` bytes in the one group, queries that start and stop.
fn common(call: &Call<'_>, stored: u64) -> Reply {
    match call.operation {
        "DescribeLogGroups" => ok(json!({ "logGroups": [{
            "logGroupName": GROUP, "storedBytes": stored, "creationTime": 1_700_000_000_000_i64,
        }] })
        .to_string()),
        "DescribeLogStreams" => ok(r#"{"logStreams":[]}"#),
        "StartQuery" => ok(format!(r#"{{"queryId":"q-{}"}}"#, call.n)),
        "StopQuery" => ok(r#"{"success":true}"#),
        "GetQueryResults" => ok(r#"{"status":"Complete","results":[]}"#),
        "FilterLogEvents" => ok(r#"{"events":[],"searchedLogStreams":[]}"#),
        _ => ok("{}"),
    }
}

fn now_ms() -> i64 {
    crate::cloudwatch::now_ms()
}

/// FilterLogEvents over `events` (`(timestamp, message)`, in time order): those of the request's
/// `[startTime, endTime)`, `per_page` a page, the page token being the index of the next event.
fn filter_pages(call: &Call<'_>, events: &[(i64, String)], per_page: usize, repeat_first_page: bool) -> Reply {
    let b = body(call);
    let start = b["startTime"].as_i64().unwrap_or(i64::MIN);
    let end = b["endTime"].as_i64().unwrap_or(i64::MAX);
    let inside: Vec<(usize, &(i64, String))> = events
        .iter()
        .enumerate()
        .filter(|(_, (t, _))| *t >= start && *t < end)
        .collect();
    let page: usize = b["nextToken"].as_str().and_then(|t| t.parse().ok()).unwrap_or(0);
    let pages = inside.len().div_ceil(per_page);
    // With `repeat_first_page`, one more page comes last: the first one again, same event ids.
    let shown = if repeat_first_page && pages > 2 && page == pages {
        0
    } else {
        page
    };
    let list: Vec<Value> = inside
        .iter()
        .skip(shown * per_page)
        .take(per_page)
        .map(|(i, (t, m))| {
            json!({
                "logStreamName": "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
                "timestamp": t, "ingestionTime": t + 50, "message": m, "eventId": format!("{i:056}"),
            })
        })
        .collect();
    let last = if repeat_first_page && pages > 2 {
        pages
    } else {
        pages.saturating_sub(1)
    };
    let mut answer = json!({ "events": list });
    if page < last {
        answer["nextToken"] = json!((page + 1).to_string());
    }
    ok(answer.to_string())
}

/// The repo's sample events, moved to end ten minutes ago.
fn sample_events() -> Vec<(i64, String)> {
    let mut events: Vec<(i64, String)> = crate::cloudwatch::sample_events()
        .into_iter()
        .map(|e| (e.ts, e.message))
        .collect();
    events.sort_by_key(|e| e.0);
    events
}

// ---- item 7: the cap on the groups one run reads -------------------------------------------

#[test]
fn all_groups_past_the_cap_is_one_error_and_paging_stops_early() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 100_000),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--all-groups", "--engine", "local"]));
    r.assert_no_panic();
    assert_ne!(r.code, Some(0), "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("more than 1000 log groups"))
        .collect();
    assert_eq!(errors.len(), 1, "one error line:\n{}", r.stderr);
    for w in [
        "reads at most 1000 groups",
        "--group-pattern",
        "--group NAME",
        &format!("{GROUP}-000000"),
    ] {
        assert!(errors[0].contains(w), "{w:?} in:\n{}", r.stderr);
    }
    assert!(errors[0].len() < 2000, "a short line: {} bytes", errors[0].len());
    // 1,001 groups are known after 21 pages of 50: no page past those, and no event read.
    assert_eq!(ep.calls("DescribeLogGroups"), 21);
    assert_eq!(ep.calls("FilterLogEvents"), 0);
}

#[test]
fn the_cap_itself_is_read() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 1000),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&[
        "report",
        "--since",
        "1h",
        "--all-groups",
        "--engine",
        "local",
        "--max-tps",
        "1000",
    ]));
    r.assert_code(0);
    assert!(r.stderr.contains("reading 1000 log groups containing"), "{}", r.stderr);
    assert_eq!(ep.calls("DescribeLogGroups"), 20);
    assert!(ep.calls("FilterLogEvents") >= 1000, "every group is read");
}

#[test]
fn several_groups_error_lists_ten_names_and_a_count() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 500),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--engine", "local"]));
    r.assert_no_panic();
    assert_ne!(r.code, Some(0));
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("500 log groups contain"))
        .unwrap_or_else(|| panic!("the error:\n{}", r.stderr));
    assert!(line.contains(&format!("{GROUP}-000009")), "{line}");
    assert!(!line.contains(&format!("{GROUP}-000010")), "ten names only: {line}");
    assert!(line.contains("and 490 more"), "{line}");
    assert!(line.contains("--all-groups"), "{line}");
}

#[test]
fn several_groups_past_the_cap_stops_paging_too() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 100_000),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&["report", "--since", "1h", "--engine", "local"]));
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("more than 1000 log groups contain"), "{}", r.stderr);
    assert_eq!(ep.calls("DescribeLogGroups"), 21);
}

#[test]
fn tail_all_groups_past_the_cap_is_the_same_error() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 100_000),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&["tail", "--poll", "--all-groups"]));
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("more than 1000 log groups contain"), "{}", r.stderr);
    assert_eq!(ep.calls("DescribeLogGroups"), 21);
}

/// Not a test: serves 100,000 groups (50 a page) on loopback for `AUTHLOGS_SERVE_SECS` seconds,
/// printing the URL, so that the peak memory of `report --all-groups` and `groups` can be measured
/// with `/usr/bin/time` (docs/performance.md). Run with `--ignored --nocapture`.
#[test]
#[ignore]
fn serve_100000_groups_for_measuring() {
    let ep = Endpoint::start(|call| match call.operation {
        "DescribeLogGroups" => groups_page(call, 100_000),
        _ => common(call, 1000),
    });
    println!("AUTHLOGS_ENDPOINT={}", ep.url);
    let secs = std::env::var("AUTHLOGS_SERVE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    std::thread::sleep(Duration::from_secs(secs));
}

// ---- item 4: a window in which no line is recognised ---------------------------------------

#[test]
fn a_window_of_unrecognised_lines_is_explained() {
    let now = now_ms();
    let events: Vec<(i64, String)> = (0..40)
        .map(|i| (now - 600_000 + i * 1000, format!("hello from another function {i}\n")))
        .collect();
    let ep = Endpoint::start(move |call| match call.operation {
        "FilterLogEvents" => filter_pages(call, &events, 100, false),
        _ => common(call, 1000),
    });
    let r = finish(&mut ep.authlogs(&[
        "report", "--since", "1h", "--group", GROUP, "--engine", "local", "--format", "json",
    ]));
    r.assert_no_panic();
    assert!(
        r.stderr.contains("no line was recognized") && r.stderr.contains("hello from another function"),
        "explained on stderr:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("--patterns"), "what to try:\n{}", r.stderr);
    assert!(ep.calls("FilterLogEvents") > 0);
    // The report is still written, with the explanation in it.
    let v = r.json();
    let warnings = v["input_warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "{v}");
    assert_eq!(warnings[0]["events"], json!(40), "{v}");
    assert_eq!(warnings[0]["recognized"], json!(0), "{v}");
}

// ---- item 5: a signal during `report -o FILE` from CloudWatch --------------------------------

/// `report -o FILE` from a slow endpoint (a page every 300 ms that never ends), stopped by `signal`
/// once it is under way: nothing is left in the directory, not even the temporary file.
fn signal_leaves_no_file(signal: &str) -> std::process::Output {
    let ep = Endpoint::start(|call| match call.operation {
        "FilterLogEvents" => {
            std::thread::sleep(Duration::from_millis(300));
            let next = body(call)["nextToken"]
                .as_str()
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(0)
                + 1;
            ok(json!({ "events": [], "nextToken": next.to_string() }).to_string())
        }
        _ => common(call, 1000),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("report.json");
    let mut command = StdCommand::new(env!("CARGO_BIN_EXE_authlogs"));
    command.envs(AWS_TEST_ENV);
    for name in AWS_ENV_REMOVED {
        command.env_remove(name);
    }
    let mut child = command
        .args(["report", "--since", "1h", "--group", GROUP, "--engine", "local"])
        .args(["--format", "json", "--endpoint-url", &ep.url, "-o"])
        .arg(&target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Under way once pages are being fetched (the output file is opened before reading starts).
    let deadline = Instant::now() + Duration::from_secs(30);
    while ep.calls("FilterLogEvents") < 4 {
        assert!(Instant::now() < deadline, "the report never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(StdCommand::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill")
        .success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("ends");
            panic!(
                "still running 20 s after {signal}:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("ends");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    out
}

#[test]
fn sigint_during_a_cloudwatch_report_to_a_file_leaves_nothing() {
    let out = signal_leaves_no_file("-INT");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
}

#[test]
fn sigterm_during_a_cloudwatch_report_to_a_file_leaves_nothing() {
    let out = signal_leaves_no_file("-TERM");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---- item 6: `--engine auto` does not spend without asking ----------------------------------

#[test]
fn auto_with_a_huge_group_starts_no_query() {
    // A petabyte stored: downloading would take ages, and Logs Insights would cost thousands.
    let ep = Endpoint::start(|call| common(call, 1_000_000_000_000_000));
    let r = finish(&mut ep.authlogs(&["report", "--since", "1d", "--group", GROUP, "--engine", "auto"]));
    r.assert_no_panic();
    assert_eq!(ep.calls("StartQuery"), 0, "no query without consent:\n{}", r.stderr);
    assert!(
        r.stderr.contains("above auto's cap") && r.stderr.contains("--engine insights"),
        "says why and how to opt in:\n{}",
        r.stderr
    );
    // It reads locally instead.
    r.assert_code(0);
    assert!(ep.calls("FilterLogEvents") > 0);
}

// ---- item 12: event ids repeated on non-adjacent pages ---------------------------------------

#[test]
fn a_page_sent_again_later_is_counted_once() {
    let events = sample_events();
    let expected_events = events.len() as u64;
    let served = events.clone();
    let repeated = Endpoint::start(move |call| match call.operation {
        "FilterLogEvents" => filter_pages(call, &served, 2, true),
        _ => common(call, 1000),
    });
    let served = events.clone();
    let plain = Endpoint::start(move |call| match call.operation {
        "FilterLogEvents" => filter_pages(call, &served, 2, false),
        _ => common(call, 1000),
    });
    let args = [
        "report", "--since", "3h", "--group", GROUP, "--engine", "local", "--format", "json",
    ];
    let with_repeat = finish(&mut repeated.authlogs(&args));
    let without = finish(&mut plain.authlogs(&args));
    with_repeat.assert_code(0);
    without.assert_code(0);
    assert!(
        repeated.calls("FilterLogEvents") > plain.calls("FilterLogEvents"),
        "the repeated pages were asked for"
    );
    let (a, b) = (with_repeat.json(), without.json());
    assert_eq!(a["input"]["events"], json!(expected_events), "{}", a["input"]);
    assert_eq!(a["source"]["events"], b["source"]["events"], "{}", a["source"]);
    assert_eq!(a["invocations"], b["invocations"]);
    assert_eq!(a["input"]["late_lines"], json!(0), "{}", a["input"]);
    let kinds: Vec<&str> = a["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(!kinds.contains(&"late_lines"), "{kinds:?}");
    assert_eq!(a["findings"], b["findings"]);
}
