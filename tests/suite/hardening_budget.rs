//! The memory budget of issue 26: values over their cap are kept cut, counted and said, and decide
//! and mask as the whole values.

use sha2::{Digest, Sha256};

use crate::util::{authlogs, finish};

const ALLOWED: &str = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
const GUESSED: &str = "0b5f7b56-1a2e-4c3d-9e8f-0123456789ab";

/// One complete request from the allowed IP with `token` and `allowed` logged.
fn request(id: &str, token: &str, allowed: &str) -> String {
    let info = |text: &str| format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] {text}\n");
    [
        format!("START RequestId: {id} Version: $LATEST\n"),
        info("Source IP: 203.0.113.10"),
        info(&format!("Token: {token}")),
        info("Allowed IP: 203.0.113.10"),
        info(&format!("Allowed Token: {allowed}")),
        format!("END RequestId: {id}\n"),
        format!("REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n"),
    ]
    .concat()
}

/// 100 KB tokens (the allowed one, and one that differs from it in its last byte only): each kept
/// as 4 KiB, counted in `values_cut` and on stderr, decided and masked as the whole value.
#[test]
fn values_over_their_cap_are_counted_and_decide_and_mask_as_the_whole_values() {
    let token = "Q".repeat(100_000);
    let guess = format!("{}R", &token[..token.len() - 1]);
    let input = format!(
        "{}{}",
        request(ALLOWED, &token, &token),
        request(GUESSED, &guess, &token)
    );
    let run = finish(
        authlogs()
            .args(["report", "--format", "json", "-"])
            .write_stdin(input.clone()),
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["input"]["values_cut"], 4, "two tokens in each request");
    assert_eq!(json["decisions"]["allowed"], 1, "equal whole tokens");
    assert_eq!(
        json["decisions"]["denied"], 1,
        "whole tokens that differ in their last byte"
    );
    assert_eq!(json["denials"]["token_mismatch"], 1);
    assert_eq!(json["denials"]["ip_mismatch"], 0);
    let findings = json["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["kind"] == "values_cut" && f["count"] == 4),
        "{findings:?}"
    );
    assert!(
        run.stderr.contains("4 values over their cap were kept cut"),
        "{}",
        run.stderr
    );
    assert!(
        !String::from_utf8_lossy(&run.stdout).contains("QQQQQQQQ"),
        "no part of a token"
    );

    // --requests shows each token as the SHA-256 of the whole value, as for any short one.
    let rows = finish(
        authlogs()
            .args(["report", "--requests", "--format", "csv", "-"])
            .write_stdin(input.clone()),
    );
    rows.assert_code(0);
    let text = rows.text();
    for whole in [&token, &guess] {
        let hex = format!("{:x}", Sha256::digest(whole.as_bytes()));
        assert!(text.contains(&format!("tok:{}", &hex[..8])), "{text}");
    }
    assert!(!text.contains("QQQQQQQQ"), "{text}");

    // tail says it on its summary line.
    let tail = finish(authlogs().args(["tail", "-"]).write_stdin(input));
    tail.assert_code(0);
    assert!(
        tail.stderr.contains("; 4 values over their cap kept cut"),
        "{}",
        tail.stderr
    );
    assert!(!tail.text().contains("QQQQQQQQ"));
}

/// Ordinary input says nothing of cuts: no field, no finding, no note.
#[test]
fn ordinary_values_are_not_cut() {
    let run = finish(
        authlogs()
            .args(["report", "--format", "json", "-"])
            .write_stdin(request(ALLOWED, "Ab12Xy34", "Ab12Xy34")),
    );
    run.assert_code(0);
    let json = run.json();
    assert!(json["input"].get("values_cut").is_none(), "{}", json["input"]);
    assert!(json["input"].get("requests_closed_early").is_none());
    assert!(!run.stderr.contains("cut"), "{}", run.stderr);
}
