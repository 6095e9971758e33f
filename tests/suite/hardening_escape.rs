//! Escaping everywhere: a file whose name, source IPs and messages hold ESC, OSC 8, BEL, RLO, CR
//! and invisible characters; no output form (table, CSV, HTML, JSON, `--requests`, `tail`,
//! stderr, error messages) may hold one of them raw.

use std::path::{Path, PathBuf};

use crate::util::{authlogs, finish, read_data, report, Run};

/// The hostile characters, listed here as docs/security.md promises them (not taken
/// from the escaper): C0 and C1 controls, DEL, zero-width, LRM/RLM/ALM, embeddings, overrides,
/// isolates, line and paragraph separators, word joiner, BOM.
fn is_hostile(c: char) -> bool {
    let cp = c as u32;
    cp < 0x20
        || (0x7f..=0x9f).contains(&cp)
        || matches!(
            cp,
            0x061c | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060 | 0x2066..=0x2069 | 0xfeff
        )
}

/// What a file name and log values are made of: each hostile character, alone and in sequences a
/// terminal acts on (a CSI, an OSC 8 hyperlink, a bell).
const HOSTILE: &str = "\u{1b}[31m\u{1b}]8;;http://evil.example/\u{7}x\u{1b}]8;;\u{7}\u{202e}\u{7}\r\u{200b}\u{200e}\u{200f}\u{61c}\u{2066}\u{2069}\u{2028}\u{2029}\u{feff}\u{2060}\u{200d}\u{9b}";

/// Fails when `text` holds a hostile character other than a newline (layout, in every format).
#[track_caller]
fn assert_clean(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| c != '\n' && is_hostile(c)) {
        let at = text.find(c).unwrap_or(0);
        let before: String = text[..at]
            .chars()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        panic!("{what}: raw U+{:04X} after {before:?}", c as u32);
    }
}

#[track_caller]
fn assert_run_clean(what: &str, run: &Run) {
    run.assert_no_panic();
    assert_clean(&format!("{what} (stdout)"), &String::from_utf8_lossy(&run.stdout));
    assert_clean(&format!("{what} (stderr)"), &run.stderr);
}

/// One invocation in the export format: the source IP and an unrecognized line carry `tail`.
fn request(id: &str, ts: &str, ip: &str, token: &str, extra: &str) -> String {
    let app = |text: &str| format!("{ts} [INFO]\t{ts}\t{id}\t[INFO] {text}\n\n");
    let mut out = format!("{ts} START RequestId: {id} Version: $LATEST\n\n");
    out.push_str(&app(&format!("Source IP: {ip}")));
    out.push_str(&app(&format!("Token: {token}")));
    out.push_str(&app("Allowed IP: 203.0.113.10"));
    out.push_str(&app("Allowed Token: Ab12Xy34"));
    out.push_str(&app(extra));
    out.push_str(&format!("{ts} END RequestId: {id}\n\n"));
    out.push_str(&format!(
        "{ts} REPORT RequestId: {id}\tDuration: 2.31 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 36 MB\t\n\n"
    ));
    out
}

/// The hostile log: IPs that look like the allowed one, an IP and a message full of controls.
fn hostile_log() -> String {
    let mut text = String::new();
    let ips = [
        "203.0.113.10\u{200b}".to_string(),
        "203.0.113.10\u{2060}".to_string(),
        "\u{202e}01.311.0.302".to_string(),
        format!("198.51.100.23{HOSTILE}"),
    ];
    for (i, ip) in ips.iter().enumerate() {
        let id = format!("0000000{i}-1111-4222-8333-444444444444");
        let ts = format!("2025-07-11T06:00:0{i}.000Z");
        text.push_str(&request(&id, &ts, ip, "Ab12Xy34", &format!("message {HOSTILE} end")));
    }
    text
}

/// A directory holding the hostile log under a hostile name, and a damaged gzip under another, so
/// the input-error row and `input_warnings` name it.
fn hostile_dir() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let name = format!("a{HOSTILE}b.log").replace('/', "_");
    let log = dir.path().join(name);
    std::fs::write(&log, hostile_log()).expect("write the log");
    let gz = read_data("equiv.export.gz");
    let damaged = dir.path().join(format!("z{HOSTILE}.gz").replace('/', "_"));
    std::fs::write(&damaged, &gz[..gz.len() / 2]).expect("write the damaged gzip");
    (dir, log, damaged)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn every_report_format_escapes_names_ips_and_messages() {
    let (dir, _, _) = hostile_dir();
    for format in ["table", "json", "csv", "html"] {
        let run = report(&[s(dir.path()), "--format", format]);
        run.assert_code(3);
        assert_run_clean(format, &run);
        // The damaged file is named, escaped, in what was printed.
        let text = run.text();
        assert!(
            text.contains("\\u{202e}") || text.contains("\\u202e"),
            "{format}: the escaped name or IP is missing:\n{text}"
        );
    }
    // The JSON still holds the values as logged: the escapes are JSON's, not text.
    let json = report(&[s(dir.path()), "--format", "json"]).json();
    let errors = json["input_errors"].as_array().expect("input_errors");
    assert!(
        errors.iter().any(|e| e["input"]
            .as_str()
            .is_some_and(|i| i.contains(&HOSTILE.replace('/', "_")))),
        "{errors:?}"
    );
}

#[test]
fn an_ip_with_an_invisible_character_cannot_pass_for_the_allowed_one() {
    let (_dir, log, _) = hostile_dir();
    for format in ["table", "csv", "html"] {
        // An IP with an invisible character is no IP token: masked (`text:…`), and shown
        // escaped with --show-tokens.
        let run = report(&[s(&log), "--format", format]);
        run.assert_code(0);
        let text = run.text();
        assert!(text.contains("text:"), "{format}: not masked:\n{text}");
        assert!(!text.contains("203.0.113.10\u{200b}"), "{format}:\n{text}");
        let run = report(&[s(&log), "--format", format, "--show-tokens"]);
        run.assert_code(0);
        let text = run.text();
        for shown in ["203.0.113.10\\u{200b}", "203.0.113.10\\u{2060}"] {
            assert!(text.contains(shown), "{format}: {shown} is not shown escaped:\n{text}");
        }
    }
    // Every request of the log is denied: none of its IPs is the allowed one as bytes.
    let json = report(&[s(&log), "--format", "json"]).json();
    assert_eq!(json["decisions"]["allowed"], 0, "{json}");
    let ips: Vec<&str> = json["top_denied_ips"]
        .as_array()
        .expect("top_denied_ips")
        .iter()
        .filter_map(|ip| ip["ip"].as_str())
        .collect();
    assert_eq!(ips.len(), 4, "{ips:?}");
    assert!(!ips.contains(&"203.0.113.10"), "{ips:?}");
}

#[test]
fn requests_rows_and_tail_lines_are_escaped() {
    let (_dir, log, _) = hostile_dir();
    for format in ["table", "json", "csv"] {
        let run = report(&[s(&log), "--requests", "--format", format]);
        run.assert_code(0);
        assert_run_clean(&format!("--requests {format}"), &run);
        assert!(!run.stdout.is_empty(), "--requests {format}: no output");
    }
    for args in [
        vec!["-"],
        vec!["-", "--format", "json"],
        vec!["-", "--raw"],
        vec!["-", "--show-tokens"],
    ] {
        let run = finish(authlogs().arg("tail").args(&args).write_stdin(hostile_log()));
        run.assert_code(0);
        assert_run_clean(&format!("tail {args:?}"), &run);
        assert!(!run.stdout.is_empty(), "tail {args:?}: no output");
    }
    let run = finish(authlogs().arg("tail").arg(s(&log)));
    run.assert_code(0);
    assert_run_clean("tail FILE", &run);
}

#[test]
fn paths_in_error_messages_are_escaped() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let missing = dir.path().join(format!("missing{HOSTILE}").replace('/', "_"));
    let (_hostile, log, _) = hostile_dir();
    let output = dir
        .path()
        .join(format!("no{HOSTILE}dir").replace('/', "_"))
        .join("out.json");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("report", vec!["report", s(&missing)]),
        ("tail", vec!["tail", s(&missing)]),
        ("--patterns", vec!["report", s(&log), "--patterns", s(&missing)]),
        ("--access-logs", vec!["report", s(&log), "--access-logs", s(&missing)]),
        (
            "tail --access-logs",
            vec!["tail", s(&log), "--access-logs", s(&missing)],
        ),
        ("-o", vec!["report", s(&log), "-o", s(&output)]),
    ];
    for (what, args) in cases {
        let run = finish(authlogs().args(&args));
        assert_run_clean(what, &run);
        assert_ne!(run.code, Some(0), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("\\x1b[31m"),
            "{what}: the path is not shown escaped: {}",
            run.stderr
        );
        assert!(run.stderr.contains("\\u{200b}"), "{what}: {}", run.stderr);
    }
    // A patterns file whose TOML error quotes a hostile line.
    let patterns = dir.path().join("p.toml");
    std::fs::write(
        &patterns,
        format!("[[pattern]]\nkind = \"source_ip\"\ntemplate = {HOSTILE}\n"),
    )
    .expect("write the patterns");
    let run = report(&[s(&log), "--patterns", s(&patterns)]);
    assert_ne!(run.code, Some(0), "{}", run.stderr);
    assert_run_clean("a bad --patterns file", &run);
}
