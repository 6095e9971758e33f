//! End-to-end tests of the CloudWatch source against a real CloudWatch Logs API server (moto, started by scripts/test).

use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;
use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;

use crate::proxy::{start_proxy, Action, Call, Proxy};
use crate::util::{self, finish, iso, Run};

/// The moto server of this test run; a test calls it after `util::moto()` said it runs, so it fails
/// (never skips) here when `scripts/test` requires the server and it is absent.
pub(crate) fn endpoint() -> String {
    match std::env::var("AUTHLOGS_TEST_ENDPOINT") {
        Ok(e) if !e.is_empty() => e,
        _ => panic!(
            "AUTHLOGS_TEST_ENDPOINT is not set: the CloudWatch tests need the moto server that scripts/test \
             installs and starts; run scripts/test instead of cargo test"
        ),
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A log group name no other test uses, so tests run in parallel against one server.
pub(crate) fn unique_group(test: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "/aws/lambda/agw-access-permission-{test}-{}-{}-{}",
        std::process::id(),
        now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Invocations in `samples/filter-log-events.json`.
const SAMPLE_INVOCATIONS: u64 = 10;

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub stream: String,
    pub ts: i64,
    pub message: String,
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

pub(crate) fn sdk_client() -> aws_sdk_cloudwatchlogs::Client {
    sdk_client_in("us-east-1")
}

/// A client of the test server in `region` (moto keeps each region's groups apart).
pub(crate) fn sdk_client_in(region: &'static str) -> aws_sdk_cloudwatchlogs::Client {
    let config = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .endpoint_url(endpoint())
        .build();
    aws_sdk_cloudwatchlogs::Client::from_conf(config)
}

/// Creates the group and its streams and puts the events, in batches within PutLogEvents' limits.
pub(crate) fn put_events(group: &str, events: &[Event]) {
    let rt = runtime();
    let client = sdk_client();
    rt.block_on(async {
        client
            .create_log_group()
            .log_group_name(group)
            .send()
            .await
            .expect("CreateLogGroup");
        let mut streams: Vec<&str> = events.iter().map(|e| e.stream.as_str()).collect();
        streams.sort();
        streams.dedup();
        for stream in streams {
            client
                .create_log_stream()
                .log_group_name(group)
                .log_stream_name(stream)
                .send()
                .await
                .expect("CreateLogStream");
            let mut mine: Vec<&Event> = events.iter().filter(|e| e.stream == stream).collect();
            mine.sort_by_key(|e| e.ts);
            let mut batch = Vec::new();
            let mut bytes = 0;
            for (i, e) in mine.iter().enumerate() {
                batch.push(
                    InputLogEvent::builder()
                        .timestamp(e.ts)
                        .message(&e.message)
                        .build()
                        .expect("an input event"),
                );
                bytes += e.message.len() + 26;
                if batch.len() == 5000 || bytes > 800_000 || i + 1 == mine.len() {
                    let out = client
                        .put_log_events()
                        .log_group_name(group)
                        .log_stream_name(stream)
                        .set_log_events(Some(std::mem::take(&mut batch)))
                        .send()
                        .await
                        .expect("PutLogEvents");
                    assert!(out.rejected_log_events_info.is_none(), "events rejected: {out:?}");
                    bytes = 0;
                }
            }
        }
    });
}

/// The repo's sample events (three streams), moved so that they end ten minutes ago: the server
/// refuses events older than 14 days.
pub(crate) fn sample_events() -> Vec<Event> {
    let text = std::fs::read_to_string("samples/filter-log-events.json").expect("samples/filter-log-events.json");
    let v: Value = serde_json::from_str(&text).expect("sample JSON");
    let raw: Vec<(String, i64, String)> = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["logStreamName"].as_str().expect("stream").to_string(),
                e["timestamp"].as_i64().expect("timestamp"),
                e["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    let max = raw.iter().map(|e| e.1).max().expect("events");
    let shift = now_ms() - 600_000 - max;
    raw.into_iter()
        .map(|(stream, ts, message)| Event {
            stream,
            ts: ts + shift,
            message,
        })
        .collect()
}

/// `count` synthetic invocations spread over `[start, end)` and `streams` streams, five events each,
/// about 120 bytes an event; invocations also start exactly on the given boundary times.
fn synthetic_events(count: usize, start: i64, end: i64, streams: usize, boundaries: &[i64]) -> Vec<Event> {
    let mut out = Vec::with_capacity(count * 5);
    let span = (end - start - 10).max(1);
    for i in 0..count {
        let t = match boundaries.get(i) {
            Some(&b) => b,
            None => start + (i as i64 * 7919) % span,
        };
        let id = format!("{:08x}-0000-4000-8000-{:012x}", i, i * 31);
        let stream = format!("2025/07/11/[$LATEST]{:032x}", i % streams);
        let z = iso(t);
        let (ip, token) = if i % 3 == 0 {
            ("198.51.100.23", "Zz99Qq11")
        } else {
            ("203.0.113.10", "Ab12Xy34")
        };
        let lines = [
            format!("START RequestId: {id} Version: $LATEST\n"),
            format!("[INFO]\t{z}\t{id}\t[INFO] Source IP: {ip}\n"),
            format!("[INFO]\t{z}\t{id}\t[INFO] Token: {token}\n"),
            format!("[INFO]\t{z}\t{id}\t[INFO] Allowed IP: 203.0.113.10\n"),
            format!("[INFO]\t{z}\t{id}\t[INFO] Allowed Token: Ab12Xy34\n"),
            format!("END RequestId: {id}\n"),
            format!(
                "REPORT RequestId: {id}\tDuration: {}.{:02} ms\tBilled Duration: {} ms\tMemory Size: 512 MB\tMax Memory Used: 38 MB\t\n",
                1 + i % 5,
                i % 100,
                2 + i % 5
            ),
        ];
        for (k, message) in lines.into_iter().enumerate() {
            out.push(Event {
                stream: stream.clone(),
                ts: t + (k as i64 / 3),
                message,
            });
        }
    }
    out
}

/// The same events as `aws logs filter-log-events` output, time-ordered, for the offline report.
pub(crate) fn write_filter_json(events: &[Event], dir: &std::path::Path) -> std::path::PathBuf {
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.ts);
    let list: Vec<Value> = sorted
        .iter()
        .enumerate()
        .map(|(i, e)| {
            serde_json::json!({
                "logStreamName": e.stream,
                "timestamp": e.ts,
                "message": e.message,
                "ingestionTime": e.ts + 50,
                "eventId": format!("{i:056}"),
            })
        })
        .collect();
    let path = dir.join("events.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&serde_json::json!({ "events": list })).expect("JSON"),
    )
    .expect("write");
    path
}

/// The environment of a test run: dummy credentials, one region, no instance metadata.
pub(crate) const AWS_TEST_ENV: [(&str, &str); 4] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

/// What a test run must not inherit from the environment's AWS settings.
pub(crate) const AWS_ENV_REMOVED: [&str; 3] = ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"];

/// The binary with dummy credentials and nothing of the environment's AWS settings.
pub(crate) fn authlogs() -> Command {
    let mut cmd = util::authlogs();
    cmd.envs(AWS_TEST_ENV).timeout(Duration::from_secs(300));
    for name in AWS_ENV_REMOVED {
        cmd.env_remove(name);
    }
    cmd
}

fn run(cmd: &mut Command) -> Run {
    let r = finish(cmd);
    r.assert_no_panic();
    r
}

pub(crate) fn cloudwatch_report(endpoint: &str, args: &[&str]) -> Run {
    run(authlogs()
        .args(["report", "--format", "json", "--endpoint-url", endpoint])
        .args(args))
}

/// `report --format json` of `group` over `[since, until)` on the Logs Insights engine, through `endpoint`.
pub(crate) fn insights_report(endpoint: &str, group: &str, since: &str, until: &str) -> Run {
    cloudwatch_report(
        endpoint,
        &[
            "--group", group, "--since", since, "--until", until, "--engine", "insights",
        ],
    )
}

pub(crate) fn json(r: &Run) -> Value {
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    serde_json::from_slice(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
}

/// The report without its `source` section, which only the CloudWatch run has.
pub(crate) fn without_source(mut v: Value) -> (Value, Value) {
    let source = v
        .as_object_mut()
        .and_then(|o| o.remove("source"))
        .unwrap_or(Value::Null);
    (v, source)
}

fn offline_report(events: &[Event], window: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = write_filter_json(events, dir.path());
    let r = run(authlogs().args(["report", "--format", "json"]).arg(&path).args(window));
    json(&r)
}

fn assert_one_line_error(r: &Run, wants: &[&str]) {
    assert_eq!(r.code, Some(1), "exit code; stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout: {}", r.text());
    let text = r.stderr.trim_end();
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    assert!(text.starts_with("authlogs: "), "{text}");
    for w in wants {
        assert!(text.contains(w), "'{w}' missing from: {text}");
    }
    for bad in ["panicked", "backtrace", "DispatchFailure", "ServiceError {", "Some("] {
        assert!(!text.contains(bad), "debug output '{bad}' in: {text}");
    }
}

#[test]
fn report_from_cloudwatch_equals_the_offline_report_of_the_same_events() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("equiv");
    let events = sample_events();
    put_events(&group, &events);
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    let (since, until) = (iso(first - 60_000), iso(last + 60_000));
    let window = ["--since", since.as_str(), "--until", until.as_str()];
    let live = json(&cloudwatch_report(
        &endpoint(),
        &[&["--group", group.as_str()], &window[..]].concat(),
    ));
    let offline = offline_report(&events, &window);
    let (live, source) = without_source(live);
    assert_eq!(live, offline);
    assert_eq!(live["invocations"], SAMPLE_INVOCATIONS);
    assert_eq!(source["kind"], "cloudwatch");
    assert_eq!(source["groups"], serde_json::json!([group]));
    assert_eq!(source["events"], events.len() as u64);
    assert_eq!(source["retries"], 0);
    assert_eq!(source["throttled"], 0);
    assert_eq!(source["api_calls"], 4, "one page per slice: {source}");
}

#[test]
fn large_window_pages_through_more_than_10000_events_and_1_mb_and_slice_boundaries_appear_once() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("large");
    let end = now_ms() - 600_000;
    let start = end - 2 * 3_600_000;
    let slices = 4;
    // Invocations that start exactly on a slice boundary, and 1 ms before it.
    let len = end - start;
    let mut boundaries = Vec::new();
    for i in 1..slices {
        let b = start + len * i / slices;
        boundaries.extend([b, b - 1]);
    }
    boundaries.push(start);
    // Its last line is 2 ms after it starts: still inside the window.
    boundaries.push(end - 3);
    let events = synthetic_events(6_000, start, end, 24, &boundaries);
    let bytes: usize = events.iter().map(|e| e.message.len()).sum();
    // Every slice holds more than one page.
    assert!(
        events.len() > 4 * 10_000 && bytes > 1_048_576,
        "{} events, {bytes} bytes",
        events.len()
    );
    put_events(&group, &events);
    let (since, until) = (iso(start), iso(end));
    let window = ["--since", since.as_str(), "--until", until.as_str()];
    let t0 = Instant::now();
    let live = json(&cloudwatch_report(
        &endpoint(),
        &[&["--group", group.as_str(), "--max-tps", "50"], &window[..]].concat(),
    ));
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "fetched {} events ({bytes} bytes) from moto in {secs:.2} s: {:.0} events/s",
        events.len(),
        events.len() as f64 / secs
    );
    let (live, source) = without_source(live);
    assert_eq!(live["invocations"], 6_000);
    assert_eq!(live["input"]["events"], events.len() as u64);
    assert_eq!(source["events"], events.len() as u64);
    let calls = source["api_calls"].as_u64().expect("api_calls");
    let bound = events.len().div_ceil(10_000) as u64 + slices as u64;
    assert!(calls <= bound, "{calls} calls for {} events > {bound}", events.len());
    assert!(calls > slices as u64, "some slice needed more than one page");
    assert_eq!(live, offline_report(&events, &window));
}

/// Which FilterLogEvents calls the proxy spoils.
#[derive(Clone, Copy)]
enum Faults {
    /// A pseudo-random share: throttling, 500, 503, connection resets.
    Mixed { percent: u64 },
    /// Every call whose body holds this startTime answers ThrottlingException.
    ThrottleSlice { start_ms: i64 },
    /// Every call answers this error code with HTTP 400.
    Always { code: &'static str, message: &'static str },
}

/// A proxy that spoils FilterLogEvents calls as `faults` says.
fn start_fault_proxy(faults: Faults) -> Proxy {
    start_proxy(move |call: &Call<'_>| {
        if call.operation != "FilterLogEvents" {
            return Action::Forward;
        }
        let fault = match faults {
            Faults::Mixed { percent } => {
                // A fixed scramble of the call number: the same share of faults on every run.
                let r = call.n.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) % 100;
                (r < percent).then_some(r % 4)
            }
            Faults::ThrottleSlice { start_ms } => call
                .request
                .contains(&format!("\"startTime\":{start_ms},"))
                .then_some(0),
            Faults::Always { code, message } => {
                return Action::Error {
                    status: "400 Bad Request",
                    code,
                    message,
                }
            }
        };
        match fault {
            None => Action::Forward,
            Some(0) => Action::Error {
                status: "400 Bad Request",
                code: "ThrottlingException",
                message: "Rate exceeded",
            },
            Some(1) => Action::Error {
                status: "500 Internal Server Error",
                code: "InternalFailure",
                message: "internal error",
            },
            Some(2) => Action::Error {
                status: "503 Service Unavailable",
                code: "ServiceUnavailableException",
                message: "try again",
            },
            // A dropped connection: closed without a byte of response.
            Some(_) => Action::Drop,
        }
    })
}

#[test]
fn throttling_5xx_and_resets_are_retried_and_the_report_is_unchanged() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("faults");
    let end = now_ms() - 600_000;
    let start = end - 3_600_000;
    let events = synthetic_events(2_500, start, end, 8, &[]);
    put_events(&group, &events);
    let (since, until) = (iso(start), iso(end));
    let args = [
        "--group",
        group.as_str(),
        "--since",
        since.as_str(),
        "--until",
        until.as_str(),
        "--max-tps",
        "50",
        "--max-attempts",
        "12",
    ];
    let clean = json(&cloudwatch_report(&endpoint(), &args));
    let proxy = start_fault_proxy(Faults::Mixed { percent: 45 });
    let faulty = json(&cloudwatch_report(&proxy.url, &args));
    let (clean, clean_source) = without_source(clean);
    let (faulty, source) = without_source(faulty);
    assert_eq!(clean, faulty);
    let faults = proxy.faults_sent.load(Ordering::Relaxed);
    assert!(faults > 0, "the proxy injected no fault");
    assert_eq!(source["retries"], faults, "{source}");
    assert!(source["throttled"].as_u64().expect("throttled") <= faults);
    assert_eq!(source["events"], clean_source["events"]);
    assert_eq!(
        source["api_calls"].as_u64().expect("api_calls"),
        clean_source["api_calls"].as_u64().expect("api_calls") + faults
    );
}

#[test]
fn exhausted_retries_fail_and_say_which_part_of_the_window_was_covered() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("exhausted");
    let end = now_ms() - 600_000;
    let start = end - 4 * 3_600_000;
    put_events(&group, &synthetic_events(40, start, end, 2, &[]));
    let third = start + (end - start) * 2 / 4;
    let proxy = start_fault_proxy(Faults::ThrottleSlice { start_ms: third });
    let (since, until) = (iso(start), iso(end));
    let r = cloudwatch_report(
        &proxy.url,
        &[
            "--group",
            group.as_str(),
            "--since",
            since.as_str(),
            "--until",
            until.as_str(),
            "--max-attempts",
            "2",
            "--max-tps",
            "50",
            "--engine",
            "local",
        ],
    );
    let covered = format!(
        "covered {}–{}, {}–{} of {}–{}",
        iso(start).replace(".000Z", "Z"),
        iso(third).replace(".000Z", "Z"),
        iso(start + (end - start) * 3 / 4).replace(".000Z", "Z"),
        iso(end).replace(".000Z", "Z"),
        iso(start).replace(".000Z", "Z"),
        iso(end).replace(".000Z", "Z"),
    );
    assert_one_line_error(&r, &["after 2 tries", "ThrottlingException", &covered, &group]);
    assert_eq!(proxy.faults_sent.load(Ordering::Relaxed), 2);
}

#[test]
fn discovery_uses_the_only_matching_group_and_says_so() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("solo");
    let events = sample_events();
    put_events(&group, &events);
    let pattern = group.rsplit('/').next().expect("name").to_string();
    let r = run(authlogs().args([
        "report",
        "--format",
        "json",
        "--since",
        "1d",
        "--endpoint-url",
        &endpoint(),
        "--group-pattern",
        &pattern,
    ]));
    assert!(r.stderr.contains(&format!("reading log group {group}")), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["invocations"], SAMPLE_INVOCATIONS);
    assert_eq!(v["source"]["groups"], serde_json::json!([group]));
}

#[test]
fn discovery_with_several_groups_asks_for_group_or_all_groups() {
    if !crate::util::moto() {
        return;
    }
    let a = unique_group("several");
    let b = format!("{a}-second");
    put_events(&a, &sample_events());
    // Other request ids in the second group: one report counts each request once.
    let end = now_ms() - 600_000;
    put_events(&b, &synthetic_events(5, end - 60_000, end, 2, &[]));
    let pattern = a.rsplit('/').next().expect("name").to_string();
    let base = [
        "report",
        "--format",
        "json",
        "--since",
        "1d",
        "--group-pattern",
        &pattern,
    ];
    let r = run(authlogs().args(base).args(["--endpoint-url", &endpoint()]));
    assert_one_line_error(&r, &["2 log groups contain", &a, &b, "--group NAME", "--all-groups"]);
    let v = json(&run(authlogs().args(base).args([
        "--endpoint-url",
        &endpoint(),
        "--all-groups",
    ])));
    assert_eq!(v["invocations"], SAMPLE_INVOCATIONS + 5);
    assert_eq!(v["source"]["groups"], serde_json::json!([a, b]));
    // Two named groups are merged the same way.
    let v = json(&run(authlogs()
        .args(["report", "--format", "json", "--since", "1d"])
        .args(["--endpoint-url", &endpoint(), "--group", &a, "--group", &b])));
    assert_eq!(v["invocations"], SAMPLE_INVOCATIONS + 5);
}

#[test]
fn discovery_without_a_match_says_what_to_pass() {
    if !crate::util::moto() {
        return;
    }
    let r = run(authlogs().args([
        "report",
        "--since",
        "1d",
        "--endpoint-url",
        &endpoint(),
        "--group-pattern",
        "no-such-group-anywhere-7f3a",
    ]));
    assert_one_line_error(
        &r,
        &[
            "no log group name contains 'no-such-group-anywhere-7f3a'",
            "--group NAME",
            "us-east-1",
        ],
    );
}

#[test]
fn group_not_found_names_group_region_profile_and_suggests_authlogs_groups() {
    if !crate::util::moto() {
        return;
    }
    let r = run(authlogs()
        .args([
            "report",
            "--since",
            "1d",
            "--endpoint-url",
            &endpoint(),
            "--group",
            "/aws/lambda/missing-x1",
        ])
        .env("AWS_PROFILE", "")
        .args(["--profile", "ops"]));
    // The profile does not exist in any config file here; the environment credentials still sign.
    assert_one_line_error(
        &r,
        &[
            "log group '/aws/lambda/missing-x1' not found",
            "us-east-1",
            "profile 'ops'",
            "authlogs groups",
        ],
    );
}

#[test]
fn bad_endpoint_is_one_line_with_a_hint() {
    // A port nothing listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let r = run(authlogs().args(["report", "--since", "1d", "--group", "g", "--endpoint-url", &url]));
    assert_one_line_error(&r, &["cannot reach", &url, "connection refused", "--endpoint-url"]);
    let r = run(authlogs().args(["groups"]).env("AWS_ENDPOINT_URL", &url));
    assert_one_line_error(&r, &["cannot reach", "connection refused"]);
}

#[test]
fn no_credentials_and_no_region_are_one_line_with_a_hint() {
    if !crate::util::moto() {
        return;
    }
    let home = tempfile::tempdir().expect("a temp dir");
    let r = run(authlogs()
        .args(["report", "--since", "1d", "--group", "g", "--endpoint-url", &endpoint()])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("credentials")));
    assert_one_line_error(&r, &["no AWS credentials found", "--profile", "AWS_ACCESS_KEY_ID"]);
    let r = run(authlogs()
        .args(["report", "--since", "1d", "--group", "g", "--endpoint-url", &endpoint()])
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config")));
    assert_one_line_error(&r, &["no AWS region", "--region"]);
}

/// moto does not enforce IAM or token expiry on a shared server, so these answers come from the proxy,
/// in the shape CloudWatch Logs sends them.
#[test]
fn access_denied_and_expired_token_name_the_permission_and_the_fix() {
    if !crate::util::moto() {
        return;
    }
    let proxy = start_fault_proxy(Faults::Always {
        code: "AccessDeniedException",
        message: "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: logs:FilterLogEvents",
    });
    let r = cloudwatch_report(
        &proxy.url,
        &["--since", "1d", "--group", "/aws/lambda/fn", "--engine", "local"],
    );
    assert_one_line_error(
        &r,
        &["access denied", "logs:FilterLogEvents", "/aws/lambda/fn", "grant"],
    );
    let calls = proxy.faults_sent.load(Ordering::Relaxed);
    assert!(
        (1..=4).contains(&calls),
        "not retried: at most one call per slice, got {calls}"
    );
    let proxy = start_fault_proxy(Faults::Always {
        code: "ExpiredTokenException",
        message: "The security token included in the request is expired",
    });
    let r = cloudwatch_report(
        &proxy.url,
        &["--since", "1d", "--group", "/aws/lambda/fn", "--engine", "local"],
    );
    assert_one_line_error(&r, &["expired", "aws sso login"]);
}

#[test]
fn groups_lists_size_retention_creation_and_newest_event() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("list");
    let events = sample_events();
    put_events(&group, &events);
    let rt = runtime();
    rt.block_on(
        sdk_client()
            .put_retention_policy()
            .log_group_name(&group)
            .retention_in_days(30)
            .send(),
    )
    .expect("PutRetentionPolicy");
    let pattern = group.rsplit('/').next().expect("name").to_string();
    let r = run(authlogs().args([
        "groups",
        "--format",
        "json",
        "--group-pattern",
        &pattern,
        "--endpoint-url",
        &endpoint(),
    ]));
    let v = json(&r);
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 1, "{v}");
    let g = &list[0];
    assert_eq!(g["name"], group);
    assert_eq!(g["retention_days"], 30);
    assert!(g["stored_bytes"].as_u64().expect("bytes") > 0);
    assert!(g["created"].as_str().expect("created").ends_with('Z'));
    let newest = events.iter().map(|e| e.ts).max().expect("events");
    assert_eq!(g["newest_event"], iso(newest));
    let r = run(authlogs().args(["groups", "--group-pattern", &pattern, "--endpoint-url", &endpoint()]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.text().contains(&group) && r.text().contains("30 days"),
        "{}",
        r.text()
    );
}

#[test]
fn table_window_in_local_time_with_tz_local() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("tz");
    put_events(&group, &sample_events());
    let r = run(authlogs()
        .args([
            "report",
            "--since",
            "2025-01-01T00:00:00Z",
            "--group",
            &group,
            "--endpoint-url",
            &endpoint(),
        ])
        .args(["--tz", "local", "--color", "never"])
        .env("TZ", "Asia/Tokyo"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.text().contains("2025-01-01T09:00:00.000+09:00"), "{}", r.text());
}
