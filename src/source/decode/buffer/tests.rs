//! Tests of the line buffer: line ends, the UTF-8 BOM, invalid UTF-8, long lines, tiny reads and reused buffers.

use crate::source::ReadOptions;
use std::io::{self, Read};

use super::Buffered;
use crate::source::file::read_reader;
use crate::source::InputFormat;
use crate::testutil::{capped, gzip, read, read_planned_with, read_with, TestSink, EXPORT, LF_TEXT_WITH_LONE_CRS};

#[test]
fn crlf_bom_and_invalid_utf8() {
    let crlf = EXPORT.replace('\n', "\r\n");
    let mut data = b"\xEF\xBB\xBF".to_vec();
    data.extend_from_slice(crlf.as_bytes());
    let s = read(&data, InputFormat::Auto);
    assert_eq!(s.events, read(EXPORT.as_bytes(), InputFormat::Export).events);
    let s = read(
        b"START RequestId: a\xff\xfe Version: 1\r\nEND RequestId: a\r\n",
        InputFormat::Auto,
    );
    assert_eq!(s.invalid, 1);
    assert_eq!(
        s.messages(),
        vec!["START RequestId: a\u{10ffff}\u{10fffe} Version: 1", "END RequestId: a"]
    );
}

#[test]
fn invalid_bytes_decode_each_to_its_own_code_point() {
    use super::decode_invalid;
    // Different bytes stay different (U+FFFD made these two the same token).
    assert_ne!(decode_invalid(b"a\xff"), decode_invalid(b"a\xfe"));
    assert_eq!(decode_invalid(b"a\xff"), "a\u{10ffff}");
    // A truncated sequence is its bytes; valid text around it is kept, a valid é included.
    assert_eq!(
        decode_invalid(b"\xe2\x82x\xc3\xa9\x80"),
        "\u{10ffe2}\u{10ff82}x\u{e9}\u{10ff80}"
    );
    // And they are shown as the bytes they were.
    assert_eq!(
        crate::redact::escape_control(&decode_invalid(b"a\xff\x00b")),
        "a\\xff\\x00b"
    );
    // Valid UTF-8 is borrowed as it is; only invalid input takes this way.
    assert!(matches!(
        super::decode_line("é".as_bytes()),
        (std::borrow::Cow::Borrowed("é"), true)
    ));
}

#[test]
fn a_reused_read_buffer_shows_nothing_of_the_input_before() {
    let long: String = (0..3000)
        .map(|i| format!("2024-08-28T10:00:00.123Z START RequestId: {i:08} Version: $LATEST\n\n"))
        .collect();
    assert_eq!(read(long.as_bytes(), InputFormat::Auto).events.len(), 3000);
    // The same thread's next inputs get that buffer back, its old bytes still in it.
    for short in [
        "2024-08-28T10:00:01.000Z END RequestId: x\n",
        "2024-08-28T10:00:01.000Z END",
        "",
    ] {
        let s = read(short.as_bytes(), InputFormat::Export);
        let want: Vec<&str> = short.lines().map(|l| &l[25..]).collect();
        assert_eq!(s.messages(), want, "{short:?}");
        assert!(s.errors.is_empty());
    }
}

#[test]
fn long_event_of_300_kb() {
    let big = "x".repeat(300 * 1024);
    let data = format!("2024-08-28T10:00:00.123Z [INFO]\t2024-08-28T10:00:00.123Z\tid\t{big}\n\n2024-08-28T10:00:00.124Z END RequestId: id\n");
    let s = read(data.as_bytes(), InputFormat::Auto);
    assert_eq!(s.events.len(), 2);
    assert_eq!(
        s.events[0].2.len(),
        "[INFO]\t2024-08-28T10:00:00.123Z\tid\t".len() + big.len()
    );
    let bare = read(format!("{big}\n{big}").as_bytes(), InputFormat::Bare);
    assert_eq!(bare.events.len(), 2);
    assert!(bare.events.iter().all(|e| e.2.len() == big.len()));
}

#[test]
fn line_reader_handles_tiny_reads() {
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut sink = TestSink::default();
    read_reader(
        "t",
        Trickle(EXPORT.as_bytes()),
        ReadOptions::new(InputFormat::Auto),
        "dflt",
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.events, read(EXPORT.as_bytes(), InputFormat::Export).events);
    let mut sink = TestSink::default();
    read_reader(
        "t",
        Trickle(&gzip(EXPORT.as_bytes())),
        ReadOptions::new(InputFormat::Auto),
        "dflt",
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.events.len(), 5);
}

/// Endless bytes without a newline (`len` of them), made as they are read.
struct NoNewline {
    left: u64,
}

impl Read for NoNewline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        buf[..n].fill(b'a');
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn a_line_over_the_cap_is_cut_its_head_read_its_tail_skipped() {
    let long = "x".repeat(5000);
    let text = format!("START RequestId: r1 Version: $LATEST\n{long}\nREPORT RequestId: r1\tDuration: 1.00 ms\t\n");
    // Cut by the buffer (the line is longer than the buffer held) and by the line scan (it fits).
    for max in [1024, 4999] {
        let s = read_with(text.as_bytes(), capped(InputFormat::Bare, max));
        let m = s.messages();
        assert_eq!(m.len(), 3, "{max}");
        assert_eq!(m[1], &long[..max]);
        assert_eq!(m[2], "REPORT RequestId: r1\tDuration: 1.00 ms\t");
        assert_eq!(s.oversized, [("test.log".to_string(), 1, 37)], "{max}");
    }
    let s = read_with(text.as_bytes(), capped(InputFormat::Bare, 5000));
    assert!(s.oversized.is_empty(), "a line of exactly the cap is whole");
}

#[test]
fn a_cut_never_splits_a_character() {
    let line = "é".repeat(3000);
    let s = read_with(format!("{line}\n{line}").as_bytes(), capped(InputFormat::Bare, 1025));
    assert_eq!(s.invalid, 0, "the heads stay valid UTF-8");
    assert_eq!(s.messages(), [&line[..1024], &line[..1024]]);
    assert_eq!(s.oversized[0].1, 2);
}

#[test]
fn an_input_without_newlines_is_read_in_bounded_memory() {
    let mut input = Buffered::new(NoNewline { left: 64 << 20 });
    input.set_max_line(1 << 20);
    input.fill_sample();
    let mut lines = Vec::new();
    input.for_each_line(|line, _, _, at, _, _| {
        lines.push((line.len(), at));
        Some(0)
    });
    assert_eq!(lines, [(1 << 20, 0)], "one head, the rest skipped");
    assert_eq!(input.oversized.count, 1);
    // The buffer grew for the detection sample (4 MiB) and no further.
    assert!(input.buf.len() <= 4 << 20, "buffer of {} bytes", input.buf.len());
    assert_eq!(input.position(), 64 << 20, "read to the end");
}

#[test]
fn a_cut_line_in_ranges_reads_as_it_does_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.log");
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "2025-07-11T06:05:34.{:03}Z START RequestId: r{i} Version: $LATEST\n",
            i
        ));
        if i % 7 == 3 {
            text.push_str(&format!("2025-07-11T06:05:34.500Z {}\n", "y".repeat(10_000 + i * 997)));
        }
    }
    text.push_str(&"z".repeat(30_000));
    std::fs::write(&path, &text).unwrap();
    let opts = capped(InputFormat::Auto, 2048);
    let (whole, units) = read_planned_with(&path, opts, u64::MAX);
    assert_eq!(units, 1);
    assert_eq!(whole.oversized.iter().map(|o| o.1).sum::<u64>(), 7);
    for range_bytes in [1000, 4096, 9999, 25_000] {
        let (ranged, units) = read_planned_with(&path, opts, range_bytes);
        assert!(units > 1);
        assert_eq!(ranged.events, whole.events, "ranges of {range_bytes}");
        let cut: u64 = ranged.oversized.iter().map(|o| o.1).sum();
        assert_eq!(cut, 7, "ranges of {range_bytes}");
    }
}

/// A reader that hands out at most `n` bytes a call, so line ends fall across reads.
struct Trickle<'a>(&'a [u8], usize);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.0.len()).min(self.1);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_lone_cr_ends_a_line_only_in_a_file_of_cr_ends() {
    let want = read(EXPORT.as_bytes(), InputFormat::Export).events;
    let cr = EXPORT.replace('\n', "\r");
    // `\n` and `\r\n` in turn, as a file edited on two systems has them.
    let mixed: String = EXPORT
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| l.replace('\n', ["\n", "\r\n"][i % 2]))
        .collect();
    for (what, text) in [("cr", &cr), ("mixed", &mixed)] {
        assert_eq!(read(text.as_bytes(), InputFormat::Auto).events, want, "{what}");
        // Every split of a `\r\n` across two reads.
        for n in [1, 2, 3, 7] {
            let mut sink = TestSink::default();
            read_reader(
                "t",
                Trickle(text.as_bytes(), n),
                ReadOptions::new(InputFormat::Export),
                "dflt",
                &mut sink,
            )
            .unwrap();
            assert_eq!(sink.events, want, "{what}, reads of {n}");
        }
    }
    let s = read(
        b"START RequestId: a Version: 1\rEND RequestId: a\r\rREPORT RequestId: a\r",
        InputFormat::Bare,
    );
    assert_eq!(
        s.messages(),
        [
            "START RequestId: a Version: 1",
            "END RequestId: a",
            "REPORT RequestId: a"
        ]
    );
}

/// In a file of `\n` ends a lone `\r` is part of its line, wherever the reads fall: Lambda joins
/// the lines of one message with `\r`, and a value holding one must not split its line.
#[test]
fn a_lone_cr_in_a_file_of_lf_ends_is_content() {
    let text = LF_TEXT_WITH_LONE_CRS;
    let want = [
        "START RequestId: r1 Version: $LATEST",
        "[ERROR] E: boom\rTraceback (most recent call last):\r  File \"x\"",
        "EVENT\r{\r  \"key\": \"value\"\r}",
        "Token: Ab\rX",
        "END RequestId: r1",
    ];
    for format in [InputFormat::Auto, InputFormat::Export] {
        assert_eq!(read(text.as_bytes(), format).messages(), want, "{format:?}");
    }
    for n in [1, 2, 3, 7, 64] {
        let mut sink = TestSink::default();
        let opts = ReadOptions::new(InputFormat::Export);
        read_reader("t", Trickle(text.as_bytes(), n), opts, "dflt", &mut sink).unwrap();
        assert_eq!(sink.messages(), want, "reads of {n}");
    }
    // The tail of a cut line runs to its `\n`, past a `\r` in it.
    let long = format!("x{}\ry", "x".repeat(3000));
    let cut = format!("START RequestId: r1 Version: $LATEST\n{long}\nREPORT RequestId: r1\tDuration: 1.00 ms\t\n");
    let m = read_with(cut.as_bytes(), capped(InputFormat::Bare, 1024));
    assert_eq!(m.messages().len(), 3, "{:?}", m.messages());
    assert_eq!(m.messages()[2], "REPORT RequestId: r1\tDuration: 1.00 ms\t");
}

#[test]
fn a_cut_line_ends_at_a_lone_cr() {
    let long = "x".repeat(5000);
    let text = format!("START RequestId: r1 Version: $LATEST\r{long}\rREPORT RequestId: r1\tDuration: 1.00 ms\t\r");
    for max in [1024, 4999] {
        let s = read_with(text.as_bytes(), capped(InputFormat::Bare, max));
        let m = s.messages();
        assert_eq!(m.len(), 3, "{max}: {m:?}");
        assert_eq!(m[2], "REPORT RequestId: r1\tDuration: 1.00 ms\t");
    }
}

#[test]
fn cr_only_ranges_read_as_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cr.log");
    let text: String = (0..200)
        .map(|i| {
            format!(
                "2025-07-11T06:05:34.{:03}Z START RequestId: r{i} Version: $LATEST\r\r",
                i % 1000
            )
        })
        .collect();
    std::fs::write(&path, &text).unwrap();
    let opts = ReadOptions::new(InputFormat::Export);
    let (whole, _) = read_planned_with(&path, opts, u64::MAX);
    assert_eq!(whole.events.len(), 200);
    for range_bytes in [1000, 4096, 9999] {
        // Not cut: a range could not tell where the whole-file reader's lines end.
        let (ranged, units) = read_planned_with(&path, opts, range_bytes);
        assert_eq!(units, 1);
        assert_eq!(ranged.events, whole.events, "ranges of {range_bytes}");
    }
}

#[test]
fn ranges_of_a_file_of_lf_ends_keep_a_lone_cr_as_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lf.log");
    // Messages with `\r` inside, one in every place a range may start: a range's skip to its first
    // line must not stop at one.
    let text: String = (0..200)
        .map(|i| {
            format!(
                "2025-07-11T06:05:34.{:03}Z Token: A\rb{i}\r\rc\r\n\r\n2025-07-11T06:05:34.{:03}Z x\ry\n\n",
                i % 1000,
                i % 1000
            )
        })
        .collect();
    std::fs::write(&path, &text).unwrap();
    let opts = ReadOptions::new(InputFormat::Auto);
    let (whole, _) = read_planned_with(&path, opts, u64::MAX);
    assert_eq!(whole.events.len(), 400);
    assert_eq!(whole.messages()[0], "Token: A\rb0\r\rc");
    assert_eq!(whole.messages()[1], "x\ry");
    for range_bytes in [37, 1000, 4096, 9999] {
        let (ranged, units) = read_planned_with(&path, opts, range_bytes);
        assert!(units > 1);
        assert_eq!(ranged.events, whole.events, "ranges of {range_bytes}");
    }
}
