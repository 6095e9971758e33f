//! `authlogs tail` on streams (standard input, files, growing files): one line per invocation as
//! it completes, the same invocations as `report --requests`, filters, bounds, alerts, signals.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{authlogs, data, finish, read_data, root, Run};

/// The seed's ALLOWED_TOKEN and the test token: never printed by tail.
const SECRETS: [&str; 2] = ["Ab12Xy34", "\"test\""];

fn tail(args: &[&str], stdin: Vec<u8>) -> Run {
    finish(authlogs().arg("tail").args(args).write_stdin(stdin))
}

fn json_lines(run: &Run) -> Vec<Value> {
    run.text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn ids(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .filter(|v| v.get("type").is_none())
        .map(|v| v["request_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A background `authlogs tail ARGS` with piped stdin and stdout.
fn spawn(args: &[&str]) -> Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("authlogs"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .arg("tail")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("authlogs starts")
}

fn request(id: &str, ip: &str, token: &str, ts: &str) -> String {
    format!(
        "{ts} START RequestId: {id} Version: $LATEST\n\n\
         {ts} [INFO]\t{ts}\t{id}\t[INFO] Source IP: {ip}\n\n\
         {ts} [INFO]\t{ts}\t{id}\t[INFO] Token: {token}\n\n\
         {ts} [INFO]\t{ts}\t{id}\t[INFO] Allowed IP: 203.0.113.10\n\n\
         {ts} [INFO]\t{ts}\t{id}\t[INFO] Allowed Token: Ab12Xy34\n\n\
         {ts} END RequestId: {id}\n\n\
         {ts} REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n\n"
    )
}

#[test]
fn tail_of_a_piped_file_prints_the_invocations_of_report_requests() {
    for (file, format) in [
        ("equiv.export.log", "export"),
        ("equiv.export.gz", "export"),
        ("equiv.filter.json", "json"),
        ("equiv.tail.log", "tail"),
        ("equiv.console.csv", "console-csv"),
    ] {
        let run = tail(&["-", "--format", "json"], read_data(file));
        run.assert_code(0).assert_no_panic();
        let report = finish(authlogs().args(["report", &data(file), "--requests", "--format", "json"]));
        report.assert_code(0);
        let got: BTreeSet<String> = json_lines(&run).iter().map(|v| v.to_string()).collect();
        let want: BTreeSet<String> = json_lines(&report).iter().map(|v| v.to_string()).collect();
        assert_eq!(got, want, "{file} ({format}): the same rows, field for field");
        assert_eq!(got.len(), 11, "{file}");
        assert!(
            run.stderr
                .contains("authlogs: 11 invocations (allowed 3, denied 6, timeout 1, error 1"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn text_lines_say_the_decision_and_why() {
    let run = tail(&["-"], read_data("equiv.export.log"));
    run.assert_code(0);
    let text = run.text();
    assert_eq!(text.lines().count(), 11, "{text}");
    let line = |id: &str| {
        text.lines()
            .find(|l| l.ends_with(id))
            .unwrap_or_else(|| panic!("{id} in {text}"))
            .to_string()
    };
    let e1 = line("e9b8af80-569f-4e11-a6fd-15e45859e5a3");
    assert!(
        e1.contains("ALLOW") && e1.contains("203.0.113.10") && e1.contains("cold") && e1.contains("36/512 MB"),
        "{e1}"
    );
    let e8 = line("d2e2aab1-79ee-4d28-8466-6870c91b5006");
    assert!(
        e8.contains("DENY") && e8.contains("ip+token missing") && e8.contains("<none>"),
        "{e8}"
    );
    assert!(line("401f7f49-1fa1-4bda-a3ef-bc77f9b2bc93").contains("TIMEOUT"));
    for secret in SECRETS {
        assert!(!text.contains(secret), "a token leaked: {text}");
    }
}

#[test]
fn filters_choose_what_is_printed_and_the_summary_counts_everything() {
    let denied = tail(&["-", "--denied", "--format", "json"], read_data("equiv.export.log"));
    let lines = json_lines(&denied);
    assert_eq!(lines.len(), 6);
    assert!(lines.iter().all(|v| v["decision"] == "denied"));
    assert!(
        denied.stderr.contains("11 invocations") && denied.stderr.contains("6 printed"),
        "{}",
        denied.stderr
    );

    let ip = tail(
        &["-", "--ip", "198.51.100.0/24", "--format", "json"],
        read_data("equiv.export.log"),
    );
    let lines = json_lines(&ip);
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|v| v["source_ip"] == "198.51.100.23"));

    let missing = tail(
        &["-", "--reason", "missing", "--format", "json"],
        read_data("equiv.export.log"),
    );
    let got: BTreeSet<String> = ids(&json_lines(&missing)).into_iter().collect();
    let want: BTreeSet<String> = [
        "3bb4e5e2-9641-4cf2-8cdc-167216c9d65c",
        "d2e2aab1-79ee-4d28-8466-6870c91b5006",
    ]
    .map(String::from)
    .into();
    assert_eq!(got, want);

    let bad = tail(&["-", "--ip", "not-an-ip"], Vec::new());
    bad.assert_code(2);
    assert!(
        bad.stderr.contains("--ip takes an IP address or a CIDR range"),
        "{}",
        bad.stderr
    );
}

#[test]
fn count_stops_after_n_lines() {
    let run = tail(
        &["-", "--count", "2", "--format", "json"],
        read_data("equiv.export.log"),
    );
    run.assert_code(0);
    assert_eq!(json_lines(&run).len(), 2);
    assert!(run.stderr.contains("2 printed"), "{}", run.stderr);
}

#[test]
fn raw_prints_the_lines_of_each_invocation_escaped_and_masked_lines_are_not_touched() {
    let run = tail(&["-", "--raw", "--count", "1"], read_data("equiv.export.log"));
    run.assert_code(0);
    let text = run.text();
    assert!(
        text.contains("    │ START RequestId: e9b8af80-569f-4e11-a6fd-15e45859e5a3"),
        "{text}"
    );
    assert!(
        text.contains("    │ REPORT RequestId: e9b8af80-569f-4e11-a6fd-15e45859e5a3"),
        "{text}"
    );
}

#[test]
fn no_token_and_no_raw_control_byte_in_any_tail_output() {
    for args in [
        vec!["-"],
        vec!["-", "--format", "json"],
        vec!["-", "--raw"],
        vec!["-", "--color", "never"],
    ] {
        let run = tail(&args, read_data("control-chars.filter.json"));
        run.assert_code(0).assert_no_panic();
        let text = run.text();
        assert!(!text.is_empty());
        for c in text.chars() {
            assert!(c == '\n' || !c.is_control(), "{args:?}: raw control {c:?} in {text:?}");
        }
        assert!(
            !run.stderr.chars().any(|c| c != '\n' && c.is_control()),
            "{:?}",
            run.stderr
        );
        for secret in SECRETS {
            assert!(!text.contains(secret), "{args:?}: a token leaked: {text}");
        }
    }
}

#[test]
fn a_burst_of_denials_from_one_ip_raises_one_alert() {
    let mut text = String::new();
    for i in 0..7 {
        let id = format!("0000000{i}-1111-4222-8333-444444444444");
        text.push_str(&request(
            &id,
            "192.0.2.66",
            "guess",
            &format!("2025-07-11T06:00:0{i}.000Z"),
        ));
    }
    let run = tail(
        &["-", "--format", "json", "--alert-denials", "5/60s"],
        text.into_bytes(),
    );
    run.assert_code(0);
    let lines = json_lines(&run);
    let alerts: Vec<&Value> = lines.iter().filter(|v| v["type"] == "alert").collect();
    assert_eq!(alerts.len(), 1, "{lines:?}");
    assert_eq!(
        (alerts[0]["ip"].as_str(), alerts[0]["denials"].as_u64()),
        (Some("192.0.2.66"), Some(5))
    );
    let text_run = tail(&["-", "--alert-denials", "5/60s"], read_data("equiv.export.log"));
    assert!(
        !text_run.text().contains("ALERT"),
        "three denials over hours are no burst"
    );
}

#[test]
fn a_quiet_stream_prints_each_invocation_within_the_grace() {
    let mut child = spawn(&["-", "--format", "json"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for i in 0..3 {
        let id = format!("aaaaaaa{i}-1111-4222-8333-444444444444");
        let sent = Instant::now();
        stdin
            .write_all(request(&id, "203.0.113.10", "Ab12Xy34", "2025-07-11T06:00:00.000Z").as_bytes())
            .expect("write");
        stdin.flush().expect("flush");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("a line");
        let delay = sent.elapsed();
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["request_id"], id.as_str());
        assert_eq!(v["decision"], "allowed");
        // The grace is 1 s; the stream stays open, so nothing but time can have emitted it.
        assert!(delay < Duration::from_secs(3), "printed after {delay:?}");
    }
    drop(stdin);
    let status = child.wait().expect("ends at the end of its input");
    assert!(status.success());
}

/// The first JSON line `child` prints, with how long after `since` it came.
fn next_json(stdout: &mut BufReader<std::process::ChildStdout>, since: Instant) -> (Value, Duration) {
    let mut line = String::new();
    stdout.read_line(&mut line).expect("a line");
    let delay = since.elapsed();
    (
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")),
        delay,
    )
}

#[test]
fn a_short_invocation_is_printed_without_waiting_the_grace() {
    // A run of 1.85 ms cannot be followed by its timeout (Lambda's smallest is 1 s): no wait.
    let mut child = spawn(&["-", "--format", "json", "--grace", "20s"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let id = "aaaaaaa9-1111-4222-8333-444444444444";
    let sent = Instant::now();
    let lines = request(id, "203.0.113.10", "Ab12Xy34", "2025-07-11T06:00:00.000Z");
    stdin.write_all(lines.as_bytes()).expect("write");
    stdin.flush().expect("flush");
    let (v, delay) = next_json(&mut stdout, sent);
    assert_eq!(v["request_id"], id);
    assert_eq!(v["decision"], "allowed");
    assert!(
        delay < Duration::from_secs(10),
        "printed after {delay:?}, as if it waited the 20 s grace"
    );
    drop(stdin);
    assert!(child.wait().expect("ends").success());
}

#[test]
fn a_timeout_line_after_a_long_report_is_waited_for() {
    // A run of 3 s may have hit a 3 s timeout whose line comes after REPORT: the grace is waited.
    let mut child = spawn(&["-", "--format", "json", "--grace", "2s"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let id = "aaaaaaa8-1111-4222-8333-444444444444";
    let ts = "2025-07-11T06:00:00.000Z";
    let lines = request(id, "203.0.113.10", "Ab12Xy34", ts).replace(
        "Duration: 1.85 ms\tBilled Duration: 2 ms",
        "Duration: 3003.12 ms\tBilled Duration: 3004 ms",
    );
    assert!(lines.contains("3003.12"));
    let sent = Instant::now();
    stdin.write_all(lines.as_bytes()).expect("write");
    stdin.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    let timeout = format!("{ts} {ts} {id} Task timed out after 3.00 seconds\n\n");
    stdin.write_all(timeout.as_bytes()).expect("write");
    stdin.flush().expect("flush");
    let (v, delay) = next_json(&mut stdout, sent);
    assert_eq!(v["request_id"], id);
    assert_eq!(v["decision"], "timeout", "the decision printed is the final one: {v}");
    assert!(
        delay >= Duration::from_secs(2),
        "printed after {delay:?}, inside the grace"
    );
    drop(stdin);
    assert!(child.wait().expect("ends").success());
}

#[test]
fn sigint_prints_the_summary_and_exits_0() {
    let mut child = spawn(&["-"]);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&read_data("equiv.export.log")).expect("write");
    stdin.flush().expect("flush");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for _ in 0..11 {
        let mut line = String::new();
        stdout.read_line(&mut line).expect("a line");
    }
    // Standard input stays open: only the signal ends the run.
    let pid = child.id().to_string();
    let killed = StdCommand::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("ends");
    drop(stdin);
    assert!(out.status.success(), "{:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("authlogs: 11 invocations (allowed 3, denied 6, timeout 1, error 1, unknown 0; 0 incomplete)")
            && stderr.contains("denials: ip mismatch 4, token mismatch 4, both 2, token missing 2")
            && stderr.contains("85 events, 0 reconnects, 0 sampled seconds"),
        "{stderr}"
    );
}

#[test]
fn idle_exit_ends_a_quiet_stream() {
    let mut child = spawn(&["-", "--idle-exit", "1s"]);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&read_data("equiv.export.log")).expect("write");
    stdin.flush().expect("flush");
    let started = Instant::now();
    let out = child.wait_with_output().expect("ends");
    drop(stdin);
    assert!(out.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 11);
}

#[test]
fn a_followed_file_prints_what_is_appended() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("authorizer.log");
    std::fs::write(
        &path,
        request(
            "bbbbbbb1-1111-4222-8333-444444444444",
            "203.0.113.10",
            "Ab12Xy34",
            "2025-07-11T06:00:00.000Z",
        ),
    )
    .expect("write");
    let path_text = path.to_string_lossy().into_owned();
    let mut child = spawn(&[&path_text, "--follow", "--format", "json", "--count", "2"]);
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("a line");
    assert!(first.contains("bbbbbbb1-"), "{first}");
    let mut f = std::fs::OpenOptions::new().append(true).open(&path).expect("open");
    f.write_all(
        request(
            "bbbbbbb2-1111-4222-8333-444444444444",
            "198.51.100.23",
            "Ab12Xy34",
            "2025-07-11T06:00:05.000Z",
        )
        .as_bytes(),
    )
    .expect("append");
    let mut second = String::new();
    stdout.read_line(&mut second).expect("a second line");
    assert!(
        second.contains("bbbbbbb2-") && second.contains("\"denied\""),
        "{second}"
    );
    let status = child.wait().expect("--count 2 ends it");
    assert!(status.success());
}

#[test]
fn tail_cuts_a_line_over_the_cap_and_reads_on() {
    let mut stdin = read_data("equiv.export.log");
    let mut long = b"2025-07-11T06:05:34.300Z ".to_vec();
    long.resize(3 << 20, b'z');
    long.push(b'\n');
    let at = stdin.len();
    stdin.splice(at..at, long);
    let run = tail(&["-", "--format", "json"], stdin);
    run.assert_code(0).assert_no_panic();
    assert_eq!(json_lines(&run).len(), 11, "every invocation after the long line too");
    assert!(run.stderr.contains("oversized"), "{}", run.stderr);
}

#[test]
fn tail_explains_a_stream_that_gives_nothing() {
    let stdin: Vec<u8> = (0..40)
        .flat_map(|i| format!("job {i} done, Token: s3cr3t{i}\n").into_bytes())
        .collect();
    let run = tail(&["-"], stdin);
    run.assert_code(0).assert_no_panic();
    for want in [
        "authlogs: -: read as bare: no line was recognized",
        "e.g. job 0 done, Token: ****",
        "--input-format",
    ] {
        assert!(run.stderr.contains(want), "{want}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("s3cr3t"), "{}", run.stderr);
    // A stream read on a thread (JSON) is explained the same way.
    let json = br#"{"events":[{"timestamp":1,"message":"hello"},{"timestamp":2,"message":"world"}]}"#.to_vec();
    let run = tail(&["-"], json);
    run.assert_code(0);
    assert!(
        run.stderr.contains("authlogs: -: read as json: no line was recognized"),
        "{}",
        run.stderr
    );
}

/// `tail -` on STDIN with ARGS in the environment ENV (no locale unless ENV sets one).
fn tail_env(args: &[&str], env: &[(&str, &str)], stdin: Vec<u8>) -> Run {
    let mut cmd = authlogs();
    cmd.arg("tail").args(args).write_stdin(stdin);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(&mut cmd)
}

#[test]
fn tail_lang_ja_translates_reasons_marks_alerts_and_the_summary() {
    let en = tail(&["-"], read_data("equiv.export.log"));
    let ja = tail(&["-", "--lang", "ja"], read_data("equiv.export.log"));
    en.assert_code(0);
    ja.assert_code(0).assert_no_panic();
    let (en_text, ja_text) = (en.text(), ja.text());
    assert_eq!(ja_text.lines().count(), 11, "{ja_text}");
    let line = |text: &str, id: &str| {
        text.lines()
            .find(|l| l.ends_with(id))
            .unwrap_or_else(|| panic!("{id} in {text}"))
            .to_string()
    };
    // The decision words stay (scripts grep for them); reasons and marks are Japanese.
    let e1 = line(&ja_text, "e9b8af80-569f-4e11-a6fd-15e45859e5a3");
    assert!(
        e1.contains("ALLOW") && e1.contains("コールド") && !e1.contains("cold"),
        "{e1}"
    );
    let e8 = line(&ja_text, "d2e2aab1-79ee-4d28-8466-6870c91b5006");
    assert!(e8.contains("DENY") && e8.contains("IP+トークンなし"), "{e8}");
    assert!(line(&ja_text, "401f7f49-1fa1-4bda-a3ef-bc77f9b2bc93").contains("TIMEOUT"));
    assert!(
        !ja_text.contains("token missing") && !ja_text.contains("ip+"),
        "{ja_text}"
    );
    // The same invocations in the same order, with the same times, addresses and numbers.
    let first_words = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(first_words(&ja_text), first_words(&en_text));
    // The summary on stderr.
    assert!(
        en.stderr
            .contains("authlogs: 11 invocations (allowed 3, denied 6, timeout 1, error 1"),
        "{}",
        en.stderr
    );
    assert!(
        ja.stderr
            .contains("authlogs: 呼び出し 11 件 (許可 3、拒否 6、タイムアウト 1、エラー 1"),
        "{}",
        ja.stderr
    );
    // An alert: ALERT, then Japanese.
    let mut burst = String::new();
    for i in 0..5 {
        let id = format!("0000000{i}-1111-4222-8333-444444444444");
        burst.push_str(&request(
            &id,
            "192.0.2.66",
            "guess",
            &format!("2025-07-11T06:00:0{i}.000Z"),
        ));
    }
    let run = tail(&["-", "--lang", "ja", "--alert-denials", "5/60s"], burst.into_bytes());
    let alert = run.text().lines().find(|l| l.starts_with("ALERT")).map(str::to_string);
    assert_eq!(
        alert.as_deref(),
        Some("ALERT   192.0.2.66 が 60 秒以内に 5 回拒否されました (2025-07-11T06:00:00.000Z → 2025-07-11T06:00:04.000Z)"),
        "{}",
        run.text()
    );
}

#[test]
fn tail_follows_the_locale_unless_lang_says_otherwise() {
    let stdin = || read_data("equiv.export.log");
    let ja = tail(&["-", "--lang", "ja"], stdin());
    let en = tail(&["-"], stdin());
    let by_locale = tail_env(&["-"], &[("LANG", "ja_JP.UTF-8")], stdin());
    assert_eq!((by_locale.text(), &by_locale.stderr), (ja.text(), &ja.stderr));
    let overridden = tail_env(&["-", "--lang", "en"], &[("LANG", "ja_JP.UTF-8")], stdin());
    assert_eq!((overridden.text(), &overridden.stderr), (en.text(), &en.stderr));
    assert_ne!(ja.text(), en.text());
    // JSON lines are a schema: the same bytes in every language.
    let json_en = tail(&["-", "--format", "json"], stdin());
    let json_ja = tail_env(&["-", "--format", "json"], &[("LANG", "ja_JP.UTF-8")], stdin());
    json_ja.assert_code(0);
    assert_eq!(json_ja.stdout, json_en.stdout);
    assert!(!json_lines(&json_ja).is_empty());
}
