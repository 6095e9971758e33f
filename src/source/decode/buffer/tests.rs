//! Tests of the line buffer: line ends, the UTF-8 BOM, invalid UTF-8, long lines, tiny reads and reused buffers.

use std::io::{self, Read};

use crate::source::file::read_reader;
use crate::source::InputFormat;
use crate::testutil::{gzip, read, TestSink, EXPORT};

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
        vec!["START RequestId: a\u{fffd}\u{fffd} Version: 1", "END RequestId: a"]
    );
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
    read_reader("t", Trickle(EXPORT.as_bytes()), InputFormat::Auto, "dflt", &mut sink).unwrap();
    assert_eq!(sink.events, read(EXPORT.as_bytes(), InputFormat::Export).events);
    let mut sink = TestSink::default();
    read_reader(
        "t",
        Trickle(&gzip(EXPORT.as_bytes())),
        InputFormat::Auto,
        "dflt",
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.events.len(), 5);
}
