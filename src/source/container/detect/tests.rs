//! Tests of detection: the Lambda-line predicate, each container picked, the shortcut, cut samples.

use super::*;
use crate::testutil::{many_events, BARE, CONSOLE_ROWS, EXPORT, FILTER, INSIGHTS, SEED, SUBSCRIPTIONS, TAIL};

#[test]
fn predicate() {
    assert!(looks_like_lambda("START RequestId: 1 Version: $LATEST"));
    assert!(looks_like_lambda("  [INFO] Source IP: 1"));
    assert!(looks_like_lambda(
        "2019-06-19T12:45:35.624Z\t69594c41-8463-4f69-b9b4-ff6c49813475\tStatus"
    ));
    assert!(looks_like_lambda(
        "2023-04-18T15:32:46.697Z\tundefined\tINFO\tLoading function"
    ));
    assert!(looks_like_lambda(
        "{\"time\":\"2024-06-17T17:23:55.902Z\",\"type\":\"platform.start\"}"
    ));
    assert!(!looks_like_lambda("2024-08-28T10:00:00.123Z START RequestId: x"));
    assert!(!looks_like_lambda("2023-12-15T14:48:34.955+08:00\tINIT_START Runtime"));
    assert!(!looks_like_lambda("hello"));
}

#[test]
fn picks_each_container() {
    let complete = |s: &str| detect(s.as_bytes(), true);
    assert_eq!(complete(EXPORT), InputFormat::Export);
    assert_eq!(complete(TAIL), InputFormat::Tail);
    assert_eq!(complete(CONSOLE_ROWS), InputFormat::Console);
    assert_eq!(complete(SEED), InputFormat::Console);
    assert_eq!(complete(BARE), InputFormat::Bare);
    assert_eq!(complete(FILTER), InputFormat::Json);
    assert_eq!(complete(SUBSCRIPTIONS), InputFormat::Json);
    assert_eq!(complete(INSIGHTS), InputFormat::Json);
    assert_eq!(
        complete("2018-01-01T00:29:43 START RequestId: 1 Version: $LATEST\n"),
        InputFormat::Tail
    );
    // Lambda JSON-format log lines are bare messages, not a JSON container.
    let json_lines = "{\"time\":\"2024-06-17T17:23:55.902Z\",\"type\":\"platform.start\",\"record\":{\"requestId\":\"ca52c236\"}}\n\
{\"timestamp\": \"2026-11-25T17:33:47Z\", \"level\": \"INFO\", \"message\": \"hello\", \"logger\": \"root\", \"requestId\": \"8f507cfc\"}\n";
    assert_eq!(complete(json_lines), InputFormat::Bare);
    assert_eq!(complete("hello\nworld\n"), InputFormat::Bare);
    assert_eq!(complete(""), InputFormat::Bare);
}

#[test]
fn stopping_at_a_container_that_scores_every_line_changes_no_verdict() {
    let pieces: Vec<&str> = [EXPORT, TAIL, CONSOLE_ROWS, SEED, BARE]
        .iter()
        .flat_map(|s| s.split_inclusive('\n'))
        .chain(["\n", "\r\n", "garbage\n", "START RequestId: 1 Version: $LATEST\n"])
        .collect();
    let check = |text: &str| {
        for complete in [true, false] {
            let full = detect_scoring(text.as_bytes(), complete, false);
            assert_eq!(detect(text.as_bytes(), complete), full, "{text:?}");
        }
    };
    for s in [EXPORT, TAIL, CONSOLE_ROWS, SEED, BARE, "", "\n"] {
        check(s);
    }
    let mut runner = proptest::test_runner::TestRunner::default();
    let strategy = proptest::collection::vec(0..pieces.len(), 0..40);
    runner
        .run(&strategy, |picks| {
            let text: String = picks.iter().map(|&i| pieces[i]).collect();
            check(&text);
            Ok(())
        })
        .unwrap();
    // Runs of one container, the shape the shortcut takes.
    for sample in [EXPORT, TAIL, CONSOLE_ROWS, SEED, BARE] {
        let one: Vec<&str> = sample.split_inclusive('\n').collect();
        runner
            .run(&proptest::collection::vec(0..one.len(), 1..60), |picks| {
                let text: String = picks.iter().map(|&i| one[i]).collect();
                check(&text);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn lines_split_as_split_on_line_ends_does_and_a_lone_cr_ends_one_only_without_lf() {
    for text in [
        "",
        "\n",
        "a",
        "a\n",
        "a\nb",
        "\n\na\r\n\nb\n",
        "x\ny\n\n",
        "a\rb",
        "a\r\rb\r",
        "\r\n\r",
        "a\r\n\r\nb",
        "a\rb\nc\r\n",
        "[ERROR] E: m\rTraceback\r  x\n\n",
    ] {
        let ours: Vec<&[u8]> = split_lines(text.as_bytes()).collect();
        // `\r\n` as one `\n`; then a `\r` alone as one too only in a text with no `\n` (in one of
        // `\n` ends it is content, as Lambda joins a message's lines with it).
        let plain = text.replace("\r\n", "\n");
        let plain = if plain.contains('\n') {
            plain
        } else {
            plain.replace('\r', "\n")
        };
        let std: Vec<&[u8]> = plain.as_bytes().split(|&b| b == b'\n').collect();
        assert_eq!(ours, std, "{text:?}");
    }
}

#[test]
fn cut_sample_still_detects() {
    let mut big = String::new();
    while big.len() < 100_000 {
        big.push_str(EXPORT);
    }
    assert_eq!(detect(&big.as_bytes()[..70_001], false), InputFormat::Export);
    let json = many_events(5000);
    assert_eq!(detect(&json.as_bytes()[..70_001], false), InputFormat::Json);
}

#[test]
fn insights_tables_by_their_header_and_encoded_deliveries_as_json() {
    let csv = "@timestamp,@message,@logStream\n2025-07-11 06:05:34.308,\"START RequestId: a Version: $LATEST\n\",s\n";
    let quoted = "\"@timestamp\",\"@message\"\n\"2025-07-11 06:05:34.308\",\"END RequestId: a\"\n";
    let md =
        "| @timestamp | @message |\n|---|---|\n| 2025-07-11 06:05:34.308 | START RequestId: a Version: $LATEST |\n";
    assert_eq!(detect(csv.as_bytes(), true), InputFormat::InsightsCsv);
    assert_eq!(detect(quoted.as_bytes(), true), InputFormat::InsightsCsv);
    assert_eq!(detect(md.as_bytes(), true), InputFormat::InsightsMd);
    // A sample cut inside a row still has its header.
    assert_eq!(detect(&csv.as_bytes()[..60], false), InputFormat::InsightsCsv);
    // An export that mentions `@message` is still an export: the shortcut returns first.
    let export = format!("{EXPORT}2024-08-28T10:00:00.200Z [INFO] @timestamp,@message\n\n");
    assert_eq!(detect(export.as_bytes(), true), InputFormat::Export);
    let delivery = format!(
        "{{\"awslogs\":{{\"data\":\"{}\"}}}}\n",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            crate::testutil::gzip(SUBSCRIPTIONS.as_bytes())
        )
    );
    assert_eq!(detect(delivery.as_bytes(), true), InputFormat::Json);
}
