//! `authlogs tail` against a real CloudWatch Logs API server (moto, started by scripts/test): Live
//! Tail with reconnects and backfill, polling, each invocation exactly once, errors.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;

use crate::cloudwatch::{authlogs, endpoint, now_ms, runtime, sdk_client_in, unique_group};

/// moto's StartLiveTail answers for the region's newest group, whatever group is asked for: each
/// test that follows live gets a region of its own, so other tests' groups do not get in the way.
/// (authlogs drops results of groups it did not ask for; they would only arrive later, by backfill.)
const REGION_LIVE: &str = "eu-west-3";
const REGION_POLL: &str = "eu-north-1";
const REGION_SINCE: &str = "ap-southeast-2";

pub(crate) const STREAMS: [&str; 2] = ["2026/12/01/[$LATEST]aaaa1111", "2026/12/01/[$LATEST]bbbb2222"];

/// The seed authorizer's lines for one request at `ts`: allowed from the allowed IP, denied otherwise.
pub(crate) fn invocation(id: &str, ip: &str, ts: i64) -> Vec<(i64, String)> {
    let stamp = crate::util::iso(ts);
    vec![
        (ts, format!("START RequestId: {id} Version: $LATEST")),
        (ts + 1, format!("[INFO]\t{stamp}\t{id}\t[INFO] Source IP: {ip}")),
        (ts + 1, format!("[INFO]\t{stamp}\t{id}\t[INFO] Token: Ab12Xy34")),
        (ts + 1, format!("[INFO]\t{stamp}\t{id}\t[INFO] Allowed IP: 203.0.113.10")),
        (ts + 1, format!("[INFO]\t{stamp}\t{id}\t[INFO] Allowed Token: Ab12Xy34")),
        (ts + 2, format!("END RequestId: {id}")),
        (
            ts + 2,
            format!("REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t"),
        ),
    ]
}

pub(crate) fn create(region: &'static str, group: &str) {
    let client = sdk_client_in(region);
    runtime().block_on(async {
        client
            .create_log_group()
            .log_group_name(group)
            .send()
            .await
            .expect("CreateLogGroup");
        for stream in STREAMS {
            client
                .create_log_stream()
                .log_group_name(group)
                .log_stream_name(stream)
                .send()
                .await
                .expect("CreateLogStream");
        }
    });
}

/// One PutLogEvents call.
pub(crate) fn put(region: &'static str, group: &str, stream: &str, events: &[(i64, String)]) {
    let client = sdk_client_in(region);
    let mut events = events.to_vec();
    events.sort_by_key(|e| e.0);
    let batch: Vec<InputLogEvent> = events
        .iter()
        .map(|(ts, m)| {
            InputLogEvent::builder()
                .timestamp(*ts)
                .message(m)
                .build()
                .expect("an event")
        })
        .collect();
    runtime().block_on(async {
        client
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .set_log_events(Some(batch))
            .send()
            .await
            .expect("PutLogEvents");
    });
}

fn spawn_tail(region: &str, group: &str, extra: &[&str]) -> (Child, mpsc::Receiver<Value>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("authlogs"))
        .current_dir(crate::util::root())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", region)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .args([
            "tail",
            "--group",
            group,
            "--endpoint-url",
            &endpoint(),
            "--format",
            "json",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("authlogs tail starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            if tx.send(v).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

/// Lines printed until `want` request ids were seen (or `limit` passed), then `settle` more.
fn collect(rx: &mpsc::Receiver<Value>, want: usize, limit: Duration, settle: Duration) -> Vec<Value> {
    let mut got = Vec::new();
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(v) = rx.recv_timeout(Duration::from_millis(200)) {
            got.push(v);
        }
        if got.len() >= want {
            break;
        }
    }
    let end = Instant::now() + settle;
    while Instant::now() < end {
        if let Ok(v) = rx.recv_timeout(Duration::from_millis(200)) {
            got.push(v);
        }
    }
    got
}

fn interrupt(child: Child) -> (std::process::ExitStatus, String) {
    let pid = child.id().to_string();
    let _ = std::process::Command::new("kill").args(["-INT", &pid]).status();
    let out = child.wait_with_output().expect("tail ends on SIGINT");
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Puts invocations while `tail` runs, in several PutLogEvents calls over two streams, one of them
/// 45 s in the past, and checks each is printed exactly once.
fn exactly_once(region: &'static str, mode: &[&str], name: &str) -> String {
    let _ = endpoint();
    let group = unique_group(name);
    create(region, &group);
    let (child, rx) = spawn_tail(region, &group, mode);
    std::thread::sleep(Duration::from_secs(2));
    let mut expected: HashMap<String, &str> = HashMap::new();
    for round in 0..4 {
        let now = now_ms();
        // A late batch: the events carry timestamps 45 s before they are put.
        let ts = if round == 2 { now - 45_000 } else { now };
        for (s, stream) in STREAMS.iter().enumerate() {
            let id = format!("{round:08}-{s:04}-4000-8000-{:012}", now % 1_000_000);
            let ip = if s == 0 { "203.0.113.10" } else { "198.51.100.23" };
            put(region, &group, stream, &invocation(&id, ip, ts));
            expected.insert(id, if s == 0 { "allowed" } else { "denied" });
        }
        std::thread::sleep(Duration::from_millis(1500));
    }
    let got = collect(&rx, expected.len(), Duration::from_secs(30), Duration::from_secs(4));
    let (status, stderr) = interrupt(child);
    assert!(status.success(), "{status:?}\n{stderr}");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for v in &got {
        let id = v["request_id"].as_str().unwrap_or_default().to_string();
        assert_eq!(expected.get(&id).copied(), v["decision"].as_str(), "{v}");
        assert_eq!(v["incomplete"], false, "{v}");
        *seen.entry(id).or_default() += 1;
    }
    for id in expected.keys() {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "{id} printed {:?} times\n{stderr}",
            seen.get(id)
        );
    }
    assert_eq!(got.len(), expected.len(), "{got:?}\n{stderr}");
    assert!(
        stderr.contains(&format!("authlogs: {} invocations", expected.len())),
        "{stderr}"
    );
    stderr
}

#[test]
fn live_tail_prints_each_invocation_once_across_reconnects_and_late_events() {
    if !crate::util::moto() {
        return;
    }
    let stderr = exactly_once(REGION_LIVE, &[], "tail-live");
    // moto ends every session after one update: each later batch came through a reconnect and a backfill.
    let reconnects: u64 = stderr
        .split(" reconnects")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(reconnects > 0, "{stderr}");
}

#[test]
fn polling_prints_each_invocation_once_including_late_events() {
    if !crate::util::moto() {
        return;
    }
    exactly_once(REGION_POLL, &["--poll"], "tail-poll");
}

#[test]
fn since_backfills_first_and_count_ends_the_run() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("tail-since");
    create(REGION_SINCE, &group);
    let base = now_ms() - 5 * 60_000;
    for i in 0..3 {
        let id = format!("5111111{i}-1111-4222-8333-444444444444");
        put(
            REGION_SINCE,
            &group,
            STREAMS[0],
            &invocation(&id, "203.0.113.10", base + i * 1000),
        );
    }
    let mut cmd = authlogs();
    let run = cmd
        .args([
            "tail",
            "--group",
            &group,
            "--endpoint-url",
            &endpoint(),
            "--format",
            "json",
        ])
        .args(["--since", "10m", "--count", "3", "--region", REGION_SINCE])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("tail runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let text = String::from_utf8_lossy(&run.stdout);
    let ids: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| v["request_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{text}");
    assert!(ids.iter().all(|id| id.starts_with("5111111")), "{text}");
}

#[test]
fn a_missing_group_is_a_one_line_error() {
    if !crate::util::moto() {
        return;
    }
    let mut cmd = authlogs();
    let run = cmd
        .args([
            "tail",
            "--group",
            "/aws/lambda/no-such-group-for-tail",
            "--endpoint-url",
            &endpoint(),
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("tail runs");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let error = stderr.lines().find(|l| l.contains("not found")).unwrap_or_default();
    assert!(
        error.contains("/aws/lambda/no-such-group-for-tail") && error.contains("authlogs groups"),
        "{stderr}"
    );
}
