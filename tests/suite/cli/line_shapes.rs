//! Line shapes: REPORT variants, the JSON log format, messages in both languages, custom patterns.

use super::*;

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
        "equiv.console.csv",
        "equiv.console-two-columns.csv",
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
