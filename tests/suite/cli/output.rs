//! Output formats: CSV, the table, --requests rows, token masking, fitting a width.

use super::*;

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
