//! End-to-end tests of the `authlogs` binary on the fixtures in `tests/data/` and on `samples/`.
//!
//! Every expected number is explained in `tests/data/EXPECTED.md` (fixtures) or
//! `samples/README.md` (samples); `tests/data/cross-check.py` recomputes them from the bytes.

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
const EQUIV_FILES: [(&str, &str); 18] = [
    ("equiv.export.log", "export"),
    ("equiv.export.gz", "export"),
    ("equiv.multimember.export.gz", "export"),
    ("equiv.crlf.export.log", "export"),
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
    ("equiv.awslogs.json", "json"),
    ("equiv.kinesis.json", "json"),
    ("equiv.firehose-records.json", "json"),
    ("equiv.firehose.gz", "json"),
];

// ------------------------------------------------------------------------------------ helpers

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

// ------------------------------------------------------------------------------------ the JSON report

#[test]
fn report_json_has_every_stable_key() {
    let r = run_json(&[&data("equiv.export.log")]);
    for ptr in [
        "/schema",
        "/window/start",
        "/window/end",
        "/window/first_event",
        "/window/last_event",
        "/complete",
        "/input_errors",
        "/input/events",
        "/input/unrecognized_lines",
        "/input/invalid_utf8_lines",
        "/input/filtered_events",
        "/input/late_lines",
        "/invocations",
        "/decisions/allowed",
        "/decisions/denied",
        "/decisions/timeout",
        "/decisions/error",
        "/decisions/unknown",
        "/incomplete",
        "/denials/ip_mismatch",
        "/denials/token_mismatch",
        "/denials/both",
        "/denials/token_missing",
        "/duration_ms/count",
        "/duration_ms/min",
        "/duration_ms/avg",
        "/duration_ms/p50",
        "/duration_ms/p90",
        "/duration_ms/p95",
        "/duration_ms/p99",
        "/duration_ms/max",
        "/billed_duration_ms/sum",
        "/billed_duration_ms/avg",
        "/memory_mb/size",
        "/memory_mb/max_used_max",
        "/memory_mb/max_used_avg",
        "/memory_mb/utilization_pct",
        "/cold_starts/count",
        "/cold_starts/init_duration_ms/avg",
        "/cold_starts/init_duration_ms/max",
        "/cost",
        "/top_denied_ips",
        "/top_denied_ips_exact",
        "/timeline",
        "/findings",
    ] {
        assert!(r.pointer(ptr).is_some(), "missing {ptr} in {}", pretty(&r));
    }
    assert_eq!(r["complete"], true);
    assert_eq!(r["input_errors"], serde_json::json!([]));
    for finding in r["findings"].as_array().expect("findings array") {
        for key in ["kind", "severity", "message", "count"] {
            assert!(finding.get(key).is_some(), "finding without {key}: {finding}");
        }
    }
}

#[test]
fn equiv_export_counts_window_and_top_ip() {
    let r = run_json(&[&data("equiv.export.log")]);
    expect_equiv(&r);
    expect(&r, &[("/input/events", 85.0), ("/input/filtered_events", 0.0)]);
    expect_time(&r, "/window/first_event", "2025-07-11T06:05:34.185Z");
    expect_time(&r, "/window/last_event", "2025-07-11T08:59:58.762Z");
    let top = &r["top_denied_ips"][0];
    assert_eq!(top["ip"], "198.51.100.23", "{}", pretty(&r));
    expect(top, &[("/count", 3.0), ("/ip_mismatch", 3.0), ("/token_mismatch", 1.0)]);
}

#[test]
fn equiv_filter_log_events_counts_events() {
    let r = run_json(&[&data("equiv.filter.json")]);
    expect_equiv(&r);
    expect(&r, &[("/input/events", 85.0)]);
}

#[test]
fn same_events_give_the_same_report_in_every_container() {
    let reference = run_json(&[&data("equiv.export.log")]);
    let compared = [
        "/invocations",
        "/decisions",
        "/incomplete",
        "/denials",
        "/duration_ms",
        "/billed_duration_ms/sum",
        "/memory_mb/size",
        "/memory_mb/max_used_max",
        "/cold_starts/count",
    ];
    for (file, _) in EQUIV_FILES {
        let r = run_json(&[&data(file)]);
        expect_equiv(&r);
        assert_same(&reference, &r, &compared, file);
    }
}

#[test]
fn forced_input_format_reads_each_container() {
    for (file, format) in EQUIV_FILES {
        let r = run_json(&[&data(file), "--input-format", format]);
        expect_equiv(&r);
    }
}

// ------------------------------------------------------------------------------------ line shapes

#[test]
fn report_variants_init_restore_xray_status_and_task_timed_out() {
    let r = run_json(&[&data("report-variants.export.log")]);
    expect_decisions(&r, 11, [4, 2, 3, 2, 0], 0);
    // R5 timed out with a token-mismatch line: it counts as timeout, not as a denial.
    expect_denials(&r, [1, 1, 0, 0]);
    expect(
        &r,
        &[
            // R1, R5 (Init Duration), R4 (SnapStart restore), R9 (init retried in the invoke).
            ("/cold_starts/count", 4.0),
            ("/cold_starts/restores", 1.0),
            // Init durations of R1, R5 and R9's first INIT_REPORT; restores are not inits.
            ("/cold_starts/init_duration_ms/avg", 125.403),
            ("/cold_starts/init_duration_ms/max", 137.69),
            ("/duration_ms/count", 11.0),
            ("/duration_ms/min", 1.62),
            ("/duration_ms/p50", 4.20),
            ("/duration_ms/max", 3003.16),
            ("/billed_duration_ms/sum", 9162.0),
            ("/memory_mb/size", 512.0),
            ("/memory_mb/max_used_max", 512.0),
        ],
    );
}

#[test]
fn json_log_format_in_filter_log_events() {
    let r = run_json(&[&data("json-logformat.filter.json")]);
    expect_json_logformat(&r);
    expect(&r, &[("/input/events", 49.0)]);
}

#[test]
fn json_log_format_in_tail_format_json() {
    // `aws logs tail --format json` prints each JSON message pretty over several lines.
    let r = run_json(&[&data("json-logformat.tail-json.log")]);
    expect_json_logformat(&r);
    expect(&r, &[("/input/events", 49.0)]);
}

#[test]
fn new_containers_count_every_event_and_keep_the_window() {
    for file in [
        "equiv.insights.csv",
        "equiv.insights.md",
        "equiv.awslogs.json",
        "equiv.kinesis.json",
        "equiv.firehose-records.json",
        "equiv.firehose.gz",
        "equiv.tail-json.log",
    ] {
        let r = run_json(&[&data(file)]);
        expect(&r, &[("/input/events", 85.0)]);
        expect_time(&r, "/window/first_event", "2025-07-11T06:05:34.185Z");
        expect_time(&r, "/window/last_event", "2025-07-11T08:59:58.762Z");
    }
}

#[test]
fn a_damaged_encoded_record_exits_3_names_it_and_the_others_are_read() {
    let text = read_data("equiv.awslogs.json");
    let mut lines: Vec<String> = String::from_utf8(text).unwrap().lines().map(str::to_string).collect();
    // The third delivery's base64 damaged in its middle.
    let third = &mut lines[2];
    let at = third.len() / 2;
    third.replace_range(at..at + 4, "!!!!");
    let run = report_stdin(&["-"], (lines.join("\n") + "\n").into_bytes());
    run.assert_no_panic().assert_code(3);
    assert!(run.stderr.contains("encoded record 3"), "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["complete"], false, "{}", pretty(&r));
    // The other deliveries were read: 85 events less the second payload's 20.
    expect(&r, &[("/input/events", 65.0)]);
}

#[test]
fn an_insights_export_without_message_exits_3() {
    let csv = b"@timestamp,@logStream\n2025-07-11 06:05:34.308,s\n".to_vec();
    let run = report_stdin(&["-", "--input-format", "insights-csv"], csv);
    run.assert_no_panic().assert_code(3);
    assert!(run.stderr.contains("@message"), "{}", run.stderr);
}

#[test]
fn json_log_format_as_bare_lines() {
    let r = run_json(&[&data("json-logformat.bare.log"), "--input-format", "bare"]);
    expect_json_logformat(&r);
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

#[test]
fn japanese_and_english_messages_empty_token_ipv6_and_partial_evidence() {
    let r = run_json(&[&data("messages.export.log")]);
    expect_decisions(&r, 10, [1, 8, 0, 0, 1], 0);
    expect_denials(&r, [4, 5, 1, 2]);
    expect(
        &r,
        &[
            ("/cold_starts/count", 0.0),
            ("/duration_ms/count", 10.0),
            ("/duration_ms/min", 1.52),
            ("/duration_ms/max", 1.90),
            ("/billed_duration_ms/sum", 20.0),
            ("/input/unrecognized_lines", 0.0),
        ],
    );
    let top = &r["top_denied_ips"][0];
    assert_eq!(top["ip"], "203.0.113.10", "{}", pretty(&r));
    expect(top, &[("/count", 3.0), ("/ip_mismatch", 0.0), ("/token_mismatch", 3.0)]);
    let ips: Vec<&str> = r["top_denied_ips"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["ip"].as_str())
        .collect();
    assert!(ips.contains(&"2001:db8::1"), "IPv6 source missing from {ips:?}");
}

#[test]
fn seed_console_copy_gives_one_denial_and_the_partial_request_before_it() {
    for extra in [&[][..], &["--input-format", "console"][..]] {
        let mut args = vec![data("seed-console-pairs.txt")];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run_json(&args);
        expect_decisions(&r, 2, [0, 1, 0, 0, 1], 1);
        expect_denials(&r, [0, 1, 0, 0]);
        expect(
            &r,
            &[
                ("/duration_ms/count", 1.0),
                ("/duration_ms/min", 1.85),
                ("/duration_ms/max", 1.85),
                ("/billed_duration_ms/sum", 2.0),
                ("/memory_mb/size", 512.0),
                ("/memory_mb/max_used_max", 35.0),
            ],
        );
    }
}

#[test]
fn custom_patterns_file_teaches_a_differently_worded_authorizer() {
    let without = run_json(&[&data("custom-wording.export.log")]);
    expect_decisions(&without, 5, [0, 0, 0, 0, 5], 0);
    let with = run_json(&[
        &data("custom-wording.export.log"),
        "--patterns",
        &data("custom-patterns.toml"),
    ]);
    expect_decisions(&with, 5, [1, 4, 0, 0, 0], 0);
    expect_denials(&with, [2, 3, 1, 1]);
}

// ------------------------------------------------------------------------------------ containers and damage

#[test]
fn two_streams_interleaved_in_aws_logs_tail_output() {
    let r = run_json(&[&data("two-streams.tail.log")]);
    expect_decisions(&r, 7, [3, 3, 1, 0, 0], 1);
    expect_denials(&r, [2, 2, 1, 0]);
    expect(
        &r,
        &[
            ("/cold_starts/count", 2.0),
            ("/duration_ms/count", 6.0),
            ("/duration_ms/min", 1.69),
            ("/duration_ms/max", 3000.0),
            ("/billed_duration_ms/sum", 3013.0),
            ("/memory_mb/max_used_max", 37.0),
        ],
    );
}

#[test]
fn event_of_300_kib_is_read_whole() {
    let r = run_json(&[&data("big-event.export.log")]);
    expect_decisions(&r, 2, [1, 1, 0, 0, 0], 0);
    expect_denials(&r, [0, 1, 0, 0]);
    expect(
        &r,
        &[
            ("/duration_ms/count", 2.0),
            ("/duration_ms/min", 1.88),
            ("/duration_ms/max", 1.95),
        ],
    );
}

#[test]
fn noise_and_invalid_utf8_are_counted_not_fatal() {
    let forced = report(&[&data("noise.bare.log"), "--input-format", "bare", "--format", "json"]);
    forced.assert_no_panic();
    assert!(
        matches!(forced.code, Some(0) | Some(3)),
        "exit {:?}: {}",
        forced.code,
        forced.stderr
    );
    let r = forced.json();
    expect_decisions(&r, 3, [1, 2, 0, 0, 0], 0);
    expect_denials(&r, [1, 1, 0, 0]);
    expect(
        &r,
        &[("/input/invalid_utf8_lines", 7.0), ("/input/unrecognized_lines", 7.0)],
    );

    let auto = report(&[&data("noise.bare.log"), "--format", "json"]);
    auto.assert_no_panic();
    assert!(
        matches!(auto.code, Some(0) | Some(3)),
        "exit {:?}: {}",
        auto.code,
        auto.stderr
    );
    auto.json();
    let table = report(&[&data("noise.bare.log")]);
    table.assert_no_panic();
}

#[test]
fn empty_file_is_an_empty_report() {
    let r = run_json(&[&data("empty.log")]);
    expect_decisions(&r, 0, [0, 0, 0, 0, 0], 0);
    expect_denials(&r, [0, 0, 0, 0]);
    expect(&r, &[("/duration_ms/count", 0.0), ("/billed_duration_ms/sum", 0.0)]);
    assert_eq!(r["complete"], true);
    report(&[&data("empty.log")]).assert_code(0);
}

#[test]
fn truncated_gzip_exits_3_and_names_file_and_byte() {
    let run = report(&[&data("truncated.export.gz"), "--format", "json"]);
    run.assert_no_panic().assert_code(3);
    assert!(
        run.stderr.contains("truncated.export.gz"),
        "stderr does not name the file:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("byte"),
        "stderr does not give the byte position:\n{}",
        run.stderr
    );
    let r = run.json();
    assert_eq!(r["complete"], false, "{}", pretty(&r));
    let errors = r["input_errors"].as_array().expect("input_errors array");
    assert!(!errors.is_empty(), "{}", pretty(&r));
    assert!(
        errors[0]["input"]
            .as_str()
            .unwrap_or("")
            .ends_with("truncated.export.gz"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0]["position"].as_str().unwrap_or("").contains("byte"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        errors[0]
    );
    assert!(r["invocations"].as_u64().unwrap() <= 11, "{}", pretty(&r));
}

#[test]
fn truncated_gzip_next_to_a_good_file_still_reports_the_good_one() {
    let run = report(&[
        &data("truncated.export.gz"),
        &data("messages.export.log"),
        "--format",
        "json",
    ]);
    run.assert_no_panic().assert_code(3);
    let r = run.json();
    assert_eq!(r["complete"], false);
    assert!(r["invocations"].as_u64().unwrap() >= 10, "{}", pretty(&r));
    assert!(r["decisions"]["unknown"].as_u64().unwrap() >= 1, "{}", pretty(&r));
}

#[test]
fn missing_file_exits_1_and_names_the_path() {
    let missing = data("no-such-file.log");
    let run = report(&[&missing, "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    assert!(
        run.stderr.contains("no-such-file.log"),
        "stderr does not name the path:\n{}",
        run.stderr
    );
}

#[test]
fn control_characters_never_reach_the_table_raw() {
    let r = run_json(&[&data("control-chars.filter.json")]);
    expect_decisions(&r, 3, [1, 2, 0, 0, 0], 0);
    expect_denials(&r, [1, 1, 0, 0]);
    for args in [
        &[][..],
        &["--format", "table"][..],
        &["--format", "table", "--show-tokens"][..],
    ] {
        let mut all = vec![data("control-chars.filter.json")];
        all.extend(args.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let run = report(&all);
        run.assert_code(0);
        assert!(!run.stdout.is_empty());
        for (byte, name) in [(0x1b_u8, "ESC"), (0x07, "BEL")] {
            assert!(
                !run.stdout.contains(&byte),
                "raw {name} in table output ({args:?}):\n{}",
                String::from_utf8_lossy(&run.stdout)
            );
        }
    }
}

// ------------------------------------------------------------------------------------ several inputs

#[test]
fn directory_is_walked_recursively() {
    for dir in ["tree", "tree/"] {
        let r = run_json(&[&data(dir)]);
        expect_decisions(&r, 5, [2, 3, 0, 0, 0], 0);
        expect_denials(&r, [1, 2, 0, 1]);
        expect(&r, &[("/cold_starts/count", 1.0)]);
    }
}

#[test]
fn several_inputs_of_different_containers_merge() {
    let r = run_json(&[&data("messages.export.log"), &data("json-logformat.filter.json")]);
    expect_decisions(&r, 17, [3, 12, 1, 0, 1], 0);
    expect_denials(&r, [6, 8, 2, 3]);
    expect(&r, &[("/cold_starts/count", 1.0)]);
}

#[test]
fn invocation_split_across_two_files_is_joined() {
    let alone = run_json(&[&data("split-1.export.log")]);
    expect_decisions(&alone, 2, [1, 0, 0, 0, 1], 1);
    let both = run_json(&[&data("split-1.export.log"), &data("split-2.export.log")]);
    expect_decisions(&both, 3, [2, 1, 0, 0, 0], 0);
    expect_denials(&both, [0, 1, 0, 0]);
}

#[test]
fn stdin_dash_plain_gzip_and_next_to_a_file() {
    let plain = report_stdin(&["-"], read_data("equiv.export.log"));
    plain.assert_code(0);
    expect_equiv(&plain.json());

    let gzip = report_stdin(&["-"], read_data("equiv.export.gz"));
    gzip.assert_code(0);
    expect_equiv(&gzip.json());

    let bare = report_stdin(&["-", "--input-format", "bare"], read_data("json-logformat.bare.log"));
    bare.assert_code(0);
    expect_json_logformat(&bare.json());

    let merged = report_stdin(&["-", &data("messages.export.log")], read_data("equiv.export.log"));
    merged.assert_code(0);
    let r = merged.json();
    expect_decisions(&r, 21, [4, 14, 1, 1, 1], 0);
    expect_denials(&r, [8, 9, 3, 4]);
}

/// A named pipe (`<(zcat …)`, `/dev/fd/N`) is read whole: choosing the thread layout once opened
/// it and read its first two bytes to tell gzip, which lost them (and the events of a gzip input).
#[test]
fn a_named_pipe_loses_no_bytes() {
    let bin = assert_cmd::cargo::cargo_bin("authlogs");
    for (name, threads) in [
        ("equiv.export.gz", None),
        ("equiv.export.log", None),
        ("equiv.export.gz", Some("2")),
    ] {
        let threads = threads.map(|n| format!("--threads {n}")).unwrap_or_default();
        let script = format!(
            "exec '{}' report --format json {threads} <(cat '{}')",
            bin.display(),
            data(name)
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{name} {threads}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        expect_equiv(&r);
    }
}

// ------------------------------------------------------------------------------------ output formats

#[test]
fn csv_format_prints_flattened_key_value_rows() {
    let run = report(&[&data("equiv.export.log"), "--format", "csv"]);
    run.assert_code(0);
    let text = run.text();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let map: HashMap<String, String> = rdr
        .records()
        .map(|r| r.expect("CSV row"))
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    for (key, value) in [
        ("schema", "authlogs.report/v1"),
        ("invocations", "11"),
        ("decisions.allowed", "3"),
        ("decisions.denied", "6"),
        ("decisions.timeout", "1"),
        ("decisions.error", "1"),
        ("incomplete", "0"),
        ("denials.ip_mismatch", "4"),
        ("denials.both", "2"),
        ("denials.token_missing", "2"),
        ("duration_ms.count", "11"),
        ("cold_starts.count", "1"),
    ] {
        assert_eq!(map.get(key).map(String::as_str), Some(value), "{key} in:\n{text}");
    }
}

#[test]
fn table_format_is_the_default() {
    for args in [&[][..], &["--format", "table"][..]] {
        let mut all = vec![data("equiv.export.log")];
        all.extend(args.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let run = report(&all);
        run.assert_code(0);
        let text = run.text();
        assert!(!text.trim().is_empty());
        assert!(
            serde_json::from_str::<Value>(&text).is_err(),
            "{args:?} printed JSON, not a table"
        );
    }
}

#[test]
fn requests_csv_has_the_header_and_one_row_per_invocation() {
    // filter-log-events JSON carries the stream name (a flat export file does not).
    let run = report(&[&data("equiv.filter.json"), "--requests", "--format", "csv"]);
    run.assert_code(0);
    let text = run.text();
    assert_eq!(text.lines().next(), Some(REQUESTS_HEADER), "{text}");
    let rows = request_rows(&text);
    assert_eq!(rows.len(), 11, "{text}");

    let e3 = row(&rows, E3_IP);
    assert!(e3["time"].starts_with("2025-07-11T06:40:02.871"), "{e3:?}");
    assert_eq!(e3["stream"], EQUIV_STREAM);
    assert_eq!(e3["decision"], "denied");
    assert_eq!(reasons(&e3["reasons"]), set(&["ip_mismatch"]));
    assert_eq!(e3["source_ip"], "198.51.100.23");
    assert_eq!(e3["token"], TOKEN_MASKED);
    assert_eq!(e3["duration_ms"].parse::<f64>().unwrap(), 1.62);
    assert_eq!(e3["billed_duration_ms"], "2");
    assert_eq!(e3["memory_size_mb"], "512");
    assert_eq!(e3["max_memory_used_mb"], "35");
    assert_eq!(e3["init_duration_ms"], "");
    assert_eq!(e3["incomplete"], "false");

    let e1 = row(&rows, E1_COLD_ALLOWED);
    assert_eq!(e1["decision"], "allowed");
    assert_eq!(reasons(&e1["reasons"]), set(&[]));
    assert_eq!(e1["init_duration_ms"].parse::<f64>().unwrap(), 120.5);

    let e4 = row(&rows, E4_TOKEN);
    assert_eq!(e4["token"], TEST_MASKED);
    assert_eq!(reasons(&e4["reasons"]), set(&["token_mismatch"]));

    let e6 = row(&rows, E6_MISSING);
    assert_eq!(e6["token"], "<none>");
    assert_eq!(reasons(&e6["reasons"]), set(&["token_mismatch", "token_missing"]));

    let e8 = row(&rows, E8_BOTH_MISSING);
    assert_eq!(
        reasons(&e8["reasons"]),
        set(&["ip_mismatch", "token_mismatch", "token_missing"])
    );

    assert_eq!(row(&rows, E7_TIMEOUT)["decision"], "timeout");
}

#[test]
fn requests_json_lines() {
    let run = report(&[&data("equiv.export.log"), "--requests", "--format", "json"]);
    run.assert_code(0);
    let lines = request_lines(&run);
    assert_eq!(lines.len(), 11);
    for l in &lines {
        for key in REQUESTS_HEADER.split(',') {
            assert!(l.get(key).is_some(), "{key} missing in {l}");
        }
    }
    let e8 = line(&lines, E8_BOTH_MISSING);
    assert_eq!(e8["decision"], "denied");
    assert_eq!(e8["token"], "<none>");
    assert_eq!(e8["source_ip"], "198.51.100.23");
    assert_eq!(e8["incomplete"], false);
    assert_eq!(
        json_reasons(e8),
        BTreeSet::from(["ip_mismatch", "token_mismatch", "token_missing"].map(String::from))
    );
    assert_eq!(line(&lines, E3_IP)["token"], TOKEN_MASKED);

    let tail = report(&[&data("two-streams.tail.log"), "--requests", "--format", "json"]);
    tail.assert_code(0);
    let lines = request_lines(&tail);
    assert_eq!(lines.len(), 7);
    let t7 = line(&lines, T7_IN_FLIGHT);
    assert_eq!(t7["incomplete"], true);
    assert_eq!(t7["decision"], "allowed");
    assert!(t7["duration_ms"].is_null(), "{t7}");
}

#[test]
fn tokens_are_masked_in_every_output_without_show_tokens() {
    let inputs = [
        root().join("samples").to_string_lossy().into_owned(),
        data("equiv.export.log"),
        data("seed-console-pairs.txt"),
        data("json-logformat.filter.json"),
        data("messages.export.log"),
    ];
    let modes: [&[&str]; 5] = [
        &[],
        &["--format", "json"],
        &["--format", "csv"],
        &["--requests", "--format", "csv"],
        &["--requests", "--format", "json"],
    ];
    for input in &inputs {
        for mode in modes {
            let mut args = vec![input.as_str()];
            args.extend_from_slice(mode);
            let run = report(&args);
            run.assert_code(0);
            let out = String::from_utf8_lossy(&run.stdout);
            assert!(!out.trim().is_empty(), "no output for {args:?}");
            assert!(!out.contains(TOKEN), "token leaked on stdout of {args:?}:\n{out}");
            assert!(
                !run.stderr.contains(TOKEN),
                "token leaked on stderr of {args:?}:\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn show_tokens_reveals_them() {
    let run = report(&[
        &data("equiv.export.log"),
        "--requests",
        "--format",
        "csv",
        "--show-tokens",
    ]);
    run.assert_code(0);
    let text = run.text();
    assert!(text.contains(TOKEN), "{text}");
    let rows = request_rows(&text);
    assert_eq!(row(&rows, E3_IP)["token"], TOKEN);
    assert_eq!(row(&rows, E4_TOKEN)["token"], "test");
    assert_eq!(row(&rows, E6_MISSING)["token"], "<none>");

    let samples = report(&["samples/", "--requests", "--format", "csv", "--show-tokens"]);
    samples.assert_code(0);
    assert!(samples.text().contains(TOKEN));
}

/// Terminal cells of a line: ANSI colors take none, double-width characters two.
fn cells(line: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    let mut plain = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = &rest[rest.find('m').map_or(rest.len(), |m| m + 1)..];
    }
    plain.push_str(rest);
    plain.width()
}

#[test]
fn the_table_fits_a_width_and_piped_output_keeps_its_layout() {
    let r = run_json(&["samples/"]);
    let findings = r["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for (width, color) in [("80", "never"), ("100", "never"), ("60", "always")] {
        let run = report(&["samples/", "--width", width, "--color", color]);
        run.assert_code(0);
        let text = run.text();
        let width: usize = width.parse().expect("a number");
        for line in text.lines() {
            assert!(
                cells(line) <= width,
                "{} cells at --width {width}: {line}\n{text}",
                cells(line)
            );
        }
        // Each finding's message and advice wrap in their column: taking the breaks out gives them back.
        let squeezed: String = text.split_whitespace().collect();
        for f in findings {
            for key in ["kind", "message", "advice"] {
                let part: String = f[key].as_str().expect("a string").split_whitespace().collect();
                assert!(squeezed.contains(&part), "{key} {part} at --width {width}:\n{text}");
            }
        }
    }
    // Piped, the table is as wide as its content (the snapshot), whatever COLUMNS says.
    let piped = report(&["samples/"]);
    let widest = piped.text().lines().map(cells).max().unwrap_or(0);
    assert!(widest > 200, "the findings' rule is {widest} cells");
    for (args, columns) in [(&["--width", "0"][..], None), (&[][..], Some("50"))] {
        let mut cmd = authlogs();
        cmd.args(["report", "samples/"]).args(args);
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        let run = finish(&mut cmd);
        run.assert_code(0);
        assert_eq!(run.text(), piped.text(), "{args:?} COLUMNS={columns:?}");
    }
}

// ------------------------------------------------------------------------------------ time window

#[test]
fn since_until_iso_bounds_filter_events_exactly() {
    let bounds: [[&str; 2]; 3] = [
        ["2025-07-11T07:00:00Z", "2025-07-11T08:00:00Z"],
        ["2025-07-11T16:00:00+09:00", "2025-07-11T17:00:00+09:00"],
        ["2025-07-11T07:00:00", "2025-07-11T08:00:00"],
    ];
    for [since, until] in bounds {
        let r = run_json(&[&data("equiv.export.log"), "--since", since, "--until", until]);
        expect_decisions(&r, 4, [0, 3, 1, 0, 0], 0);
        expect_denials(&r, [1, 3, 1, 1]);
        expect(&r, &[("/input/filtered_events", 53.0), ("/cold_starts/count", 0.0)]);
        expect_time(&r, "/window/start", "2025-07-11T07:00:00Z");
        expect_time(&r, "/window/end", "2025-07-11T08:00:00Z");
    }
    for file in ["equiv.filter.json", "equiv.tail.log", "equiv.console.tsv"] {
        let r = run_json(&[
            &data(file),
            "--since",
            "2025-07-11T07:00:00Z",
            "--until",
            "2025-07-11T08:00:00Z",
        ]);
        expect_decisions(&r, 4, [0, 3, 1, 0, 0], 0);
        expect_denials(&r, [1, 3, 1, 1]);
    }
}

#[test]
fn relative_since_and_until_are_counted_back_from_now() {
    for span in ["1d", "90m", "2h30m"] {
        let r = run_json(&[&data("equiv.export.log"), "--since", span]);
        expect_decisions(&r, 0, [0, 0, 0, 0, 0], 0);
        expect(&r, &[("/input/filtered_events", 85.0)]);
    }
    let r = run_json(&[&data("equiv.export.log"), "--until", "1d"]);
    expect_equiv(&r);
    expect(&r, &[("/input/filtered_events", 0.0)]);
}

// ------------------------------------------------------------------------------------ usage

#[test]
fn usage_errors_exit_2() {
    let file = data("equiv.export.log");
    for args in [
        vec![file.as_str(), "--no-such-flag"],
        vec![file.as_str(), "--format", "yaml"],
        vec![file.as_str(), "--input-format", "xml"],
        vec![file.as_str(), "--since", "yesterday"],
    ] {
        let run = report(&args);
        run.assert_no_panic().assert_code(2);
        assert!(!run.stderr.trim().is_empty(), "no message for {args:?}");
    }
}

// ------------------------------------------------------------------------------------ samples/

#[test]
fn readme_command_on_samples_directory() {
    // `authlogs report samples/` as samples/README.md shows it.
    let table = report(&["samples/"]);
    table.assert_code(0);
    assert!(!table.stdout.is_empty());

    let r = run_json(&["samples/"]);
    assert_eq!(r["complete"], true, "{}", pretty(&r));
    expect_decisions(&r, 33, [13, 18, 2, 0, 0], 0);
    expect_denials(&r, [11, 11, 4, 4]);
    expect(
        &r,
        &[
            ("/cold_starts/count", 3.0),
            ("/duration_ms/count", 33.0),
            ("/duration_ms/min", 1.43),
            ("/duration_ms/p50", 1.97),
            ("/duration_ms/max", 3000.0),
            ("/billed_duration_ms/sum", 6077.0),
            ("/memory_mb/size", 512.0),
            ("/memory_mb/max_used_max", 38.0),
        ],
    );
    let top = &r["top_denied_ips"][0];
    assert_eq!(top["ip"], "198.51.100.23", "{}", pretty(&r));
    expect(top, &[("/count", 8.0), ("/ip_mismatch", 8.0), ("/token_mismatch", 2.0)]);
}

#[test]
fn samples_each_part_alone() {
    let export = run_json(&["samples/export/"]);
    expect_decisions(&export, 23, [9, 13, 1, 0, 0], 0);
    expect_denials(&export, [8, 8, 3, 3]);
    expect(
        &export,
        &[
            ("/cold_starts/count", 2.0),
            ("/duration_ms/min", 1.43),
            ("/duration_ms/p50", 1.99),
            ("/billed_duration_ms/sum", 3055.0),
        ],
    );
    assert_eq!(export["top_denied_ips"][0]["ip"], "198.51.100.23");
    expect(&export["top_denied_ips"][0], &[("/count", 6.0)]);

    let filter = run_json(&["samples/filter-log-events.json"]);
    expect_decisions(&filter, 10, [4, 5, 1, 0, 0], 0);
    expect_denials(&filter, [3, 3, 1, 1]);
    expect(
        &filter,
        &[
            ("/cold_starts/count", 1.0),
            ("/billed_duration_ms/sum", 3022.0),
            ("/input/events", 77.0),
        ],
    );
}

/// `report - --requests | head -1` on a stream that never ends: once its output is closed, authlogs
/// stops reading and exits quietly, instead of reading its input to the end.
#[test]
fn requests_stop_reading_when_the_output_is_closed() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command as StdCommand, Stdio};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("authlogs"))
        .args(["report", "-", "--requests", "--input-format", "bare"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("authlogs starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let written = Arc::new(AtomicU64::new(0));
    let limit: u64 = 2 << 30;
    let counter = written.clone();
    // Writes until authlogs stops reading (a broken pipe) or 2 GiB, far more than it needs.
    let writer = std::thread::spawn(move || {
        let mut i = 0u64;
        while counter.load(Ordering::Relaxed) < limit {
            let id = format!("{i:08x}-0000-4000-8000-000000000000");
            let chunk = format!(
                "START RequestId: {id} Version: $LATEST\nEND RequestId: {id}\n\
                 REPORT RequestId: {id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t\n"
            );
            if stdin.write_all(chunk.as_bytes()).is_err() {
                return;
            }
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            i += 1;
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut header = String::new();
    stdout.read_line(&mut header).expect("a first line");
    assert!(header.starts_with("request_id,"), "{header}");
    drop(stdout);
    let status = child.wait().expect("authlogs ends");
    writer.join().expect("the writer ends");
    assert!(status.success(), "a closed output is a quiet exit: {status:?}");
    let sent = written.load(Ordering::Relaxed);
    assert!(sent < limit, "authlogs read all {sent} bytes instead of stopping");
}

/// Logged values that a spreadsheet would run as formulas are neutralised in every CSV cell; the
/// JSON keeps them exact.
#[test]
fn csv_cells_never_start_a_formula() {
    let id = "0c5e1f2a-3b4c-4d5e-8f60-718293a4b5c6";
    let ip = "=HYPERLINK(\"http://evil\",\"x\")";
    let token = "+cmd|' /C calc'!A0";
    let message =
        |m: &str| serde_json::json!({"timestamp": 1752213934309i64, "message": m, "logStreamName": "@SUM(A1)"});
    let events = serde_json::json!({"events": [
        message(&format!("START RequestId: {id} Version: $LATEST")),
        message(&format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Source IP: {ip}")),
        message(&format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: {token}")),
        message(&format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed IP: 203.0.113.10")),
        message(&format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed Token: Ab12Xy34")),
        message(&format!("REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t")),
    ]});
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, events.to_string()).expect("write");
    let path = path.to_string_lossy().into_owned();

    let shown = report(&[&path, "--requests", "--show-tokens"]);
    shown.assert_code(0);
    let rows = request_rows(&shown.text());
    let r = row(&rows, id);
    assert_eq!(r["source_ip"], format!("'{ip}"));
    assert_eq!(r["token"], format!("'{token}"));
    assert_eq!(r["stream"], "'@SUM(A1)");
    assert_eq!(r["duration_ms"], "1.85");

    let summary = report(&[&path, "--format", "csv"]);
    summary.assert_code(0);
    let text = summary.text();
    let mut cells = csv::Reader::from_reader(text.as_bytes());
    for record in cells.records() {
        let record = record.expect("a CSV row");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "formula cell {cell:?} in\n{text}"
            );
            assert!(
                !cell.starts_with('-') || cell.parse::<f64>().is_ok(),
                "formula cell {cell:?}"
            );
        }
    }
    assert!(
        text.contains(&format!("top_denied_ips.0.ip,\"'{}\"", ip.replace('"', "\"\""))),
        "{text}"
    );

    let json = report(&[&path, "--requests", "--format", "json", "--show-tokens"]);
    let line: Value = serde_json::from_str(json.text().lines().next().unwrap_or_default()).expect("JSON");
    assert_eq!(
        (line["source_ip"].as_str(), line["token"].as_str()),
        (Some(ip), Some(token)),
        "JSON stays exact"
    );
}

/// `--fail-on` fails a cron or CI run (status 1) when a finding of that severity or worse is
/// present, after the report is written; a lower bar than any finding leaves it at 0.
#[test]
fn fail_on_fails_the_run_after_writing_the_report() {
    let high = report(&["samples/", "--format", "json", "--fail-on", "high"]);
    high.assert_code(1);
    assert_eq!(
        high.json()["schema"],
        "authlogs.report/v1",
        "the report is written first"
    );
    assert!(
        high.stderr
            .contains("finding(s) at or above high (--fail-on): secret_logged, token_leak_suspected"),
        "{}",
        high.stderr
    );
    let clean = report(&[&data("equiv.export.log"), "--format", "json", "--fail-on", "high"]);
    let kinds: Vec<String> = clean.json()["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["severity"] == "high")
                .map(|f| f["kind"].to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(clean.code, Some(if kinds.is_empty() { 0 } else { 1 }), "{kinds:?}");
    let none = report(&[&data("empty.log"), "--fail-on", "info"]);
    none.assert_code(0);
    let tail = finish(
        authlogs()
            .args(["tail", "-", "--fail-on", "high"])
            .write_stdin(read_data("equiv.export.log")),
    );
    tail.assert_code(1);
    assert!(tail.stderr.contains("--fail-on"), "{}", tail.stderr);
    let bad = report(&["samples/", "--fail-on", "urgent"]);
    bad.assert_code(2);
}

/// A token never reaches an error message, a warning or a finding, however it is malformed.
#[test]
fn no_token_in_errors_warnings_or_findings() {
    let token = "Zq9SecretTok";
    let dir = tempfile::tempdir().expect("a temp dir");
    let cases = [
        // Malformed JSON right after the token.
        (
            "bad.json",
            format!("{{\"events\":[{{\"message\":\"[INFO] Token: {token}\",\"timestamp\":\"{token}\"}}]}}"),
        ),
        // A value where a container is expected, holding the token.
        ("scalar.json", format!("[\"{token}\", 1, {{\"{token}\": true}}]")),
        // A truncated gzip of lines holding the token.
        ("cut.gz", String::new()),
    ];
    for (name, text) in &cases {
        let path = dir.path().join(name);
        if name.ends_with(".gz") {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let lines =
                format!("2025-07-11T06:05:34.309Z [INFO]\t2025-07-11T06:05:34.309Z\tabc\t[INFO] Token: {token}\n")
                    .repeat(2000);
            std::io::Write::write_all(&mut enc, lines.as_bytes()).expect("gzip");
            let bytes = enc.finish().expect("gzip");
            std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
        } else {
            std::fs::write(&path, text).expect("write");
        }
        let path = path.to_string_lossy().into_owned();
        for args in [
            vec![path.as_str(), "--format", "json"],
            vec![path.as_str()],
            vec![path.as_str(), "--requests"],
        ] {
            let run = report(&args);
            run.assert_no_panic();
            let out = String::from_utf8_lossy(&run.stdout);
            assert!(
                !run.stderr.contains(token),
                "{name} {args:?}: stderr holds the token: {}",
                run.stderr
            );
            assert!(!out.contains(token), "{name} {args:?}: output holds the token: {out}");
        }
    }
    let patterns = dir.path().join("patterns.toml");
    std::fs::write(
        &patterns,
        format!("[[pattern]]\nkind = \"token\"\ntemplate = \"{token}\"\n[broken"),
    )
    .expect("write");
    let run = report(&["samples/", "--patterns", &patterns.to_string_lossy()]);
    assert_eq!(run.code, Some(1));
    assert!(
        !run.stderr.contains(token),
        "the patterns error holds its text: {}",
        run.stderr
    );
}

#[test]
fn a_line_over_max_line_bytes_is_cut_its_head_parsed_counted_and_named() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("long.export.log");
    let id = "5e1e2c0a-0000-4000-8000-00000000c0de";
    let mut text = format!("2025-07-11T06:05:34.300Z START RequestId: {id} Version: $LATEST\n");
    // A REPORT line with 3 MiB of junk after its fields: the head still gives the duration.
    text.push_str(&format!(
        "2025-07-11T06:05:34.310Z REPORT RequestId: {id}\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"
    ));
    let report_at = text.len() - 160;
    text.push_str(&"j".repeat(3 << 20));
    text.push('\n');
    std::fs::write(&path, &text).expect("written");
    let path = path.display().to_string();
    let r = run_json(&[&path]);
    expect(
        &r,
        &[
            ("/input/oversized_lines", 1.0),
            ("/duration_ms/max", 2.5),
            ("/invocations", 1.0),
        ],
    );
    let first = r["input"]["first_oversized_line"].as_str().expect("named");
    let byte: usize = first
        .rsplit("byte ")
        .next()
        .and_then(|b| b.parse().ok())
        .expect("a byte");
    assert!(
        first.starts_with(&path) && byte.abs_diff(report_at) < 160,
        "{first} (REPORT at ~{report_at})"
    );
    let finding = r["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["kind"] == "oversized_lines"))
        .expect("an oversized_lines finding");
    assert!(
        finding["message"].as_str().is_some_and(|m| m.contains(first)),
        "{finding}"
    );

    // A smaller cap cuts more; a cap that is not a size is a usage error that says what to pass.
    let r = run_json(&[&path, "--max-line-bytes", "64KiB"]);
    expect(&r, &[("/input/oversized_lines", 1.0), ("/duration_ms/max", 2.5)]);
    for bad in ["12", "0", "lots", "1TB"] {
        let run = report(&[&path, "--max-line-bytes", bad]);
        run.assert_code(2).assert_no_panic();
        assert!(
            run.stderr.contains("--max-line-bytes takes a size"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn standard_input_without_any_newline_is_read_and_counted() {
    let mut stdin = b"START RequestId: 5e1e2c0a-0000-4000-8000-00000000c0de Version: $LATEST ".to_vec();
    stdin.resize(20 << 20, b'x');
    let run = report_stdin(&["-"], stdin);
    run.assert_code(0).assert_no_panic();
    expect(&run.json(), &[("/input/oversized_lines", 1.0), ("/input/events", 1.0)]);
}

#[test]
fn a_time_of_day_prefix_gives_times_on_the_date_inside_the_lines() {
    let r = run_json(&[&data("equiv.jq.txt")]);
    expect_time(&r, "/window/first_event", "2025-07-11T06:05:34.000Z");
    expect_time(&r, "/window/last_event", "2025-07-11T08:59:58.000Z");
    assert_eq!(r["input"]["unrecognized_lines"], 0, "{}", pretty(&r));
}

#[test]
fn several_requests_at_once_in_one_stream_are_grouped_exactly() {
    // Unnamed (an export file outside its tree) and named streams (aws logs tail) alike.
    for file in ["multi-concurrency.export.log", "multi-concurrency.tail.log"] {
        several_requests_at_once(file);
    }
}

fn several_requests_at_once(file: &str) {
    let r = run_json(&[&data(file)]);
    expect_decisions(&r, 4, [2, 2, 0, 0, 0], 0);
    expect_denials(&r, [1, 1, 0, 0]);
    expect(
        &r,
        &[
            ("/cold_starts/count", 2.0),
            ("/duration_ms/max", 8.02),
            ("/billed_duration_ms/sum", 25.0),
            ("/memory_mb/max_used_max", 62.0),
        ],
    );
    let run = report(&[&data(file), "--requests", "--format", "json"]);
    let lines = request_lines(&run);
    assert_eq!(lines.len(), 4);
    // Each request keeps its own source IP, token and REPORT although their lines interleave (in start order).
    let got: Vec<(&str, &str, f64)> = lines
        .iter()
        .map(|l| {
            let ip = l["source_ip"].as_str().unwrap_or("");
            (
                ip,
                l["decision"].as_str().unwrap_or(""),
                l["duration_ms"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let want = [
        ("203.0.113.10", "allowed", 7.35),
        ("198.51.100.23", "denied", 4.10),
        ("203.0.113.10", "denied", 8.02),
        ("203.0.113.10", "allowed", 2.20),
    ];
    assert_eq!(got, want, "{file}");
    let denied: Vec<_> = lines.iter().filter(|l| l["decision"] == "denied").collect();
    assert_eq!(denied.len(), 2);
}

#[test]
fn an_input_that_gives_nothing_is_explained_not_silently_empty() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("rendered.txt");
    let lines: String = (0..50)
        .map(|i| format!("job {i} \x1b[31mfinished\x1b[0m in {i} ms\n"))
        .collect();
    std::fs::write(&path, lines).expect("written");
    let path = path.display().to_string();
    let run = report(&[&path, "--format", "json"]);
    run.assert_code(0).assert_no_panic();
    let r = run.json();
    let w = &r["input_warnings"][0];
    assert_eq!(w["input"], path.as_str());
    assert_eq!(w["container"], "bare");
    assert_eq!((w["events"].as_u64(), w["recognized"].as_u64()), (Some(50), Some(0)));
    assert_eq!(w["samples"][0], "job 0 \\x1b[31mfinished\\x1b[0m in 0 ms");
    for want in [
        "read as bare: no line was recognized",
        "50 lines unrecognized",
        "e.g. job 1 \\x1b[31mfinished",
        "--input-format export|json|tail|console|prefixed",
        "--patterns",
    ] {
        assert!(run.stderr.contains(want), "{want}: {}", run.stderr);
    }
    assert!(!run.stderr.contains('\x1b'), "escaped: {}", run.stderr);
    // A good input next to it gets no warning; the fixtures never do.
    let run = report(&[&path, &data("equiv.export.log"), "--format", "json"]);
    assert_eq!(run.json()["input_warnings"].as_array().map(Vec::len), Some(1));
    for (file, _) in EQUIV_FILES {
        assert_eq!(
            run_json(&[&data(file)])["input_warnings"],
            serde_json::json!([]),
            "{file}"
        );
    }
}

// ------------------------------------------------------------------------------------ completions and man pages

/// The shells `authlogs completions` writes a script for.
const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

/// How the script for `shell` spells the long option `name` (fish: `-l name`).
fn long_option(shell: &str, name: &str) -> String {
    match shell {
        "fish" => format!("-l {name}"),
        _ => format!("--{name}"),
    }
}

/// `authlogs ARGS…`, which must exit 0 without a word on stderr; its stdout.
fn generated(args: &[&str]) -> String {
    let run = finish(authlogs().args(args));
    run.assert_no_panic().assert_code(0);
    assert_eq!(run.stderr, "", "{args:?}");
    run.text()
}

/// The long options `authlogs ARGS… --help` lists (the first on each option's line), without `--help`.
fn long_options_in_help(args: &[&str]) -> BTreeSet<String> {
    let help = generated(&[args, &["--help"]].concat());
    help.lines()
        .map(str::trim_start)
        // `--since <TIME>` or `-f, --format <FORMAT>`; not a value's `- json: …`.
        .filter_map(|line| {
            line.strip_prefix("--")
                .or_else(|| line.get(2..).and_then(|l| l.strip_prefix(", --")))
        })
        .filter_map(|rest| rest.split([' ', '=']).next())
        .filter(|option| *option != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_shell_gets_a_script_with_the_subcommands_and_their_options() {
    for shell in SHELLS {
        let script = generated(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for subcommand in ["report", "tail", "groups", "completions", "man"] {
            assert!(script.contains(subcommand), "{shell}: no {subcommand}");
        }
        for option in [
            "since",
            "until",
            "engine",
            "group-pattern",
            "format",
            "denied",
            "max-tps",
        ] {
            let spelled = long_option(shell, option);
            assert!(script.contains(&spelled), "{shell}: no {spelled}");
        }
    }
}

/// The bash script parses, and completes subcommands, options and their values when bash asks it.
#[test]
fn bash_completion_parses_and_completes() {
    let script = generated(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("authlogs.bash");
    std::fs::write(&path, &script).expect("written");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // What bash sets before it calls the completion function: the words, the one being completed.
    let complete = |words: &[&str]| -> BTreeSet<String> {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let cword = words.len() - 1;
        let program = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
             _authlogs authlogs '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            quoted.join(" "),
            words.join(" "),
            words[cword],
            words[cword - 1],
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{words:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(complete(&["authlogs", "re"]), BTreeSet::from(["report".to_string()]));
    let subcommands = complete(&["authlogs", ""]);
    for want in ["report", "tail", "groups", "completions", "man"] {
        assert!(subcommands.contains(want), "{want}: {subcommands:?}");
    }
    let options = complete(&["authlogs", "report", "--"]);
    for want in ["--since", "--engine", "--group-pattern", "--requests"] {
        assert!(options.contains(want), "{want}: {options:?}");
    }
    let engines = complete(&["authlogs", "report", "--engine", ""]);
    for want in ["local", "insights", "auto"] {
        assert!(engines.contains(want), "{want}: {engines:?}");
    }
    let shells = complete(&["authlogs", "completions", ""]);
    for want in SHELLS {
        assert!(shells.contains(want), "{want}: {shells:?}");
    }
}

/// `authlogs man` is authlogs(1) in roff; every page it refers to is printed by `man --command`, and
/// lists every long option `--help` does.
#[test]
fn man_pages_are_roff_with_every_option() {
    let top = generated(&["man"]);
    assert!(top.lines().take(5).any(|l| l.starts_with(".TH authlogs 1 ")), "{top}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(top.contains(section), "no {section}: {top}");
    }
    assert!(top.contains(env!("CARGO_PKG_VERSION")), "no version: {top}");
    // roff escapes each `-`: the pages are referred to as `authlogs\-NAME(1)`.
    let pages: Vec<&str> = top
        .split("authlogs\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name))
        .collect();
    assert_eq!(pages, ["report", "tail", "groups", "completions", "man"], "{top}");
    for page in pages {
        let text = generated(&["man", "--command", page]);
        assert!(
            text.lines()
                .take(5)
                .any(|l| l.starts_with(&format!(".TH authlogs-{page} 1 "))),
            "{page}: {text}"
        );
        assert!(
            text.contains(&format!("\\fBauthlogs {page}\\fR")),
            "{page}: no synopsis"
        );
        for option in long_options_in_help(&[page]) {
            let escaped = format!("\\fB\\-\\-{}\\fR", option.replace('-', "\\-"));
            assert!(text.contains(&escaped), "{page}: no --{option}");
        }
    }
    // The options compared above are read from `--help`: check that reading them finds them.
    let report_options = long_options_in_help(&["report"]);
    for option in ["format", "since", "engine", "group-pattern", "max-tps"] {
        assert!(report_options.contains(option), "--{option}: {report_options:?}");
    }
}

/// A closed output (`authlogs man | head -1`, reader gone) ends both commands quietly.
#[test]
fn completions_and_man_exit_quietly_on_a_closed_output() {
    for args in [&["completions", "bash"][..], &["man"], &["man", "--command", "report"]] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("authlogs"))
            .args(args)
            .stdout(writer)
            .output()
            .expect("authlogs runs");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn completions_and_man_usage_errors_exit_2() {
    for args in [
        &["completions"][..],
        &["completions", "tcsh"],
        &["man", "--command", "nope"],
        &["man", "extra"],
    ] {
        let run = finish(authlogs().args(args));
        run.assert_no_panic().assert_code(2);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(!run.stderr.trim().is_empty(), "no message for {args:?}");
    }
}

// ------------------------------------------------------------------------------------ --lang

/// `report samples/` as a table with ARGS, in the environment ENV.
fn samples_table(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = authlogs();
    cmd.args(["report", "samples/", "--color", "never"]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = finish(&mut cmd);
    run.assert_code(0).assert_no_panic();
    run.text()
}

/// Whether a table is the Japanese one: Japanese headings and findings, no English heading.
fn is_japanese(table: &str) -> bool {
    let japanese = [
        "authlogs レポート",
        "判定",
        "許可",
        "拒否",
        "タイムアウト",
        "検出事項",
        "コールドスタート",
    ];
    let english = [
        "authlogs report",
        "Decisions",
        "Findings",
        "Denial reasons",
        "Cold starts",
    ];
    japanese.iter().all(|w| table.contains(w)) && !english.iter().any(|w| table.contains(w))
}

#[test]
fn report_lang_ja_translates_the_table_and_the_findings() {
    let en = samples_table(&[], &[]);
    let ja = samples_table(&["--lang", "ja"], &[]);
    assert!(en.starts_with("authlogs report\n") && !is_japanese(&en), "{en}");
    assert!(is_japanese(&ja), "{ja}");
    // The findings' messages and advice are Japanese; their kinds stay the machine names.
    assert!(ja.contains("トークンをローテーションしてください"), "{ja}");
    assert!(
        ja.contains("secret_logged") && ja.contains("token_leak_suspected"),
        "{ja}"
    );
    // The same numbers and addresses.
    for same in ["198.51.100.23", "3000.00", "$0.00005724", "54.5%"] {
        assert!(en.contains(same) && ja.contains(same), "{same}");
    }
}

#[test]
fn the_locale_picks_the_language_and_lang_overrides_it() {
    let en = samples_table(&[], &[]);
    let ja = samples_table(&["--lang", "ja"], &[]);
    // LANG=ja_JP.UTF-8 without --lang: Japanese, as with --lang ja.
    assert_eq!(samples_table(&[], &[("LANG", "ja_JP.UTF-8")]), ja);
    // LC_ALL wins over LANG, both ways.
    assert_eq!(
        samples_table(&[], &[("LANG", "en_US.UTF-8"), ("LC_ALL", "ja_JP.UTF-8")]),
        ja
    );
    assert_eq!(samples_table(&[], &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C")]), en);
    // --lang en overrides a Japanese locale.
    assert_eq!(samples_table(&["--lang", "en"], &[("LANG", "ja_JP.UTF-8")]), en);
    assert_eq!(samples_table(&[], &[("LANG", "C.UTF-8")]), en);
    // An unknown language is a usage error.
    let run = finish(authlogs().args(["report", "samples/", "--lang", "fr"]));
    run.assert_no_panic().assert_code(2);
}

#[test]
fn json_keys_and_csv_headers_stay_english_in_japanese() {
    let json = |env: &[(&str, &str)]| {
        let mut cmd = authlogs();
        cmd.args(["report", "samples/", "--format", "json"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let run = finish(&mut cmd);
        run.assert_code(0);
        run.json()
    };
    let (en, ja) = (json(&[]), json(&[("LANG", "ja_JP.UTF-8")]));
    /// Every key of a JSON value, by path; the values of `message` and `advice` left out.
    fn shape(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    out.push(format!("{path}/{k}"));
                    if k != "message" && k != "advice" {
                        shape(v, &format!("{path}/{k}"), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    shape(v, &format!("{path}/{i}"), out);
                }
            }
            other => out.push(format!("{path}={other}")),
        }
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    shape(&en, "", &mut a);
    shape(&ja, "", &mut b);
    assert_eq!(a, b, "the same keys and values but the findings' texts");
    let message = ja["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ALLOWED_TOKEN をログに出力"), "{message}");
    assert_ne!(en["findings"][0]["message"], ja["findings"][0]["message"]);
    // CSV: the same keys, English.
    let csv = finish(authlogs().args(["report", "samples/", "--format", "csv", "--lang", "ja"]));
    let en_csv = finish(authlogs().args(["report", "samples/", "--format", "csv"]));
    let keys = |run: &Run| -> Vec<String> {
        run.text()
            .lines()
            .map(|l| l.split(',').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(keys(&csv), keys(&en_csv));
    let requests = finish(authlogs().args(["report", "samples/", "--requests", "--lang", "ja"]));
    assert!(requests.text().starts_with(REQUESTS_HEADER), "{}", requests.text());
}
