//! The JSON report: its stable keys, and the same counts from every container.

use super::*;

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

/// A Logs Insights table of REPORT fields (Markdown after the console's header block, and CSV):
/// one invocation a row, with the durations, memory and cold starts the full log gives.
#[test]
fn insights_report_fields_give_each_report_of_the_full_log() {
    let reference = run_json(&[&data("equiv.export.log")]);
    let compared = [
        "/invocations",
        "/duration_ms",
        "/billed_duration_ms",
        "/memory_mb",
        "/cold_starts",
        "/cost",
    ];
    for file in ["report-fields.insights.md", "report-fields.insights.csv"] {
        let r = run_json(&[&data(file)]);
        assert_same(&reference, &r, &compared, file);
        // Only REPORT fields: no decision can be read.
        expect(
            &r,
            &[
                ("/invocations", 11.0),
                ("/decisions/unknown", 11.0),
                ("/input/events", 11.0),
                ("/memory_mb/size", 512.0),
                ("/memory_mb/max_used_max", 37.0),
                ("/cold_starts/count", 1.0),
                ("/cold_starts/init_duration_ms/max", 120.5),
                ("/duration_ms/max", 3000.0),
            ],
        );
    }
}

#[test]
fn forced_input_format_reads_each_container() {
    for (file, format) in EQUIV_FILES {
        let r = run_json(&[&data(file), "--input-format", format]);
        expect_equiv(&r);
    }
}
