//! Tests of the findings' options: the guessing threshold and the failing severity.

use super::*;
use crate::cli::args::parse;

fn findings(args: &[&str]) -> Result<Findings, Error> {
    parse::<FindingArgs>(args).validate()
}

#[test]
fn defaults_guess_five_in_ten_minutes_and_fail_on_nothing() {
    assert_eq!(
        findings(&[]).ok(),
        Some(Findings {
            guess_threshold: 5,
            guess_window_ms: 600_000,
            fail_on: None
        })
    );
    let f = findings(&["--guess-threshold", "3/60s", "--fail-on", "medium"]).ok();
    assert_eq!(
        f.map(|f| (f.guess_threshold, f.guess_window_ms, f.fail_on)),
        Some((3, 60_000, Some(Severity::Medium)))
    );
}

#[test]
fn a_bad_threshold_names_its_option() {
    match findings(&["--guess-threshold", "five"]) {
        Err(Error::Usage(text)) => {
            assert_eq!(text, "--guess-threshold takes N/SPAN, e.g. 5/60s or 5/10m; not 'five'")
        }
        other => panic!("{other:?}"),
    }
}
