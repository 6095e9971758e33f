//! Tests of the reading options: the line cap's sizes and the templates file.

use super::*;
use crate::cli::args::parse;

fn reading(args: &[&str]) -> Result<Reading, Error> {
    parse::<ReadArgs>(args).validate()
}

#[test]
fn defaults_read_any_container_up_to_one_mebibyte() {
    let r = reading(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.read.format, r.read.max_line_bytes), (InputFormat::Auto, 1 << 20));
}

#[test]
fn line_caps_take_plain_and_binary_units() {
    for (text, bytes) in [
        ("1048576", 1 << 20),
        ("64KiB", 64 << 10),
        ("2M", 2 << 20),
        ("1g", 1 << 30),
        (" 4096 b ", 4096),
    ] {
        assert_eq!(max_line_bytes(text).ok(), Some(bytes), "{text}");
    }
    let text = |v: &str| match max_line_bytes(v) {
        Err(Error::Usage(t)) => t,
        other => panic!("{v}: {other:?}"),
    };
    assert_eq!(
        text("10"),
        "--max-line-bytes takes a size of at least 1024 bytes, such as 1048576, 64KiB or 1MiB; not '10'"
    );
    assert!(text("1XB").ends_with("not '1XB'"));
    assert!(text("99999999999999999999G").contains("at least"));
    assert!(reading(&["--max-line-bytes", "1k"]).is_ok());
}

#[test]
fn a_missing_templates_file_is_an_error() {
    assert!(reading(&["--patterns", "/no/such/patterns.toml"]).is_err());
}
