//! Masking that cannot be evicted or sidestepped (issue 26): a log holding a known token in
//! every shape an authorizer or a caller logs one, and a caller's flood of tokens; no output
//! form (table, JSON, CSV, HTML, `--requests`, stderr, `tail -`, `tail --raw -`) may hold a
//! token's bytes, and with `--show-tokens` the token sent is shown where a token belongs.

use std::path::Path;

use crate::util::{authlogs, finish, report, Run};

/// The allowed token: the log's `Allowed Token:` lines tell it.
const ALLOWED: &str = "Ab12Xy34Allowed";
/// The token the callers sent: the log's `Token:` lines tell it.
const SENT: &str = "Zq7Sent99";
/// A token no `Token:` line tells: only the shape it is logged in says it is one.
const SHAPED: &str = "Qx5Shape77";

/// The shapes a token is logged in, `{T}` standing for it: an event dump's headers as a Python
/// dict, a list, a `Bearer` pair, JSON, a header dump, `identitySource`, `x-api-key`, query
/// strings and a `KeyError`; written here from the issue's list, not from the masker's.
const SHAPES: [&str; 12] = [
    "Event: {'headers': {'authorization': '{T}'}}",
    "Event: {'headers': {'authorization': ['{T}']}}",
    "Event: {'multiValueHeaders': {'Authorization': ['Bearer', '{T}']}}",
    r#"Event: {"headers":{"authorization":"Bearer {T}","host":"x"}}"#,
    "headers: Authorization: Bearer {T}",
    "Event: {'identitySource': ['{T}'], 'type': 'REQUEST'}",
    r#"Event: {"identitySource":["{T}"],"type":"REQUEST"}"#,
    "Event: {'headers': {'x-api-key': '{T}'}}",
    "GET /v1/items?key={T}&page=2",
    "GET /v1/items?page=2&token={T}",
    "redirect to /cb?access_token={T}#done",
    "[ERROR] KeyError: '{T}'",
];

/// A shape no secret word marks: only knowing the value masks it.
const BARE: &str = "lookup of {T} failed";

fn shaped(shape: &str, token: &str) -> String {
    shape.replace("{T}", token)
}

/// One invocation's lines in the export format: its START, its app lines `lines`, its END and
/// REPORT, to interleave with another's.
fn request_lines(i: usize, lines: &[String]) -> (String, Vec<String>, String) {
    let id = format!("{i:08x}-1111-4222-8333-444444444444");
    let ts = format!("2025-07-11T06:{:02}:{:02}.000Z", i / 60, i % 60);
    let start = format!("{ts} START RequestId: {id} Version: $LATEST\n");
    let app = lines
        .iter()
        .map(|line| format!("{ts} [INFO]\t{ts}\t{id}\t{line}\n"))
        .collect();
    let end = format!(
        "{ts} END RequestId: {id}\n{ts} REPORT RequestId: {id}\tDuration: 2.31 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 36 MB\t\n"
    );
    (start, app, end)
}

/// One invocation in the export format, its app lines `lines`.
fn request(i: usize, lines: &[String]) -> String {
    let (start, app, end) = request_lines(i, lines);
    [start, app.concat(), end].concat()
}

/// The log: per request its token lines and the tokens in every shape; then a caller who sends
/// two hundred headers like `x-h1: Token: g1`, and another who does while the first is open
/// (the lists of values to mask held 16 per request and 64 overall, the most recent).
fn log() -> String {
    let mut text = String::new();
    let mut i = 0;
    for token in [SENT, ALLOWED, SHAPED] {
        for shape in SHAPES {
            let mut lines = vec![
                "[INFO] Source IP: 203.0.113.10".to_string(),
                format!("[INFO] Token: {SENT}"),
                "[INFO] Allowed IP: 203.0.113.10".to_string(),
                format!("[INFO] Allowed Token: {ALLOWED}"),
            ];
            lines.push(shaped(shape, token));
            if token != SHAPED {
                lines.push(shaped(BARE, token));
            }
            text.push_str(&request(i, &lines));
            i += 1;
        }
    }
    let flood = |from: usize| -> String {
        let headers: String = (from..from + 200)
            .map(|n| format!("'x-h{n}': 'Token: g{n}', "))
            .collect();
        format!("Event: {{'headers': {{{headers}'host': 'x'}}}}")
    };
    let (start, first, end) = request_lines(
        i,
        &[
            "[INFO] Source IP: 198.51.100.23".to_string(),
            flood(0),
            format!("[INFO] Token: {SENT}"),
            format!("[INFO] Allowed Token: {ALLOWED}"),
            format!("[ERROR] denied: {}", shaped(BARE, ALLOWED)),
        ],
    );
    let (other_start, other, other_end) = request_lines(i + 1, &[flood(200)]);
    text.push_str(&[start, first.concat(), other_start, other.concat(), end, other_end].concat());
    text
}

/// Files that are almost all unrecognized lines, so `input_warnings` and stderr show samples:
/// each starts with a token in one shape, and tells the token's value only after it.
fn sample_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    // Written after a word, so that no line is one the parser knows (`[ERROR] …` is).
    let mut shapes: Vec<String> = SHAPES.iter().map(|s| format!("dump {}", shaped(s, SENT))).collect();
    shapes.push(shaped(BARE, SENT));
    shapes.push(shaped(BARE, ALLOWED));
    shapes.push(shaped(SHAPES[0], SHAPED));
    for (i, first) in shapes.iter().enumerate() {
        let mut text = format!("{first}\n");
        let app =
            |line: &str| format!("[INFO]\t2025-07-11T06:05:34.309Z\t0b5f7b56-1a2e-4c3d-9e8f-0123456789ab\t{line}\n");
        text.push_str(&app(&format!("[INFO] Token: {SENT}")));
        text.push_str(&app(&format!("[INFO] Allowed Token: {ALLOWED}")));
        text.push_str(&"noise\n".repeat(400));
        std::fs::write(dir.path().join(format!("s{i:02}.log")), text).expect("write a sample file");
    }
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[track_caller]
fn assert_no_token(what: &str, run: &Run) {
    run.assert_no_panic();
    let out = String::from_utf8_lossy(&run.stdout);
    for token in [ALLOWED, SENT, SHAPED] {
        for (stream, text) in [("stdout", &*out), ("stderr", &*run.stderr)] {
            if let Some(at) = text.find(token) {
                let from = text[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                panic!("{what}: {token} in {stream}: …{}", &text[from..(at + token.len())]);
            }
        }
    }
}

#[test]
fn no_report_output_holds_a_token() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("auth.log");
    std::fs::write(&path, log()).expect("write the log");
    let html = dir.path().join("report.html");
    for args in [
        vec![s(&path)],
        vec![s(&path), "--format", "json"],
        vec![s(&path), "--format", "csv"],
        vec![s(&path), "--format", "html"],
        vec![s(&path), "--requests"],
        vec![s(&path), "--requests", "--format", "json"],
        vec![s(&path), "--requests", "--format", "csv"],
    ] {
        let run = report(&args);
        run.assert_code(0);
        assert!(!run.stdout.is_empty(), "{args:?}: no output");
        assert_no_token(&format!("report {args:?}"), &run);
    }
    report(&[s(&path), "--format", "html", "-o", s(&html)]).assert_code(0);
    let page = std::fs::read_to_string(&html).expect("the HTML report");
    for token in [ALLOWED, SENT, SHAPED] {
        assert!(!page.contains(token), "{token} in the HTML file");
    }
    // Asked for, the token sent is shown where a token belongs.
    let shown = report(&[s(&path), "--requests", "--show-tokens", "--format", "csv"]);
    shown.assert_code(0);
    assert!(shown.text().contains(SENT), "--show-tokens: {}", shown.text());
}

#[test]
fn samples_of_unrecognized_lines_hold_no_token() {
    let dir = sample_dir();
    let bare = ["--input-format", "bare"];
    for args in [
        vec![s(dir.path())],
        vec![s(dir.path()), "--format", "json"],
        vec![s(dir.path()), "--format", "csv"],
        vec![s(dir.path()), "--format", "html"],
    ] {
        let run = report(&[&args[..], &bare].concat());
        assert_no_token(&format!("report {args:?}"), &run);
        assert!(
            run.stderr.contains("e.g. "),
            "{args:?}: no sample on stderr: {}",
            run.stderr
        );
    }
    let json = report(&[s(dir.path()), "--format", "json", "--input-format", "bare"]).json();
    let warnings = json["input_warnings"].as_array().expect("input_warnings");
    assert_eq!(warnings.len(), SHAPES.len() + 3, "{warnings:?}");
    for w in warnings {
        let first = w["samples"][0].as_str().unwrap_or_default();
        assert!(
            first.contains("****") || first.contains("tok:"),
            "the token is masked, not dropped: {w}"
        );
    }
}

#[test]
fn no_tail_output_holds_a_token_unless_asked() {
    for args in [vec!["-"], vec!["-", "--format", "json"], vec!["-", "--raw"]] {
        let run = finish(authlogs().arg("tail").args(&args).write_stdin(log()));
        run.assert_code(0);
        assert!(!run.stdout.is_empty(), "tail {args:?}: no output");
        assert_no_token(&format!("tail {args:?}"), &run);
    }
    let raw = finish(authlogs().args(["tail", "-", "--raw"]).write_stdin(log()));
    // The flood's own tokens are masked too, and the token lines after it.
    let text = raw.text();
    assert!(!text.contains("'g199'") && !text.contains("Token: g1'"), "{text}");
    let shown = finish(
        authlogs()
            .args(["tail", "-", "--raw", "--show-tokens"])
            .write_stdin(log()),
    );
    shown.assert_code(0);
    let text = shown.text();
    assert!(
        text.contains(&format!("Token: {SENT}")) && text.contains(&format!("Allowed Token: {ALLOWED}")),
        "{text}"
    );
}
