//! Usage errors: exit status 2 and what they say.

use super::*;

#[test]
fn usage_errors_exit_2() {
    let file = data("equiv.export.log");
    for args in [
        vec![file.as_str(), "--no-such-flag"],
        vec![file.as_str(), "--format", "yaml"],
        vec![file.as_str(), "--input-format", "xml"],
        vec![file.as_str(), "--since", "yesterday"],
    ] {
        let run = report(&args);
        run.assert_no_panic().assert_code(2);
        assert!(!run.stderr.trim().is_empty(), "no message for {args:?}");
    }
}
