//! Tests of the line parser: every Lambda line shape, REPORT fields by key, JSON records, app lines.

use super::*;

/// The separator searches the UUID fast path stands in for.
fn first_token_by_search(s: &str) -> &str {
    let end = memchr::memchr3(b'\t', b' ', b'\n', s.as_bytes()).unwrap_or(s.len());
    s[..end].strip_suffix('\r').unwrap_or(&s[..end])
}

#[test]
fn uuid_fast_path_finds_what_the_search_finds() {
    let id = "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82";
    let mut inputs: Vec<String> = ["\tx", " x", "\n", "\r", "\rX\n", "\r\n", "x", "-", "\u{e9}", ""]
        .iter()
        .map(|tail| format!("{id}{tail}"))
        .collect();
    for (at, sep) in [
        (0, '\t'),
        (5, ' '),
        (8, ' '),
        (20, '\n'),
        (35, '\r'),
        (30, '\u{1}'),
        (12, 'x'),
    ] {
        let mut bytes: Vec<char> = id.chars().collect();
        bytes[at] = sep;
        let broken: String = bytes.into_iter().collect();
        inputs.push(format!("{broken}\tafter"));
        inputs.push(format!("{broken} after"));
    }
    inputs.push(format!("{}\tx", id.replace('-', "_")));
    for input in &inputs {
        assert_eq!(first_token(input), first_token_by_search(input), "{input:?}");
        let end = memchr::memchr2(b'\t', b' ', input.as_bytes()).unwrap_or(input.len());
        let (key, text) = split_request_id(input);
        if key.is_some() {
            assert_eq!(key, Some(RequestKey::new(&input[..end])), "{input:?}");
            assert_eq!(text, input.get(end + 1..).unwrap_or(""), "{input:?}");
        }
    }
    assert_eq!(split_request_id(&inputs[0]), (Some(RequestKey::new(id)), "x"));
    assert_eq!(split_request_id(&format!("{id} [INFO] a b")).1, "[INFO] a b");
}

proptest::proptest! {
    /// The level tag and timestamp fast paths give what the searches they replace give.
    #[test]
    fn python_fast_paths_find_what_the_searches_find(
        level in "(INFO|ERROR|WARNING|WARN|DEBUG|CRITICAL|TRACE|FATAL|WARNINGX|INF|I]|W|)",
        close in "[]x]?",
        stamp in "[0-9TZ:.-]{20,28}",
        hole in 0usize..40,
        hole_byte in "[\t \x01]",
        sep in "[\t x\n]",
        tail in "[a-z ]{0,4}",
    ) {
        // At most one separator inside the stamp, so the fast path is taken often.
        let mut stamp = stamp;
        if hole < stamp.len() {
            stamp.replace_range(hole..hole + 1, &hole_byte);
        }
        let msg = format!("[{level}{close}{stamp}{sep}{tail}");
        let b = msg.as_bytes();
        let searched = memchr::memchr(b']', b).filter(|&c| LEVELS.contains(&&msg[1..c]));
        proptest::prop_assert_eq!(level_tag_end(b), searched);
        let rest = format!("{stamp}{sep}{tail}");
        let r = rest.as_bytes();
        proptest::prop_assert_eq!(stamp_end(r), memchr::memchr2(b'\t', b' ', r).unwrap_or(r.len()));
    }
}

#[test]
fn stamp_end_takes_the_fast_path_only_when_it_may() {
    assert_eq!(stamp_end(b"2025-07-11T00:00:03.367Z\tid"), 24);
    assert_eq!(stamp_end(b"2025-07-11T00:00:03.367Zx\tid"), 25);
    assert_eq!(stamp_end(b"2025-07-11 00:00:03.367Z\tid"), 10);
    assert_eq!(stamp_end(b"2025-07-11T00:00:03.36\tZ id"), 22);
    assert_eq!(stamp_end(b"short"), 5);
}

#[test]
fn no_report_key_starts_another() {
    for (a, _) in REPORT_KEYS {
        for (b, _) in REPORT_KEYS {
            assert!(
                a == b || !a.starts_with(b),
                "{a:?} starts with {b:?}: the parser would need the longest"
            );
        }
    }
}

fn p() -> Parser {
    Parser::default()
}

fn report(msg: &str) -> (String, Metrics, Option<String>) {
    match p().parse(msg) {
        LineEvent::Report {
            request_id,
            metrics,
            error_type,
        } => (
            request_id.to_string(),
            metrics.into_metrics(),
            error_type.map(|e| e.into_owned()),
        ),
        other => panic!("not a report: {other:?}"),
    }
}

#[test]
fn start_end() {
    assert_eq!(
        p().parse("START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST\n"),
        LineEvent::Start {
            request_id: "4ce9340a-b765-490f-ad8a-02ab3415e2bf".into()
        }
    );
    assert_eq!(
        p().parse("START RequestId: abcdefgh-1\tVersion: 56"),
        LineEvent::Start {
            request_id: "abcdefgh-1".into()
        }
    );
    assert_eq!(
        p().parse("END RequestId: abc-def-123\n"),
        LineEvent::End {
            request_id: "abc-def-123".into()
        }
    );
}

#[test]
fn report_variants() {
    let (id, m, _) = report("REPORT RequestId: 2c17c779-5002-4479-8cf4-7b037c1463a4\tDuration: 26.25 ms\tBilled Duration: 27 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 145.09 ms\t\n");
    assert_eq!(id, "2c17c779-5002-4479-8cf4-7b037c1463a4");
    assert_eq!(m.duration_us, Some(26_250));
    assert_eq!(m.billed_ms, Some(27));
    assert_eq!(m.memory_size_mb, Some(128));
    assert_eq!(m.max_memory_used_mb, Some(70));
    assert_eq!(m.init_duration_us, Some(145_090));
    assert_eq!(m.status, None);

    let (_, m, _) = report("REPORT RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf\tDuration: 26.73 ms\tBilled Duration: 27 ms \tMemory Size: 128 MB\tMax Memory Used: 75 MB\t\n");
    assert_eq!(
        (m.duration_us, m.billed_ms, m.max_memory_used_mb),
        (Some(26_730), Some(27), Some(75))
    );

    let (_, m, _) = report("REPORT RequestId: ea643eb8-1547-41f5-8c51-4ff6abe3e0d1\tDuration: 20.39 ms\tBilled Duration: 21 ms\tMemory Size: 128 MB\tMax Memory Used: 57 MB\tInit Duration: 178.50 ms\t\nXRAY TraceId: 1-643eb81e-7b15c13c3bff33247638ad8d\tSegmentId: 4c72ac137fd02fb0\tSampled: true\t\n");
    assert_eq!((m.duration_us, m.init_duration_us), (Some(20_390), Some(178_500)));

    let (_, m, _) = report("REPORT RequestId: b771fecc-1b53-4faf-922d-1d74357b1676\tDuration: 306.34 ms\tBilled Duration: 610 ms\tMemory Size: 3009 MB\tMax Memory Used: 155 MB\tRestore Duration: 511.25 ms\tBilled Restore Duration: 303 ms\t");
    assert_eq!(
        (m.restore_duration_us, m.billed_restore_ms, m.init_duration_us),
        (Some(511_250), Some(303), None)
    );
    assert_eq!(m.duration_us, Some(306_340));
    assert_eq!(m.billed_ms, Some(610));

    let (_, m, e) = report("REPORT RequestId: 1e5c8abd-3d36-461b-8c0f-a56b952715b3\tDuration: 3000.00 ms\tBilled Duration: 3068 ms\tMemory Size: 128 MB\tMax Memory Used: 35 MB\tInit Duration: 67.49 ms\tStatus: timeout\n");
    assert_eq!(
        (m.status, e, m.duration_us),
        (Some(RunStatus::Timeout), None, Some(3_000_000))
    );

    let (_, m, e) = report("REPORT RequestId: 12131914-ade7-4b3b-adbf-f01e971190d5\tDuration: 98.71 ms\tBilled Duration: 99 ms\tMemory Size: 512 MB\tMax Memory Used: 46 MB\tStatus: error\tError Type: Runtime.ImportModuleError");
    assert_eq!(
        (m.status, e.as_deref()),
        (Some(RunStatus::Error), Some("Runtime.ImportModuleError"))
    );

    // RIE order and console copies with spaces for tabs.
    let (_, m, _) = report("REPORT RequestId: f8ac1208-1111-2222-3333-444455556666  Init Duration: 48.26 ms   Duration: 237.17 ms   Billed Duration: 300 ms   Memory Size: 128 MB   Max Memory Used: 26 MB");
    assert_eq!(
        (m.duration_us, m.init_duration_us, m.billed_ms),
        (Some(237_170), Some(48_260), Some(300))
    );
}

#[test]
fn init_extension_timeout_failure() {
    assert_eq!(p().parse("INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: arn:aws:lambda:ap-east-2::runtime:6b9e\n"), LineEvent::InitStart);
    assert_eq!(
        p().parse(
            "INIT_REPORT Init Duration: 137.69 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError"
        ),
        LineEvent::InitReport {
            init_duration_us: Some(137_690),
            status: Some(RunStatus::Error)
        }
    );
    assert_eq!(
        p().parse("EXTENSION\tName: lambda-adapter\tState: Ready\tEvents: []\n"),
        LineEvent::Extension
    );
    assert_eq!(
        p().parse("EXTENSION Name: cloudwatch_lambda_agent State: Ready Events: [INVOKE, SHUTDOWN]"),
        LineEvent::Extension
    );
    assert_eq!(
        p().parse("TELEMETRY\tName: x\tState: Subscribed\tTypes: [Platform]"),
        LineEvent::Extension
    );
    assert_eq!(
        p().parse(
            "2024-11-20T18:19:35.211Z\tfb732cef-3a5d-533a-ba09-73571cbf8624\tTask timed out after 900.09 seconds\n"
        ),
        LineEvent::Timeout {
            request_id: Some("fb732cef-3a5d-533a-ba09-73571cbf8624".into())
        }
    );
    assert_eq!(
        p().parse(
            "2020-06-09T15:02:26.150Z 7c9567b5-107b-4a6c-8798-0157ac21db52 Task timed out after 3.00 seconds\n\n"
        ),
        LineEvent::Timeout {
            request_id: Some("7c9567b5-107b-4a6c-8798-0157ac21db52".into())
        }
    );
    assert_eq!(
        p().parse("RequestId: 66ce6204-7c13-50f6-a32c-3db39caefc6b Error: Runtime exited with error: signal: killed Runtime.ExitError\n"),
        LineEvent::Failure { request_id: Some("66ce6204-7c13-50f6-a32c-3db39caefc6b".into()) }
    );
    assert_eq!(
        p().parse("[ERROR] Runtime.ImportModuleError: Unable to import module 'search': No module named 'search'\nTraceback (most recent call last):"),
        LineEvent::Failure { request_id: None }
    );
    assert_eq!(
        p().parse("XRAY TraceId: 1-643eb81e\tSegmentId: 4c72\tSampled: true"),
        LineEvent::Xray
    );
    assert_eq!(p().parse("\x00\x01garbage"), LineEvent::Unrecognized);
    assert_eq!(p().parse(""), LineEvent::Unrecognized);
}

#[test]
fn python_app_lines_with_seed_messages() {
    let ev = p().parse("[INFO]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[INFO] Token: test\n");
    assert_eq!(
        ev,
        LineEvent::App {
            request_id: Some("d39edf81-4b21-4e3d-8ad2-7c1e92f00c82".into()),
            timestamp_ms: Some(1_752_213_934_309),
            fact: Some(OwnedOrBorrowedFact::Token("test".into())),
        }
    );
    // The seed's console rendering: tabs shown as spaces.
    let ev = p().parse("[ERROR] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [ERROR] トークンが不一致: 受信トークン=test, 許可トークン=Ab12Xy34");
    assert!(
        matches!(
            ev,
            LineEvent::App {
                fact: Some(OwnedOrBorrowedFact::TokenMismatch { .. }),
                ..
            }
        ),
        "{ev:?}"
    );
    // Init-phase line: empty request id.
    let ev = p().parse("[INFO]\t2026-04-22T18:08:37.670Z\t\tFound credentials in environment variables.\n");
    assert_eq!(
        ev,
        LineEvent::App {
            request_id: None,
            timestamp_ms: Some(1_776_881_317_670),
            fact: None
        }
    );
}

#[test]
fn node_lines() {
    let ev = p().parse("2024-11-24T14:44:34.542Z\t8c8b67c9-9ca3-4659-be83-30071e3045be\tINFO\tSource IP: 1.2.3.4\n");
    assert!(
        matches!(ev, LineEvent::App { fact: Some(OwnedOrBorrowedFact::SourceIp(ref ip)), .. } if ip == "1.2.3.4"),
        "{ev:?}"
    );
    let ev = p().parse("2023-04-18T15:32:46.697Z\tundefined\tINFO\tLoading function\n");
    assert!(matches!(
        ev,
        LineEvent::App {
            request_id: None,
            fact: None,
            ..
        }
    ));
    let ev = p().parse("2024-05-05T04:01:01.850Z\t501c51ae-75b0-4231-a51c-9fa99b57b5de\tERROR\tInvoke Error \t{\"errorType\":\"Error\"}\n");
    assert_eq!(
        ev,
        LineEvent::Failure {
            request_id: Some("501c51ae-75b0-4231-a51c-9fa99b57b5de".into())
        }
    );
}

#[test]
fn node24_writes_a_dash_for_the_request_id_and_its_invoke_error_is_a_failure() {
    // Node 24 logs `-` where older runtimes logged the request id; the failure belongs to the running request.
    let ev = p().parse("2025-12-11T15:13:28.520Z\t-\tERROR\tInvoke Error \t\n{\n    \"errorType\": \"Error\"\n}\n");
    assert_eq!(ev, LineEvent::Failure { request_id: None });
    let ev = p().parse("2025-12-11T15:13:28.520Z\t-\tINFO\t[INFO] Source IP: 203.0.113.10");
    assert!(
        matches!(
            ev,
            LineEvent::App {
                request_id: None,
                fact: Some(_),
                ..
            }
        ),
        "{ev:?}"
    );
}

#[test]
fn json_log_format() {
    let ev = p().parse(r#"{"time":"2024-06-17T17:23:55.902Z","type":"platform.start","record":{"requestId":"ca52c236-a38d-40fc-aa6b-7e3be2b7aa55","version":"$LATEST"}}"#);
    assert_eq!(
        ev,
        LineEvent::Start {
            request_id: "ca52c236-a38d-40fc-aa6b-7e3be2b7aa55".into()
        }
    );
    let (id, m, _) = report_json(
        r#"{"time":"2026-10-08T07:30:29.470Z","type":"platform.report","record":{"requestId":"79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36","metrics":{"durationMs":1233.96,"billedDurationMs":1698,"memorySizeMB":256,"maxMemoryUsedMB":123,"initDurationMs":463.512},"status":"success"}}"#,
    );
    assert_eq!(id, "79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36");
    assert_eq!(
        (m.duration_us, m.billed_ms, m.memory_size_mb, m.max_memory_used_mb),
        (Some(1_233_960), Some(1698), Some(256), Some(123))
    );
    assert_eq!(
        (m.init_duration_us, m.status),
        (Some(463_512), Some(RunStatus::Success))
    );
    let (_, m, _) = report_json(
        r#"{"time":"2024-10-18T19:38:39.661Z","type":"platform.report","record":{"requestId":"b441820a-1","metrics":{"durationMs":30000.0,"billedDurationMs":30000,"memorySizeMB":128,"maxMemoryUsedMB":74,"initDurationMs":985.413},"status":"timeout"}}"#,
    );
    assert_eq!(m.status, Some(RunStatus::Timeout));
    assert_eq!(p().parse(r#"{"time":"2026-10-08T07:30:27.768Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init"}}"#), LineEvent::InitStart);

    // Python JSON app line, Japanese escaped as \uXXXX.
    let ev = p().parse("{\"timestamp\": \"2025-07-11T06:05:34Z\", \"level\": \"ERROR\", \"message\": \"[ERROR] \\u30c8\\u30fc\\u30af\\u30f3\\u304c\\u4e0d\\u4e00\\u81f4: \\u53d7\\u4fe1\\u30c8\\u30fc\\u30af\\u30f3=test, \\u8a31\\u53ef\\u30c8\\u30fc\\u30af\\u30f3=Ab12Xy34\", \"logger\": \"root\", \"requestId\": \"d39edf81-4b21-4e3d-8ad2-7c1e92f00c82\"}\n");
    assert_eq!(
        ev,
        LineEvent::App {
            request_id: Some("d39edf81-4b21-4e3d-8ad2-7c1e92f00c82".into()),
            timestamp_ms: Some(1_752_213_934_000),
            fact: Some(OwnedOrBorrowedFact::TokenMismatch {
                received: "test".into(),
                allowed: "Ab12Xy34".into()
            }),
        }
    );
    let ev = p().parse("LAMBDA_WARNING: Unhandled exception. The most likely cause\r{\"timestamp\": \"2024-06-17T17:23:55Z\", \"log_level\": \"ERROR\", \"errorMessage\": \"x\", \"errorType\": \"UnicodeDecodeError\", \"requestId\": \"ca52c236-a38d\", \"stackTrace\": []}\n");
    assert_eq!(
        ev,
        LineEvent::Failure {
            request_id: Some("ca52c236-a38d".into())
        }
    );
    assert_eq!(p().parse("{not json"), LineEvent::Unrecognized);
    assert_eq!(p().parse("{\"a\": 1}"), LineEvent::Unrecognized);
}

fn report_json(msg: &str) -> (String, Metrics, Option<String>) {
    report(msg)
}

#[test]
fn exact_decimal_durations() {
    assert_eq!(parse_ms_to_us("1.85"), Some(1850));
    assert_eq!(parse_ms_to_us("3000.00"), Some(3_000_000));
    assert_eq!(parse_ms_to_us("2"), Some(2000));
    assert_eq!(parse_ms_to_us("0.001"), Some(1));
    assert_eq!(parse_ms_to_us("1.2345"), Some(1234));
    assert_eq!(parse_ms_to_us("x"), None);
    assert_eq!(parse_ms_to_us(".5"), None);
    assert_eq!(parse_ms_to_us("99999999999999999999"), None);
}

/// Found by fuzzing: the largest whole milliseconds that fit, with a long fraction, overflowed the
/// sum of microseconds (a panic in debug builds, a wrong duration in release).
#[test]
fn a_report_duration_past_u64_microseconds_is_no_duration() {
    assert_eq!(parse_ms_to_us("18446744073709551.615"), Some(u64::MAX));
    assert_eq!(parse_ms_to_us("18446744073709551.616"), None);
    assert_eq!(parse_ms_to_us("18446744073709551.999999999999999999999999999999"), None);
    assert_eq!(parse_ms_to_us("18446744073709552"), None);
    let line =
        "REPORT RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82\tDuration: 18446744073709551.99999999999999999999 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 35 MB\t";
    let LineEvent::Report { metrics, .. } = Parser::default().parse(line) else {
        panic!("a REPORT: {line}");
    };
    assert_eq!((metrics.duration_us, metrics.billed_ms), (None, Some(2)));
}

#[test]
fn placeholder_ids_are_ids_on_every_line_shape() {
    let timeout = |m: &str| match p().parse(m) {
        LineEvent::Timeout { request_id } => request_id.map(|k| k.to_string()),
        other => panic!("{m}: {other:?}"),
    };
    assert_eq!(
        timeout("<guid> Task timed out after 45.05 seconds").as_deref(),
        Some("<guid>")
    );
    assert_eq!(
        timeout("2024-03-01T10:00:45.060Z <guid> Task timed out after 45.05 seconds").as_deref(),
        Some("<guid>")
    );
    assert_eq!(
        timeout("{id}\tTask timed out after 3.00 seconds").as_deref(),
        Some("{id}")
    );
    let id = "1bdd37b4-e95b-43bd-a49b-9da55e603845";
    assert_eq!(
        timeout(&format!("{id} Task timed out after 3.00 seconds")).as_deref(),
        Some(id)
    );
    assert_eq!(
        p().parse("START RequestId: <guid> Version: $LATEST"),
        LineEvent::Start {
            request_id: "<guid>".into()
        }
    );
    match p().parse("[INFO]\t2024-03-01T10:00:00.010Z\t<request-id>\tSource IP: 203.0.113.9") {
        LineEvent::App { request_id, .. } => assert_eq!(request_id, Some("<request-id>".into())),
        other => panic!("{other:?}"),
    }
    // Not an id: prose stays prose.
    assert_eq!(p().parse("a task timed out after 3 seconds"), LineEvent::Unrecognized);
    assert_eq!(
        p().parse("{\"a\": 1} Task timed out after 3.00 seconds"),
        LineEvent::Unrecognized
    );
}

#[test]
fn an_id_glued_to_the_next_field_splits_at_the_uuid_length() {
    let id = "1bdd37b4-e95b-43bd-a49b-9da55e603845";
    let (got, m, _) = report(&format!(
        "REPORT RequestId: {id}Duration: 200032.11 ms\tBilled Duration: 200033 ms\tMemory Size: 512 MB\tMax Memory Used: 180 MB\t"
    ));
    assert_eq!(got, id);
    assert_eq!(m.duration_us, Some(200_032_110));
    assert_eq!(m.billed_ms, Some(200_033));
    assert_eq!(m.max_memory_used_mb, Some(180));
    assert_eq!(
        p().parse(&format!("START RequestId: {id}Version: $LATEST")),
        LineEvent::Start { request_id: id.into() }
    );
    assert_eq!(
        p().parse(&format!("END RequestId: {id}")),
        LineEvent::End { request_id: id.into() }
    );
}

#[test]
fn unhandled_errors_of_every_runtime_are_failures() {
    let id = "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
    let with_id = LineEvent::Failure {
        request_id: Some(id.into()),
    };
    let running = LineEvent::Failure { request_id: None };
    for (line, want) in [
        (format!("2025-03-01T10:00:00.120Z\t{id}\tERROR\tInvoke Error \t{{\"errorType\":\"Error\",\"errorMessage\":\"boom\"}}"), &with_id),
        (format!("2025-03-01T10:00:00.120Z\t{id}\tERROR\tUnhandled Promise Rejection \t{{\"errorType\":\"Runtime.UnhandledPromiseRejection\"}}"), &with_id),
        (format!("2025-03-01T10:00:00.120Z\t{id}\tfail\tSystem.Exception: boom\n   at Fn.Handler(String input)"), &with_id),
        ("[ERROR] KeyError: 'headers'\rTraceback (most recent call last):".to_string(), &running),
        ("boom: java.lang.RuntimeException\njava.lang.RuntimeException: boom".to_string(), &running),
        ("Unhandled exception. System.InvalidOperationException: no config".to_string(), &running),
    ] {
        assert_eq!(&p().parse(&line), want, "{line:?}");
    }
    // An application's own error lines stay application lines.
    for line in [
        format!("2025-03-01T10:00:00.120Z\t{id}\tfail\tcould not reach the user service"),
        format!("2025-03-01T10:00:00.120Z\t{id}\tERROR\tInvoke failed, retrying"),
    ] {
        assert!(matches!(p().parse(&line), LineEvent::App { .. }), "{line:?}");
    }
    assert_eq!(p().parse("java.lang.RuntimeException: boom"), LineEvent::Unrecognized);
    // Node's JSON log format: the runtime's message with the error's fields; an app's own
    // `console.error("…", err)` has the fields, not the message.
    let json = |message: &str| {
        format!("{{\"timestamp\":\"2025-03-01T10:00:00.120Z\",\"level\":\"ERROR\",\"requestId\":\"{id}\",\"message\":\"{message}\",\"errorType\":\"Error\",\"errorMessage\":\"boom\",\"stackTrace\":[\"Error: boom\"]}}")
    };
    assert_eq!(p().parse(&json("Invoke Error Error: boom")), with_id);
    assert!(matches!(
        p().parse(&json("lookup failed Error: boom")),
        LineEvent::App { .. }
    ));
}
