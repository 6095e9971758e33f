//! Tests of learned prefixes: times of day with their date, bracketed columns, syslog headers, continuation lines.

use super::*;
use crate::source::InputFormat;
use crate::testutil::read;

const ID: &str = "21f6cb1d-1de1-4d72-a8b5-69a7388a0f99";

fn jq_lines() -> String {
    format!(
        "23:59:58  INIT_START Runtime Version: python:3.12.v7\n\
         23:59:58  [INFO]\t2026-04-22T23:59:58.265Z\t\tFound credentials in environment variables.\n\
         23:59:59  START RequestId: {ID} Version: $LATEST\n\
         23:59:59  [ERROR] KeyError: 'x'\n\
         Traceback (most recent call last):\n\
         \x20 File \"/var/task/app.py\", line 3, in handler\n\
         00:00:01  END RequestId: {ID}\n\
         00:00:01  REPORT RequestId: {ID}\tDuration: 2.94 ms\tBilled Duration: 394 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\tInit Duration: 390.17 ms\t\n"
    )
}

#[test]
fn a_time_of_day_prefix_takes_its_date_from_the_lines_and_rolls_over_midnight() {
    let text = jq_lines();
    let s = read(text.as_bytes(), InputFormat::Auto);
    let m = s.messages();
    assert_eq!(m.len(), 6, "{m:?}");
    assert_eq!(m[2], format!("START RequestId: {ID} Version: $LATEST"));
    assert_eq!(
        m[3],
        "[ERROR] KeyError: 'x'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler",
        "unprefixed lines continue the event before them"
    );
    let day = 1_776_816_000_000; // 2026-04-22T00:00:00Z
    assert_eq!(s.events[0].0, Some(day + 86_398_000));
    assert_eq!(
        s.events[5].0,
        Some(day + 86_400_000 + 1000),
        "after midnight: the next day"
    );
}

#[test]
fn bracketed_columns_and_syslog_headers_are_learned() {
    let bracketed = format!(
        "[/aws/lambda/auth] [2026/04/22/[$LATEST]abc] START RequestId: {ID} Version: $LATEST\n\
         [/aws/lambda/auth] [2026/04/22/[$LATEST]abc] [INFO]\t2026-04-22T10:00:00.101Z\t{ID}\t[INFO] Source IP: 203.0.113.10\n\
         [/aws/lambda/auth] [2026/04/22/[$LATEST]abc] REPORT RequestId: {ID}\tDuration: 1.00 ms\tBilled Duration: 1 ms\n"
    );
    let s = read(bracketed.as_bytes(), InputFormat::Auto);
    assert_eq!(s.events.len(), 3);
    assert!(s.messages()[1].starts_with("[INFO]\t2026-04-22T10:00:00.101Z"));
    assert_eq!(s.events[0].0, None, "no time in the prefix");

    let syslog = format!(
        "Apr 22 10:00:00 ip-10-0-0-1 forwarder[812]: START RequestId: {ID} Version: $LATEST\n\
         Apr 22 10:00:00 ip-10-0-0-1 forwarder[812]: [INFO]\t2026-04-22T10:00:00.101Z\t{ID}\t[INFO] Source IP: 203.0.113.10\n\
         Apr 22 10:00:01 ip-10-0-0-1 forwarder[812]: REPORT RequestId: {ID}\tDuration: 1.00 ms\tBilled Duration: 1 ms\n"
    );
    let s = read(syslog.as_bytes(), InputFormat::Auto);
    assert_eq!(s.events.len(), 3);
    assert_eq!(s.messages()[0], format!("START RequestId: {ID} Version: $LATEST"));
    assert_eq!(s.events[2].0, Some(1_776_816_000_000 + 36_001_000));
}

#[test]
fn learning_needs_a_shared_prefix() {
    assert_eq!(Prefix::learn(&["no lambda here", "nor here"]), None);
    // Messages that merely mention a marker far into the line are not a prefix.
    let far = format!("{} START RequestId: x", "w".repeat(300));
    assert_eq!(Prefix::learn(&[&far, &far]), None);
    assert_eq!(time_of_day("23:59:58"), Some(86_398_000));
    assert_eq!(time_of_day("10:00:00.5"), Some(36_000_500));
    assert_eq!(time_of_day("25:00:00"), None);
    assert_eq!(time_of_day("10:00"), None);
}

#[test]
fn a_prefix_is_learned_from_lines_ending_in_a_lone_cr() {
    // A first line without the prefix, longer than a prefix is looked for in: read as one line,
    // a CR-only sample showed no prefix at all.
    let text = format!("# {}\n{}", "exported ".repeat(40), jq_lines());
    let want = read(text.as_bytes(), InputFormat::Prefixed);
    for ends in ["\r", "\r\n"] {
        let s = read(text.replace('\n', ends).as_bytes(), InputFormat::Prefixed);
        assert_eq!(s.events, want.events, "{ends:?}");
    }
    assert_eq!(want.events.len(), 7);
    assert!(want.events[1..].iter().all(|e| e.0.is_some()), "{:?}", want.events);
}

/// A block of Lambda lines as pasted into a README, with prose before, between and after.
fn pasted(prefix: &str) -> String {
    let lines = [
        format!("START RequestId: {ID} Version: $LATEST"),
        format!("2026-04-22T10:00:00.101Z\t{ID}\tINFO\tSource IP: 203.0.113.10"),
        format!("END RequestId: {ID}"),
        format!("REPORT RequestId: {ID}\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB"),
        "INIT_REPORT Init Duration: 3000.00 ms\tPhase: invoke\tStatus: timeout".to_string(),
    ];
    let block: String = lines.iter().map(|l| format!("{prefix}{l}\n")).collect();
    format!("Here is what the logs said:\n\n{block}\nAnd the second run:\n{block}The end.\n")
}

#[test]
fn indents_quote_marks_and_bullets_are_prefixes_and_prose_stays_prose() {
    for prefix in ["    ", "\t", "> ", "- ", "* ", "1. ", "  > "] {
        let text = pasted(prefix);
        let s = read(text.as_bytes(), InputFormat::Auto);
        let m = s.messages();
        let starts = m.iter().filter(|l| l.starts_with("START RequestId: ")).count();
        let reports: Vec<&&str> = m.iter().filter(|l| l.starts_with("REPORT RequestId: ")).collect();
        assert_eq!(starts, 2, "{prefix:?}: {m:?}");
        assert_eq!(reports.len(), 2, "{prefix:?}: {m:?}");
        assert!(reports[0].ends_with("Max Memory Used: 70 MB"), "{prefix:?}: {m:?}");
        assert_eq!(
            m.iter()
                .filter(|l| l.starts_with("INIT_REPORT Init Duration: 3000.00 ms"))
                .count(),
            2,
            "{prefix:?}: {m:?}"
        );
        assert!(
            m.iter().any(|l| l.starts_with("2026-04-22T10:00:00.101Z\t")),
            "{prefix:?}: {m:?}"
        );
    }
}

#[test]
fn a_deeper_indent_than_the_learned_one_continues_the_event_before_it() {
    let text = format!(
        "    START RequestId: {ID} Version: $LATEST\n\
         \x20   [ERROR] KeyError: 'x'\n\
         \x20       File \"/var/task/app.py\", line 3, in handler\n\
         \x20   REPORT RequestId: {ID}\tDuration: 2.50 ms\n"
    );
    let s = read(text.as_bytes(), InputFormat::Auto);
    let m = s.messages();
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[1].starts_with("[ERROR] KeyError: 'x'\n"), "{m:?}");
}

#[test]
fn one_indented_line_that_mentions_a_marker_is_no_prefix() {
    let doc = "{\n  \"checks\": [\n    {\n      \"about\": \"the authorizer also logs [INFO] API Request ID: <id>\"\n    }\n  ]\n}\n";
    let lines: Vec<&str> = doc.lines().collect();
    assert_eq!(Prefix::learn(&lines), None);
    let two = format!("    START RequestId: {ID} Version: $LATEST\n    END RequestId: {ID}\n");
    let lines: Vec<&str> = two.lines().collect();
    assert!(Prefix::learn(&lines).is_some());
}
