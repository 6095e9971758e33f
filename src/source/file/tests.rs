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

/// Truncates `path` to nothing at the first event it is given (log rotation by copytruncate).
struct Truncating<'p> {
    path: &'p Path,
    done: bool,
    sink: TestSink,
}

impl crate::source::EventSink for Truncating<'_> {
    fn event(&mut self, e: &crate::source::LogEvent<'_>) -> std::ops::ControlFlow<()> {
        if !self.done {
            self.done = true;
            let file = std::fs::OpenOptions::new().write(true).open(self.path).unwrap();
            file.set_len(0).unwrap();
        }
        self.sink.event(e)
    }
    fn input_error(&mut self, error: crate::report::InputError) {
        self.sink.input_error(error);
    }
}

#[test]
fn a_file_that_shrinks_while_it_is_read_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    // Far more than the first read holds, so most of it is still to read when it is truncated.
    let text: String = (0..40_000)
        .map(|i| {
            format!(
                "2025-07-11T06:05:34.{:03}Z START RequestId: r{i} Version: $LATEST\n\n",
                i % 1000
            )
        })
        .collect();
    for (name, data) in [
        ("plain.log", text.clone().into_bytes()),
        ("packed.log.gz", crate::testutil::gzip(text.as_bytes())),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &data).unwrap();
        let whole = crate::testutil::read_planned(&path, InputFormat::Auto, u64::MAX).0;
        assert!(whole.errors.is_empty(), "{name}: {:?}", whole.errors);
        assert_eq!(whole.events.len(), 40_000);
        let mut sink = Truncating {
            path: &path,
            done: false,
            sink: TestSink::default(),
        };
        read_path(&path, ReadOptions::new(InputFormat::Auto), &mut sink).unwrap();
        assert!(sink.sink.events.len() < 40_000, "{name}: {}", sink.sink.events.len());
        // A gzip file cut short also ends inside compressed data: that error comes first.
        let errors = &sink.sink.errors;
        assert_eq!(
            errors.len(),
            1 + usize::from(name.ends_with(".gz")),
            "{name}: {errors:?}"
        );
        let error = errors.last().unwrap();
        assert!(error.input.ends_with(name), "{error:?}");
        assert!(
            error
                .message
                .contains(&format!("shrank from {} to 0 bytes", data.len())),
            "{error:?}"
        );
    }
    // Read in ranges: each range past the new end reports it.
    let path = dir.path().join("ranged.log");
    std::fs::write(&path, &text).unwrap();
    let units = super::plan(std::slice::from_ref(&path), InputFormat::Export, 200_000).unwrap();
    assert!(units.len() > 1);
    // Untouched, the ranges read it whole and see nothing shrink (the last one's end is open).
    let mut untouched = TestSink::default();
    for unit in &units {
        super::read_unit(unit, ReadOptions::new(InputFormat::Export), &mut untouched).unwrap();
    }
    assert!(untouched.errors.is_empty(), "{:?}", untouched.errors);
    assert_eq!(untouched.events.len(), 40_000);
    let mut sink = Truncating {
        path: &path,
        done: false,
        sink: TestSink::default(),
    };
    for unit in &units {
        super::read_unit(unit, ReadOptions::new(InputFormat::Export), &mut sink).unwrap();
    }
    assert!(!sink.sink.errors.is_empty());
    assert!(
        sink.sink.errors.iter().all(|e| e.message.contains("shrank")),
        "{:?}",
        sink.sink.errors
    );
}
