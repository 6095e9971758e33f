//! A live stream (standard input being written, a growing file): bytes arrive in chunks, each
//! complete line goes through the detected container at once, and the event a container holds open
//! (it waits for continuation lines) is delivered as soon as the stream goes quiet.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::container::detect::detect;
use super::container::{invalid_times_error, text_kind, TextContainer};
use super::decode::{decode_line, ChannelReader, GZIP_MAGIC};
use super::file::{read_reader, SourceError};
use super::{char_floor, EventSink, InputFormat, LogEvent, Oversized, ReadOptions};
use crate::report::InputError;

/// Bytes read at a time.
const READ_CHUNK: usize = 64 * 1024;
/// A detection sample: this many lines, or this many bytes, whichever comes first (or a quiet stream).
const SAMPLE_LINES: usize = 8;
const SAMPLE_BYTES: usize = 64 * 1024;
/// How often a followed file is looked at again once its end is reached.
const FOLLOW_EVERY: Duration = Duration::from_millis(200);

/// What a stream's reader thread sends.
#[derive(Debug)]
pub enum StreamMsg {
    /// The next bytes.
    Chunk(Vec<u8>),
    /// The end of the stream.
    End,
    /// Reading failed; the stream ends.
    Failed(io::Error),
}

/// Where a live stream comes from.
#[derive(Debug, Clone)]
pub enum StreamInput {
    /// Standard input.
    Stdin,
    /// A file, read to its end, then (with `follow`) as it grows; a file that shrinks was truncated
    /// and is read again from its start.
    File {
        /// The file.
        path: PathBuf,
        /// Keep reading at its end.
        follow: bool,
    },
}

impl StreamInput {
    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            StreamInput::Stdin => "-".into(),
            StreamInput::File { path, .. } => path.display().to_string(),
        }
    }
}

/// Chunks a reader may have waiting: a bounded channel, so a reader faster than the pipeline (a
/// file read to its end) waits instead of filling memory.
pub const CHUNKS_IN_FLIGHT: usize = 16;

/// Starts reading `input` on a thread of its own; its chunks go to `out` (make it with
/// `sync_channel(CHUNKS_IN_FLIGHT)`). Standard input cannot be interrupted while it waits: the
/// process ends without waiting for that thread.
pub fn spawn_reader(
    input: StreamInput,
    out: SyncSender<StreamMsg>,
    stop: Arc<AtomicBool>,
) -> io::Result<JoinHandle<()>> {
    let file = match &input {
        StreamInput::File { path, .. } => Some(File::open(path)?),
        StreamInput::Stdin => None,
    };
    std::thread::Builder::new()
        .name("authlogs-stream".into())
        .spawn(move || {
            let follow = matches!(input, StreamInput::File { follow: true, .. });
            let result = match file {
                Some(file) => read_file(file, follow, &out, &stop),
                None => read_all(io::stdin().lock(), &out, &stop),
            };
            let _ = out.send(match result {
                Ok(()) => StreamMsg::End,
                Err(e) => StreamMsg::Failed(e),
            });
        })
}

fn read_all(mut reader: impl Read, out: &SyncSender<StreamMsg>, stop: &AtomicBool) -> io::Result<()> {
    loop {
        let mut chunk = vec![0u8; READ_CHUNK];
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        chunk.truncate(n);
        if stop.load(Ordering::Relaxed) || out.send(StreamMsg::Chunk(chunk)).is_err() {
            return Ok(());
        }
    }
}

fn read_file(mut file: File, follow: bool, out: &SyncSender<StreamMsg>, stop: &AtomicBool) -> io::Result<()> {
    let mut pos: u64 = 0;
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match file.read(&mut chunk) {
            Ok(0) if !follow => return Ok(()),
            Ok(0) => {
                // A file shorter than what was read was truncated (rotated in place): start over.
                if file.metadata().is_ok_and(|m| m.len() < pos) {
                    pos = file.seek(SeekFrom::Start(0))?;
                    continue;
                }
                std::thread::sleep(FOLLOW_EVERY);
            }
            Ok(n) => {
                pos += n as u64;
                if out.send(StreamMsg::Chunk(chunk[..n].to_vec())).is_err() {
                    return Ok(());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// An event the JSON or gzip reader thread made, owned to cross threads.
struct OwnedEvent {
    timestamp_ms: Option<i64>,
    stream: String,
    message: String,
}

/// What a reader thread says about its input besides events.
enum Note {
    Error(InputError),
    InvalidUtf8(u64),
    Oversized(String, u64, u64),
    Done(String, InputFormat),
}

/// Forwards a reader thread's events to the live stream.
struct Forward {
    tx: SyncSender<Vec<OwnedEvent>>,
    notes: Sender<Note>,
}

impl EventSink for Forward {
    fn event(&mut self, e: &LogEvent<'_>) -> ControlFlow<()> {
        let event = OwnedEvent {
            timestamp_ms: e.timestamp_ms,
            stream: e.stream.to_string(),
            message: e.message.to_string(),
        };
        match self.tx.send(vec![event]) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }

    fn input_error(&mut self, error: InputError) {
        let _ = self.notes.send(Note::Error(error));
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        let _ = self.notes.send(Note::InvalidUtf8(count));
    }

    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        let _ = self.notes.send(Note::Oversized(input.to_string(), count, first_byte));
    }

    fn input_done(&mut self, input: &str, format: InputFormat) {
        let _ = self.notes.send(Note::Done(input.to_string(), format));
    }
}

/// A container that is not line by line (JSON, gzip, UTF-16): read by the usual reader on a thread
/// of its own, fed the stream's bytes through a channel.
struct Threaded {
    /// Dropped to end the reader's input.
    bytes: Option<SyncSender<io::Result<Vec<u8>>>>,
    /// Dropped when the sink stops, so a reader blocked on a full channel ends too.
    events: Option<Receiver<Vec<OwnedEvent>>>,
    notes: Receiver<Note>,
    thread: Option<JoinHandle<Result<(), SourceError>>>,
}

enum State {
    /// Collecting the detection sample.
    Sampling(Vec<u8>),
    /// Text, line by line; `partial` holds the bytes of a line whose line end has not come yet,
    /// `skipping` says the bytes up to the next line end are the tail of a cut line, `after_cr`
    /// that the last byte was a `\r` ending a line (a `\n` next is the second half of its `\r\n`),
    /// `lf_seen` that a `\n` has come: from then on a lone `\r` is part of its line.
    Text {
        // Boxed: the container is most of the state, and the other states need little.
        container: Box<TextContainer<'static>>,
        format: InputFormat,
        partial: Vec<u8>,
        skipping: bool,
        after_cr: bool,
        lf_seen: bool,
    },
    Threaded(Threaded),
}

/// The live stream as its events: bytes go in with [`push`](LiveStream::push), events come out
/// into a sink at once (text), or with [`drain`](LiveStream::drain) (containers read on a thread).
pub struct LiveStream {
    name: String,
    opts: ReadOptions,
    state: State,
    invalid_utf8: u64,
    /// Bytes of text pushed so far, and where the line being read began.
    seen: u64,
    line_start: u64,
    oversized: Oversized,
    /// Lines whose stamp has a date or time that does not exist: how many, and where the first began.
    bad_times: Oversized,
}

impl LiveStream {
    /// A stream named `name` (for messages) read with `opts` (format `Auto`: detected from its first lines).
    pub fn new(name: String, opts: ReadOptions) -> LiveStream {
        LiveStream {
            name,
            opts,
            state: State::Sampling(Vec::new()),
            invalid_utf8: 0,
            seen: 0,
            line_start: 0,
            oversized: Oversized::default(),
            bad_times: Oversized::default(),
        }
    }

    /// The next bytes of the stream.
    pub fn push(&mut self, bytes: &[u8], sink: &mut dyn EventSink) {
        match &mut self.state {
            State::Sampling(sample) => {
                sample.extend_from_slice(bytes);
                let lines = line_ends(sample).take(SAMPLE_LINES).count();
                // A forced format needs only the first bytes, to tell gzip or UTF-16.
                let forced = self.opts.format != InputFormat::Auto && sample.len() >= 2;
                if forced || lines >= SAMPLE_LINES || sample.len() >= SAMPLE_BYTES {
                    self.decide(false, sink);
                }
            }
            State::Text { .. } => self.text(bytes, sink),
            State::Threaded(t) => {
                if let Some(tx) = &t.bytes {
                    if tx.send(Ok(bytes.to_vec())).is_err() {
                        t.bytes = None;
                    }
                }
            }
        }
    }

    /// The stream went quiet: what is complete is delivered (the event a container held open for
    /// continuation lines, or a short sample that is all there is for now).
    pub fn idle(&mut self, sink: &mut dyn EventSink) {
        if let State::Sampling(sample) = &self.state {
            if line_ends(sample).next().is_some() {
                self.decide(false, sink);
            }
        }
        match &mut self.state {
            State::Text { container, .. } => container.finish(sink),
            State::Threaded(_) => self.drain(sink),
            State::Sampling(_) => {}
        }
    }

    /// Events that a reader thread made since the last call.
    pub fn drain(&mut self, sink: &mut dyn EventSink) {
        let State::Threaded(t) = &mut self.state else { return };
        while let Some(events) = &t.events {
            match events.try_recv() {
                Ok(batch) => {
                    for e in batch {
                        let flow = sink.event(&LogEvent {
                            timestamp_ms: e.timestamp_ms,
                            stream: &e.stream,
                            message: &e.message,
                        });
                        if flow.is_break() {
                            t.bytes = None;
                            t.events = None;
                            return;
                        }
                    }
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        while let Ok(note) = t.notes.try_recv() {
            match note {
                Note::Error(error) => sink.input_error(error),
                Note::InvalidUtf8(count) => sink.invalid_utf8_lines(count),
                Note::Oversized(input, count, first) => sink.oversized_lines(&input, count, first),
                Note::Done(input, format) => sink.input_done(&input, format),
            }
        }
    }

    /// The end of the stream: everything left is delivered.
    pub fn end(&mut self, sink: &mut dyn EventSink) -> Result<(), SourceError> {
        if matches!(self.state, State::Sampling(_)) {
            self.decide(true, sink);
        }
        match &mut self.state {
            State::Text {
                container,
                partial,
                skipping,
                format,
                ..
            } => {
                if !partial.is_empty() && !*skipping {
                    let rest = std::mem::take(partial);
                    // A `\r` at the very end is the last line's end, as a file reads it.
                    let (line, valid) = decode_line(rest.strip_suffix(b"\r").unwrap_or(&rest));
                    self.invalid_utf8 += u64::from(!valid);
                    let (before, times_before) = (container.oversized, container.invalid_times);
                    container.line(&line, sink);
                    if container.oversized != before {
                        self.oversized.note(self.line_start);
                    }
                    if container.invalid_times != times_before {
                        self.bad_times.note(self.line_start);
                    }
                }
                container.finish(sink);
                if let Some(first) = self.bad_times.first {
                    sink.input_error(invalid_times_error(&self.name, self.bad_times.count, first));
                }
                sink.input_done(&self.name, *format);
            }
            State::Threaded(t) => {
                t.bytes = None;
                self.finish_thread(sink)?;
            }
            State::Sampling(_) => {}
        }
        if self.invalid_utf8 > 0 {
            sink.invalid_utf8_lines(std::mem::take(&mut self.invalid_utf8));
        }
        self.oversized.report(&self.name, sink);
        Ok(())
    }

    /// Waits for the reader thread to read what it was given, delivering its events meanwhile (it
    /// may wait on a full channel), then reports how it ended.
    fn finish_thread(&mut self, sink: &mut dyn EventSink) -> Result<(), SourceError> {
        loop {
            self.drain(sink);
            let State::Threaded(t) = &mut self.state else {
                return Ok(());
            };
            if t.events.is_none() || t.thread.as_ref().is_none_or(JoinHandle::is_finished) {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.drain(sink);
        let State::Threaded(t) = &mut self.state else {
            return Ok(());
        };
        t.events = None;
        match t.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(SourceError::Io {
                path: self.name.clone(),
                source: io::Error::other("the reader thread failed"),
            }),
            None => Ok(()),
        }
    }

    /// Picks the container from the sample and hands the sample to it.
    fn decide(&mut self, complete: bool, sink: &mut dyn EventSink) {
        let State::Sampling(sample) = &mut self.state else {
            return;
        };
        let sample = std::mem::take(sample);
        let binary =
            sample.starts_with(&GZIP_MAGIC) || sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]);
        let body = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&sample);
        let format = match self.opts.format {
            InputFormat::Auto if !binary => detect(body, complete),
            f => f,
        };
        match text_kind(format).filter(|_| !binary) {
            Some(kind) => {
                let mut container = TextContainer::new(kind, "", self.opts.max_line_bytes);
                container.learn_prefix(body);
                self.state = State::Text {
                    container: Box::new(container),
                    format,
                    partial: Vec::new(),
                    skipping: false,
                    after_cr: false,
                    // Decided on the sample, as a file decides on its first span.
                    lf_seen: memchr::memchr(b'\n', body).is_some(),
                };
                self.text(body, sink);
            }
            None => {
                self.state = State::Threaded(self.spawn_threaded(format));
                self.push(&sample, sink);
            }
        }
    }

    fn spawn_threaded(&self, format: InputFormat) -> Threaded {
        let (bytes_tx, bytes_rx) = sync_channel(16);
        let (events_tx, events_rx) = sync_channel(1024);
        let (notes_tx, notes_rx) = std::sync::mpsc::channel();
        let name = self.name.clone();
        let opts = self.opts.with_format(format);
        let thread = std::thread::Builder::new()
            .name("authlogs-stream-reader".into())
            .spawn(move || {
                let reader = ChannelReader {
                    rx: bytes_rx,
                    chunk: Vec::new(),
                    pos: 0,
                    done: false,
                };
                let mut forward = Forward {
                    tx: events_tx,
                    notes: notes_tx,
                };
                read_reader(&name, reader, opts, "", &mut forward)
            })
            .ok();
        Threaded {
            bytes: Some(bytes_tx),
            events: Some(events_rx),
            notes: notes_rx,
            thread,
        }
    }

    /// Complete lines go to the container now; the rest waits for its line end. A line ends in `\n`
    /// or `\r\n`, and, as in a file, in a `\r` alone while no `\n` has come (the sample's or since):
    /// such a `\r` ends its line at once, even as the last byte read (the line is the same whether a
    /// `\n` follows or not), and a `\n` that comes next is skipped as the rest of its `\r\n`, so no
    /// line waits for a byte that may never come. Once a `\n` has come, a lone `\r` is content
    /// (Lambda joins the lines of one message with `\r`). A line reaching the cap without a line end
    /// goes to the container cut, and its tail is skipped as it comes.
    fn text(&mut self, bytes: &[u8], sink: &mut dyn EventSink) {
        let State::Text {
            container,
            partial,
            skipping,
            after_cr,
            lf_seen,
            ..
        } = &mut self.state
        else {
            return;
        };
        let max = self.opts.max_line_bytes;
        // Where `bytes` begin in the stream's text.
        let base = self.seen;
        self.seen += bytes.len() as u64;
        let mut at = 0;
        if *after_cr && !bytes.is_empty() {
            *after_cr = false;
            if bytes[0] == b'\n' {
                at = 1;
                self.line_start = base + 1;
                *lf_seen = true;
            }
        }
        loop {
            let found = if *lf_seen {
                memchr::memchr(b'\n', &bytes[at..])
            } else {
                memchr::memchr2(b'\n', b'\r', &bytes[at..])
            };
            let Some(i) = found else { break };
            let piece = &bytes[at..at + i];
            let start = self.line_start;
            at += i + 1;
            if bytes[at - 1] == b'\r' {
                match bytes.get(at) {
                    Some(b'\n') => {
                        at += 1;
                        *lf_seen = true;
                    }
                    Some(_) => {}
                    None => *after_cr = true,
                }
            } else {
                *lf_seen = true;
            }
            self.line_start = base + at as u64;
            if std::mem::take(skipping) {
                continue;
            }
            let whole;
            let mut line = if partial.is_empty() {
                piece
            } else {
                partial.extend_from_slice(piece);
                whole = std::mem::take(partial);
                &whole[..]
            };
            // The `\r` of a `\r\n` found by its `\n` (it may have come in the bytes before).
            if let Some(head) = line.strip_suffix(b"\r") {
                line = head;
            }
            let (before, times_before) = (container.oversized, container.invalid_times);
            if line.len() > max {
                line = &line[..char_floor(line, max)];
                container.oversized += 1;
            }
            let (line, valid) = decode_line(line);
            self.invalid_utf8 += u64::from(!valid);
            container.line(&line, sink);
            if container.oversized != before {
                self.oversized.note(start);
            }
            if container.invalid_times != times_before {
                self.bad_times.note(start);
            }
        }
        let rest = &bytes[at..];
        if *skipping {
            return;
        }
        // Room for one byte more once `\n` ends lines: a line of `max` bytes whose `\r\n` comes
        // split over two reads is not cut.
        let room = (max + usize::from(*lf_seen)).saturating_sub(partial.len());
        if rest.len() <= room {
            partial.extend_from_slice(rest);
            return;
        }
        // A line that reaches the cap: its head now, its tail skipped, so memory stays bounded.
        partial.extend_from_slice(&rest[..room]);
        let head = std::mem::take(partial);
        *skipping = true;
        let (line, valid) = decode_line(&head[..char_floor(&head, max)]);
        self.invalid_utf8 += u64::from(!valid);
        let times_before = container.invalid_times;
        container.line(&line, sink);
        self.oversized.note(self.line_start);
        if container.invalid_times != times_before {
            self.bad_times.note(self.line_start);
        }
    }
}

/// The line ends in `text`, as a file reads them: each `\n`, or, in a text with none, each `\r`.
fn line_ends(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let end = if memchr::memchr(b'\n', text).is_some() {
        b'\n'
    } else {
        b'\r'
    };
    memchr::memchr_iter(end, text)
}

#[cfg(test)]
mod tests;
