//! Tests of the live stream: lines become events as they complete, a held event is delivered when the stream goes quiet.

use super::*;
use crate::source::ReadOptions;
use crate::testutil::{gzip, TestSink, LF_TEXT_WITH_LONE_CRS};

const START: &str = "START RequestId: 8f5b3a2e-1d4c-4b7a-9e6f-0a1b2c3d4e5f Version: $LATEST";
const REPORT: &str = "REPORT RequestId: 8f5b3a2e-1d4c-4b7a-9e6f-0a1b2c3d4e5f\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t";

fn messages(sink: &TestSink) -> Vec<String> {
    sink.events.iter().map(|e| e.2.clone()).collect()
}

#[test]
fn tail_lines_are_events_once_the_stream_goes_quiet() {
    let mut live = LiveStream::new("-".into(), ReadOptions::new(InputFormat::Auto));
    let mut sink = TestSink::default();
    let text = format!(
        "2025-07-11T06:05:34.309000+00:00 2025/07/11/[$LATEST]abc {START}\n\
         2025-07-11T06:05:34.311000+00:00 2025/07/11/[$LATEST]abc {REPORT}\n"
    );
    // In two pieces, the cut inside a line.
    let (a, b) = text.split_at(40);
    live.push(a.as_bytes(), &mut sink);
    live.push(b.as_bytes(), &mut sink);
    assert!(
        sink.events.is_empty(),
        "a two-line sample waits for more lines or for quiet"
    );
    live.idle(&mut sink);
    assert_eq!(
        messages(&sink),
        [START, REPORT],
        "quiet: the sample is decided and the held event delivered"
    );
    assert_eq!(sink.events[1].1, "2025/07/11/[$LATEST]abc");
    // More lines after the quiet spell go straight through; the last waits for the next quiet.
    live.push(
        format!("2025-07-11T06:05:35.000000+00:00 s2 {START}\n").as_bytes(),
        &mut sink,
    );
    assert_eq!(sink.events.len(), 2);
    live.idle(&mut sink);
    assert_eq!(sink.events.len(), 3);
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sink.events.len(), 3);
}

#[test]
fn an_unfinished_last_line_is_delivered_at_the_end() {
    let mut live = LiveStream::new("-".into(), ReadOptions::new(InputFormat::Bare));
    let mut sink = TestSink::default();
    live.push(format!("{START}\n{REPORT}").as_bytes(), &mut sink);
    assert_eq!(messages(&sink), [START]);
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&sink), [START, REPORT]);
}

#[test]
fn json_and_gzip_are_read_on_a_thread_of_their_own() {
    let json = format!(
        r#"{{"events":[{{"timestamp":1752213934309,"message":"{START}","logStreamName":"s1"}},{{"timestamp":1752213934311,"message":"{}","logStreamName":"s1"}}]}}"#,
        REPORT.replace('\t', "\\t")
    );
    for bytes in [json.clone().into_bytes(), gzip(json.as_bytes())] {
        let mut live = LiveStream::new("-".into(), ReadOptions::new(InputFormat::Auto));
        let mut sink = TestSink::default();
        live.push(&bytes, &mut sink);
        live.idle(&mut sink);
        live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(messages(&sink), [START, REPORT]);
        assert_eq!(sink.events[0].0, Some(1_752_213_934_309));
    }
}

#[test]
fn a_line_over_the_cap_is_cut_and_its_tail_skipped_as_it_comes() {
    let opts = ReadOptions {
        format: InputFormat::Bare,
        max_line_bytes: 1 << 20,
    };
    let mut live = LiveStream::new("-".into(), opts);
    let mut sink = TestSink::default();
    live.push(format!("{START}\n").as_bytes(), &mut sink);
    let piece = vec![b'x'; 256 * 1024];
    for _ in 0..40 {
        live.push(&piece, &mut sink);
    }
    assert_eq!(sink.events.len(), 2, "10 MiB without a newline: one head of 1 MiB");
    assert_eq!(sink.events[1].2.len(), 1 << 20);
    live.push(format!("tail of the long line\n{REPORT}\n").as_bytes(), &mut sink);
    // A complete line over the cap, in one piece, is cut too.
    live.push(format!("{}\n", "y".repeat(3 << 20)).as_bytes(), &mut sink);
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&sink)[2], REPORT);
    assert_eq!(sink.events[3].2.len(), 1 << 20);
    let first = START.len() as u64 + 1;
    assert_eq!(sink.oversized, [("-".to_string(), 2, first)]);
}

#[test]
fn a_json_stream_reports_its_cut_strings() {
    let opts = ReadOptions {
        format: InputFormat::Json,
        max_line_bytes: 2048,
    };
    let mut live = LiveStream::new("-".into(), opts);
    let mut sink = TestSink::default();
    let text = format!(
        r#"{{"events":[{{"timestamp":1,"message":"{START}"}},{{"timestamp":2,"message":"{}"}}]}}"#,
        "q".repeat(100_000)
    );
    live.push(text.as_bytes(), &mut sink);
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sink.events.len(), 2);
    assert_eq!(sink.events[1].2.len(), 2048);
    assert_eq!(sink.oversized.len(), 1);
    assert_eq!(sink.oversized[0].1, 1);
}

#[test]
fn a_followed_file_is_read_as_it_grows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("live.log");
    std::fs::write(&path, format!("{START}\n")).unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = std::sync::mpsc::sync_channel(CHUNKS_IN_FLIGHT);
    let stop = Arc::new(AtomicBool::new(false));
    let input = StreamInput::File {
        path: path.clone(),
        follow: true,
    };
    let handle = spawn_reader(input, tx, stop.clone()).unwrap_or_else(|e| panic!("{e}"));
    let first = rx.recv_timeout(Duration::from_secs(5));
    assert!(
        matches!(&first, Ok(StreamMsg::Chunk(c)) if c == format!("{START}\n").as_bytes()),
        "{first:?}"
    );
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{e}"));
    std::io::Write::write_all(&mut f, format!("{REPORT}\n").as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let next = rx.recv_timeout(Duration::from_secs(5));
    assert!(
        matches!(&next, Ok(StreamMsg::Chunk(c)) if c == format!("{REPORT}\n").as_bytes()),
        "{next:?}"
    );
    stop.store(true, Ordering::Relaxed);
    handle.join().unwrap_or_else(|_| panic!("the reader ends"));
    assert!(matches!(rx.recv_timeout(Duration::from_secs(5)), Ok(StreamMsg::End)));
}

/// Events as (time, message): the file reader's default stream is `dflt`, the live stream's none.
type Timed = Vec<(Option<i64>, String)>;

/// The events of `text` read as a file is read, and as a live stream pushed `chunk` bytes at a time.
fn file_and_stream(text: &[u8], chunk: usize) -> (Timed, Timed) {
    let file = crate::testutil::read(text, InputFormat::Auto);
    let mut live = LiveStream::new("-".into(), ReadOptions::new(InputFormat::Auto));
    let mut sink = TestSink::default();
    for piece in text.chunks(chunk) {
        live.push(piece, &mut sink);
    }
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    let pairs = |s: &TestSink| s.events.iter().map(|e| (e.0, e.2.clone())).collect();
    (pairs(&file), pairs(&sink))
}

#[test]
fn a_stream_reads_cr_and_mixed_line_ends_as_a_file_does() {
    use crate::testutil::{BARE, CONSOLE_ROWS, EXPORT, TAIL};
    for text in [EXPORT, TAIL, CONSOLE_ROWS, BARE] {
        let (want, _) = file_and_stream(text.as_bytes(), text.len());
        assert!(want.len() >= 3, "{want:?}");
        // A lone `\r` ends a line only in a text with no `\n`: mixed ends are `\r\n` and `\n`.
        let mut mixed = String::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            mixed.push_str(&line.replace('\n', ["\r\n", "\n"][i % 2]));
        }
        for variant in [text.replace('\n', "\r"), text.replace('\n', "\r\n"), mixed] {
            // Pieces of 1 and 2 bytes put a `\r` at the end of a push, its `\n` in the next.
            for chunk in [1, 2, 3, 7, 64, variant.len()] {
                let (file, stream) = file_and_stream(variant.as_bytes(), chunk);
                assert_eq!(file, want, "the file reader on {variant:?}");
                assert_eq!(stream, want, "pieces of {chunk} bytes of {variant:?}");
            }
        }
    }
}

#[test]
fn a_line_ending_in_cr_is_delivered_without_waiting_for_the_next_byte() {
    let mut live = LiveStream::new("-".into(), ReadOptions::new(InputFormat::Bare));
    let mut sink = TestSink::default();
    live.push(format!("{START}\r").as_bytes(), &mut sink);
    assert_eq!(messages(&sink), [START], "a `\\r` ends its line at once");
    // The `\n` of its `\r\n`, coming late, is no empty line; having come, it makes a `\r` alone
    // part of its line.
    live.push(format!("\n{REPORT}\rx\r\n").as_bytes(), &mut sink);
    live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&sink), [START.to_string(), format!("{REPORT}\rx")]);
}

/// A `\r` inside the messages of a stream of `\n` ends (Lambda joins a message's lines with it, and
/// a value may hold one) is content, as in a file, wherever the pushes fall.
#[test]
fn a_lone_cr_in_a_stream_of_lf_ends_is_content_as_in_a_file() {
    let text = LF_TEXT_WITH_LONE_CRS;
    let (want, _) = file_and_stream(text.as_bytes(), text.len());
    assert_eq!(want.len(), 5, "{want:?}");
    assert_eq!(want[3].1, "Token: Ab\rX");
    for chunk in [1, 2, 3, 7, 64] {
        let (file, stream) = file_and_stream(text.as_bytes(), chunk);
        assert_eq!(file, want);
        assert_eq!(stream, want, "pieces of {chunk} bytes");
    }
}

#[test]
fn a_stream_reports_a_date_that_does_not_exist_as_a_file_does() {
    let text = "2025-07-11T06:05:34.308Z START RequestId: a Version: 1\n\n\
                2025-02-30T06:05:34.309Z END RequestId: a\n\n\
                2025-07-11T25:05:34.310Z REPORT RequestId: a\tDuration: 1.00 ms\t\n\n";
    let file = crate::testutil::read(text.as_bytes(), InputFormat::Export);
    for chunk in [5, text.len()] {
        let mut live = LiveStream::new("test.log".into(), ReadOptions::new(InputFormat::Export));
        let mut sink = TestSink::default();
        for piece in text.as_bytes().chunks(chunk) {
            live.push(piece, &mut sink);
        }
        live.end(&mut sink).unwrap_or_else(|e| panic!("{e}"));
        // The file reader's default stream is `dflt`, the live stream's none.
        let without_stream = |s: &TestSink| s.events.iter().map(|e| (e.0, e.2.clone())).collect::<Vec<_>>();
        assert_eq!(without_stream(&sink), without_stream(&file), "pieces of {chunk}");
        assert_eq!(sink.events.len(), 3);
        assert_eq!(sink.events[2].0, None);
        assert_eq!(sink.errors.len(), 1, "{:?}", sink.errors);
        assert_eq!(sink.errors[0].position, file.errors[0].position);
        assert_eq!(sink.errors[0].message, file.errors[0].message);
        assert!(
            sink.errors[0].message.starts_with("2 line(s)"),
            "{}",
            sink.errors[0].message
        );
    }
}
