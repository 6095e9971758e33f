//! Tests of the JSON containers: CLI output, subscriptions, Insights, query results, streaming, malformed input.

use crate::source::file::read_reader;
use crate::source::InputFormat;
use crate::source::ReadOptions;
use crate::testutil::{gzip, many_events, read, TestSink, FILTER, INSIGHTS, SUBSCRIPTIONS};

#[test]
fn filter_and_get_log_events() {
    let s = read(FILTER.as_bytes(), InputFormat::Json);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.events[0].0, Some(1_756_861_433_072));
    assert_eq!(
        s.events[0].1,
        "2025/09/02/gemini-cli-lambda[$LATEST]10681b291d2547ae90e38612e90b0aeb"
    );
    assert!(s.events[0].2.ends_with("\tStatus: timeout"));
    assert_eq!(
        s.events[1],
        (
            Some(1_559_763_003_171),
            "dflt".into(),
            "START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST".into()
        )
    );
}

#[test]
fn concatenated_subscription_payloads() {
    let (first, second) = SUBSCRIPTIONS.split_at(SUBSCRIPTIONS.find("{\"owner\"").unwrap());
    let mut data = gzip(first.as_bytes());
    data.extend(gzip(second.as_bytes()));
    for input in [SUBSCRIPTIONS.as_bytes(), &data[..]] {
        let s = read(input, InputFormat::Auto);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.events,
            vec![
                (
                    Some(1_432_826_855_000),
                    "2024/09/15/[$LATEST]57661289d19ebedfe4a6782395866989".into(),
                    "START RequestId: a Version: $LATEST".into()
                ),
                (
                    Some(1_432_826_855_001),
                    "2024/09/15/[$LATEST]57661289d19ebedfe4a6782395866989".into(),
                    "END RequestId: a".into()
                ),
                (
                    Some(1_432_826_855_002),
                    "2024/09/15/[$LATEST]b".into(),
                    "REPORT RequestId: a\tDuration: 1.85 ms\t".into()
                ),
            ]
        );
    }
}

#[test]
fn insights_export_and_object_messages() {
    let s = read(INSIGHTS.as_bytes(), InputFormat::Auto);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.events[0].0, Some(1_681_831_966_721));
    assert_eq!(s.events[0].1, "2023/04/18/[$LATEST]2a9d");
    assert!(s.events[0]
        .2
        .ends_with("2.11 ms\t\nXRAY TraceId: 1-643eb8\tSegmentId: 1\tSampled: true"));
    assert_eq!(s.events[1].2, r#"{"level":"INFO","message":"x"}"#);
}

#[test]
fn get_query_results() {
    let data = r#"{
    "results": [
        [
            {"field": "@timestamp", "value": "2024-05-19 06:10:35.743"},
            {"field": "@message", "value": "REPORT RequestId: 7f1e\tDuration: 14.97 ms\t\n"},
            {"field": "@logStream", "value": "2024/05/19/[$LATEST]abc"},
            {"field": "@ptr", "value": "CmAKJwoj"}
        ],
        [{"field": "@duration", "value": "14.97"}]
    ],
    "statistics": {"recordsMatched": 2.0},
    "status": "Complete"
}"#;
    let s = read(data.as_bytes(), InputFormat::Auto);
    assert_eq!(
        s.events,
        vec![(
            Some(1_716_099_035_743),
            "2024/05/19/[$LATEST]abc".into(),
            "REPORT RequestId: 7f1e\tDuration: 14.97 ms\t".into()
        )]
    );
    assert_eq!(s.errors.len(), 1, "the row without @message is reported");
}

#[test]
fn single_objects_arrays_and_ndjson() {
    let data = "{\"timestamp\": 5, \"message\": \"END RequestId: a\\n\"}\n[{\"timestamp\":6,\"message\":\"a\",\"logStreamName\":\"s\"}, \"bare string\"]\n{\"timestamp\": \"2026-11-25T17:33:47Z\", \"level\": \"INFO\", \"message\": \"hello\"}";
    let s = read(data.as_bytes(), InputFormat::Json);
    assert_eq!(
        s.events,
        vec![
            (Some(5), "dflt".into(), "END RequestId: a".into()),
            (Some(6), "s".into(), "a".into()),
            (None, "dflt".into(), "bare string".into()),
        ]
    );
    assert_eq!(s.errors.len(), 1);
    assert!(
        s.errors[0].message.contains("1 JSON value(s) held no log event"),
        "{}",
        s.errors[0].message
    );
}

/// Counts events and checks they arrive in order, without keeping them.
#[derive(Default)]
struct Counter {
    n: u64,
    errors: Vec<crate::report::InputError>,
}

impl crate::source::EventSink for Counter {
    fn event(&mut self, e: &crate::source::LogEvent<'_>) -> std::ops::ControlFlow<()> {
        assert_eq!(e.timestamp_ms, Some(1_700_000_000_000 + self.n as i64));
        assert_eq!(e.message, format!("START RequestId: {:08} Version: $LATEST", self.n));
        self.n += 1;
        std::ops::ControlFlow::Continue(())
    }
    fn input_error(&mut self, error: crate::report::InputError) {
        self.errors.push(error);
    }
}

#[test]
fn streams_many_events() {
    let data = many_events(20_000);
    let mut sink = Counter::default();
    read_reader(
        "big.json",
        data.as_bytes(),
        ReadOptions::new(InputFormat::Auto),
        "",
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.n, 20_000);
    assert!(sink.errors.is_empty());
    // Events before a cut are delivered as they are parsed.
    let mut sink = Counter::default();
    read_reader(
        "cut.json",
        &data.as_bytes()[..data.len() / 2],
        ReadOptions::new(InputFormat::Json),
        "",
        &mut sink,
    )
    .unwrap();
    assert!(sink.n > 8_000, "{}", sink.n);
    assert_eq!(sink.errors.len(), 1);
}

#[test]
fn malformed_json_names_line_and_column() {
    let data = "{\"events\": [\n  {\"timestamp\": 1, \"message\": \"START RequestId: a\"},\n  {\"timestamp\": 2, \"message\": oops}\n]}";
    let mut sink = TestSink::default();
    read_reader(
        "bad.json",
        data.as_bytes(),
        ReadOptions::new(InputFormat::Json),
        "",
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.messages(), vec!["START RequestId: a"]);
    assert_eq!(sink.errors.len(), 1);
    let e = &sink.errors[0];
    assert_eq!(e.input, "bad.json");
    assert_eq!(e.position, "line 3, column 31");
    assert!(
        e.message.starts_with("malformed JSON (expected value)"),
        "{}",
        e.message
    );
}
