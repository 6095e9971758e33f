//! Tests of reading one input: empty input, damaged gzip (inflated inline or apart), random bytes.

use super::read_sized;
use crate::source::file::read_reader;
use crate::source::InputFormat;
use crate::source::ReadOptions;
use crate::testutil::{gzip, read, TestSink};

#[test]
fn empty_input_and_blank_lines() {
    for format in [
        InputFormat::Auto,
        InputFormat::Export,
        InputFormat::Json,
        InputFormat::Bare,
    ] {
        let s = read(b"", format);
        assert!(s.events.is_empty() && s.errors.is_empty());
    }
    assert!(read(b"\n\n  \n", InputFormat::Auto).events.is_empty());
}

#[test]
fn truncated_gzip_keeps_events_and_names_the_byte() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "2024-08-28T10:00:00.123Z START RequestId: {i:08} Version: $LATEST\n\n"
        ));
    }
    let full = gzip(text.as_bytes());
    let cut = &full[..full.len() / 2];
    let mut sink = TestSink::default();
    read_reader(
        "logs/000000.gz",
        cut,
        ReadOptions::new(InputFormat::Auto),
        "",
        &mut sink,
    )
    .unwrap();
    // A small file is inflated on the reading thread, not on a thread of its own: the same
    // events, the same damage at the same byte.
    let mut inline = TestSink::default();
    read_sized(
        "logs/000000.gz",
        cut,
        Some(0),
        ReadOptions::new(InputFormat::Auto),
        "",
        &mut inline,
    )
    .unwrap();
    assert_eq!(inline.events, sink.events);
    assert_eq!(inline.errors, sink.errors);
    assert!(
        sink.events.len() > 1000 && sink.events.len() < 20_000,
        "{}",
        sink.events.len()
    );
    for (i, e) in sink.events.iter().enumerate().take(sink.events.len() - 1) {
        assert_eq!(e.2, format!("START RequestId: {i:08} Version: $LATEST"));
    }
    assert_eq!(sink.errors.len(), 1);
    let err = &sink.errors[0];
    assert_eq!(err.input, "logs/000000.gz");
    assert_eq!(err.position, format!("byte {} of compressed input", cut.len()));
    assert!(err.message.starts_with("gzip stream truncated"), "{}", err.message);

    let mut corrupt = full.clone();
    for b in &mut corrupt[full.len() / 2..full.len() / 2 + 64] {
        *b = 0xff;
    }
    let mut sink = TestSink::default();
    read_reader(
        "c.gz",
        &corrupt[..],
        ReadOptions::new(InputFormat::Export),
        "",
        &mut sink,
    )
    .unwrap();
    let mut inline = TestSink::default();
    read_sized(
        "c.gz",
        &corrupt[..],
        Some(0),
        ReadOptions::new(InputFormat::Export),
        "",
        &mut inline,
    )
    .unwrap();
    assert_eq!((&inline.events, &inline.errors), (&sink.events, &sink.errors));
    // What the damaged stream inflates to past the damage is garbage: stamps with a month or an
    // hour out of range among it are reported too.
    let gzip_errors: Vec<_> = sink
        .errors
        .iter()
        .filter(|e| e.message.starts_with("gzip stream"))
        .collect();
    assert_eq!(gzip_errors.len(), 1, "{:?}", sink.errors);
    assert!(
        sink.errors
            .iter()
            .all(|e| e.message.starts_with("gzip stream") || e.message.contains("does not exist")),
        "{:?}",
        sink.errors
    );
    assert!(sink.events.len() > 1000);
}

#[test]
fn random_bytes_do_not_panic() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut data = Vec::new();
    for _ in 0..200_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.push((state >> 24) as u8);
    }
    for format in InputFormat::NAMES {
        let format = match format {
            "export" => InputFormat::Export,
            "json" => InputFormat::Json,
            "tail" => InputFormat::Tail,
            "console" => InputFormat::Console,
            "bare" => InputFormat::Bare,
            _ => InputFormat::Auto,
        };
        let _ = read(&data, format);
        let mut gz = vec![0x1f, 0x8b];
        gz.extend_from_slice(&data);
        let s = read(&gz, format);
        assert_eq!(s.errors.len(), 1);
    }
}
