//! Differential tests: `--engine insights`, executed by the evaluator, against `--engine local` on
//! the same events in moto, exact on every field outside `source.approximate` — on a corpus with
//! every line shape the authorizer and Lambda write, with requests straddling slice boundaries
//! and the window's ends, on more groups than one query may name, and on random corpora.

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::{compare_engines_on, start_evaluator, start_evaluator_with, Evaluator, Options};
use crate::cloudwatch::{now_ms, put_events, unique_group, Event};
use crate::util::iso;

const ALLOWED_IP: &str = "203.0.113.10";
const TOKEN: &str = "Ab12Xy34";

/// What one invocation does; each renders the lines the seed authorizer and Lambda write for it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Allowed,
    IpMismatch,
    TokenMismatch,
    Both,
    TokenMissing,
    /// A timeout whose `Task timed out` line comes after its REPORT (older runtimes).
    Timeout,
    /// A runtime exit: `Status: error` on the REPORT.
    Error,
    /// INIT_START before START, `Init Duration` on the REPORT.
    Cold,
    /// The English wording of the mismatch lines.
    EnglishIpMismatch,
    /// A SnapStart restore: RESTORE_REPORT, `Restore Duration` on the REPORT.
    Restore,
    /// An empty token sent: `Token: ` and a mismatch with an empty received token.
    EmptyToken,
    /// An allowed request of 45 s: its lines straddle minute (and slice) boundaries.
    Slow,
    /// From an IPv6 address.
    Ipv6,
    /// Text logged after the source IP (`Source IP: 198.51.100.23 Token: …`, the same in the
    /// mismatch line): the IP is the IP token, the rest is no part of it.
    IpThenText,
    /// A source IP that is no IP token (`198.51.100.24/…`): kept whole, as text.
    TextIp,
    /// A Python unhandled exception: `[ERROR] RuntimeError: …` and its traceback, no request id,
    /// and a REPORT without a status (the local engine counts an error).
    Traceback,
}

const KINDS: [Kind; 15] = [
    Kind::Allowed,
    Kind::IpMismatch,
    Kind::TokenMismatch,
    Kind::Both,
    Kind::TokenMissing,
    Kind::Timeout,
    Kind::Error,
    Kind::Cold,
    Kind::EnglishIpMismatch,
    Kind::Restore,
    Kind::EmptyToken,
    Kind::Slow,
    Kind::Ipv6,
    Kind::IpThenText,
    Kind::TextIp,
];

fn request_id(n: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n * 2_654_435_761 % (1 << 32),
        n % 65_536,
        n % 4096,
        (n * 7) % 4096,
        n * 1_000_003
    )
}

fn app(ts: i64, level: &str, id: &str, message: &str) -> String {
    format!("[{level}]\t{}\t{id}\t[{level}] {message}\n", iso(ts))
}

/// The events of invocation `n` of `kind`, starting at `t`, in stream `stream`.
fn invocation(n: u64, kind: Kind, t: i64, stream: &str, out: &mut Vec<Event>) {
    let id = request_id(n);
    let mut push = |ts: i64, message: String| {
        out.push(Event {
            stream: stream.to_string(),
            ts,
            message,
        })
    };
    let (ip, token) = match kind {
        Kind::IpMismatch | Kind::EnglishIpMismatch => ("198.51.100.23", TOKEN),
        Kind::Both => ("198.51.100.23", "wrong1"),
        Kind::TokenMismatch => (ALLOWED_IP, "test"),
        Kind::TokenMissing => (ALLOWED_IP, "None"),
        Kind::EmptyToken => (ALLOWED_IP, ""),
        Kind::Ipv6 => ("2001:db8::7", TOKEN),
        Kind::IpThenText => ("198.51.100.23 Token: Ab12Xy34", TOKEN),
        Kind::TextIp => ("198.51.100.24/Ab12Xy34", TOKEN),
        _ => (ALLOWED_IP, TOKEN),
    };
    let mut at = t;
    if matches!(kind, Kind::Cold) {
        push(at, "INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:0123456789abcdef\n".into());
        at += 120;
    }
    if matches!(kind, Kind::Restore) {
        push(at, "RESTORE_START Runtime Version: java:21.v20\tRuntime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:fedcba9876543210\n".into());
        push(at + 300, "RESTORE_REPORT Restore Duration: 311.25 ms\n".into());
        at += 320;
    }
    push(at, format!("START RequestId: {id} Version: $LATEST\n"));
    let line_ts = at + 1;
    push(line_ts, app(line_ts, "INFO", &id, &format!("Source IP: {ip}")));
    push(line_ts, app(line_ts, "INFO", &id, &format!("Token: {token}")));
    push(line_ts, app(line_ts, "INFO", &id, &format!("Allowed IP: {ALLOWED_IP}")));
    push(line_ts, app(line_ts, "INFO", &id, &format!("Allowed Token: {TOKEN}")));
    match kind {
        Kind::IpMismatch | Kind::Both | Kind::Ipv6 | Kind::IpThenText | Kind::TextIp => push(
            line_ts,
            app(
                line_ts,
                "ERROR",
                &id,
                &format!("IPアドレスが不一致: 受信IP={ip}, 許可IP={ALLOWED_IP}"),
            ),
        ),
        Kind::EnglishIpMismatch => push(
            line_ts,
            app(
                line_ts,
                "ERROR",
                &id,
                &format!("IP address mismatch: received IP={ip}, allowed IP={ALLOWED_IP}"),
            ),
        ),
        _ => {}
    }
    if matches!(
        kind,
        Kind::TokenMismatch | Kind::Both | Kind::TokenMissing | Kind::EmptyToken
    ) {
        push(
            line_ts,
            app(
                line_ts,
                "ERROR",
                &id,
                &format!("トークンが不一致: 受信トークン={token}, 許可トークン={TOKEN}"),
            ),
        );
    }
    if matches!(kind, Kind::Traceback) {
        push(
            line_ts + 1,
            "[ERROR] RuntimeError: upstream table unavailable\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 12, in lambda_handler\n    raise RuntimeError(\"upstream table unavailable\")\n".into(),
        );
    }
    let duration: f64 = match kind {
        Kind::Timeout => 3000.0,
        Kind::Slow => 45_000.25,
        Kind::Error => 45.1,
        _ => 1.5 + (n % 7) as f64 * 0.37,
    };
    let end = at + duration.ceil() as i64 + 2;
    push(end, format!("END RequestId: {id}\n"));
    let billed = duration.ceil() as i64;
    let used = 35 + n % 9;
    let extra = match kind {
        Kind::Timeout => "\tStatus: timeout".to_string(),
        Kind::Error => "\tStatus: error\tError Type: Runtime.ExitError".to_string(),
        Kind::Cold => "\tInit Duration: 118.42 ms".to_string(),
        Kind::Restore => "\tRestore Duration: 311.25 ms\tBilled Restore Duration: 208 ms".to_string(),
        _ => String::new(),
    };
    push(
        end,
        format!("REPORT RequestId: {id}\tDuration: {duration:.2} ms\tBilled Duration: {billed} ms\tMemory Size: 512 MB\tMax Memory Used: {used} MB{extra}\t\n"),
    );
    if matches!(kind, Kind::Timeout) {
        push(
            end + 4,
            format!("{} {id} Task timed out after 3.00 seconds\n\n", iso(end + 4)),
        );
    }
}

/// `kinds` one after another, `gap_ms` apart, over three streams, from `start`.
fn corpus(first_id: u64, kinds: &[Kind], start: i64, gap_ms: i64) -> Vec<Event> {
    let mut out = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let stream = format!("2026/12/07/[$LATEST]{:032x}", i % 3);
        invocation(first_id + i as u64, *kind, start + i as i64 * gap_ms, &stream, &mut out);
    }
    out.sort_by_key(|e| e.ts);
    out
}

/// Both engines with `args`; panics on any difference outside `source.approximate`, naming it,
/// and checks what the evaluator saw.
fn assert_engines_agree(args: &[&str], what: &str) -> serde_json::Value {
    assert_engines_agree_on(&start_evaluator(), args, what)
}

fn assert_engines_agree_on(eval: &Evaluator, args: &[&str], what: &str) -> serde_json::Value {
    let c = compare_engines_on(eval, args);
    assert!(
        c.differences.is_empty(),
        "{what}: {} of {} fields differ outside source.approximate:\n{}\napproximate: {:?}",
        c.differences.len(),
        c.compared,
        c.differences.join("\n"),
        c.approximate
    );
    assert!(c.compared > 50, "{what}: only {} fields compared", c.compared);
    assert_eq!(
        eval.running(),
        0,
        "{what}: a query was left running: {:?}",
        eval.queries()
    );
    assert_eq!(
        c.insights["source"]["scan"]["bytes_scanned"].as_u64(),
        Some(eval.bytes_scanned()),
        "{what}: the report bills what the evaluator scanned"
    );
    c.local
}

/// `events` in a new log group, and a window a minute wider than them on each side.
fn stored(test: &str, events: &[Event]) -> (String, String, String) {
    let group = unique_group(test);
    put_events(&group, events);
    let first = events.iter().map(|e| e.ts).min().unwrap_or_else(now_ms);
    let last = events.iter().map(|e| e.ts).max().unwrap_or(first);
    (group, iso(first - 60_000), iso(last + 60_000))
}

/// A start on a whole minute, two hours ago: the whole corpus is settled.
fn base() -> i64 {
    (now_ms() - 2 * 3_600_000) / 60_000 * 60_000
}

#[test]
fn every_line_shape_with_requests_straddling_slices_and_the_windows_ends() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("diff-shapes");
    let start = base();
    // 13 kinds three times, 23 s apart: requests start at every second of the minute and the slow
    // ones run 45 s, across slice boundaries (one-minute slices below).
    let kinds: Vec<Kind> = KINDS.iter().cycle().take(39).copied().collect();
    let events = corpus(1, &kinds, start, 23_000);
    put_events(&group, &events);
    let last = events.iter().map(|e| e.ts).max().expect("events");
    // The window cuts the first request (its START before `since`) and the last (its REPORT after
    // `until`): how both engines treat a request cut by the window is compared too.
    let (since, until) = (iso(start + 500), iso(last - 1));
    let local = assert_engines_agree(
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--query-slice",
            "1m",
        ],
        "every line shape, one-minute slices",
    );
    // The corpus is what the test says it is.
    assert!(local["invocations"].as_u64().unwrap_or(0) >= 37, "{local}");
    for key in ["allowed", "denied", "timeout", "error"] {
        assert!(local["decisions"][key].as_u64().unwrap_or(0) > 0, "no {key}: {local}");
    }
    // The same events in one slice, and in slices of 7 minutes.
    for slice in ["1d", "7m"] {
        assert_engines_agree(
            &[
                "--group",
                &group,
                "--since",
                &since,
                "--until",
                &until,
                "--query-slice",
                slice,
            ],
            &format!("slices of {slice}"),
        );
    }
}

#[test]
fn more_groups_than_one_query_may_name_are_queried_in_batches() {
    if !crate::util::moto() {
        return;
    }
    let start = base();
    let prefix = unique_group("diff-batches");
    // 51 groups: two batches of at most 50.
    for g in 0..51u64 {
        let kinds = [KINDS[(g % 13) as usize], KINDS[((g + 5) % 13) as usize]];
        let events = corpus(1000 + g * 10, &kinds, start + g as i64 * 1_000, 30_000);
        put_events(&format!("{prefix}-{g:02}"), &events);
    }
    let (since, until) = (iso(start - 60_000), iso(start + 10 * 60_000));
    let local = assert_engines_agree(
        &[
            "--group-pattern",
            &prefix,
            "--all-groups",
            "--since",
            &since,
            "--until",
            &until,
        ],
        "51 groups",
    );
    assert_eq!(local["invocations"].as_u64(), Some(102), "{local}");
}

/// Both engines on one corpus of `picks` (indexes into [`KINDS`]) `gap_ms` apart, in a group of its own.
fn check_corpus(first_id: u64, picks: &[usize], gap_ms: i64, from: i64) {
    let kinds: Vec<Kind> = picks.iter().map(|k| KINDS[*k]).collect();
    let events = corpus(first_id, &kinds, from, gap_ms);
    let (group, since, until) = stored("diff-random", &events);
    assert_engines_agree(
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--query-slice",
            "2m",
        ],
        &format!("random corpus {picks:?}, {gap_ms} ms apart"),
    );
}

#[test]
fn random_corpora_give_the_same_report_on_both_engines() {
    if !crate::util::moto() {
        return;
    }
    let start = base();
    // What the property found first: a cold start as the window's first request (its INIT_START
    // is the first event locally; Insights sees the first line with a request id).
    check_corpus(90_000, &[7], 51_183, start);
    let case = (
        proptest::collection::vec(0..KINDS.len(), 1..30),
        1_000i64..70_000,
        0i64..60_000,
    );
    // Each case writes a log group and runs both engines: a few cases, each a whole path, from a
    // fixed seed so a run is repeatable (scripts/fuzz is where fresh seeds go).
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 6,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let n = std::sync::atomic::AtomicU64::new(0);
    runner
        .run(&case, |(picks, gap, offset)| {
            let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            check_corpus(100_000 + i * 100, &picks, gap, start + offset);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn tracebacks_without_a_request_id_move_at_most_the_invocations_the_approximate_note_says() {
    if !crate::util::moto() {
        return;
    }
    let start = base();
    let mut kinds: Vec<Kind> = KINDS.to_vec();
    kinds.extend([Kind::Traceback, Kind::Allowed, Kind::Traceback]);
    let events = corpus(5_000, &kinds, start, 17_000);
    let (group, since, until) = stored("diff-traceback", &events);
    let local = assert_engines_agree(
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--query-slice",
            "1m",
        ],
        "tracebacks",
    );
    // The local engine counts both tracebacks' invocations as errors.
    assert_eq!(local["decisions"]["error"].as_u64(), Some(3), "{local}");
    // Insights says what it could not attribute, with its bound, and stays within it.
    let eval = start_evaluator();
    let c = compare_engines_on(&eval, &["--group", &group, "--since", &since, "--until", &until]);
    let notes: Vec<&str> = c.insights["source"]["approximate"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    let bound = notes
        .iter()
        .find_map(|n| n.strip_prefix("decisions: "))
        .and_then(|n| n.split(' ').next())
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no bound on decisions in {notes:?}"));
    assert!(bound >= 2, "{notes:?}");
    let moved: i64 = ["allowed", "denied", "timeout", "error", "unknown"]
        .iter()
        .map(|k| (local["decisions"][k].as_i64().unwrap_or(0) - c.insights["decisions"][k].as_i64().unwrap_or(0)).abs())
        .sum::<i64>()
        / 2;
    assert!(
        moved <= bound,
        "{moved} invocations decided otherwise, bound {bound}: {notes:?}"
    );
}

#[test]
fn slices_split_after_a_timeout_give_the_same_report() {
    if !crate::util::moto() {
        return;
    }
    let start = base() - 3_600_000;
    // Every shape, five minutes apart: three and a half hours.
    let kinds: Vec<Kind> = KINDS.iter().cycle().take(42).copied().collect();
    let events = corpus(7_000, &kinds, start, 5 * 60_000);
    let (group, since, until) = stored("diff-split", &events);
    // A query over more than 90 minutes times out: the one-day slice is split, and its halves
    // (each reading 16 minutes past the cut) once more, before every query completes.
    let eval = start_evaluator_with(Options {
        timeout_over_s: Some(90 * 60),
        ..Options::default()
    });
    let local = assert_engines_agree_on(
        &eval,
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--query-slice",
            "1d",
        ],
        "split slices",
    );
    assert_eq!(local["invocations"].as_u64(), Some(42), "{local}");
    let timed_out = eval.queries().iter().filter(|q| q.status == "Timeout").count();
    assert!(timed_out >= 6, "{timed_out} queries timed out: {:?}", eval.queries());
}

#[test]
fn findings_made_from_approximate_fields_are_approximate_too() {
    if !crate::util::moto() {
        return;
    }
    let start = base();
    let mut events = corpus(8_000, &KINDS, start, 20_000);
    // A line no template reads, and a request whose allowed IP differs: locally the findings
    // unrecognized_lines and allowed_ip_changed; the queries do not read what they come from.
    let stream = events[0].stream.clone();
    events.push(Event {
        stream: stream.clone(),
        ts: start + 5,
        message: "debug: cache warm, 3 entries\n".into(),
    });
    let id = request_id(8_999);
    let t = start + 15 * 20_000;
    for (dt, message) in [
        (0, format!("START RequestId: {id} Version: $LATEST\n")),
        (1, app(t + 1, "INFO", &id, "Source IP: 198.51.100.23")),
        (1, app(t + 1, "INFO", &id, &format!("Token: {TOKEN}"))),
        (1, app(t + 1, "INFO", &id, "Allowed IP: 192.0.2.44")),
        (1, app(t + 1, "INFO", &id, &format!("Allowed Token: {TOKEN}"))),
        (1, app(t + 1, "ERROR", &id, "IPアドレスが不一致: 受信IP=198.51.100.23, 許可IP=192.0.2.44")),
        (3, format!("END RequestId: {id}\n")),
        (3, format!("REPORT RequestId: {id}\tDuration: 1.90 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 36 MB\t\n")),
    ] {
        events.push(Event {
            stream: stream.clone(),
            ts: t + dt,
            message,
        });
    }
    events.sort_by_key(|e| e.ts);
    let (group, since, until) = stored("diff-derived", &events);
    let local = assert_engines_agree(
        &["--group", &group, "--since", &since, "--until", &until],
        "findings from approximate fields",
    );
    let kinds: Vec<&str> = local["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    for kind in ["unrecognized_lines", "allowed_ip_changed"] {
        assert!(kinds.contains(&kind), "the corpus gives {kind} locally: {kinds:?}");
    }
}

#[test]
fn reaching_max_cost_mid_run_starts_no_further_query_and_says_what_was_spent() {
    if !crate::util::moto() {
        return;
    }
    let start = base();
    let kinds: Vec<Kind> = KINDS.iter().cycle().take(39).copied().collect();
    let events = corpus(9_000, &kinds, start, 23_000);
    let (group, since, until) = stored("diff-cap", &events);
    let eval = start_evaluator();
    // One-minute slices: dozens of queries planned; the first answers already pass the cap.
    let r = crate::cloudwatch::cloudwatch_report(
        &eval.url,
        &[
            "--group",
            &group,
            "--since",
            &since,
            "--until",
            &until,
            "--engine",
            "insights",
            "--query-slice",
            "1m",
            "--max-cost",
            "0.0000000001",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("reached --max-cost 0.0000000001")
            && r.stderr.contains("no further query was started")
            && r.stderr.contains("Logs Insights queries ran and scanned"),
        "{}",
        r.stderr
    );
    let planned = 3 * 17;
    assert!(
        eval.started() < planned,
        "{} of {planned} queries started",
        eval.started()
    );
    assert_eq!(eval.running(), 0, "{:?}", eval.queries());
}
