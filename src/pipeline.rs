//! The offline pipeline: an `EventSink` that runs each event through parse → group → analyze.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread;

use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::decision::{decide, received_token, source_ip, Verdict};
use crate::group::{GroupConfig, Grouper, Invocation};
use crate::parse::{LineEvent, Parser};
use crate::redact::{display_token, escape_control, TokenDisplay};
use crate::report::{Report, RequestRow};
use crate::source::file::SourceError;
use crate::source::{readahead, EventSink, InputError, InputFormat, LogEvent};
use crate::stored::StoredLine;
use crate::timeutil::format_rfc3339_ms;

/// Receives every finished invocation with its verdict (e.g. the `--requests` printer).
pub trait InvocationSink {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict);
}

#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub group: GroupConfig,
    pub analyze: AnalyzeConfig,
}

pub struct Pipeline<'s> {
    parser: Parser,
    grouper: Grouper,
    analyzer: Analyzer,
    summary: InputSummary,
    config: PipelineConfig,
    sink: Option<&'s mut dyn InvocationSink>,
}

impl<'s> Pipeline<'s> {
    pub fn new(parser: Parser, config: PipelineConfig, sink: Option<&'s mut dyn InvocationSink>) -> Self {
        Pipeline {
            parser,
            grouper: Grouper::new(config.group),
            analyzer: Analyzer::new(config.analyze),
            summary: InputSummary {
                since_ms: config.since_ms,
                until_ms: config.until_ms,
                ..Default::default()
            },
            config,
            sink,
        }
    }

    /// End of all input: flushes open invocations and builds the report.
    pub fn finish(mut self) -> Report {
        let Pipeline {
            grouper,
            analyzer,
            sink,
            ..
        } = &mut self;
        grouper.flush(&mut |inv| deliver(analyzer, sink, inv));
        let g = self.grouper.stats();
        self.summary.stats.unrecognized_lines = g.unrecognized_lines;
        self.summary.stats.late_lines = g.late_lines;
        self.analyzer.finish(self.summary)
    }
}

fn deliver(analyzer: &mut Analyzer, sink: &mut Option<&mut dyn InvocationSink>, inv: Invocation) {
    let verdict = decide(&inv);
    analyzer.add(&inv, &verdict);
    if let Some(s) = sink {
        s.invocation(&inv, &verdict);
    }
}

/// The per-event work before grouping: parse, and drop events outside the window.
fn front<'a>(parser: &Parser, config: &PipelineConfig, event: &LogEvent<'a>) -> Option<(Option<i64>, LineEvent<'a>)> {
    let line = parser.parse_with(event.message, event.timestamp_ms.is_none());
    let ts = event.timestamp_ms.or(match &line {
        LineEvent::App { timestamp_ms, .. } => *timestamp_ms,
        _ => None,
    });
    let in_window = ts.is_none_or(|t| config.since_ms.is_none_or(|s| t >= s) && config.until_ms.is_none_or(|u| t < u));
    in_window.then_some((ts, line))
}

impl Pipeline<'_> {
    /// The per-event work from grouping on.
    fn back(&mut self, ts: Option<i64>, stream: &str, line: LineEvent<'_>) {
        if let Some(t) = ts {
            self.summary.first_event_ms = Some(self.summary.first_event_ms.map_or(t, |f| f.min(t)));
            self.summary.last_event_ms = Some(self.summary.last_event_ms.map_or(t, |l| l.max(t)));
        }
        let Pipeline {
            grouper,
            analyzer,
            sink,
            ..
        } = self;
        grouper.push(ts, stream, line, &mut |inv| deliver(analyzer, sink, inv));
    }

    /// Runs the inputs on three threads, in order: one reads (I/O, gunzip, containers), one parses,
    /// and this one groups and analyzes, so the result is exactly the single-threaded one.
    pub fn read_threaded(&mut self, inputs: &[PathBuf], format: InputFormat) -> Result<(), SourceError> {
        let (tx, rx) = sync_channel::<ParsedMessage>(PARSED_IN_FLIGHT);
        let parser = self.parser.clone();
        let config = self.config.clone();
        let inputs = inputs.to_vec();
        let parse_thread = thread::Builder::new()
            .name("authlogs-parser".into())
            .spawn(move || {
                let mut sink = ParseSink {
                    parser,
                    config,
                    tx,
                    batch: ParsedBatch::default(),
                    closed: false,
                };
                let result = readahead::read_all(&inputs, format, &mut sink);
                sink.flush();
                let _ = sink.tx.send(ParsedMessage::Done(result));
            })
            .map_err(|e| SourceError::Io {
                path: "(parser thread)".into(),
                source: e,
            })?;
        let mut result = Ok(());
        for message in &rx {
            match message {
                ParsedMessage::Batch(b) => {
                    self.summary.stats.events += b.events;
                    self.summary.stats.filtered_events += b.filtered;
                    for item in &b.items {
                        let stream = b.streams.get(item.stream).map_or("", String::as_str);
                        self.back(item.ts, stream, item.line.load(&b.text));
                    }
                    for e in b.errors {
                        self.summary.errors.push(e);
                    }
                    self.summary.stats.invalid_utf8_lines += b.invalid_utf8;
                }
                ParsedMessage::Done(r) => {
                    result = r;
                    break;
                }
            }
        }
        drop(rx);
        let _ = parse_thread.join();
        result
    }
}

/// Text per parsed batch; the strings kept are ids and values only, so batches stay small.
const PARSED_TEXT: usize = 256 << 10;
const PARSED_IN_FLIGHT: usize = 4;

#[derive(Debug)]
struct ParsedItem {
    ts: Option<i64>,
    stream: usize,
    line: StoredLine,
}

#[derive(Debug, Default)]
struct ParsedBatch {
    text: String,
    streams: Vec<String>,
    items: Vec<ParsedItem>,
    events: u64,
    filtered: u64,
    errors: Vec<InputError>,
    invalid_utf8: u64,
}

enum ParsedMessage {
    Batch(ParsedBatch),
    Done(Result<(), SourceError>),
}

/// The parser thread's sink: parses and filters events, and sends them on in batches.
struct ParseSink {
    parser: Parser,
    config: PipelineConfig,
    tx: SyncSender<ParsedMessage>,
    batch: ParsedBatch,
    closed: bool,
}

impl ParseSink {
    fn flush(&mut self) {
        if self.closed {
            return;
        }
        let full = std::mem::take(&mut self.batch);
        if self.tx.send(ParsedMessage::Batch(full)).is_err() {
            self.closed = true;
        }
    }
}

impl EventSink for ParseSink {
    fn event(&mut self, event: &LogEvent<'_>) {
        let b = &mut self.batch;
        b.events += 1;
        let Some((ts, line)) = front(&self.parser, &self.config, event) else {
            b.filtered += 1;
            return;
        };
        let stream = readahead::stream_index(&mut b.streams, event.stream);
        let line = StoredLine::store(line, &mut b.text);
        b.items.push(ParsedItem { ts, stream, line });
        if b.text.len() >= PARSED_TEXT || b.items.len() >= 8192 {
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

impl EventSink for Pipeline<'_> {
    fn event(&mut self, event: &LogEvent<'_>) {
        self.summary.stats.events += 1;
        match front(&self.parser, &self.config, event) {
            Some((ts, line)) => self.back(ts, event.stream, line),
            None => self.summary.stats.filtered_events += 1,
        }
    }

    fn input_error(&mut self, error: InputError) {
        self.summary.errors.push(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.summary.stats.invalid_utf8_lines += count;
    }
}

/// Builds the `--requests` row of one invocation; tokens masked unless `tokens` reveals them.
pub fn request_row(inv: &Invocation, verdict: &Verdict, tokens: TokenDisplay) -> RequestRow {
    let m = inv.report.as_ref();
    RequestRow {
        request_id: escape_control(&inv.request_id).into_owned(),
        time: inv.first_ts.or(inv.last_ts).map(format_rfc3339_ms),
        stream: escape_control(&inv.stream).into_owned(),
        decision: verdict.decision.name(),
        reasons: verdict.reasons.names(),
        source_ip: source_ip(inv).map(|s| escape_control(s).into_owned()),
        token: received_token(inv).map(|t| display_token(t, tokens)),
        duration_ms: m.and_then(|m| m.duration_us).map(|us| us as f64 / 1000.0),
        billed_duration_ms: m.and_then(|m| m.billed_ms),
        memory_size_mb: m.and_then(|m| m.memory_size_mb),
        max_memory_used_mb: m.and_then(|m| m.max_memory_used_mb),
        init_duration_ms: inv.init_duration_us.map(|us| us as f64 / 1000.0),
        incomplete: !inv.is_complete(),
    }
}
