//! Tests of the grouper: joins, supersede, late lines, cold starts, expiry by lines and by time.

use super::*;
use crate::parse::Parser;

fn run(lines: &[(&str, &str)], config: GroupConfig) -> (Vec<Invocation>, GroupStats) {
    let parser = Parser::default();
    let mut g = Grouper::new(config);
    let mut out = Vec::new();
    for (i, (stream, msg)) in lines.iter().enumerate() {
        g.push(Some(i as i64), stream, parser.parse(msg), &mut |inv| {
            out.push(inv.clone())
        });
    }
    g.flush(&mut |inv| out.push(inv.clone()));
    (out, g.stats())
}

const A: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const B: &str = "bbbbbbbb-0000-0000-0000-000000000002";

fn request(id: &str, extra: &[&str]) -> Vec<String> {
    request_of(id, extra, "1.85 ms\tBilled Duration: 2 ms")
}

/// A request that ran `duration` (the REPORT's text from the Duration's value to its fields after).
fn request_of(id: &str, extra: &[&str], duration: &str) -> Vec<String> {
    let mut v = vec![format!("START RequestId: {id} Version: $LATEST\n")];
    for e in extra {
        v.push(format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t{e}\n"));
    }
    v.push(format!("END RequestId: {id}\n"));
    v.push(format!(
        "REPORT RequestId: {id}\tDuration: {duration}\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n"
    ));
    v
}

/// A request that ran 3 s: as long as a timeout of 3 s, so a `Task timed out` line may follow it.
fn long_request(id: &str, extra: &[&str]) -> Vec<String> {
    request_of(id, extra, "3003.12 ms\tBilled Duration: 3004 ms")
}

#[test]
fn a_reset_invocation_equals_a_new_one() {
    let full = AuthEvidence {
        source_ip: Some("1".into()),
        token: Some("t".into()),
        allowed_ip: Some("2".into()),
        allowed_token: Some("a".into()),
        api_request_id: Some("r".into()),
        ip_mismatch: Some(("1".into(), "2".into())),
        token_mismatch: Some(("t".into(), "a".into())),
        allow_marker: true,
        deny_marker: true,
    };
    let mut inv = Invocation {
        request_id: RequestKey::new("old"),
        stream: Arc::from("s1"),
        first_ts: Some(1),
        last_ts: Some(2),
        started: true,
        ended: true,
        report: Some(Metrics::default()),
        error_type: Some("E".into()),
        cold_start: true,
        after_init: true,
        init_in_invoke: true,
        init_duration_us: Some(3),
        restore_duration_us: Some(4),
        timed_out: true,
        failed: true,
        auth: full,
    };
    inv.reset(RequestKey::new("new"), Arc::from("s2"));
    let fresh = Invocation {
        request_id: RequestKey::new("new"),
        stream: Arc::from("s2"),
        ..Default::default()
    };
    assert_eq!(inv, fresh);
}

#[test]
fn interleaved_streams_group_by_request_id() {
    let a = request(A, &["[INFO] Source IP: 1.1.1.1", "[INFO] Token: t"]);
    let b = request(B, &["[INFO] Source IP: 2.2.2.2"]);
    let mut lines = Vec::new();
    for i in 0..a.len().max(b.len()) {
        if let Some(l) = a.get(i) {
            lines.push(("s1", l.as_str()));
        }
        if let Some(l) = b.get(i) {
            lines.push(("s2", l.as_str()));
        }
    }
    let (out, stats) = run(&lines, GroupConfig::default());
    assert_eq!(out.len(), 2);
    let ia = out.iter().find(|i| i.request_id == A).unwrap();
    assert_eq!(ia.auth.source_ip.as_deref(), Some("1.1.1.1"));
    assert_eq!(ia.auth.token.as_deref(), Some("t"));
    assert_eq!(&*ia.stream, "s1");
    assert!(ia.is_complete() && ia.started && ia.ended);
    let ib = out.iter().find(|i| i.request_id == B).unwrap();
    assert_eq!(ib.auth.source_ip.as_deref(), Some("2.2.2.2"));
    assert_eq!(stats, GroupStats::default());
}

#[test]
fn timeout_line_after_report_and_cold_start() {
    let mut lines: Vec<String> = vec!["INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: x\n".into()];
    lines.extend(request(A, &[]));
    if let Some(report) = lines.last_mut() {
        *report = report.replace("35 MB\t", "35 MB\tInit Duration: 120.50 ms\t");
    }
    lines.push(format!(
        "2020-06-09T15:02:26.150Z {A} Task timed out after 3.00 seconds\n\n"
    ));
    lines.extend(request(B, &[]));
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, _) = run(&l, GroupConfig::default());
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].request_id, A);
    assert!(out[0].timed_out && out[0].cold_start);
    assert_eq!(out[0].init_duration_us, Some(120_500));
    assert!(!out[1].timed_out && !out[1].cold_start);
}

#[test]
fn grace_window_emits_and_late_lines_are_counted_not_duplicated() {
    let mut lines: Vec<String> = request(A, &[]);
    for _ in 0..5 {
        lines.push("noise\n".into());
    }
    lines.push(format!(
        "2020-06-09T15:02:26.150Z {A} Task timed out after 3.00 seconds\n"
    ));
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, stats) = run(
        &l,
        GroupConfig {
            grace_lines: 2,
            ..GroupConfig::default()
        },
    );
    assert_eq!(out.len(), 1);
    assert!(!out[0].timed_out);
    assert_eq!(stats.late_lines, 1);
    assert_eq!(stats.unrecognized_lines, 5);
}

#[test]
fn incomplete_at_end_and_stale_partials_bounded() {
    let lines = [("s", "START RequestId: aaaaaaaa-1 Version: $LATEST\n")];
    let (out, _) = run(&lines, GroupConfig::default());
    assert_eq!(out.len(), 1);
    assert!(!out[0].is_complete());

    // Many requests that never report: memory stays bounded by the stale window.
    let parser = Parser::default();
    let mut g = Grouper::new(GroupConfig {
        stale_lines: 1000,
        ..GroupConfig::default()
    });
    let mut emitted = 0usize;
    let mut max_open = 0usize;
    for i in 0..200_000u32 {
        let msg = format!("START RequestId: req-{i:08} Version: $LATEST");
        g.push(None, &format!("s{}", i % 7), parser.parse(&msg), &mut |_| emitted += 1);
        max_open = max_open.max(g.in_flight());
    }
    g.flush(&mut |_| emitted += 1);
    assert_eq!(emitted, 200_000);
    assert!(max_open < 70_000, "open grew to {max_open}");
}

#[test]
fn unhandled_error_without_id_goes_to_the_running_request() {
    let lines: Vec<String> = vec![
        format!("START RequestId: {A} Version: $LATEST\n"),
        "[WARNING]\t2026-04-22T21:00:55.004Z\t\tLAMBDA_WARNING: Unhandled exception.\n".into(),
        "[ERROR] KeyError: 'x'\nTraceback (most recent call last):".into(),
        format!("END RequestId: {A}\n"),
    ];
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, _) = run(&l, GroupConfig::default());
    assert_eq!(out.len(), 1);
    assert!(out[0].failed);
    assert!(!out[0].is_complete());
}

/// Pushes `lines` at clock `now` (after a tick to it), collecting what is emitted.
fn push_at(g: &mut Grouper, now: i64, lines: &[String], out: &mut Vec<Invocation>) {
    let parser = Parser::default();
    g.tick(now, &mut |inv| out.push(inv.clone()));
    for msg in lines {
        g.push(Some(now), "s1", parser.parse(msg), &mut |inv| out.push(inv.clone()));
    }
}

#[test]
fn tick_emits_a_reported_request_after_the_grace_without_more_lines() {
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    push_at(&mut g, 10_000, &long_request(A, &["Source IP: 1.2.3.4"]), &mut out);
    g.tick(10_999, &mut |inv| out.push(inv.clone()));
    assert!(out.is_empty(), "inside the grace of 1 s nothing is emitted");
    g.tick(11_000, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].request_id, RequestKey::new(A));
    assert!(out[0].is_complete());
    assert_eq!(g.in_flight(), 0);
}

#[test]
fn tick_expires_a_request_without_report_as_incomplete_after_its_idle_time() {
    let config = GroupConfig {
        incomplete_after_ms: 60_000,
        ..GroupConfig::default()
    };
    let mut g = Grouper::new(config);
    let mut out = Vec::new();
    let mut lines = request(B, &[]);
    lines.pop(); // no REPORT
    push_at(&mut g, 0, &lines, &mut out);
    // A line 30 s later keeps it open: the idle time counts from its last line.
    let more = format!("[INFO]\t2025-07-11T06:05:34.309Z\t{B}\tSource IP: 5.6.7.8\n");
    push_at(&mut g, 30_000, &[more], &mut out);
    g.tick(89_999, &mut |inv| out.push(inv.clone()));
    assert!(out.is_empty());
    g.tick(90_000, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1);
    assert!(!out[0].is_complete());
    assert_eq!(out[0].auth.source_ip.as_deref(), Some("5.6.7.8"));
}

#[test]
fn a_late_line_inside_the_grace_joins_its_request() {
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    push_at(&mut g, 0, &long_request(A, &[]), &mut out);
    push_at(
        &mut g,
        500,
        &[format!("{}Task timed out after 3.00 seconds\n", "")],
        &mut out,
    );
    g.tick(2_000, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1);
    assert!(out[0].timed_out, "the timeout line after REPORT was kept");
}

#[test]
fn a_timeout_line_after_a_long_report_makes_the_one_decision_printed() {
    use crate::decision::{decide, Decision};
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    let allowed = [
        "Source IP: 203.0.113.10",
        "Allowed IP: 203.0.113.10",
        "Token: Ab12",
        "Allowed Token: Ab12",
    ];
    push_at(&mut g, 0, &long_request(A, &allowed), &mut out);
    g.tick(900, &mut |inv| out.push(inv.clone()));
    assert!(
        out.is_empty(),
        "a REPORT of 3 s may still be followed by its timeout: it waits"
    );
    let timeout = format!("2020-06-09T15:02:26.150Z {A} Task timed out after 3.00 seconds\n");
    push_at(&mut g, 950, &[timeout], &mut out);
    assert!(out.is_empty());
    g.tick(1_000, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1, "emitted once, a grace after its REPORT");
    assert!(out[0].timed_out);
    assert_eq!(
        decide(&out[0]).decision,
        Decision::Timeout,
        "the decision printed is the timeout's"
    );
    assert_eq!(g.stats().late_lines, 0);
}

#[test]
fn a_settled_report_emits_its_request_at_once_in_a_live_run() {
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    // Shorter than Lambda's smallest timeout: emitted on its REPORT, no tick needed.
    push_at(&mut g, 5_000, &request(A, &[]), &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].request_id, A);
    assert!(out[0].is_complete());
    // A REPORT that says how it ended (`Status:`) is final too, however long it ran.
    let mut b = long_request(B, &[]);
    if let Some(report) = b.last_mut() {
        *report = report.replace("\t\n", "\tStatus: timeout\n");
    }
    push_at(&mut g, 5_001, &b, &mut out);
    assert_eq!(out.len(), 2);
    assert!(out[1].timed_out);
    assert_eq!(g.in_flight(), 0);
    // One of 999.99 ms is settled, one of 1000 ms (a 1 s timeout) is not.
    let c = "cccccccc-0000-0000-0000-000000000003";
    push_at(
        &mut g,
        5_002,
        &request_of(c, &[], "999.99 ms\tBilled Duration: 1000 ms"),
        &mut out,
    );
    assert_eq!(out.len(), 3);
    let d = "dddddddd-0000-0000-0000-000000000004";
    push_at(
        &mut g,
        5_003,
        &request_of(d, &[], "1000.00 ms\tBilled Duration: 1000 ms"),
        &mut out,
    );
    assert_eq!(
        out.len(),
        3,
        "a run of 1 s may have hit a 1 s timeout: it waits the grace"
    );
    g.tick(6_003, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 4);
}

#[test]
fn a_settled_report_before_its_start_waits_the_grace() {
    // Newest first, as a Logs Insights export lists them: the REPORT comes before the lines that
    // decide; emitting on it would print an unknown decision.
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    let mut lines = request(A, &["Source IP: 203.0.113.10", "Allowed IP: 203.0.113.10"]);
    lines.reverse();
    push_at(&mut g, 0, &lines, &mut out);
    assert!(out.is_empty());
    g.tick(1_000, &mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].auth.allowed_ip.as_deref(), Some("203.0.113.10"));
}

#[test]
fn without_a_tick_a_settled_report_still_waits_its_lines() {
    // A file: emission by lines only, so its reports do not depend on the run being live.
    let lines = request(A, &[]);
    let parser = Parser::default();
    let mut g = Grouper::new(GroupConfig::default());
    let mut out = Vec::new();
    for msg in &lines {
        g.push(None, "s1", parser.parse(msg), &mut |inv| out.push(inv.clone()));
    }
    assert!(out.is_empty());
    g.flush(&mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), 1);
}

/// A request whose token and allowed token are `token` and `allowed`, from 203.0.113.10 (allowed).
fn request_with_tokens(id: &str, token: &str, allowed: &str) -> Vec<String> {
    request(
        id,
        &[
            "[INFO] Source IP: 203.0.113.10",
            &format!("[INFO] Token: {token}"),
            "[INFO] Allowed IP: 203.0.113.10",
            &format!("[INFO] Allowed Token: {allowed}"),
        ],
    )
}

#[test]
fn values_over_the_cap_are_kept_cut_counted_and_decide_as_the_whole_values() {
    use crate::decision::{decide, Decision};
    use crate::redact::{display_token, TokenDisplay};
    let long = "A".repeat(1 << 20);
    // The same head and length, another last byte: a different token.
    let other = format!("{}B", &long[..long.len() - 1]);
    let mut lines = request_with_tokens(A, &long, &long);
    lines.extend(request_with_tokens(B, &other, &long));
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, stats) = run(&l, GroupConfig::default());
    assert_eq!(out.len(), 2);
    assert_eq!(stats.values_cut, 4, "two values of each request");
    for inv in &out {
        let token = inv.auth.token.as_deref().unwrap_or_default();
        assert!(token.len() < crate::cut::VALUE_CAP + 128, "{}", token.len());
        assert!(token.contains("…[cut: 1048576 bytes, sha256:"), "{token:.80}");
    }
    assert_eq!(decide(&out[0]).decision, Decision::Allowed, "equal whole values");
    let denied = decide(&out[1]);
    assert_eq!(
        denied.decision,
        Decision::Denied,
        "whole values differ in their last byte"
    );
    assert!(denied.reasons.token_mismatch && !denied.reasons.ip_mismatch);
    // The mask is the whole value's: `tok:` and the first 8 hex digits of its SHA-256
    // (`head -c 1048576 /dev/zero | tr '\0' A | sha256sum` → 4e29ad18…).
    let shown = display_token(out[0].auth.token.as_deref().unwrap_or_default(), TokenDisplay::Masked);
    assert_eq!(shown, "tok:4e29ad18");
    assert_eq!(shown, display_token(&long, TokenDisplay::Masked));
}

#[test]
fn short_values_are_not_cut_and_not_counted() {
    let lines = request_with_tokens(A, &"t".repeat(crate::cut::VALUE_CAP), "Ab12Xy34");
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, stats) = run(&l, GroupConfig::default());
    assert_eq!(stats, GroupStats::default());
    assert_eq!(
        out[0].auth.token.as_deref(),
        Some("t".repeat(crate::cut::VALUE_CAP).as_str())
    );
}

#[test]
fn a_long_request_id_and_stream_name_are_cut_once_and_still_join_their_lines() {
    let id = format!("req-{}", "9".repeat(10_000));
    let stream = "s".repeat(10_000);
    let lines = request(&id, &[]);
    let l: Vec<(&str, &str)> = lines.iter().map(|m| (stream.as_str(), m.as_str())).collect();
    let (out, stats) = run(&l, GroupConfig::default());
    assert_eq!(out.len(), 1, "one invocation from its four lines");
    assert!(out[0].is_complete() && out[0].started && out[0].ended);
    assert!(out[0].request_id.is_cut() && crate::cut::is_cut(&out[0].stream));
    assert_eq!(stats.values_cut, 2, "the id once, the stream name once");
}

/// Requests that never end, each holding a 4 KiB token: under a budget of 1 MiB the oldest are
/// emitted early, incomplete, counted, and what stays open holds no more than the budget.
#[test]
fn open_requests_are_bounded_by_bytes_and_the_oldest_closed_early_are_counted() {
    let parser = Parser::default();
    let budget = 1 << 20;
    let mut g = Grouper::new(GroupConfig {
        max_open_bytes: budget,
        ..GroupConfig::default()
    });
    let mut out: Vec<Invocation> = Vec::new();
    let token = "T".repeat(4_000);
    let n = 1_000;
    for i in 0..n {
        let id = format!("{i:08}-0000-0000-0000-000000000000");
        for msg in [
            format!("START RequestId: {id} Version: $LATEST"),
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: {token}{i}"),
        ] {
            g.push(Some(i), "s", parser.parse(&msg), &mut |inv| out.push(inv.clone()));
        }
        assert!(g.held <= budget, "held {} after request {i}", g.held);
    }
    let closed = g.stats().requests_closed_early;
    assert_eq!(closed as usize, out.len());
    assert!(closed > 700, "{closed} of {n}: about 4 KiB each in a 1 MiB budget");
    assert!(out.iter().all(|inv| !inv.is_complete()));
    // Oldest first: the first emitted is the first started.
    assert_eq!(out[0].request_id.to_string(), "00000000-0000-0000-0000-000000000000");
    let open = g.in_flight();
    g.flush(&mut |inv| out.push(inv.clone()));
    assert_eq!(out.len(), n as usize, "every request emitted once");
    assert_eq!(open + closed as usize, n as usize);
    assert_eq!(g.held, 0, "nothing held once all are emitted");
}

#[test]
fn an_ordinary_run_closes_nothing_early() {
    let mut lines = Vec::new();
    for i in 0..2_000 {
        lines.extend(request(
            &format!("{i:08}-0000-0000-0000-000000000000"),
            &["[INFO] Token: Ab12Xy34"],
        ));
    }
    let l: Vec<(&str, &str)> = lines.iter().map(|m| ("s", m.as_str())).collect();
    let (out, stats) = run(&l, GroupConfig::default());
    assert_eq!(out.len(), 2_000);
    assert_eq!((stats.requests_closed_early, stats.values_cut), (0, 0));
}

/// Pushes `(time, message)` lines of one stream; the invocations emitted and the counts.
fn run_at(lines: &[(Option<i64>, String)], config: GroupConfig) -> (Vec<Invocation>, GroupStats) {
    let parser = Parser::default();
    let mut g = Grouper::new(config);
    let mut out = Vec::new();
    for (ts, msg) in lines {
        g.push(*ts, "s", parser.parse(msg), &mut |inv| out.push(inv.clone()));
    }
    g.flush(&mut |inv| out.push(inv.clone()));
    (out, g.stats())
}

/// START … REPORT of `id` from `t` on, lasting `ms`, failed by Node's `Invoke Error` when asked.
fn attempt_lines(id: &str, t: Option<i64>, ms: u32, fail: bool) -> Vec<(Option<i64>, String)> {
    let mut v = vec![(t, format!("START RequestId: {id} Version: $LATEST\n"))];
    if fail {
        v.push((
            t,
            format!("2025-07-11T06:05:34.309Z\t{id}\tERROR\tInvoke Error \t{{\"errorType\":\"Error\"}}\n"),
        ));
    }
    v.push((t, format!("END RequestId: {id}\n")));
    v.push((t, format!("REPORT RequestId: {id}\tDuration: {ms}.00 ms\tBilled Duration: {ms} ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\n")));
    v
}

#[test]
fn a_request_id_run_again_is_a_new_attempt_whether_or_not_the_last_was_emitted() {
    // Lambda retries a failed asynchronous invocation twice, under its id, a minute apart.
    let mut lines = attempt_lines(A, Some(0), 10, true);
    lines.extend(attempt_lines(A, Some(60_000), 20, true));
    lines.extend(attempt_lines(A, Some(180_000), 30, false));
    for grace_lines in [1, 4096] {
        let config = GroupConfig {
            grace_lines,
            ..GroupConfig::default()
        };
        let (out, stats) = run_at(&lines, config);
        let got: Vec<_> = out
            .iter()
            .map(|i| (i.report.as_ref().and_then(|m| m.duration_us), i.failed, i.first_ts))
            .collect();
        assert_eq!(
            got,
            [
                (Some(10_000), true, Some(0)),
                (Some(20_000), true, Some(60_000)),
                (Some(30_000), false, Some(180_000))
            ],
            "grace {grace_lines}"
        );
        assert_eq!((stats.retries, stats.repeated_starts, stats.late_lines), (2, 0, 0));
    }
}

#[test]
fn a_placeholder_id_without_times_runs_once_per_start() {
    let mut lines = Vec::new();
    for ms in [5, 6, 7] {
        lines.extend(attempt_lines("<guid>", None, ms, false));
    }
    let (out, stats) = run_at(&lines, GroupConfig::default());
    assert_eq!(out.len(), 3);
    assert_eq!(stats.retries, 2);
}

#[test]
fn a_copy_of_the_same_lines_is_not_a_retry() {
    // Every line twice in a row, then the whole block again: one attempt.
    let block = attempt_lines(A, Some(5), 10, true);
    let mut lines: Vec<_> = block.iter().flat_map(|l| [l.clone(), l.clone()]).collect();
    lines.extend(block.iter().cloned());
    for grace_lines in [1, 4096] {
        let config = GroupConfig {
            grace_lines,
            ..GroupConfig::default()
        };
        let (out, stats) = run_at(&lines, config);
        assert_eq!(out.len(), 1, "grace {grace_lines}");
        assert!(out[0].failed);
        assert_eq!((stats.retries, stats.repeated_starts), (0, 2), "grace {grace_lines}");
    }
    // A retry's REPORT entry of the attempt before does not end the new attempt early.
    let mut lines = attempt_lines(A, Some(0), 10, false);
    lines.extend(attempt_lines(A, Some(60_000), 20, false));
    // Lines 0-2 the first attempt (its REPORT at line 3 of the grouper's count), 3 the retry's
    // START; the REPORT's grace of 5 lines ends among the noise, before the retry's REPORT.
    for _ in 0..5 {
        lines.insert(4, (Some(60_000), "noise".into()));
    }
    let config = GroupConfig {
        grace_lines: 5,
        ..GroupConfig::default()
    };
    let (out, stats) = run_at(&lines, config);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out.iter().all(Invocation::is_complete), "{out:?}");
    assert_eq!(stats.retries, 1);
}
