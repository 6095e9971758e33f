//! `authlogs report … --access-logs` (issue 19) on the simulated API of `tests/data/access/`
//! (written by `examples/sim-api/`): every count of the `callers` section against
//! `expected.json`, whose numbers come from the simulation's state (which request invoked the
//! authorizer, which hit API Gateway's cache, for whom a cached decision was made), not from
//! authlogs. `tests/data/access/README.md` tells the scenario and every variant.

use serde_json::Value;

use crate::util::{data, read_data, report, Run};

const TOKEN: &str = "Ab12Xy34";
const CLASSES: [&str; 7] = [
    "fresh.allow",
    "fresh.deny",
    "fresh.unknown",
    "cached.allow",
    "cached.deny",
    "identity_missing",
    "authorizer_failed",
];

fn expected() -> Value {
    serde_json::from_slice(&read_data("access/expected.json")).expect("tests/data/access/expected.json is JSON")
}

fn variant(name: &str) -> Value {
    let v = expected()["variants"][name].clone();
    assert!(v.is_object(), "tests/data/access/expected.json has no variant {name}");
    v
}

/// The arguments of a variant (paths relative to the repository root, where the tests run).
fn variant_args(v: &Value) -> Vec<String> {
    v["args"]
        .as_array()
        .expect("a variant's args are an array")
        .iter()
        .map(|a| a.as_str().expect("an argument is a string").to_string())
        .collect()
}

/// `callers.a.b` of a JSON value, by dotted path.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, key| &v[key])
}

/// Every difference between `want` and `got` under `path`: objects key by key (keys only `got`
/// has are not checked), `by_status` in order (ascending is the contract), other arrays as
/// multisets (their ties may come in any order), everything else exactly.
fn differences(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), _) => {
            for (key, w) in w {
                let p = format!("{path}.{key}");
                match got.get(key) {
                    Some(g) => differences(&p, w, g, out),
                    None => out.push(format!("{p}: expected {w}, missing")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if !path.ends_with("by_status") => {
            let mut left: Vec<&Value> = g.iter().collect();
            for item in w {
                match left.iter().position(|g| *g == item) {
                    Some(i) => {
                        left.remove(i);
                    }
                    None => out.push(format!("{path}: expected an element {item}, not in {got}")),
                }
            }
            for item in left {
                out.push(format!("{path}: unexpected element {item}"));
            }
        }
        _ if want != got => out.push(format!("{path}: expected {want}, got {got}")),
        _ => {}
    }
}

fn run_json(args: &[String]) -> (Run, Value) {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--format", "json"]);
    let run = report(&all);
    run.assert_no_panic().assert_code(0);
    let json = run.json();
    (run, json)
}

/// Runs a variant and compares every value of its expected `callers` section.
#[track_caller]
fn check_variant(name: &str) {
    let v = variant(name);
    let args = variant_args(&v);
    let (run, got) = run_json(&args);
    let callers = &got["callers"];
    assert!(
        callers.is_object(),
        "variant {name} (authlogs report {}): no callers section\nstderr:\n{}",
        args.join(" "),
        run.stderr
    );
    let mut diffs = Vec::new();
    differences("callers", &v["callers"], callers, &mut diffs);
    assert!(
        diffs.is_empty(),
        "variant {name} (authlogs report {}):\n  {}\n(the expected counts come from the simulation: \
         tests/data/access/README.md)",
        args.join(" "),
        diffs.join("\n  ")
    );
}

/// AWS's example keys plus the error fields and requestTimeEpoch; no authorizer context, so
/// `cached_other_ip` is told by the allowed IP.
#[test]
fn default_access_log_gives_every_class_of_the_simulation() {
    check_variant("default");
}

/// With `$context.authorizer.ip` logged, cached allows and denies made for another IP both count.
#[test]
fn authorizer_ip_in_the_access_log_tells_decisions_made_for_another_ip() {
    check_variant("context");
    // Of them, the allows let callers in without their IP being checked: the simulation's count.
    let args = variant_args(&variant("context"));
    let (_, got) = run_json(&args);
    let sim = expected();
    assert_eq!(
        got["callers"]["cached_other_ip_allow"],
        sim["simulation"]["cache_hits_made_for_another_ip"]["allow"]
    );
}

/// A team's own key names, mapped by `--access-log-fields FILE.toml`; status and epoch as numbers.
#[test]
fn renamed_keys_mapped_by_a_fields_file_give_the_same_counts() {
    check_variant("renamed");
}

/// The authorizer logs `API Request ID:`: every request's invocation is joined exactly.
#[test]
fn api_request_id_in_the_authorizer_log_joins_exactly() {
    check_variant("apiid");
}

/// The access log as a CloudWatch export (`<ISO> {json}` a line).
#[test]
fn access_log_export_gives_the_default_counts() {
    check_variant("export");
}

/// The access log downloaded from the console (`timestamp,message`, the record JSON quoted in the
/// message): the counts the simulation gives its export.
#[test]
fn access_log_console_download_gives_the_export_counts() {
    let v = variant("export");
    let args: Vec<String> = variant_args(&v)
        .into_iter()
        .map(|a| a.replace("access.export.log", "access.console.csv"))
        .collect();
    assert!(args.iter().any(|a| a.ends_with("access.console.csv")), "{args:?}");
    let (_, got) = run_json(&args);
    let mut diffs = Vec::new();
    differences("callers", &v["callers"], &got["callers"], &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n  "));
}

/// AWS's CLF example: second-precision times and no error fields.
#[test]
fn clf_access_log_gives_what_its_fields_record() {
    check_variant("clf");
}

/// The ground truth itself (no authlogs run): every variant's classes partition its requests,
/// the invoked ones are fresh or failed, and the request count is the access log's line count.
#[test]
fn expected_counts_are_consistent_with_the_fixtures() {
    let all = expected();
    let variants = all["variants"].as_object().expect("variants");
    assert_eq!(variants.len(), 6, "six variants");
    for (name, v) in variants {
        let c = &v["callers"];
        let n = |path: &str| {
            at(c, path)
                .as_u64()
                .unwrap_or_else(|| panic!("variant {name}: callers.{path} is a count"))
        };
        let classes: u64 = CLASSES.iter().map(|k| n(k)).sum::<u64>() + n("other");
        assert_eq!(
            classes,
            n("requests"),
            "variant {name}: the classes sum to the requests"
        );
        let by_status: u64 = c["by_status"]
            .as_array()
            .expect("by_status")
            .iter()
            .map(|s| s["count"].as_u64().expect("a count"))
            .sum();
        assert_eq!(
            by_status,
            n("requests"),
            "variant {name}: by_status sums to the requests"
        );
        assert!(
            n("authorizer_invoked") <= n("fresh.allow") + n("fresh.deny") + n("fresh.unknown") + n("authorizer_failed"),
            "variant {name}: every invoked request is fresh or failed"
        );
        assert_eq!(
            n("join.by_request_id") + n("join.by_ip_time"),
            n("authorizer_invoked"),
            "variant {name}: every invoked request was joined"
        );
        let access = variant_args(v)[2].clone();
        let text = String::from_utf8(std::fs::read(crate::util::root().join(&access)).expect("the access log"))
            .expect("UTF-8");
        assert_eq!(
            text.lines().count() as u64,
            n("requests"),
            "variant {name}: one request a line of {access}"
        );
    }
    assert!(
        at(&all, "variants.default.callers.join.ambiguous").as_u64() >= Some(1),
        "the simulation has same-IP requests within the join window"
    );
    assert!(at(&all, "variants.context.callers.cached_other_ip").as_u64() > Some(0));
}

/// Two requests of one IP 2 s apart, each allowed by its own fresh (cold, ~2.3 s init) invocation,
/// and an unrelated 401: the first invocation to START has both requests as candidates.
#[test]
fn two_fresh_allows_two_seconds_apart_are_ambiguous_but_counted_right() {
    let args = [
        data("access/ambiguous.export.log"),
        "--access-logs".to_string(),
        data("access/ambiguous.jsonl"),
    ];
    let (_, got) = run_json(&args);
    let c = &got["callers"];
    let n = |path: &str| at(c, path).as_u64().unwrap_or_else(|| panic!("callers.{path} in {c}"));
    assert_eq!(at(c, "join.method"), "ip_time", "{c}");
    assert!(n("join.ambiguous") >= 1, "join.ambiguous in {c}");
    assert_eq!(n("join.by_ip_time"), 2, "{c}");
    assert_eq!(n("requests"), 3, "{c}");
    assert_eq!(n("authorizer_invoked"), 2, "{c}");
    assert_eq!(n("fresh.allow"), 2, "{c}");
    assert_eq!(n("fresh.deny"), 0, "{c}");
    assert_eq!(n("cached.allow") + n("cached.deny"), 0, "{c}");
    assert_eq!(n("identity_missing"), 1, "{c}");
    assert_eq!(n("authorizer_failed") + n("other"), 0, "{c}");
    assert_eq!(n("unmatched_invocations"), 0, "{c}");
}

/// Access-log values an attacker controls (the source IP, a route, an authorizer error, context
/// values): a formula IP, ANSI escapes, `<script>`, a newline and the allowed token as
/// `authorizerIp`. JSON stays JSON, the table has no raw ESC and no token, CSV no formula cell.
#[test]
fn hostile_access_log_values_are_escaped_and_masked() {
    let base = [
        data("access/ambiguous.export.log"),
        "--access-logs".to_string(),
        data("access/hostile.jsonl"),
    ];
    let (run, got) = run_json(&base);
    assert!(!run.stdout.contains(&0x1b), "raw ESC in the JSON");
    assert_eq!(got["callers"]["requests"], 5, "{}", got["callers"]);

    let with = |format: &str| {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend(["--format", format]);
        let run = report(&args);
        run.assert_no_panic().assert_code(0);
        run
    };
    let table = with("table");
    assert!(!table.stdout.contains(&0x1b), "raw ESC in the table:\n{}", table.text());
    assert!(
        !table.text().contains(TOKEN),
        "the allowed token in the table:\n{}",
        table.text()
    );

    let csv_run = with("csv");
    let text = csv_run.text();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.expect("a CSV row");
        for cell in record.iter() {
            assert!(!cell.starts_with(['=', '+', '@']), "formula cell {cell:?} in\n{text}");
        }
    }
}
