//! Reads inputs on a second thread (I/O, gunzip, line splitting, containers) and hands events to the
//! caller's sink in batches, in input order, so results equal the single-threaded path exactly.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

use super::file::{read_path, SourceError};
use super::{EventSink, InputError, InputFormat, LogEvent};

/// Bytes of message text per batch: large enough to amortise the channel, small enough for the cache.
const BATCH_TEXT: usize = 1 << 20;
/// Batches in flight between the threads; bounds memory to about this many MiB.
const BATCHES_IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, Copy)]
struct EventRef {
    timestamp_ms: Option<i64>,
    stream: usize,
    start: usize,
    end: usize,
}

/// A run of events in input order, with their text in one buffer.
#[derive(Debug, Default)]
struct Batch {
    text: String,
    events: Vec<EventRef>,
    streams: Vec<String>,
    errors: Vec<InputError>,
    invalid_utf8: u64,
}

enum Message {
    Batch(Batch),
    Done(Result<(), SourceError>),
}

/// The reader thread's sink: packs events into batches and sends full ones.
struct Batcher {
    tx: SyncSender<Message>,
    batch: Batch,
    /// The receiver hung up (the consumer failed); stop producing.
    closed: bool,
}

impl Batcher {
    fn flush(&mut self) {
        if self.closed || (self.batch.events.is_empty() && self.batch.errors.is_empty() && self.batch.invalid_utf8 == 0)
        {
            return;
        }
        let full = std::mem::take(&mut self.batch);
        self.batch.text.reserve(BATCH_TEXT);
        if self.tx.send(Message::Batch(full)).is_err() {
            self.closed = true;
        }
    }
}

impl EventSink for Batcher {
    fn event(&mut self, event: &LogEvent<'_>) {
        let b = &mut self.batch;
        if b.text.len() + event.message.len() > BATCH_TEXT && !b.events.is_empty() {
            self.flush();
        }
        let b = &mut self.batch;
        let stream = stream_index(&mut b.streams, event.stream);
        let start = b.text.len();
        b.text.push_str(event.message);
        b.events.push(EventRef {
            timestamp_ms: event.timestamp_ms,
            stream,
            start,
            end: b.text.len(),
        });
        // One event larger than a batch gets a batch of its own.
        if b.text.len() >= BATCH_TEXT {
            self.flush();
        }
    }

    fn input_error(&mut self, error: InputError) {
        self.batch.errors.push(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.batch.invalid_utf8 += count;
    }
}

/// The index of `name` in a batch's stream table. Events of one stream come in runs, so only the
/// last few entries are searched; a stream seen earlier may get a second entry, which is harmless.
pub(crate) fn stream_index(streams: &mut Vec<String>, name: &str) -> usize {
    let recent = streams.len().saturating_sub(8);
    match streams[recent..].iter().rposition(|s| s == name) {
        Some(i) => recent + i,
        None => {
            streams.push(name.to_string());
            streams.len() - 1
        }
    }
}

/// Reads every input (a path, or `-` for stdin) on a reader thread and replays the events into `sink`
/// on this thread, in order. A fatal source error stops reading and is returned after the events
/// read before it were delivered.
pub fn read_all(inputs: &[PathBuf], format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    let (tx, rx) = sync_channel::<Message>(BATCHES_IN_FLIGHT);
    let inputs = inputs.to_vec();
    let reader = thread::Builder::new().name("authlogs-reader".into()).spawn(move || {
        let mut batcher = Batcher {
            tx,
            batch: Batch::default(),
            closed: false,
        };
        let mut result = Ok(());
        for input in &inputs {
            result = read_path(input, format, &mut batcher);
            if result.is_err() || batcher.closed {
                break;
            }
        }
        batcher.flush();
        let _ = batcher.tx.send(Message::Done(result));
    });
    let reader = match reader {
        Ok(handle) => handle,
        Err(e) => {
            return Err(SourceError::Io {
                path: "(reader thread)".into(),
                source: e,
            })
        }
    };
    let result = replay(&rx, sink);
    drop(rx);
    let _ = reader.join();
    result
}

fn replay(rx: &Receiver<Message>, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    for message in rx {
        match message {
            Message::Batch(batch) => {
                for e in &batch.events {
                    let message = batch.text.get(e.start..e.end).unwrap_or("");
                    let stream = batch.streams.get(e.stream).map_or("", String::as_str);
                    sink.event(&LogEvent {
                        timestamp_ms: e.timestamp_ms,
                        stream,
                        message,
                    });
                }
                for error in batch.errors {
                    sink.input_error(error);
                }
                if batch.invalid_utf8 > 0 {
                    sink.invalid_utf8_lines(batch.invalid_utf8);
                }
            }
            Message::Done(result) => return result,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        events: Vec<(Option<i64>, String, String)>,
        errors: usize,
    }

    impl EventSink for Collect {
        fn event(&mut self, e: &LogEvent<'_>) {
            self.events
                .push((e.timestamp_ms, e.stream.to_string(), e.message.to_string()));
        }
        fn input_error(&mut self, _: InputError) {
            self.errors += 1;
        }
    }

    #[test]
    fn replays_every_event_in_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.log");
        let mut text = String::new();
        for i in 0..30_000 {
            text.push_str(&format!(
                "2025-07-11T06:05:34.309Z START RequestId: req-{i:06} Version: $LATEST\n\n"
            ));
        }
        // One event bigger than a batch.
        text.push_str(&format!("2025-07-11T06:05:35.000Z {}\n", "x".repeat(BATCH_TEXT + 10)));
        std::fs::write(&path, &text).unwrap();
        let mut direct = Collect::default();
        read_path(&path, InputFormat::Auto, &mut direct).unwrap();
        let mut threaded = Collect::default();
        read_all(&[path.clone(), path], InputFormat::Auto, &mut threaded).unwrap();
        assert_eq!(threaded.events.len(), 2 * direct.events.len());
        assert_eq!(threaded.events[..direct.events.len()], direct.events[..]);
        assert_eq!(threaded.events.last().map(|e| e.2.len()), Some(BATCH_TEXT + 10));
    }

    #[test]
    fn a_missing_input_is_returned_after_the_events_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.log");
        std::fs::write(&good, "START RequestId: a1b2c3d4 Version: $LATEST\n").unwrap();
        let mut sink = Collect::default();
        let err = read_all(&[good, dir.path().join("missing.log")], InputFormat::Auto, &mut sink).unwrap_err();
        assert!(err.to_string().contains("missing.log"), "{err}");
        assert_eq!(sink.events.len(), 1);
    }
}
