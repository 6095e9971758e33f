//! The access-log join with both groups in CloudWatch (moto): the authorizer's group and the API's
//! access-log group read over one window give the `callers` the same events give from files.

use serde_json::{json, Value};

use crate::cloudwatch::{
    authlogs, cloudwatch_report, endpoint, json as report_json, put_events, sample_events, unique_group,
    write_filter_json, Event,
};
use crate::util::{finish, iso};

/// Access-log records for the invocations of `events`: each invocation's request 40 ms before its
/// START with the status its decision gives, plus a cache hit, a 401 and a permission 500.
pub(crate) fn access_events(events: &[Event], dir: &std::path::Path) -> Vec<Event> {
    let path = write_filter_json(events, dir);
    let r = finish(authlogs().args(["report", "--requests", "--format", "json"]).arg(&path));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut out = Vec::new();
    for (i, line) in String::from_utf8_lossy(&r.stdout).lines().enumerate() {
        let row: Value = serde_json::from_str(line).expect("a request row");
        let start = crate::util::parse_iso(row["time"].as_str().expect("time"));
        let status = match row["decision"].as_str() {
            Some("allowed") => 200,
            Some("denied") => 403,
            _ => 500,
        };
        out.push(record(
            &format!("req{i:03}="),
            row["source_ip"].as_str().unwrap_or("-"),
            start - 40,
            status,
            None,
        ));
    }
    let last = out.iter().map(|e| e.ts).max().expect("requests");
    out.push(record("cached1=", "198.51.100.201", last + 1_000, 200, None));
    out.push(record("noauth1=", "198.51.100.202", last + 2_000, 401, None));
    out.push(record(
        "perm1=",
        "198.51.100.203",
        last + 3_000,
        500,
        Some(
            "The IAM role configured on the authorizer or API Gateway doesn't have permissions to call the authorizer.",
        ),
    ));
    out
}

fn record(id: &str, ip: &str, ms: i64, status: u16, error: Option<&str>) -> Event {
    let message = json!({
        "requestId": id,
        "ip": ip,
        "requestTimeEpoch": ms.to_string(),
        "httpMethod": "GET",
        "routeKey": "GET /",
        "status": status.to_string(),
        "authorizerError": error.unwrap_or("-"),
    });
    Event {
        stream: "access".into(),
        ts: ms,
        message: message.to_string(),
    }
}

#[test]
fn both_groups_from_cloudwatch_give_the_callers_of_the_same_files() {
    if !crate::util::moto() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let authorizer = unique_group("join-auth");
    let api = unique_group("join-access");
    let events = sample_events();
    let access = access_events(&events, dir.path());
    put_events(&authorizer, &events);
    put_events(&api, &access);
    let first = events.iter().chain(&access).map(|e| e.ts).min().expect("events");
    let last = events.iter().chain(&access).map(|e| e.ts).max().expect("events");
    let (since, until) = (iso(first - 60_000), iso(last + 60_000));
    let live = report_json(&cloudwatch_report(
        &endpoint(),
        &[
            "--group",
            &authorizer,
            "--access-log-group",
            &api,
            "--since",
            &since,
            "--until",
            &until,
        ],
    ));
    let auth_file = write_filter_json(&events, dir.path());
    let access_file = dir.path().join("access.jsonl");
    let lines: Vec<&str> = access.iter().map(|e| e.message.as_str()).collect();
    std::fs::write(&access_file, lines.join("\n")).expect("write");
    let r = finish(
        authlogs()
            .args(["report", "--format", "json", "--since", &since, "--until", &until])
            .arg(&auth_file)
            .arg("--access-logs")
            .arg(&access_file),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let offline: Value = serde_json::from_slice(&r.stdout).expect("JSON");
    let callers = &live["callers"];
    assert_eq!(callers, &offline["callers"], "CloudWatch and files differ");
    let invocations = live["invocations"].as_u64().expect("invocations");
    assert_eq!(callers["requests"], invocations + 3);
    assert_eq!(callers["authorizer_invoked"], invocations);
    assert_eq!(callers["unmatched_invocations"], 0);
    assert_eq!(callers["join"]["method"], "ip_time");
    assert_eq!(callers["cached"]["allow"], 1);
    assert_eq!(callers["identity_missing"], 1);
    assert_eq!(
        callers["cached_other_ip"], 1,
        "a cached allow from an IP never allowed: {callers}"
    );
    let kinds: Vec<&str> = live["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    for kind in ["cached_decision_other_ip", "authorizer_failed", "identity_missing"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
}

#[test]
fn a_missing_access_log_group_is_one_line_naming_it() {
    if !crate::util::moto() {
        return;
    }
    let authorizer = unique_group("join-auth-missing");
    put_events(&authorizer, &sample_events());
    let r = cloudwatch_report(
        &endpoint(),
        &[
            "--group",
            &authorizer,
            "--access-log-group",
            "/no/such/access-group",
            "--since",
            "1d",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("/no/such/access-group"), "{}", r.stderr);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
}
