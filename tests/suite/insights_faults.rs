//! Logs Insights when things go wrong, through the proxy in front of moto: a rejected query, a
//! GetQueryResults failing for good, a timeout, a lost StartQuery answer, Ctrl-C, and a plan over
//! the spending cap. Each shows that no query is left running (every id the service started
//! completed or got a StopQuery) and that every byte the queries scanned is billed, in the report
//! or in the error.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json as j, Value};

use crate::cloudwatch::{authlogs, cloudwatch_report, endpoint, json, now_ms, put_events, sample_events, unique_group};
use crate::proxy::{start_proxy, Action, Call, Proxy};
use crate::util::iso;

/// What the service did, as the proxy saw it.
#[derive(Debug, Default)]
struct Service {
    /// Every query id the service started, with its query string.
    started: BTreeMap<String, String>,
    /// Ids whose StartQuery answer never reached authlogs.
    lost: BTreeSet<String>,
    stopped: BTreeSet<String>,
    /// Ids a GetQueryResults answer gave a final status.
    finished: BTreeSet<String>,
    /// GetQueryResults calls per id.
    polls: BTreeMap<String, u64>,
}

impl Service {
    /// Every query the service started completed or was stopped.
    fn assert_none_left_running(&self) {
        assert!(!self.started.is_empty(), "no query was started");
        for id in self.started.keys() {
            assert!(
                self.stopped.contains(id) || self.finished.contains(id),
                "query {id} was left running: {self:?}"
            );
        }
    }
}

/// What the service answers a GetQueryResults with, given the query id and how many times it
/// was asked before.
enum Reply {
    /// This status, with statistics of so many bytes scanned (records: a tenth).
    Status(&'static str, f64),
    /// A 500, every time.
    Fail,
}

fn field(request: &str, name: &str) -> Option<String> {
    let body = request.split_once("\r\n\r\n")?.1;
    let v: Value = serde_json::from_str(body).ok()?;
    v[name].as_str().map(str::to_string)
}

struct Setup {
    /// Lose the answer of the first StartQuery.
    lose_first_start: bool,
    /// Reject every StartQuery with this code.
    reject: Option<&'static str>,
    /// DescribeLogGroups says each group stores this many bytes, keeps them one day and is old.
    stored_bytes: Option<u64>,
}

const PLAIN: Setup = Setup {
    lose_first_start: false,
    reject: None,
    stored_bytes: None,
};

/// A proxy playing the Logs Insights service over moto: moto starts the queries (and holds the
/// events), the proxy answers GetQueryResults with `reply`, lists the queries that still run for
/// DescribeQueries and accepts StopQuery (moto has none).
fn service(setup: Setup, reply: impl Fn(&str, u64) -> Reply + Send + Sync + 'static) -> (Proxy, Arc<Mutex<Service>>) {
    let state: Arc<Mutex<Service>> = Arc::default();
    let s = state.clone();
    let proxy = start_proxy(move |call: &Call<'_>| match call.operation {
        "StartQuery" => {
            if let Some(code) = setup.reject {
                return Action::Error {
                    status: "400 Bad Request",
                    code,
                    message: "unexpected symbol found stats at line 1",
                };
            }
            let text = field(call.request, "queryString").unwrap_or_default();
            let (s, lose) = (s.clone(), setup.lose_first_start && call.n == 0);
            let record = move |body: &str| {
                let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                if let (Some(id), Ok(mut st)) = (v["queryId"].as_str(), s.lock()) {
                    st.started.insert(id.to_string(), text);
                    if lose {
                        st.lost.insert(id.to_string());
                    }
                }
            };
            if lose {
                Action::Lose(Box::new(record))
            } else {
                Action::Rewrite(Box::new(move |body: &str| {
                    record(body);
                    body.to_string()
                }))
            }
        }
        "GetQueryResults" => {
            let id = field(call.request, "queryId").unwrap_or_default();
            let n = {
                let Ok(mut st) = s.lock() else { return Action::Forward };
                let n = st.polls.entry(id.clone()).or_default();
                *n += 1;
                *n - 1
            };
            match reply(&id, n) {
                Reply::Fail => Action::Error {
                    status: "500 Internal Server Error",
                    code: "ServiceUnavailableException",
                    message: "try again",
                },
                Reply::Status(status, bytes) => {
                    if status != "Running" && status != "Scheduled" {
                        if let Ok(mut st) = s.lock() {
                            st.finished.insert(id);
                        }
                    }
                    Action::Answer(
                        j!({
                            "status": status,
                            "results": [],
                            "statistics": {"bytesScanned": bytes, "recordsScanned": bytes / 10.0, "recordsMatched": 0.0},
                        })
                        .to_string(),
                    )
                }
            }
        }
        "DescribeQueries" => {
            let status = field(call.request, "status").unwrap_or_default();
            let Ok(st) = s.lock() else { return Action::Forward };
            let queries: Vec<Value> = st
                .started
                .iter()
                .filter(|(id, _)| status == "Running" && !st.stopped.contains(*id) && !st.finished.contains(*id))
                .map(|(id, text)| j!({"queryId": id, "queryString": text, "status": "Running", "createTime": now_ms()}))
                .collect();
            Action::Answer(j!({ "queries": queries }).to_string())
        }
        "StopQuery" => {
            if let (Some(id), Ok(mut st)) = (field(call.request, "queryId"), s.lock()) {
                st.stopped.insert(id);
            }
            Action::Answer(r#"{"success":true}"#.into())
        }
        "DescribeLogGroups" => match setup.stored_bytes {
            Some(bytes) => Action::Rewrite(Box::new(move |body: &str| {
                let mut v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                if let Some(groups) = v["logGroups"].as_array_mut() {
                    for g in groups {
                        g["storedBytes"] = j!(bytes);
                        g["retentionInDays"] = j!(1);
                        g["creationTime"] = j!(1);
                    }
                }
                v.to_string()
            })),
            None => Action::Forward,
        },
        _ => Action::Forward,
    });
    (proxy, state)
}

/// A group holding the sample's events and the window around them.
fn sample_group(test: &str) -> (String, String, String) {
    let group = unique_group(test);
    let events = sample_events();
    put_events(&group, &events);
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    (group, iso(first - 60_000), iso(last + 60_000))
}

/// The stored bytes of a group keeping one day that put `bytes` in `[since, until)`.
fn stored_for(bytes: f64, since: &str, until: &str) -> u64 {
    let span = crate::util::parse_iso(until) - crate::util::parse_iso(since);
    (bytes * 86_400_000.0 / span as f64).round() as u64
}

/// What the error says the queries ran and scanned: `N Logs Insights queries ran and scanned B`.
fn spent(queries: usize, bytes: f64) -> String {
    let human = if bytes < 1000.0 {
        format!("{bytes:.0} B")
    } else {
        format!("{:.1} KB", bytes / 1000.0)
    };
    format!("{queries} Logs Insights queries ran and scanned {human} (about $")
}

#[test]
fn a_rejected_query_is_named_and_auto_reads_the_window_locally_instead() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("rejected");
    let setup = Setup {
        reject: Some("MalformedQueryException"),
        // 10 GB: downloading takes half an hour, scanning it three times costs $0.15.
        stored_bytes: Some(stored_for(10e9, &since, &until)),
        ..PLAIN
    };
    let (proxy, state) = service(setup, |_, _| Reply::Status("Complete", 0.0));
    let window = ["--group", group.as_str(), "--since", &since, "--until", &until];
    let r = cloudwatch_report(&proxy.url, &[&window[..], &["--engine", "insights"]].concat());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("Logs Insights rejected the ")
            && r.stderr
                .contains("query (MalformedQueryException: unexpected symbol found stats at line 1)")
            && r.stderr.contains(&spent(0, 0.0)),
        "{}",
        r.stderr
    );
    // auto: one line naming the rejection, then the local engine's report.
    let auto = cloudwatch_report(&proxy.url, &window);
    assert!(
        auto.stderr
            .contains("authlogs: engine insights: about 10.0 GB in the window"),
        "{}",
        auto.stderr
    );
    let fallback: Vec<&str> = auto
        .stderr
        .lines()
        .filter(|l| l.starts_with("authlogs: engine local: Logs Insights rejected the "))
        .collect();
    assert_eq!(fallback.len(), 1, "{}", auto.stderr);
    assert!(fallback[0].ends_with(": MalformedQueryException: unexpected symbol found stats at line 1"));
    let local = cloudwatch_report(&endpoint(), &[&window[..], &["--engine", "local"]].concat());
    assert_eq!(json(&auto), json(&local));
    // Nothing was started, so nothing runs.
    assert!(state.lock().expect("state").started.is_empty());
}

#[test]
fn a_plan_over_the_cap_is_refused_before_any_query_and_auto_stays_local() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("cap");
    // 1 TB: three scans cost about $15 at us-east-1's $0.005/GB.
    let setup = Setup {
        stored_bytes: Some(stored_for(1e12, &since, &until)),
        ..PLAIN
    };
    let (proxy, _) = service(setup, |_, _| Reply::Status("Complete", 0.0));
    let window = ["--group", group.as_str(), "--since", &since, "--until", &until];
    let auto = cloudwatch_report(&proxy.url, &window);
    assert_eq!(auto.code, Some(0), "{}", auto.stderr);
    let line: Vec<&str> = auto.stderr.lines().filter(|l| l.contains("engine local")).collect();
    assert_eq!(line.len(), 1, "{}", auto.stderr);
    assert!(
        line[0].contains("Logs Insights would scan about 3.0 TB (about $15.0000), above auto's cap of $1.00: pass --engine insights (or a higher --max-cost) to use it"),
        "{}",
        line[0]
    );
    assert_eq!(json(&auto)["source"]["engine"], "local");
    let refused = cloudwatch_report(
        &proxy.url,
        &[&window[..], &["--engine", "insights", "--max-cost", "10"]].concat(),
    );
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "Logs Insights would scan about 3.0 TB (about $15.0000), more than --max-cost 10: raise --max-cost"
        ),
        "{}",
        refused.stderr
    );
    // A higher --max-cost lets auto use Logs Insights.
    let allowed = crate::util::finish(
        authlogs().args(
            [
                &["report", "--endpoint-url", &proxy.url, "--explain", "--max-cost", "20"][..],
                &window[..],
            ]
            .concat(),
        ),
    );
    assert!(allowed.text().starts_with("engine: insights ("), "{}", allowed.text());
    assert!(
        allowed.text().contains("spending cap: --max-cost $20"),
        "{}",
        allowed.text()
    );
    assert_eq!(proxy.calls("StartQuery"), 0);
}

#[test]
fn a_query_whose_results_cannot_be_read_is_still_stopped_and_billed() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("gqr-fails");
    // The first answer says Running after 1,000 bytes; every later call fails.
    let (proxy, state) = service(PLAIN, |_, n| {
        if n == 0 {
            Reply::Status("Running", 1000.0)
        } else {
            Reply::Fail
        }
    });
    let r = cloudwatch_report(
        &proxy.url,
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--engine",
            "insights",
            "--max-attempts",
            "2",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("logs:GetQueryResults kept failing"), "{}", r.stderr);
    let st = state.lock().expect("state");
    st.assert_none_left_running();
    assert_eq!(st.stopped.len(), st.started.len(), "{st:?}");
    // Each query is billed what its last statistics said.
    assert!(
        r.stderr
            .contains(&spent(st.started.len(), 1000.0 * st.started.len() as f64)),
        "{}",
        r.stderr
    );
}

#[test]
fn timed_out_queries_are_billed_in_the_error() {
    if !crate::util::moto() {
        return;
    }
    let (group, _, until) = sample_group("timeout-billed");
    let (proxy, state) = service(PLAIN, |_, _| Reply::Status("Timeout", 300.0));
    // Three minutes: split once into halves too short to split again.
    let three_before = iso(crate::util::parse_iso(&until) - 180_000);
    let r = crate::cloudwatch::insights_report(&proxy.url, &group, &three_before, &until);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("it timed out (status Timeout)"), "{}", r.stderr);
    let st = state.lock().expect("state");
    st.assert_none_left_running();
    // The queries that timed out before the split are billed with the halves.
    let n = st.started.len();
    assert!(n >= 5, "{st:?}");
    assert!(r.stderr.contains(&spent(n, 300.0 * n as f64)), "{}", r.stderr);
}

#[test]
fn a_query_started_by_a_lost_start_query_answer_is_found_stopped_and_billed() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("lost-start");
    let setup = Setup {
        lose_first_start: true,
        ..PLAIN
    };
    let (proxy, state) = service(setup, |_, _| Reply::Status("Complete", 1000.0));
    let r = crate::cloudwatch::insights_report(&proxy.url, &group, &since, &until);
    let v = json(&r);
    let st = state.lock().expect("state");
    // The lost one and its retry, then the two other kinds.
    assert_eq!(st.started.len(), 4, "{st:?}");
    assert_eq!(st.lost.len(), 1, "{st:?}");
    let lost = st.lost.iter().next().expect("lost");
    assert!(st.stopped.contains(lost), "{st:?}");
    assert_eq!(st.stopped.len(), 1, "only the twin is stopped: {st:?}");
    st.assert_none_left_running();
    assert!(proxy.calls("DescribeQueries") >= 1);
    // The twin's bytes are billed with the three answered queries'.
    assert_eq!(v["source"]["scan"]["queries"], 4);
    assert_eq!(v["source"]["scan"]["bytes_scanned"], 4000);
    // input.events: one kind's records (a tenth of its 1,000 bytes), not all three kinds'.
    assert_eq!(v["input"]["events"], 100);
}

#[test]
fn ctrl_c_stops_every_query_and_bills_what_they_scanned() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until) = sample_group("sigint-billed");
    let (proxy, state) = service(PLAIN, |_, _| Reply::Status("Running", 700.0));
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_authlogs"))
        .args([
            "report",
            "--endpoint-url",
            &proxy.url,
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--engine",
            "insights",
        ])
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
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let st = state.lock().expect("state");
    st.assert_none_left_running();
    assert_eq!(st.stopped.len(), 3, "{st:?}");
    assert!(
        stderr.contains(&format!(
            "interrupted: stopped 3 running Logs Insights queries; {}",
            spent(3, 2100.0)
        )),
        "{stderr}"
    );
}
