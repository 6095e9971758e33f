//! A `\r` inside the messages of a file of `\n` ends is content: one event, decided as logged, the
//! same through `report FILE`, `tail -` and the CloudWatch shape (a `filter-log-events` reply).

use serde_json::{json, Value};

use crate::util::{authlogs, finish, Run};

const ID: [&str; 3] = [
    "0c256159-1f9d-423f-8526-01379531ca7e",
    "ba191f2f-3ae1-4457-91f2-ef6a6126bf88",
    "d222c346-05c7-4882-92ca-4dfee8e95c51",
];

/// Three invocations whose messages hold a `\r`: a token (and the mismatch line quoting it), a
/// Python traceback joined by `\r` (the runtime's stdout fallback), a Node `EVENT` dump.
fn messages() -> Vec<(i64, String)> {
    let base = 1_752_235_320_000_i64; // 2025-07-11T12:02:00Z
    let mut out = Vec::new();
    let info = |id: &str, text: &str| format!("[INFO]\t2025-07-11T12:02:00.001Z\t{id}\t[INFO] {text}\n");
    for (n, id) in ID.iter().enumerate() {
        let t = base + 60_000 * n as i64;
        out.push((t, format!("START RequestId: {id} Version: $LATEST\n")));
        let ip = ["203.0.113.10", "203.0.113.10", "203.0.113.10"][n];
        out.push((t + 1, info(id, &format!("Source IP: {ip}"))));
        let token = ["Ab\rX", "Ab12Xy34", "Ab12Xy34"][n];
        out.push((t + 1, info(id, &format!("Token: {token}"))));
        out.push((t + 1, info(id, "Allowed IP: 203.0.113.10")));
        out.push((t + 1, info(id, "Allowed Token: Ab12Xy34")));
        match n {
            0 => out.push((
                t + 1,
                format!("[ERROR]\t2025-07-11T12:02:00.001Z\t{id}\t[ERROR] Token mismatch: received token=Ab\rX, allowed token=Ab12Xy34\n"),
            )),
            1 => out.push((
                t + 1,
                "[ERROR] RuntimeError: boom\rTraceback (most recent call last):\r  File \"/var/task/app.py\", line 3, in handler\r    raise RuntimeError('boom')\n".to_string(),
            )),
            _ => out.push((t + 1, "EVENT\r{\r  \"key\": \"value\"\r}\n".to_string())),
        }
        out.push((t + 2, format!("END RequestId: {id}\n")));
        out.push((
            t + 2,
            format!("REPORT RequestId: {id}\tDuration: 1.64 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n"),
        ));
    }
    out
}

/// The messages as a CreateExportTask file: `<ISO ms Z> <message>\n`, each message ending in its own `\n`.
fn export() -> Vec<u8> {
    let mut text = String::new();
    for (t, m) in messages() {
        let stamp = chrono::DateTime::from_timestamp_millis(t).expect("time");
        text.push_str(&format!("{} {m}\n", stamp.format("%Y-%m-%dT%H:%M:%S%.3fZ")));
    }
    text.into_bytes()
}

/// The messages as `aws logs filter-log-events` prints them: the CloudWatch API's own events.
fn filter_json() -> Vec<u8> {
    let events: Vec<Value> = messages()
        .into_iter()
        .map(|(t, m)| json!({"logStreamName": "", "timestamp": t, "message": m}))
        .collect();
    serde_json::to_vec(&json!({ "events": events })).expect("json")
}

fn rows(run: &Run) -> Vec<Value> {
    run.assert_code(0).assert_no_panic();
    run.text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn a_cr_inside_messages_of_an_lf_export_is_content_in_report_and_tail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (file, api) = (dir.path().join("cr.export.log"), dir.path().join("cr.filter.json"));
    std::fs::write(&file, export()).expect("write");
    std::fs::write(&api, filter_json()).expect("write");
    let requests = |path: &std::path::Path| {
        rows(&finish(
            authlogs().args(["report", "--requests", "--format", "json"]).arg(path),
        ))
    };
    let from_file = requests(&file);
    let decisions: Vec<(&str, &str)> = from_file
        .iter()
        .map(|r| {
            (
                r["request_id"].as_str().unwrap_or(""),
                r["decision"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // The log says the token did not match: split at its `\r`, the mismatch line did not parse
    // and the request read as allowed. The traceback is one failed invocation, the dump one line.
    let want = [(ID[0], "denied"), (ID[1], "error"), (ID[2], "allowed")];
    assert_eq!(decisions, want, "{from_file:#?}");
    assert_eq!(from_file[0]["reasons"], json!(["token_mismatch"]));
    assert_eq!(requests(&api), from_file, "the CloudWatch shape reads as the file");
    let tail = finish(authlogs().args(["tail", "-", "--format", "json"]).write_stdin(export()));
    assert_eq!(rows(&tail), from_file, "tail - reads as report FILE");
    let summary = finish(authlogs().args(["report", "--format", "json"]).arg(&file));
    let summary = summary.assert_code(0).json();
    let unrecognized: Vec<&Value> = summary["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == "unrecognized_lines")
        .collect();
    // The `EVENT` dump is one event, not four lines.
    assert_eq!(unrecognized.len(), 1, "{summary:#}");
    assert_eq!(unrecognized[0]["count"], 1, "{summary:#}");
}
