//! Tests of per-input tallies: the 1 % rule, samples escaped and cut, ranges merged.

use super::*;
use crate::parse::OwnedOrBorrowedFact;
use crate::redact::{display_token, TokenDisplay};

#[test]
fn under_one_percent_recognized_warns_with_escaped_samples() {
    let mut t = InputTally::default();
    for i in 0..199 {
        t.note(
            &LineEvent::Unrecognized,
            &format!("noise \x1b[31m{i}\n{}", "x".repeat(300)),
        );
    }
    t.note(&LineEvent::InitStart, "END RequestId: r");
    let w = t.finish("a.log", InputFormat::Bare).expect("a warning");
    assert_eq!((w.events, w.recognized), (200, 1));
    assert_eq!(w.samples, ["noise \\x1b[31m0…", "noise \\x1b[31m1…"]);
    assert!(
        w.hint.contains("--input-format export|json|tail|console|prefixed"),
        "{}",
        w.hint
    );

    let mut fine = InputTally::default();
    for _ in 0..99 {
        fine.note(&LineEvent::Unrecognized, "noise");
    }
    fine.note(&LineEvent::InitStart, "END RequestId: r");
    assert_eq!(fine.finish("b.log", InputFormat::Bare), None, "1 in 100 is enough");
    assert_eq!(InputTally::default().finish("empty.log", InputFormat::Bare), None);
}

#[test]
fn warnings_of_one_input_merge() {
    let mut all = Vec::new();
    let mut omitted = Omitted::default();
    for _ in 0..2 {
        let mut t = InputTally::default();
        t.note(&LineEvent::Unrecognized, "a");
        t.note(&LineEvent::Unrecognized, "b");
        merge(
            &mut all,
            &mut omitted,
            t.finish("big.log", InputFormat::Export).expect("a warning"),
        );
    }
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].events, 4);
    assert_eq!(all[0].samples, ["a", "b"]);
}

/// Past the cap an input is counted once, however many ranges it was read in.
#[test]
fn warnings_past_the_cap_are_counted_once_per_input() {
    let mut all = Vec::new();
    let mut omitted = Omitted::default();
    let warning = |input: &str| {
        let mut t = InputTally::default();
        t.note(&LineEvent::Unrecognized, "a");
        t.finish(input, InputFormat::Bare).expect("a warning")
    };
    for i in 0..MAX_INPUT_WARNINGS + 3 {
        for _range in 0..2 {
            merge(&mut all, &mut omitted, warning(&format!("{i}.log")));
        }
    }
    assert_eq!(all.len(), MAX_INPUT_WARNINGS);
    assert!(all.iter().all(|w| w.events == 2));
    assert_eq!(omitted.count, 3);
}

/// Issue 26: a sample showed a token the same input's `Token:` / `Allowed Token:` lines told,
/// in any shape no secret word marks, and in the shapes they do not know.
#[test]
fn samples_mask_the_tokens_the_input_logged_wherever_they_stand() {
    let allowed = LineEvent::App {
        request_id: None,
        timestamp_ms: None,
        fact: Some(OwnedOrBorrowedFact::AllowedToken("Ab12Xy34".into())),
    };
    let received = LineEvent::App {
        request_id: None,
        timestamp_ms: None,
        fact: Some(OwnedOrBorrowedFact::Token("Zq7Later".into())),
    };
    let mut t = InputTally::default();
    t.note(
        &LineEvent::Unrecognized,
        "lookup failed: KeyError: 'Ab12Xy34' for Zq7Later",
    );
    t.note(
        &LineEvent::Unrecognized,
        &format!("{} {{'x-custom': 'Ab12Xy34'}}", "y".repeat(100)),
    );
    t.note(&allowed, "[INFO] Allowed Token: Ab12Xy34");
    t.note(&received, "[INFO] Token: Zq7Later");
    for _ in 0..300 {
        t.note(&LineEvent::Unrecognized, "noise");
    }
    let w = t.finish("a.log", InputFormat::Bare).expect("a warning");
    let ab = display_token("Ab12Xy34", TokenDisplay::Masked);
    let zq = display_token("Zq7Later", TokenDisplay::Masked);
    assert_eq!(w.samples[0], format!("lookup failed: KeyError: '{ab}' for {zq}"));
    // The token stood where the shown part ends: masked before the cut, so no part of it shows.
    let shown: String = format!("{} {{'x-custom': '{ab}'}}", "y".repeat(100))
        .chars()
        .take(120)
        .collect();
    assert!(shown.ends_with("'tok:f"), "the cut is inside the mask: {shown}");
    assert_eq!(w.samples[1], format!("{shown}…"));
    assert!(!w.samples.concat().contains("Ab12") && !w.samples.concat().contains("Zq7"));
}

/// When the input logged more token values than are kept, a sample could hold one let go:
/// none is shown.
#[test]
fn samples_are_left_out_when_a_token_value_was_let_go() {
    let mut t = InputTally::default();
    t.note(&LineEvent::Unrecognized, "Event: x-custom=Zq7Zq7-00000");
    for i in 0..20_000 {
        let token = format!("Zq7Zq7-{i:05}");
        let line = LineEvent::App {
            request_id: None,
            timestamp_ms: None,
            fact: Some(OwnedOrBorrowedFact::Token(token.as_str().into())),
        };
        t.note(&line, "");
    }
    for _ in 0..3_000_000 {
        t.events += 1;
        t.unrecognized += 1;
    }
    let w = t.finish("a.log", InputFormat::Bare).expect("a warning");
    assert!(w.samples.is_empty(), "{:?}", w.samples);
}

#[test]
fn a_cloudwatch_window_of_unrecognized_lines_names_its_group_and_the_option_to_pick_another() {
    let mut t = InputTally::default();
    for i in 0..40 {
        t.note(&LineEvent::Unrecognized, &format!("GET /pets 200 \x1b[31m{i}"));
    }
    let groups = ["/aws/lambda/other-function".to_string()];
    let w = t.finish_window(&groups).expect("a warning");
    assert_eq!(
        (w.input.as_str(), w.container),
        ("/aws/lambda/other-function", "cloudwatch")
    );
    assert_eq!((w.events, w.recognized), (40, 0));
    assert_eq!(w.samples, ["GET /pets 200 \\x1b[31m0", "GET /pets 200 \\x1b[31m1"]);
    assert!(
        w.hint
            .contains("if this is not the authorizer's log group, name it with --group"),
        "{}",
        w.hint
    );
    assert!(w.hint.contains("`authlogs groups`"), "{}", w.hint);
    assert_eq!(
        InputTally::default().finish_window(&groups),
        None,
        "no event, no warning"
    );
}
