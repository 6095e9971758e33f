//! Tests of gzip inputs: one member and several.

use crate::source::InputFormat;
use crate::testutil::{gzip, read, EXPORT};

#[test]
fn gzip_single_and_multi_member() {
    let s = read(&gzip(EXPORT.as_bytes()), InputFormat::Auto);
    assert_eq!(s.events, read(EXPORT.as_bytes(), InputFormat::Export).events);
    let (a, b) = EXPORT.split_at(EXPORT.find("2024-08-28T10:00:00.131Z END").unwrap());
    let mut multi = gzip(a.as_bytes());
    multi.extend(gzip(b.as_bytes()));
    let s = read(&multi, InputFormat::Auto);
    assert_eq!(s.events.len(), 5);
    assert!(s.errors.is_empty());
}
