//! Access logs that do not fit the authorizer's (issue 30): records outside the window, request
//! ids read twice, an access log apart in time, a fields file with two fields on one key. The
//! simulation's own access log (`tests/data/access/`) is the reference the counts are held to.

use serde_json::Value;

use crate::util::{authlogs, data, finish, read_data, report, Run};

/// The keys of `callers` that count requests: what a record outside the window or read twice must
/// leave as it was.
pub(crate) const CALLER_COUNTS: [&str; 7] = [
    "requests",
    "fresh",
    "cached",
    "identity_missing",
    "authorizer_failed",
    "other",
    "by_status",
];

/// The simulation's access log, one record a line.
fn records() -> Vec<String> {
    String::from_utf8(read_data("access/access.default.jsonl"))
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The report of the simulation's authorizer log with `lines` as its access log.
fn callers(lines: &[String]) -> (Run, Value) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("access.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("written");
    let authorizer = data("access/authorizer.export.log");
    let access = path.to_string_lossy().into_owned();
    let run = report(&[&authorizer, "--access-logs", &access, "--format", "json"]);
    run.assert_no_panic().assert_code(0);
    let json = run.json();
    (run, json)
}

/// The record `line` with its request id and epoch time replaced.
fn moved(line: &str, id: &str, epoch_ms: i64) -> String {
    let mut v: Value = serde_json::from_str(line).expect("a JSON record");
    v["requestId"] = id.into();
    v["requestTimeEpoch"] = epoch_ms.to_string().into();
    v.as_object_mut().expect("an object").remove("requestTime");
    v.to_string()
}

#[test]
fn far_records_are_skipped_and_repeated_ids_counted_once() {
    let plain = records();
    let (_, want) = callers(&plain);
    let mut lines = plain.clone();
    // The whole log again (an input read twice), a record of 1969 and one of the year 3000.
    lines.extend(plain.iter().cloned());
    lines.push(moved(&plain[0], "from-1969", -86_400_000));
    lines.push(moved(&plain[0], "from-3000", 32_503_680_000_000));
    let (run, got) = callers(&lines);
    let (want, got) = (&want["callers"], &got["callers"]);
    for key in CALLER_COUNTS {
        assert_eq!(got[key], want[key], "callers.{key}");
    }
    assert_eq!(got["filtered_records"], 2);
    assert_eq!(got["duplicate_records"], plain.len());
    assert!(want.get("filtered_records").is_none(), "absent when none: {want}");
    assert!(run.stderr.contains("2 records outside the window"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{} records repeat the request id", plain.len())),
        "{}",
        run.stderr
    );
}

#[test]
fn an_access_log_apart_from_the_authorizers_is_a_warning() {
    let plain = records();
    // Every record half an hour after the last invocation (inside the cache's reach, so kept)...
    let shift = |ms: i64| {
        plain
            .iter()
            .enumerate()
            .map(|(i, l)| moved(l, &format!("r{i}"), ms + i as i64))
            .collect::<Vec<_>>()
    };
    // The last START of the authorizer's log is 2025-07-14T01:15:40.031Z.
    let late = 1_752_455_740_031 + 1_800_000;
    let (_, joined) = callers(&plain);
    assert!(
        joined["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["kind"] != "access_log_no_overlap"),
        "the simulation's own log overlaps"
    );
    let (run, got) = callers(&shift(late));
    let kinds: Vec<&Value> = got["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| &f["kind"])
        .collect();
    assert!(kinds.contains(&&Value::from("access_log_no_overlap")), "{kinds:?}");
    assert!(
        run.stderr.contains("does not overlap the authorizer's logs"),
        "{}",
        run.stderr
    );
    // ... and a day later: outside the window, so none is a request of it, and stderr says why.
    let (run, got) = callers(&shift(late + 86_400_000));
    assert_eq!(got["callers"]["requests"], 0);
    assert_eq!(got["callers"]["filtered_records"], plain.len());
    assert!(
        run.stderr.contains("of their records are outside the window"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_fields_file_with_two_fields_on_one_key_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("fields.toml");
    std::fs::write(&path, "[fields]\nip = \"sourceIp\"\nauthorizerIp = \"sourceIp\"\n").expect("written");
    let fields = path.to_string_lossy().into_owned();
    let r = finish(authlogs().args([
        "report",
        &data("access/authorizer.export.log"),
        "--access-logs",
        &data("access/access.default.jsonl"),
        "--access-log-fields",
        &fields,
    ]));
    r.assert_no_panic().assert_code(2);
    assert!(
        r.stderr.contains("ip and authorizerIp both read the key 'sourceIp'"),
        "{}",
        r.stderr
    );
}
