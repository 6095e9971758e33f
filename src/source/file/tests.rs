//! Tests of the entry points: a missing path.

use crate::source::ReadOptions;
use std::path::Path;

use super::{read_path, SourceError};
use crate::source::InputFormat;
use crate::testutil::TestSink;

#[test]
fn missing_path_is_not_found() {
    let mut sink = TestSink::default();
    let err = read_path(
        Path::new("/no/such/authlogs/file.log"),
        ReadOptions::new(InputFormat::Auto),
        &mut sink,
    )
    .unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }));
    assert_eq!(
        err.to_string(),
        "no such file or directory: /no/such/authlogs/file.log (check the path; use - for standard input)"
    );
}
