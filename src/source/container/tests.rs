//! Tests of the text containers: export, tail, console and bare lines, and the export look-ahead.

use crate::source::ReadOptions;
use std::io::{self, Read};

use super::{TextContainer, TextKind};
use crate::source::decode::decode_line;
use crate::source::file::read_reader;
use crate::source::InputFormat;
use crate::testutil::{read, TestSink, BARE, CONSOLE_ROWS, EXPORT, SEED, TAIL};

const T309: i64 = 1_752_213_934_309;

#[test]
fn export_joins_continuations_and_trims_blank_lines() {
    for format in [InputFormat::Export, InputFormat::Auto] {
        let s = read(EXPORT.as_bytes(), format);
        assert_eq!(s.events.len(), 5, "{format}");
        assert_eq!(s.events[0].0, Some(1_724_839_200_123));
        assert_eq!(s.events[0].1, "dflt");
        assert_eq!(
            s.events[0].2,
            "START RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95 Version: $LATEST"
        );
        assert_eq!(
                s.events[2].2,
                "[ERROR] Runtime.ImportModuleError: Unable to import module 'search': No module named 'search'\nTraceback (most recent call last):"
            );
        assert!(s.events[4]
            .2
            .ends_with("Max Memory Used: 35 MB\t\nXRAY TraceId: 1-5e57f3b4-0a2b\tSegmentId: 1a2b\tSampled: true"));
        assert!(s.errors.is_empty());
    }
}

#[test]
fn tail_detailed_short_sam_and_colors() {
    for format in [InputFormat::Tail, InputFormat::Auto] {
        let s = read(TAIL.as_bytes(), format);
        assert_eq!(s.events.len(), 3, "{format}");
        assert_eq!(s.events[0].0, Some(1_709_544_275_635));
        assert_eq!(s.events[0].1, "2024/03/04/[$LATEST]7d585026f97c54261c44b1fe27b75a54");
        assert!(s.events[1]
            .2
            .ends_with("35 MB\nXRAY TraceId: 1-65e59383-4b7c\tSegmentId: 2c3d\tSampled: true"));
        assert_eq!(s.events[2].0, Some(1_709_544_276_000));
    }
    let short = read(
        b"2018-01-01T00:29:43 my message\n2018-01-01T00:29:44 START RequestId: x\n",
        InputFormat::Tail,
    );
    assert_eq!(
        short.events[0],
        (Some(1_514_766_583_000), "dflt".into(), "my message".into())
    );
    let sam = read(
        b"2023/06/02/[$LATEST]4d1d 2023-06-02T11:27:25.060000 START RequestId: 6a1b Version: $LATEST\n",
        InputFormat::Tail,
    );
    assert_eq!(sam.events[0].1, "2023/06/02/[$LATEST]4d1d");
    assert_eq!(sam.events[0].2, "START RequestId: 6a1b Version: $LATEST");
    let colored = read(
        b"\x1b[32m2018-01-01T00:29:43.079060+00:00\x1b[0m \x1b[36mstream_name\x1b[0m my message\n",
        InputFormat::Auto,
    );
    assert_eq!(
        colored.events,
        vec![(Some(1_514_766_583_079), "stream_name".into(), "my message".into())]
    );
}

#[test]
fn console_rows() {
    for format in [InputFormat::Console, InputFormat::Auto] {
        let s = read(CONSOLE_ROWS.as_bytes(), format);
        assert_eq!(s.events.len(), 4, "{format}");
        assert_eq!(s.events[0].0, Some(1_702_622_914_955));
        assert!(s.events[0].2.starts_with("INIT_START Runtime Version"));
        assert!(s.events[3]
            .2
            .ends_with("2 ms\nXRAY TraceId: 1-657bf2a3-0001 SegmentId: 9f Sampled: true"));
    }
}

#[test]
fn console_seed_pairs() {
    for format in [InputFormat::Console, InputFormat::Auto] {
        let s = read(SEED.as_bytes(), format);
        assert_eq!(s.events.len(), 8, "{format}");
        assert_eq!(s.events[0].0, None);
        assert!(s.events[0].2.starts_with("REPORT RequestId: 24f9e55f"));
        assert_eq!(
            s.events[1],
            (
                Some(T309 - 1),
                "dflt".into(),
                "START RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 Version: $LATEST".into()
            )
        );
        assert_eq!(s.events[6].2, "[ERROR] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [ERROR] トークンが不一致: 受信トークン=test, 許可トークン=Ab12Xy34");
        assert_eq!(
            s.events[7],
            (
                Some(T309 + 1),
                "dflt".into(),
                "END RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82".into()
            )
        );
    }
}

#[test]
fn console_expanded_json_keeps_the_raw_line() {
    let data = "2026-10-08T07:30:27.768Z\n{\n    \"time\": \"2026-10-08T07:30:27.768Z\",\n    \"type\": \"platform.start\"\n}\n\n{\"time\":\"2026-10-08T07:30:27.768Z\",\"type\":\"platform.start\"}\n";
    let s = read(data.as_bytes(), InputFormat::Console);
    assert_eq!(
        s.messages(),
        vec!["{\"time\":\"2026-10-08T07:30:27.768Z\",\"type\":\"platform.start\"}"]
    );
}

#[test]
fn bare_lines() {
    for format in [InputFormat::Bare, InputFormat::Auto] {
        let s = read(BARE.as_bytes(), format);
        assert_eq!(s.events.len(), 4, "{format}");
        assert!(s.events.iter().all(|e| e.0.is_none() && e.1 == "dflt"));
        assert!(s.events[3].2.ends_with("28 ms\t"));
    }
}

/// The export look-ahead delivers single-line events from the read buffer; wherever the buffer
/// happens to end, the events must be those of feeding the container line by line.
#[test]
fn export_look_ahead_equals_line_by_line_at_every_read_size() {
    let text: &[u8] = b"stray line before any header\n\
            2025-07-11T06:00:00.000Z START RequestId: a Version: $LATEST\n\n\
            2025-07-11T06:00:00.001Z multi\nline continues\n\n\
            2025-07-11T06:00:00.002Z crlf\r\n\r\n\
            2025-07-11T06:00:00.003Z cr inside \r\r\n\n\
            2025-07-11T06:00:00.0041Z a longer fraction is a header too\n\n\
            2025-07-11T06:00:00.005+00:00 not an export header\n\
            2025-07-11T06:00:01.000Z \n\n\n\
            2025-07-11 06:00:01.001Z space between date and time\n\n\
            2025-13-11T06:00:01.002Z month 13 is an event without a time\n\n\
            2025-07-11T06:00:01.003Z invalid \xff utf8\n\n\
            2025-07-11T06:00:01.004Z blank lines then a continuation\n\n\n  at line 3\n\n\
            2025-07-11T06:00:01.005Z \xe3\x81\x82 multibyte\n\r\n\
            2025-07-11T06:00:01.006Z a line of one CR follows\n\r\r\n\n\
            2025-07-11T06:00:01.007Z last, no newline";
    let mut expected = TestSink::default();
    let mut container = TextContainer::new(TextKind::Export, "dflt", crate::source::DEFAULT_MAX_LINE_BYTES);
    // Line ends: `\n` and `\r\n`; a `\r` alone is content (the text has `\n` ends).
    let mut plain = Vec::new();
    let mut bytes = text.iter().peekable();
    while let Some(&b) = bytes.next() {
        if b == b'\r' && bytes.peek() == Some(&&b'\n') {
            continue;
        }
        plain.push(b);
    }
    for raw in plain.split(|&b| b == b'\n') {
        let (line, _) = decode_line(raw);
        container.line(&line, &mut expected);
    }
    container.finish(&mut expected);
    assert_eq!(expected.events.len(), 14, "{:#?}", expected.events);

    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(self.1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    for size in [1, 2, 3, 5, 7, 24, 25, 26, 64, 1 << 20] {
        let mut sink = TestSink::default();
        read_reader(
            "t",
            Trickle(text, size),
            ReadOptions::new(InputFormat::Export),
            "dflt",
            &mut sink,
        )
        .unwrap();
        assert_eq!(sink.events, expected.events, "reads of {size} bytes");
    }
}

#[test]
fn an_event_of_many_lines_is_cut_at_the_cap() {
    let mut text = String::from("2024-08-28T10:00:00.123Z [ERROR] first line\n");
    for _ in 0..3000 {
        text.push_str(&"y".repeat(100));
        text.push('\n');
    }
    text.push_str("2024-08-28T10:00:01.000Z START RequestId: r2 Version: $LATEST\n");
    let s = crate::testutil::read_with(text.as_bytes(), crate::testutil::capped(InputFormat::Export, 4096));
    let m = s.messages();
    assert_eq!(m.len(), 2);
    assert!(m[0].len() <= 4096 && m[0].len() > 4000, "{}", m[0].len());
    assert!(m[0].starts_with("[ERROR] first line\nyyy"));
    assert_eq!(m[1], "START RequestId: r2 Version: $LATEST");
    // Named at the line that took it over the cap: the 41st continuation line.
    assert_eq!(s.oversized, [("test.log".to_string(), 1, 44 + 40 * 101)]);
}

#[test]
fn a_date_that_does_not_exist_is_an_event_without_a_time_and_an_input_error() {
    use crate::testutil::read;
    let good = "2025-02-28T10:00:00.000Z START RequestId: a Version: 1\n\n\
                2025-02-28T10:00:00.001Z END RequestId: a\n\n";
    let want = read(good.as_bytes(), InputFormat::Export);
    assert!(want.errors.is_empty());
    // The END line's stamp, 2025-02-30, was read as 2025-03-02 before.
    let bad = good.replace("2025-02-28T10:00:00.001Z", "2025-02-30T10:00:00.001Z");
    for format in [InputFormat::Auto, InputFormat::Export] {
        let s = read(bad.as_bytes(), format);
        assert_eq!(s.events.len(), 2, "{format}: {:?}", s.events);
        assert_eq!(s.events[0], want.events[0]);
        assert_eq!(s.events[1].0, None, "no time, never another day");
        assert_eq!(s.events[1].2, "END RequestId: a");
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert_eq!(
            s.errors[0].position,
            format!("byte {}", good.find("2025-02-28T10:00:00.001Z").unwrap())
        );
    }
    // The other containers: a tail line, a console row, a Logs Insights CSV cell.
    for (text, format) in [
        (
            "2025-02-30T10:00:00.001000+00:00 stream END RequestId: a\n",
            InputFormat::Tail,
        ),
        (
            "2025-02-30T10:00:00.001+09:00\tEND RequestId: a\n",
            InputFormat::Console,
        ),
        (
            "@timestamp,@message\n2025-02-30 10:00:00.001,END RequestId: a\n",
            InputFormat::InsightsCsv,
        ),
    ] {
        let s = read(text.as_bytes(), format);
        assert_eq!(s.errors.len(), 1, "{format}: {:?}", s.errors);
        assert_eq!(s.events.len(), 1, "{format}: {:?}", s.events);
        assert_eq!(s.events[0].0, None, "{format}");
        assert!(s.events[0].2.ends_with("END RequestId: a"), "{format}: {:?}", s.events);
    }
}

/// Two events, START then END, in each container; `second` is the END event's stamp.
const TWO_EVENTS: [(&str, InputFormat, &str); 11] = [
    (
        "2025-07-11T06:05:34.308Z START RequestId: a Version: 1\n\n2025-07-11T06:05:34.309Z END RequestId: a\n\n",
        InputFormat::Export,
        "2025-07-11T06:05:34.309Z",
    ),
    (
        "2025-07-11T06:05:34.308000+00:00 s START RequestId: a Version: 1\n2025-07-11T06:05:34.309000+00:00 s END RequestId: a\n",
        InputFormat::Tail,
        "2025-07-11T06:05:34.309000+00:00",
    ),
    (
        "s 2025-07-11 06:05:34.308 START RequestId: a Version: 1\ns 2025-07-11 06:05:34.309 END RequestId: a\n",
        InputFormat::Tail,
        "2025-07-11 06:05:34.309",
    ),
    (
        "2025-07-11T06:05:34.308+00:00\tSTART RequestId: a Version: 1\n2025-07-11T06:05:34.309+00:00\tEND RequestId: a\n",
        InputFormat::Console,
        "2025-07-11T06:05:34.309+00:00",
    ),
    (
        "2025-07-11T06:05:34.308Z\nSTART RequestId: a Version: 1\n2025-07-11T06:05:34.309Z\nEND RequestId: a\n",
        InputFormat::Console,
        "2025-07-11T06:05:34.309Z",
    ),
    (
        "2025-07-11 06:05:34.308 host fwd: START RequestId: a Version: 1\n2025-07-11 06:05:34.309 host fwd: END RequestId: a\n",
        InputFormat::Prefixed,
        "2025-07-11 06:05:34.309",
    ),
    (
        "@timestamp,@message\n2025-07-11 06:05:34.308,START RequestId: a Version: 1\n2025-07-11 06:05:34.309,END RequestId: a\n",
        InputFormat::InsightsCsv,
        "2025-07-11 06:05:34.309",
    ),
    (
        r#"{"events":[{"timestamp":"2025-07-11T06:05:34.308Z","message":"START RequestId: a Version: 1"},{"timestamp":"2025-07-11T06:05:34.309Z","message":"END RequestId: a"}]}"#,
        InputFormat::Json,
        "2025-07-11T06:05:34.309Z",
    ),
    (
        r#"{"logEvents":[{"id":"1","timestamp":"2025-07-11T06:05:34.308Z","message":"START RequestId: a Version: 1"},{"id":"2","timestamp":"2025-07-11T06:05:34.309Z","message":"END RequestId: a"}],"logStream":"s","messageType":"DATA_MESSAGE"}"#,
        InputFormat::Json,
        "2025-07-11T06:05:34.309Z",
    ),
    (
        r#"{"results":[[{"field":"@timestamp","value":"2025-07-11 06:05:34.308"},{"field":"@message","value":"START RequestId: a Version: 1"}],[{"field":"@timestamp","value":"2025-07-11 06:05:34.309"},{"field":"@message","value":"END RequestId: a"}]]}"#,
        InputFormat::Json,
        "2025-07-11 06:05:34.309",
    ),
    (
        "@timestamp,@message\n\"2025-07-11 06:05:34.308\",\"START RequestId: a Version: 1\"\n\"2025-07-11 06:05:34.309\",\"END RequestId: a\"\n",
        InputFormat::InsightsCsv,
        "2025-07-11 06:05:34.309",
    ),
];

/// Where the error about the END event's stamp points, in `text` of `format`.
fn bad_time_position(text: &str, format: InputFormat, second: &str) -> String {
    let at = text.find(second).unwrap_or_else(|| panic!("{second} in {text}"));
    match format {
        InputFormat::Json => "event 2".to_string(),
        InputFormat::InsightsCsv => "line 3".to_string(),
        _ => format!("byte {}", text[..at].rfind('\n').map_or(0, |i| i + 1)),
    }
}

#[test]
fn a_date_or_time_that_does_not_exist_is_an_input_error_in_every_container() {
    for (good, format, second) in TWO_EVENTS {
        let want = read(good.as_bytes(), format);
        assert!(want.errors.is_empty(), "{format}: {:?}", want.errors);
        assert_eq!(want.events.len(), 2, "{format}: {:?}", want.events);
        assert!(want.events[1].0.is_some(), "{format}: {:?}", want.events);
        for (from, to) in [
            ("2025-07-11", "2025-02-30"),
            ("2025-07-11", "2025-13-11"),
            ("06:05:34", "25:05:34"),
        ] {
            let bad_stamp = second.replacen(from, to, 1);
            let bad = good.replacen(second, &bad_stamp, 1);
            let s = read(bad.as_bytes(), format);
            let case = format!("{format} with {bad_stamp}: {:?}", s.events);
            assert_eq!(s.events.len(), 2, "{case}");
            assert_eq!(s.events[0], want.events[0], "{case}");
            assert_eq!(s.events[1].0, None, "no time, never another: {case}");
            assert!(s.events[1].2.ends_with("END RequestId: a"), "{case}");
            assert_eq!(s.errors.len(), 1, "{case}: {:?}", s.errors);
            assert_eq!(
                s.errors[0].position,
                bad_time_position(&bad, format, &bad_stamp),
                "{case}"
            );
            assert!(
                s.errors[0].message.contains("does not exist"),
                "{}",
                s.errors[0].message
            );
        }
    }
}

#[test]
fn a_time_of_day_that_does_not_exist_in_a_learned_prefix_is_an_input_error() {
    let good = "06:05:34  START RequestId: a Version: 1\n\
                06:05:34  [INFO]\t2025-07-11T06:05:34.308Z\ta\t[INFO] Source IP: 203.0.113.7\n\
                06:05:35  END RequestId: a\n";
    let want = read(good.as_bytes(), InputFormat::Prefixed);
    assert!(want.errors.is_empty(), "{:?}", want.errors);
    assert_eq!(want.events.len(), 3);
    assert_eq!(want.events[2].0, Some(1_752_213_935_000));
    let bad = good.replace("06:05:35", "25:05:35");
    for format in [InputFormat::Auto, InputFormat::Prefixed] {
        let s = read(bad.as_bytes(), format);
        assert_eq!(s.events.len(), 3, "{format}: {:?}", s.events);
        assert_eq!(s.events[..2], want.events[..2], "{format}");
        assert_eq!(s.events[2].0, None, "{format}");
        assert_eq!(s.events[2].2, "END RequestId: a", "{format}");
        assert_eq!(s.errors.len(), 1, "{format}: {:?}", s.errors);
        assert_eq!(
            s.errors[0].position,
            format!("byte {}", good.find("06:05:35").unwrap_or(0))
        );
    }
}
