//! `tail` with an access log: one line per API request, classified like `report`'s `callers`,
//! from files and from two CloudWatch groups (moto).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use crate::cloudwatch::{authlogs, endpoint, now_ms, unique_group};
use crate::tail_cloudwatch::{create, invocation, put, STREAMS};
use crate::util::{data, finish, parse_iso};

/// Access-log lines for the invocations of `authorizer`: each request 40 ms before its START with
/// the status its decision gives, then a cache hit from a never-allowed IP, a 401 and a hostile line.
pub(crate) fn access_lines(authorizer: &str) -> Vec<String> {
    let r = finish(authlogs().args(["report", "--requests", "--format", "json", authorizer]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut out = Vec::new();
    let mut last = 0;
    for (i, line) in String::from_utf8_lossy(&r.stdout).lines().enumerate() {
        let row: Value = serde_json::from_str(line).expect("a request row");
        let start = parse_iso(row["time"].as_str().expect("time"));
        last = last.max(start);
        let status = match row["decision"].as_str() {
            Some("allowed") => "200",
            Some("denied") => "403",
            _ => "500",
        };
        let ip = row["source_ip"].as_str().unwrap_or("-");
        out.push(json!({"requestId": format!("r{i:03}="), "ip": ip, "requestTimeEpoch": start - 40, "status": status, "routeKey": "GET /"}).to_string());
    }
    out.push(json!({"requestId": "hit=", "ip": "198.51.100.201", "requestTimeEpoch": last + 1_000, "status": "200", "routeKey": "GET /"}).to_string());
    out.push(
        json!({"requestId": "noauth=", "ip": "198.51.100.202", "requestTimeEpoch": last + 2_000, "status": "401"})
            .to_string(),
    );
    out.push(
        json!({"requestId": "evil=", "ip": "198.51.100.203", "requestTimeEpoch": last + 3_000, "status": "500",
        "routeKey": "GET /\u{1b}[2J", "authorizerError": "boom \u{1b}[31m Ab12Xy34"})
        .to_string(),
    );
    out
}

fn classes_of(lines: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for line in lines.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(v["type"], "request", "{line}");
        *counts
            .entry(v["class"].as_str().expect("class").to_string())
            .or_default() += 1;
    }
    counts
}

/// The access log downloaded from the console (`timestamp,message`): the same lines, field for
/// field, as from its export.
#[test]
fn tail_reads_an_access_log_downloaded_from_the_console_as_its_export() {
    let authorizer = data("access/authorizer.export.log");
    let run = |access: &str| {
        let run = finish(authlogs().args(["tail", &authorizer, "--access-logs", &data(access), "--format", "json"]));
        assert_eq!(run.code, Some(0), "{access}: {}", run.stderr);
        run
    };
    let (export, console) = (run("access/access.export.log"), run("access/access.console.csv"));
    assert_eq!(
        classes_of(&String::from_utf8_lossy(&console.stdout))
            .values()
            .sum::<u64>(),
        392
    );
    assert_eq!(console.stdout, export.stdout);
}

#[test]
fn tail_with_an_access_log_classifies_every_request_as_report_does() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let authorizer = data("equiv.export.log");
    let access = dir.path().join("access.jsonl");
    std::fs::write(&access, access_lines(&authorizer).join("\n")).expect("write");
    let access = access.display().to_string();
    let tail = finish(authlogs().args(["tail", &authorizer, "--access-logs", &access, "--format", "json"]));
    assert_eq!(tail.code, Some(0), "{}", tail.stderr);
    let classes = classes_of(&String::from_utf8_lossy(&tail.stdout));
    let report = finish(authlogs().args(["report", &authorizer, "--access-logs", &access, "--format", "json"]));
    assert_eq!(report.code, Some(0), "{}", report.stderr);
    let v: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let c = &v["callers"];
    let want = |k: &str| c.pointer(k).and_then(Value::as_u64).unwrap_or(0);
    let from_report: BTreeMap<String, u64> = [
        ("fresh_allow", want("/fresh/allow")),
        ("fresh_deny", want("/fresh/deny")),
        ("fresh_unknown", want("/fresh/unknown")),
        ("cached_allow", want("/cached/allow")),
        ("cached_deny", want("/cached/deny")),
        ("identity_missing", want("/identity_missing")),
        ("authorizer_failed", want("/authorizer_failed")),
        ("other", want("/other")),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(classes, from_report);
    assert_eq!(classes.get("cached_allow"), Some(&1), "{classes:?}");
    assert!(
        tail.stderr.contains("API requests"),
        "the summary names the requests: {}",
        tail.stderr
    );
    // Text lines: one per request, nothing raw from the log, no token.
    let text = finish(authlogs().args(["tail", &authorizer, "--access-logs", &access]));
    let out = String::from_utf8_lossy(&text.stdout);
    assert_eq!(
        out.lines().count() as u64,
        c["requests"].as_u64().expect("requests"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}') && !out.contains("Ab12Xy34"), "{out}");
    assert!(
        out.contains("NOAUTH") && out.contains("decided for another IP"),
        "{out}"
    );
    // --denied keeps the refused ones: fresh and cached denies, the 401 and the failures.
    let denied = finish(authlogs().args([
        "tail",
        &authorizer,
        "--access-logs",
        &access,
        "--format",
        "json",
        "--denied",
    ]));
    let refused = classes_of(&String::from_utf8_lossy(&denied.stdout));
    assert!(
        refused
            .keys()
            .all(|k| ["fresh_deny", "cached_deny", "identity_missing", "authorizer_failed"].contains(&k.as_str())),
        "{refused:?}"
    );
    assert_eq!(refused.get("identity_missing"), Some(&1));
}

#[test]
fn tail_follows_both_groups_from_cloudwatch() {
    if !crate::util::moto() {
        return;
    }
    const REGION: &str = "ca-central-1";
    let authorizer = unique_group("tail-join-auth");
    let api = unique_group("tail-join-access");
    create(REGION, &authorizer);
    create(REGION, &api);
    let base = now_ms() - 5 * 60_000;
    let mut access = Vec::new();
    for i in 0..2 {
        let id = format!("7111111{i}-1111-4222-8333-444444444444");
        let t = base + i * 20_000;
        put(REGION, &authorizer, STREAMS[0], &invocation(&id, "203.0.113.10", t));
        access.push((
            t - 30,
            json!({"requestId": format!("a{i}="), "ip": "203.0.113.10", "requestTimeEpoch": t - 30, "status": "200"})
                .to_string(),
        ));
    }
    access.push((base + 60_000, json!({"requestId": "hit=", "ip": "198.51.100.9", "requestTimeEpoch": base + 60_000, "status": "200", "authorizerIp": "203.0.113.10"}).to_string()));
    access.push((
        base + 61_000,
        json!({"requestId": "noauth=", "ip": "198.51.100.9", "requestTimeEpoch": base + 61_000, "status": "401"})
            .to_string(),
    ));
    put(REGION, &api, STREAMS[0], &access);
    let run = authlogs()
        .args([
            "tail",
            "--group",
            &authorizer,
            "--access-log-group",
            &api,
            "--poll",
            "--endpoint-url",
            &endpoint(),
        ])
        .args(["--since", "10m", "--count", "4", "--format", "json", "--region", REGION])
        .timeout(Duration::from_secs(90))
        .output()
        .expect("tail runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let classes = classes_of(&String::from_utf8_lossy(&run.stdout));
    let want: BTreeMap<String, u64> = [("fresh_allow", 2), ("cached_allow", 1), ("identity_missing", 1)]
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    assert_eq!(classes, want, "{}", String::from_utf8_lossy(&run.stderr));
}
