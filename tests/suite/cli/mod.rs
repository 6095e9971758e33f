//! End-to-end tests of the `authlogs` binary on the fixtures in `tests/data/` and on `samples/`.
//!
//! Every expected number is explained in `tests/data/EXPECTED.md` (fixtures) or
//! `samples/README.md` (samples); `tests/data/cross-check.py` recomputes them from the bytes.

mod completions;
mod containers;
mod inputs;
mod json_report;
mod lang;
mod line_shapes;
mod output;
mod published_shapes;
mod samples;
mod usage;
mod window;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::util::{authlogs, data, finish, read_data, report, root, Run};

/// The seed's ALLOWED_TOKEN: logged by the authorizer on every request, never printed by authlogs
/// unless `--show-tokens`.
const TOKEN: &str = "Ab12Xy34";
/// `tok:` + the first 8 hex digits of SHA-256("Ab12Xy34") / SHA-256("test").
const TOKEN_MASKED: &str = "tok:f6c4527f";
const TEST_MASKED: &str = "tok:9f86d081";

const REQUESTS_HEADER: &str = "request_id,time,stream,decision,reasons,source_ip,token,duration_ms,\
billed_duration_ms,memory_size_mb,max_memory_used_mb,init_duration_ms,incomplete";

/// Request ids and stream of `equiv.*` (see EXPECTED.md).
const EQUIV_STREAM: &str = "2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73";
const E1_COLD_ALLOWED: &str = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
const E3_IP: &str = "d507bfee-f488-46dd-a5c7-a6eef092e333";
const E4_TOKEN: &str = "25699b99-cab9-4fd8-b4c5-1ba591f3bd7d";
const E6_MISSING: &str = "3bb4e5e2-9641-4cf2-8cdc-167216c9d65c";
const E7_TIMEOUT: &str = "401f7f49-1fa1-4bda-a3ef-bc77f9b2bc93";
const E8_BOTH_MISSING: &str = "d2e2aab1-79ee-4d28-8466-6870c91b5006";
/// `two-streams.tail.log`: START + INFO lines only.
const T7_IN_FLIGHT: &str = "c6d127e9-cdfb-469d-90ff-bc7d9425b493";

/// Every container holding the same 11 invocations.
const EQUIV_FILES: [(&str, &str); 22] = [
    ("equiv.export.log", "export"),
    ("equiv.export.gz", "export"),
    ("equiv.multimember.export.gz", "export"),
    ("equiv.crlf.export.log", "export"),
    ("equiv.cr.export.log", "export"),
    ("equiv.mixed-eol.export.log", "export"),
    ("equiv.filter.json", "json"),
    ("equiv.get.json", "json"),
    ("equiv.tail.log", "tail"),
    ("equiv.console.tsv", "console"),
    ("equiv.bare.log", "bare"),
    ("equiv.jq.txt", "prefixed"),
    ("equiv.bracketed.log", "prefixed"),
    ("equiv.tail-json.log", "tail"),
    ("equiv.insights.csv", "insights-csv"),
    ("equiv.insights.md", "insights-md"),
    ("equiv.console.csv", "console-csv"),
    ("equiv.console-two-columns.csv", "console-csv"),
    ("equiv.awslogs.json", "json"),
    ("equiv.kinesis.json", "json"),
    ("equiv.firehose-records.json", "json"),
    ("equiv.firehose.gz", "json"),
];

/// `authlogs report ARGS… --format json` with STDIN.
fn report_stdin(args: &[&str], stdin: Vec<u8>) -> Run {
    finish(
        authlogs()
            .arg("report")
            .args(args)
            .args(["--format", "json"])
            .write_stdin(stdin),
    )
}

/// `authlogs report ARGS… --format json`, which must exit 0; the parsed report.
#[track_caller]
fn run_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = report(&all);
    run.assert_code(0);
    let r = run.json();
    assert_eq!(r["schema"], "authlogs.report/v1");
    r
}

fn pretty(r: &Value) -> String {
    serde_json::to_string_pretty(r).unwrap()
}

/// Asserts numeric values at JSON pointers (counts and milliseconds; 1e-6 tolerance).
#[track_caller]
fn expect(r: &Value, want: &[(&str, f64)]) {
    let bad: Vec<String> = want
        .iter()
        .filter_map(|(ptr, v)| match r.pointer(ptr).and_then(Value::as_f64) {
            Some(got) if (got - v).abs() < 1e-6 => None,
            got => Some(format!("{ptr}: expected {v}, got {got:?}")),
        })
        .collect();
    assert!(bad.is_empty(), "{}\nreport: {}", bad.join("\n"), pretty(r));
}

/// `invocations`, `decisions.{allowed,denied,timeout,error,unknown}`, `incomplete`.
#[track_caller]
fn expect_decisions(r: &Value, invocations: u64, [a, d, t, e, u]: [u64; 5], incomplete: u64) {
    expect(
        r,
        &[
            ("/invocations", invocations as f64),
            ("/decisions/allowed", a as f64),
            ("/decisions/denied", d as f64),
            ("/decisions/timeout", t as f64),
            ("/decisions/error", e as f64),
            ("/decisions/unknown", u as f64),
            ("/incomplete", incomplete as f64),
        ],
    );
}

/// `denials.{ip_mismatch,token_mismatch,both,token_missing}`.
#[track_caller]
fn expect_denials(r: &Value, [ip, token, both, missing]: [u64; 4]) {
    expect(
        r,
        &[
            ("/denials/ip_mismatch", ip as f64),
            ("/denials/token_mismatch", token as f64),
            ("/denials/both", both as f64),
            ("/denials/token_missing", missing as f64),
        ],
    );
}

/// The expected report of every `equiv.*` container.
#[track_caller]
fn expect_equiv(r: &Value) {
    expect_decisions(r, 11, [3, 6, 1, 1, 0], 0);
    expect_denials(r, [4, 4, 2, 2]);
    expect(
        r,
        &[
            ("/duration_ms/count", 11.0),
            ("/duration_ms/min", 1.59),
            ("/duration_ms/p50", 1.80),
            ("/duration_ms/max", 3000.0),
            ("/billed_duration_ms/sum", 3065.0),
            ("/memory_mb/size", 512.0),
            ("/memory_mb/max_used_max", 37.0),
            ("/cold_starts/count", 1.0),
            ("/cold_starts/init_duration_ms/max", 120.50),
            ("/cold_starts/init_duration_ms/avg", 120.50),
        ],
    );
}

/// JSON equality with a relative tolerance for numbers (averages may be summed in another order).
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| close(v, w)),
        _ => a == b,
    }
}

#[track_caller]
fn assert_same(a: &Value, b: &Value, pointers: &[&str], what: &str) {
    for ptr in pointers {
        let (x, y) = (
            a.pointer(ptr).unwrap_or(&Value::Null),
            b.pointer(ptr).unwrap_or(&Value::Null),
        );
        assert!(close(x, y), "{what}: {ptr} differs\n  expected: {x}\n  got:      {y}");
    }
}

fn epoch_ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("not RFC 3339: {rfc3339:?}: {e}"))
        .timestamp_millis()
}

#[track_caller]
fn expect_time(r: &Value, ptr: &str, want: &str) {
    let got = r
        .pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{ptr} missing in {}", pretty(r)));
    assert_eq!(epoch_ms(got), epoch_ms(want), "{ptr}: {got} is not {want}");
}

/// `--requests --format csv` rows keyed by header name.
fn request_rows(csv_text: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().expect("CSV header").clone();
    rdr.records()
        .map(|rec| {
            let rec = rec.expect("CSV row");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[track_caller]
fn row<'a>(rows: &'a [HashMap<String, String>], request_id: &str) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["request_id"] == request_id)
        .unwrap_or_else(|| panic!("no row for {request_id}"))
}

fn reasons(joined: &str) -> BTreeSet<&str> {
    joined.split('+').filter(|s| !s.is_empty()).collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

/// `--requests --format json` lines.
fn request_lines(run: &Run) -> Vec<Value> {
    run.text()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

#[track_caller]
fn line<'a>(lines: &'a [Value], request_id: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["request_id"] == request_id)
        .unwrap_or_else(|| panic!("no line for {request_id}"))
}

fn json_reasons(v: &Value) -> BTreeSet<String> {
    v["reasons"]
        .as_array()
        .expect("reasons array")
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

#[track_caller]
fn expect_json_logformat(r: &Value) {
    expect_decisions(r, 7, [2, 4, 1, 0, 0], 0);
    expect_denials(r, [2, 3, 1, 1]);
    expect(
        r,
        &[
            ("/cold_starts/count", 1.0),
            ("/cold_starts/init_duration_ms/max", 120.504),
            ("/duration_ms/count", 7.0),
            ("/duration_ms/min", 1.655),
            ("/duration_ms/p50", 1.911),
            ("/duration_ms/max", 3000.0),
            ("/billed_duration_ms/sum", 3014.0),
            ("/memory_mb/size", 512.0),
            ("/memory_mb/max_used_max", 36.0),
        ],
    );
}
