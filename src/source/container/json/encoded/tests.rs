//! Tests of encoded subscription deliveries: Lambda `awslogs`, Kinesis and Firehose records.

use base64::Engine as _;

use crate::source::InputFormat;
use crate::testutil::{capped, gzip, read, read_with, SUBSCRIPTIONS};

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// The two payloads of `SUBSCRIPTIONS`, each gzip'd and base64'd.
fn encoded_payloads() -> (String, String) {
    let (first, second) = SUBSCRIPTIONS.split_at(SUBSCRIPTIONS.find("{\"owner\"").unwrap());
    (b64(&gzip(first.as_bytes())), b64(&gzip(second.as_bytes())))
}

const CONTROL: &str = r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1680683189085,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#;

/// The events `SUBSCRIPTIONS` holds, read as it is.
fn plain_events() -> Vec<(Option<i64>, String, String)> {
    let s = read(SUBSCRIPTIONS.as_bytes(), InputFormat::Json);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert!(!s.events.is_empty());
    s.events
}

#[test]
fn lambda_deliveries_one_per_line_concatenated_and_pretty() {
    let (a, b) = encoded_payloads();
    let control = b64(&gzip(CONTROL.as_bytes()));
    let lines = format!(
        "{{\"awslogs\":{{\"data\":\"{a}\"}}}}\n{{\"awslogs\":{{\"data\":\"{control}\"}}}}\n{{\"awslogs\":{{\"data\":\"{b}\"}}}}\n"
    );
    let concatenated = lines.replace('\n', "");
    let pretty = format!(
        "{{\n  \"awslogs\": {{\n    \"data\": \"{a}\"\n  }}\n}}\n{{\n  \"awslogs\": {{\"data\": \"{b}\"}}\n}}\n"
    );
    for input in [&lines, &concatenated, &pretty] {
        for format in [InputFormat::Auto, InputFormat::Json] {
            let s = read(input.as_bytes(), format);
            assert!(s.errors.is_empty(), "{:?}", s.errors);
            assert_eq!(s.events, plain_events(), "{input}");
        }
    }
}

#[test]
fn kinesis_and_firehose_records() {
    let (a, b) = encoded_payloads();
    let kinesis = format!(
        r#"{{"Records":[{{"kinesis":{{"kinesisSchemaVersion":"1.0","partitionKey":"p","sequenceNumber":"1","data":"{a}","approximateArrivalTimestamp":1.7e9}},"eventSource":"aws:kinesis"}},{{"kinesis":{{"data":"{b}"}}}}]}}"#
    );
    let firehose = format!(
        r#"{{"invocationId":"i","deliveryStreamArn":"arn:aws:firehose:us-east-1:1:deliverystream/x","region":"us-east-1","records":[{{"recordId":"49","approximateArrivalTimestamp":1,"data":"{a}"}},{{"recordId":"50","data":"{b}"}}]}}"#
    );
    let get_records = format!(
        r#"{{"Records":[{{"SequenceNumber":"1","Data":"{a}","PartitionKey":"p"}},{{"Data":"{b}"}}],"NextShardIterator":"x"}}"#
    );
    for input in [&kinesis, &firehose, &get_records] {
        let s = read(input.as_bytes(), InputFormat::Auto);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.events, plain_events(), "{input}");
    }
}

#[test]
fn control_messages_give_no_events() {
    let control = b64(&gzip(CONTROL.as_bytes()));
    let s = read(
        format!("{{\"awslogs\":{{\"data\":\"{control}\"}}}}").as_bytes(),
        InputFormat::Json,
    );
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert!(s.events.is_empty());
}

#[test]
fn other_data_fields_are_left_alone() {
    let line = r#"{"timestamp":1700000000000,"logStreamName":"s","message":"START RequestId: x Version: $LATEST","data":"hello"}"#;
    let s = read(line.as_bytes(), InputFormat::Json);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.messages(), vec!["START RequestId: x Version: $LATEST"]);
}

#[test]
fn damaged_records_are_input_errors_and_the_others_are_read() {
    let (a, b) = encoded_payloads();
    let not_gzip = b64(b"\x1f\x8c not gzip");
    let truncated = {
        let gz = gzip(SUBSCRIPTIONS.as_bytes());
        b64(&gz[..gz.len() / 2])
    };
    let bad_base64 = "H4sI!!!not base64!!!";
    for bad in [bad_base64.to_string(), truncated, format!("H4sI{}", &not_gzip[4..])] {
        let input = format!(
            "{{\"awslogs\":{{\"data\":\"{a}\"}}}}\n{{\"awslogs\":{{\"data\":\"{bad}\"}}}}\n{{\"awslogs\":{{\"data\":\"{b}\"}}}}\n"
        );
        let s = read(input.as_bytes(), InputFormat::Auto);
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert_eq!(s.errors[0].position, "encoded record 2 of 3");
        assert!(
            s.errors[0].message.contains("base64 of a gzip'd"),
            "{}",
            s.errors[0].message
        );
        // The damaged record's events (if any were before the damage) and both others are read.
        assert!(s.events.len() >= plain_events().len(), "{bad}: {:?}", s.events);
    }
}

#[test]
fn a_payload_that_is_not_json_is_damage() {
    let bad = b64(&gzip(b"not json at all"));
    let s = read(
        format!("{{\"awslogs\":{{\"data\":\"{bad}\"}}}}").as_bytes(),
        InputFormat::Json,
    );
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(
        s.errors[0].message.contains("not subscription JSON"),
        "{}",
        s.errors[0].message
    );
}

#[test]
fn a_payload_inflating_past_the_bound_is_damage_not_memory() {
    // 65 MiB of spaces inflate from a few tens of KiB.
    let bomb = gzip(&vec![b' '; (super::MAX_DECODED_PAYLOAD + (1 << 20)) as usize]);
    let s = read(
        format!("{{\"awslogs\":{{\"data\":\"{}\"}}}}", b64(&bomb)).as_bytes(),
        InputFormat::Json,
    );
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(
        s.errors[0].message.contains("larger than 64 MiB"),
        "{}",
        s.errors[0].message
    );
}

#[test]
fn a_record_cut_at_the_line_cap_is_reported_not_dropped() {
    let (a, _) = encoded_payloads();
    let big = format!("{a}{}", "A".repeat(4096));
    let s = read_with(
        format!("{{\"awslogs\":{{\"data\":\"{big}\"}}}}").as_bytes(),
        capped(InputFormat::Json, 1024),
    );
    assert!(!s.errors.is_empty() || !s.oversized.is_empty());
    assert!(
        s.errors.iter().any(|e| e.message.contains("--max-line-bytes")),
        "{:?}",
        s.errors
    );
}

#[test]
fn a_record_alone_that_does_not_decode_is_an_input_error_not_bare_text() {
    // Each alone in its input: detection must still read it as JSON, and report it.
    for bad in ["H4sIAAAAnotvalid!!", "bm90IGd6aXA=", "not base64 at all", ""] {
        for input in [
            format!("{{\"awslogs\":{{\"data\":\"{bad}\"}}}}\n"),
            format!("{{\"Records\":[{{\"kinesis\":{{\"data\":\"{bad}\"}}}}]}}"),
            format!("{{\"records\":[{{\"recordId\":\"1\",\"data\":\"{bad}\"}}]}}"),
        ] {
            let s = read(input.as_bytes(), InputFormat::Auto);
            assert_eq!(s.errors.len(), 1, "{input}: {:?}", s.errors);
            assert_eq!(s.errors[0].position, "encoded record 1 of 1", "{input}");
            assert!(s.events.is_empty(), "{input}: {:?}", s.events);
        }
    }
}
