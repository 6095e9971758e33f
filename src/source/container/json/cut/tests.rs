//! Tests of cutting long JSON strings: heads kept, escapes and characters never split, positions, detection.

use crate::source::InputFormat;
use crate::testutil::{capped, read_with};

const START: &str = "START RequestId: 8f5b3a2e-1d4c-4b7a-9e6f-0a1b2c3d4e5f Version: $LATEST";

fn events_with(message: &str) -> String {
    format!(
        r#"{{"events":[{{"timestamp":1,"message":"{START}"}},{{"timestamp":2,"message":"{message}"}},{{"timestamp":3,"message":"{START}"}}]}}"#
    )
}

#[test]
fn a_long_string_is_cut_to_its_head_and_the_rest_of_the_input_read() {
    let long = "m".repeat(50_000);
    let s = read_with(events_with(&long).as_bytes(), capped(InputFormat::Json, 1024));
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.messages(), [START, &long[..1024], START]);
    assert_eq!(s.oversized.len(), 1);
    let at = s.oversized[0].2 as usize;
    let text = events_with(&long);
    assert_eq!(&text[at - 1..at], "\"", "the cut value is named where it begins");
    assert_eq!(&text[at..at + 1024], &long[..1024]);
}

#[test]
fn escapes_and_characters_are_never_split() {
    // Every piece in turn straddles the cut point.
    let pieces = [r#"\""#, r"\\", r"\n", r"\u00e9", r"\ud83d\ude00", "é", "😀", r"\u0041"];
    for piece in pieces {
        for shift in 0..12 {
            let head = "a".repeat(1024 - shift);
            let message = format!("{head}{}", piece.repeat(8)) + &"b".repeat(5000);
            let s = read_with(events_with(&message).as_bytes(), capped(InputFormat::Json, 1024));
            assert!(s.errors.is_empty(), "{piece} at -{shift}: {:?}", s.errors);
            assert_eq!(s.events.len(), 3, "{piece} at -{shift}");
            let cut = &s.events[1].2;
            assert!(cut.starts_with(&head), "{piece} at -{shift}");
            assert!(!cut.contains('\u{FFFD}'), "{piece} at -{shift}: a surrogate was split");
            assert!(!cut.contains('b'), "{piece} at -{shift}: the tail was dropped");
            assert_eq!(s.oversized[0].1, 1);
        }
    }
}

#[test]
fn keys_and_short_strings_pass_unchanged() {
    let text = events_with("short \\\"quoted\\\" and \\\\ back");
    let s = read_with(text.as_bytes(), capped(InputFormat::Json, 1024));
    assert_eq!(s.events[1].2, r#"short "quoted" and \ back"#);
    assert!(s.oversized.is_empty());
}

#[test]
fn a_first_value_longer_than_the_detection_sample_is_still_json() {
    let long = "m".repeat(5 << 20);
    let s = read_with(events_with(&long).as_bytes(), capped(InputFormat::Auto, 1 << 20));
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.events.len(), 3, "detected as JSON, not read as one bare line");
    assert_eq!(s.events[1].2.len(), 1 << 20);
}
