//! samples/ and whole-run promises: the README command, stopping on a closed pipe, CSV formulas, --fail-on, no token anywhere, long lines, explaining an empty result.

use super::*;

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

    // The IP is no IP token, so it is masked unless --show-tokens: shown, it must be neutralised.
    let summary = report(&[&path, "--format", "csv", "--show-tokens"]);
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
        // A value where a container is expected, holding the token, which the input's `Token:`
        // line tells; amid values that are no log line, so a sample of them is shown.
        (
            "scalar.json",
            format!(
                "[{{\"message\": \"[INFO]\\t2025-07-11T06:05:34.309Z\\t0b5f7b56-1a2e-4c3d-9e8f-0123456789ab\\t[INFO] Token: {token}\", \"timestamp\": 1752213934309}}, \"{token}\", 1, {{\"{token}\": true}}{}]",
                ", \"noise\"".repeat(200)
            ),
        ),
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
