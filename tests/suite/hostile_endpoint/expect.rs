//! What every failing case of the hostile endpoint expects of authlogs' stderr: one error line
//! holding what went wrong and its fix, and no raw control or bidi character from the server.

use crate::util::Run;

/// A run that failed with one line naming `wanted[0]`, holding every piece of `wanted` and a
/// reason after its last colon, and with no raw ESC or U+202E on stderr.
#[track_caller]
pub(crate) fn assert_one_error(r: &Run, wanted: &[&str]) {
    r.assert_no_panic();
    assert_ne!(r.code, Some(0), "stderr:\n{}", r.stderr);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.contains(wanted[0])).collect();
    assert_eq!(errors.len(), 1, "one error line:\n{}", r.stderr);
    for w in wanted {
        assert!(errors[0].contains(w), "{w:?} in:\n{}", r.stderr);
    }
    assert!(!errors[0].ends_with(": "), "a reason after the colon:\n{}", r.stderr);
    assert!(
        !r.stderr.contains(['\x1b', '\u{202e}']),
        "raw control on stderr:\n{:?}",
        r.stderr
    );
}
