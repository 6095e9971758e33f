//! Tests of per-input tallies: the 1 % rule, samples escaped and cut, ranges merged.

use super::*;

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
