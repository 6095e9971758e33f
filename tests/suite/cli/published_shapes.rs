//! Shapes of logs people publish (issue 27): blocks pasted behind an indent, quote marks or
//! bullets; placeholder request ids; ids glued to the next field; failed inits. The fixtures are in
//! `tests/data/shapes/` and their counts in `tests/data/EXPECTED.md`.

use serde_json::Value;

use super::run_json;
use crate::util::data;

/// Invocations, decisions `[allowed, denied, timeout, error, unknown]`, REPORT durations (count,
/// max) and init failures `[errors, timeouts]` of a report.
fn expect(r: &Value, invocations: u64, decisions: [u64; 5], durations: (u64, f64), init: [u64; 2]) {
    assert_eq!(r["invocations"], invocations, "{r:#}");
    let d = &r["decisions"];
    let got = ["allowed", "denied", "timeout", "error", "unknown"].map(|k| d[k].as_u64().unwrap_or(u64::MAX));
    assert_eq!(got, decisions, "{r:#}");
    assert_eq!(r["incomplete"], 0, "{r:#}");
    assert_eq!(r["duration_ms"]["count"], durations.0, "{r:#}");
    assert_eq!(r["duration_ms"]["max"], durations.1, "{r:#}");
    let f = &r["init_failures"];
    if init == [0, 0] {
        assert!(f.is_null(), "no init failed: {r:#}");
    } else {
        assert_eq!([f["errors"].as_u64(), f["timeouts"].as_u64()], init.map(Some), "{r:#}");
        let finding = r["findings"]
            .as_array()
            .and_then(|all| all.iter().find(|x| x["kind"] == "init_failures"))
            .unwrap_or_else(|| panic!("no init_failures finding: {r:#}"));
        assert_eq!(finding["count"], init[0] + init[1]);
    }
}

#[test]
fn pasted_blocks_are_read_behind_an_indent_a_quote_mark_or_a_bullet() {
    for name in ["indented.md", "tab-indented.txt", "quoted.eml", "bulleted.md"] {
        let r = run_json(&[&data(&format!("shapes/{name}"))]);
        expect(&r, 3, [0, 0, 1, 0, 2], (3, 3000.0), [0, 2]);
        assert_eq!(r["cold_starts"]["count"], 2, "{name}: {r:#}");
        assert_eq!(r["duration_ms"]["min"], 1.85, "{name}");
        // The README's prose lines stay what they are.
        assert_eq!(r["input"]["unrecognized_lines"], 2, "{name}: {r:#}");
    }
}

#[test]
fn a_placeholder_id_takes_its_timeout_line_along() {
    let r = run_json(&[&data("shapes/placeholder-ids.log")]);
    expect(&r, 2, [0, 0, 2, 0, 0], (2, 45051.22), [1, 0]);
}

#[test]
fn an_id_glued_to_its_duration_is_split_at_the_uuid_length() {
    let r = run_json(&[&data("shapes/glued-ids.log")]);
    expect(&r, 2, [0, 0, 0, 0, 2], (2, 200032.11), [0, 0]);
    assert_eq!(r["memory_mb"]["max_used_max"], 181);
}

#[test]
fn failed_inits_of_the_json_log_format_are_counted_whatever_invocation_follows() {
    let r = run_json(&[&data("shapes/json-init-failures.log")]);
    expect(&r, 2, [0, 0, 0, 1, 1], (2, 1160.0), [2, 0]);
}

#[test]
fn the_table_and_csv_show_failed_inits() {
    let path = data("shapes/indented.md");
    let table = crate::util::report(&[&path, "--format", "table"]);
    table.assert_code(0);
    let text = table.text();
    assert!(
        text.contains("init failures") && text.contains("0 errors, 2 timeouts"),
        "{text}"
    );
    let csv = crate::util::report(&[&path, "--format", "csv"]);
    csv.assert_code(0);
    let text = csv.text();
    assert!(
        text.contains("init_failures.errors,0\ninit_failures.timeouts,2\n"),
        "{text}"
    );
}

/// Issue 29: each runtime's unhandled-error line fails its invocation, with no `Status: error` in
/// the REPORT; an application's own `fail` line does not.
#[test]
fn every_runtimes_unhandled_error_fails_its_invocation() {
    let r = run_json(&[&data("shapes/unhandled-errors.export.log")]);
    expect(&r, 6, [0, 0, 0, 5, 1], (6, 121.7), [0, 0]);
    assert_eq!(r["input"]["unrecognized_lines"], 0, "{r:#}");
    let errors = r["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["kind"] == "errors"))
        .unwrap_or_else(|| panic!("no errors finding: {r:#}"));
    assert_eq!(errors["count"], 5, "{r:#}");
}

/// Issue 29: a request id run three times (asynchronous retries) is three invocations, two of them
/// retries, each with its own duration and cold start; a placeholder id shared by three
/// invocations is three too.
#[test]
fn a_request_id_run_again_counts_each_attempt_and_its_retries() {
    let r = run_json(&[&data("shapes/async-retries.export.log")]);
    expect(&r, 7, [0, 0, 0, 2, 5], (7, 42.0), [0, 0]);
    assert_eq!(r["retries"], 4, "{r:#}");
    assert_eq!(r["cold_starts"]["count"], 1, "{r:#}");
    assert_eq!(r["cold_starts"]["init_duration_ms"]["max"], 180.25, "{r:#}");
    assert_eq!(r["duration_ms"]["min"], 2.1, "{r:#}");
    // Billed per attempt: 41 + 3 + 43 + 13 + 8 + 9 + 10.
    assert_eq!(r["billed_duration_ms"]["sum"], 127, "{r:#}");
    assert_eq!(r["input"]["late_lines"], 0, "{r:#}");
    let table = crate::util::report(&[&data("shapes/async-retries.export.log"), "--format", "table"]);
    table.assert_code(0);
    assert!(
        table.text().contains("of them retries (same request id)"),
        "{}",
        table.text()
    );
}

/// Issue 29: a console copy holding every row twice reads as the rows once; the repeated STARTs
/// are counted, and begin no invocation.
#[test]
fn a_copy_with_every_row_twice_reads_as_the_rows_once() {
    let once = run_json(&[&data("equiv.console.tsv")]);
    let twice = run_json(&[&data("shapes/doubled-rows.console.tsv")]);
    assert_eq!(twice["input"]["events"], 170, "{twice:#}");
    assert_eq!(twice["input"]["repeated_starts"], 11, "{twice:#}");
    assert!(twice.get("retries").is_none(), "{twice:#}");
    for key in [
        "invocations",
        "decisions",
        "denials",
        "duration_ms",
        "billed_duration_ms",
        "memory_mb",
        "cold_starts",
        "cost",
    ] {
        assert_eq!(twice[key], once[key], "{key}");
    }
    assert_eq!(twice["invocations"], 11);
}
