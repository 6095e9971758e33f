//! Values parsed as what they are (issue 26): an IP value is the IP token it starts with, a value
//! that is none is shown masked, and tokens are compared as the bytes logged.

use crate::util::{authlogs, finish, report};

const ID: [&str; 3] = [
    "e9b8af80-569f-4e11-a6fd-15e45859e5a3",
    "0c1d2e3f-4a5b-4c6d-8e7f-901234567890",
    "11111111-2222-4333-8444-555555555555",
];

/// One export-format invocation: START, the four `[INFO]` values, an IP mismatch line when
/// `mismatch` holds one, END and REPORT, at second `n`.
fn invocation(n: usize, values: [&[u8]; 4], mismatch: Option<&[u8]>) -> Vec<u8> {
    let ts = format!("2025-07-11T06:05:{:02}.309Z", 10 + n);
    let id = ID[n];
    let app = |level: &str, body: &[u8]| -> Vec<u8> {
        let mut l = format!("{ts} [{level}]\t{ts}\t{id}\t[{level}] ").into_bytes();
        l.extend_from_slice(body);
        l.push(b'\n');
        l
    };
    let mut out = format!("{ts} START RequestId: {id} Version: $LATEST\n").into_bytes();
    for (label, v) in ["Source IP: ", "Token: ", "Allowed IP: ", "Allowed Token: "]
        .iter()
        .zip(values)
    {
        out.extend(app("INFO", &[label.as_bytes(), v].concat()));
    }
    if let Some(m) = mismatch {
        out.extend(app("ERROR", m));
    }
    out.extend(format!("{ts} END RequestId: {id}\n").into_bytes());
    out.extend(
        format!("{ts} REPORT RequestId: {id}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n")
            .into_bytes(),
    );
    out
}

fn write(dir: &tempfile::TempDir, bytes: &[u8]) -> String {
    let path = dir.path().join("in.log");
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

/// `Source IP: 198.51.100.23 Token: <the allowed token>` put the token in every output through
/// the "IP"; `Allowed IP: 203.0.113.10/<token>` through `invalid_allowed_ip`.
#[test]
fn text_after_an_ip_is_no_part_of_it_and_a_value_that_is_no_ip_is_masked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut input = invocation(
        0,
        [
            b"198.51.100.23 Token: Ab12Xy34",
            b"Ab12Xy34",
            b"203.0.113.10",
            b"Ab12Xy34",
        ],
        Some(b"IP address mismatch: received IP=198.51.100.23 Token: Ab12Xy34, allowed IP=203.0.113.10"),
    );
    input.extend(invocation(
        1,
        [b"203.0.113.10", b"Ab12Xy34", b"203.0.113.10/Ab12Xy34", b"Ab12Xy34"],
        None,
    ));
    let file = write(&dir, &input);
    let json = report(&["--format", "json", &file]);
    json.assert_code(0);
    let r = json.json();
    assert_eq!(r["top_denied_ips"][0]["ip"], "198.51.100.23", "{r}");
    // The source IP is the IP token: a leak of the allowed token from 198.51.100.23.
    let findings = r["findings"].as_array().expect("findings");
    let leak = findings
        .iter()
        .find(|f| f["kind"] == "token_leak_suspected")
        .expect("leak");
    assert!(
        leak["message"].as_str().expect("text").contains("198.51.100.23"),
        "{leak}"
    );
    let invalid = findings
        .iter()
        .find(|f| f["kind"] == "invalid_allowed_ip")
        .expect("invalid");
    let message = invalid["message"].as_str().expect("text");
    assert!(
        message.contains("'text:") && !message.contains("203.0.113.10/"),
        "{message}"
    );
    // Every output form: no token.
    for args in [
        vec!["--format", "table"],
        vec!["--format", "csv"],
        vec!["--format", "html"],
        vec!["--format", "json"],
        vec!["--requests"],
        vec!["--requests", "--format", "json"],
    ] {
        let run = report(&[args.as_slice(), &[file.as_str()]].concat());
        run.assert_code(0);
        let text = run.text();
        assert!(!text.contains("Ab12Xy34"), "{args:?}: {text}");
        assert!(!run.stderr.contains("Ab12Xy34"), "{args:?}: {}", run.stderr);
    }
    let tail = finish(authlogs().args(["tail", "-"]).write_stdin(input.clone()));
    tail.assert_code(0);
    assert!(!tail.text().contains("Ab12Xy34"), "{}", tail.text());
    assert!(tail.text().contains("198.51.100.23"), "{}", tail.text());
    // --show-tokens shows the text as logged.
    let shown = report(&["--format", "json", "--show-tokens", &file]).json();
    assert!(shown.to_string().contains("203.0.113.10/Ab12Xy34"), "{shown}");
}

/// Two tokens that differ only in invalid UTF-8 bytes both decoded to U+FFFD: the request was
/// reported allowed. They are compared as the bytes logged.
#[test]
fn tokens_that_differ_only_in_invalid_bytes_differ() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ip: &[u8] = b"203.0.113.10";
    let mut input = invocation(0, [ip, b"a\xff", ip, b"a\xfe"], None);
    input.extend(invocation(1, [ip, b"a\xff", ip, b"a\xff"], None));
    let file = write(&dir, &input);
    let r = report(&["--format", "json", &file]).json();
    assert_eq!(r["decisions"]["denied"], 1, "{r}");
    assert_eq!(r["decisions"]["allowed"], 1, "{r}");
    assert_eq!(r["denials"]["token_mismatch"], 1, "{r}");
    let rows = |extra: &[&str]| -> Vec<serde_json::Value> {
        let run = report(&[&["--requests", "--format", "json"], extra, &[file.as_str()]].concat());
        run.text()
            .lines()
            .map(|l| serde_json::from_str(l).expect("row"))
            .collect()
    };
    let masked = rows(&[]);
    assert_eq!(masked[0]["decision"], "denied");
    assert_eq!(masked[0]["reasons"], serde_json::json!(["token_mismatch"]));
    assert_eq!(masked[1]["decision"], "allowed");
    let revealed = rows(&["--show-tokens"]);
    assert_eq!(revealed[0]["token"], "a\\xff", "{revealed:?}");
    // The masked forms differ where the bytes do.
    let mut other = invocation(0, [ip, b"a\xfe", ip, b"a\xfe"], None);
    other.extend(invocation(1, [ip, b"a\xff", ip, b"a\xff"], None));
    let other_file = dir.path().join("other.log");
    std::fs::write(&other_file, &other).expect("write");
    let run = report(&["--requests", "--format", "json", &other_file.display().to_string()]);
    let other_rows: Vec<serde_json::Value> = run
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert_ne!(other_rows[0]["token"], masked[0]["token"]);
    assert_eq!(other_rows[1]["token"], masked[0]["token"]);
}
