//! The time window: --since and --until, absolute and relative.

use super::*;

#[test]
fn since_until_iso_bounds_filter_events_exactly() {
    let bounds: [[&str; 2]; 3] = [
        ["2025-07-11T07:00:00Z", "2025-07-11T08:00:00Z"],
        ["2025-07-11T16:00:00+09:00", "2025-07-11T17:00:00+09:00"],
        ["2025-07-11T07:00:00", "2025-07-11T08:00:00"],
    ];
    for [since, until] in bounds {
        let r = run_json(&[&data("equiv.export.log"), "--since", since, "--until", until]);
        expect_decisions(&r, 4, [0, 3, 1, 0, 0], 0);
        expect_denials(&r, [1, 3, 1, 1]);
        expect(&r, &[("/input/filtered_events", 53.0), ("/cold_starts/count", 0.0)]);
        expect_time(&r, "/window/start", "2025-07-11T07:00:00Z");
        expect_time(&r, "/window/end", "2025-07-11T08:00:00Z");
    }
    for file in ["equiv.filter.json", "equiv.tail.log", "equiv.console.tsv"] {
        let r = run_json(&[
            &data(file),
            "--since",
            "2025-07-11T07:00:00Z",
            "--until",
            "2025-07-11T08:00:00Z",
        ]);
        expect_decisions(&r, 4, [0, 3, 1, 0, 0], 0);
        expect_denials(&r, [1, 3, 1, 1]);
    }
}

#[test]
fn relative_since_and_until_are_counted_back_from_now() {
    for span in ["1d", "90m", "2h30m"] {
        let r = run_json(&[&data("equiv.export.log"), "--since", span]);
        expect_decisions(&r, 0, [0, 0, 0, 0, 0], 0);
        expect(&r, &[("/input/filtered_events", 85.0)]);
    }
    let r = run_json(&[&data("equiv.export.log"), "--until", "1d"]);
    expect_equiv(&r);
    expect(&r, &[("/input/filtered_events", 0.0)]);
}
