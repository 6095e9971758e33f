//! Containers and damage: streams interleaved, long events, noise, truncated gzip, control characters.

use super::*;

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

#[test]
fn damage_that_read_as_complete_before_is_an_input_error_with_its_position() {
    // (fixture, invocations still read, the first error's position)
    let cases = [
        ("damaged.bad-date.export.log", 11, "byte 789"),
        ("damaged.lone-surrogate.utf16.log", 11, "byte 568 of UTF-16 input"),
        ("damaged.unclosed-quote.insights.csv", 11, "line 10"),
        ("damaged.unclosed-quote.console.csv", 11, "line 10"),
        ("damaged.undecodable.awslogs.json", 0, "encoded record 1 of 1"),
    ];
    for (file, invocations, position) in cases {
        let run = report(&[&data(file), "--format", "json"]);
        run.assert_no_panic().assert_code(3);
        assert!(
            run.stderr.contains(file),
            "{file}: stderr does not name it:\n{}",
            run.stderr
        );
        let r = run.json();
        assert_eq!(r["complete"], false, "{file}");
        assert_eq!(r["invocations"], invocations, "{file}: {}", pretty(&r));
        let errors = r["input_errors"].as_array().expect("input_errors array");
        assert_eq!(errors.len(), 1, "{file}: {}", pretty(&r));
        assert!(
            errors[0]["input"].as_str().unwrap_or("").ends_with(file),
            "{}",
            errors[0]
        );
        assert_eq!(errors[0]["position"], position, "{file}");
    }
}
