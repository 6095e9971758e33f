//! The offline pipeline: an `EventSink` that runs each event through parse → group → analyze.

use std::sync::Mutex;

use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::decision::{decide, received_token, source_ip, Verdict};
use crate::group::{GroupConfig, Grouper, Invocation};
use crate::parse::{LineEvent, Metrics, Parser};
use crate::redact::{display_token, escape_control, TokenDisplay};
use crate::report::{Report, RequestRow};
use crate::source::file::{read_unit, SourceError, Unit};
use crate::source::parallel::{self, Batching, ParallelConfig, Work};
use crate::source::{EventSink, InputError, InputFormat, LogEvent};
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

fn deliver(analyzer: &mut Analyzer, sink: &mut Option<&mut dyn InvocationSink>, inv: &Invocation) {
    let verdict = decide(inv);
    analyzer.add(inv, &verdict);
    if let Some(s) = sink {
        s.invocation(inv, &verdict);
    }
}

/// The per-event work before grouping: parse (the time is the event's, else the line's own).
fn front<'a>(parser: &Parser, event: &LogEvent<'a>) -> (Option<i64>, LineEvent<'a>) {
    let line = parser.parse_with(event.message, event.timestamp_ms.is_none());
    let ts = event.timestamp_ms.or(match &line {
        LineEvent::App { timestamp_ms, .. } => *timestamp_ms,
        _ => None,
    });
    (ts, line)
}

/// Whether an event at `ts` is inside the report's window (one without a time always is).
fn in_window(config: &PipelineConfig, ts: Option<i64>) -> bool {
    ts.is_none_or(|t| config.since_ms.is_none_or(|s| t >= s) && config.until_ms.is_none_or(|u| t < u))
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

    /// Reads and parses the units of the inputs ([`plan`](crate::source::file::plan)) on worker
    /// threads while this one groups and analyzes the parsed lines in input order, so the result is
    /// exactly the single-threaded one. When it would wait for them, this thread claims a unit and
    /// reads it itself, in its turn.
    pub fn read_parallel(
        &mut self,
        units: Vec<Unit>,
        format: InputFormat,
        config: ParallelConfig,
    ) -> Result<(), SourceError> {
        let (parser, window) = (self.parser.clone(), self.config.clone());
        // Emptied batches go back to the readers: fresh ones would cost a page fault per page.
        let pool = Mutex::new(Vec::new());
        let make = || ParseSink {
            parser: parser.clone(),
            config: window.clone(),
            batch: pop(&pool),
            pool: &pool,
        };
        parallel::read_units(units, format, config, make, |work| {
            match work {
                Work::Batch(mut b) => {
                    self.consume(&mut b);
                    b.clear();
                    if let Ok(mut p) = pool.lock() {
                        p.push(b);
                    }
                }
                // A unit this thread claimed while it had nothing to group: read here, as on one thread.
                Work::Unit(unit) => read_unit(unit, format, self)?,
            }
            Ok(())
        })
    }

    fn consume(&mut self, b: &mut ParsedBatch) {
        self.summary.stats.events += b.events;
        self.summary.stats.filtered_events += b.filtered;
        let ParsedBatch {
            items,
            streams,
            text,
            metrics,
            ..
        } = b;
        for item in items.drain(..) {
            let stream = streams.get(item.stream).map_or("", String::as_str);
            self.back(item.ts, stream, item.line.load(text, metrics));
        }
        self.summary.errors.append(&mut b.errors);
        self.summary.stats.invalid_utf8_lines += b.invalid_utf8;
    }
}

/// Text per parsed batch; the strings kept are ids and values only, so batches stay small.
const PARSED_TEXT: usize = 256 << 10;
const PARSED_ITEMS: usize = 8192;

#[derive(Debug)]
struct ParsedItem {
    ts: Option<i64>,
    stream: usize,
    line: StoredLine,
}

#[derive(Debug, Default)]
struct ParsedBatch {
    text: String,
    metrics: Vec<Metrics>,
    streams: Vec<String>,
    items: Vec<ParsedItem>,
    events: u64,
    filtered: u64,
    errors: Vec<InputError>,
    invalid_utf8: u64,
}

impl ParsedBatch {
    fn clear(&mut self) {
        self.text.clear();
        self.metrics.clear();
        self.streams.clear();
        self.items.clear();
        self.errors.clear();
        self.events = 0;
        self.filtered = 0;
        self.invalid_utf8 = 0;
    }
}

/// A recycled empty batch, or a new one. Every unit takes its batches from here, so the number of
/// batches in use stays bounded by the batches in flight.
fn pop(pool: &Mutex<Vec<ParsedBatch>>) -> ParsedBatch {
    pool.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default()
}

/// A reader thread's sink: parses and filters events into batches.
struct ParseSink<'p> {
    parser: Parser,
    config: PipelineConfig,
    batch: ParsedBatch,
    pool: &'p Mutex<Vec<ParsedBatch>>,
}

impl ParseSink<'_> {
    fn take(&mut self) -> ParsedBatch {
        std::mem::replace(&mut self.batch, pop(self.pool))
    }
}

impl Batching for ParseSink<'_> {
    type Batch = ParsedBatch;

    fn ready(&mut self) -> Option<ParsedBatch> {
        let b = &self.batch;
        (b.text.len() >= PARSED_TEXT || b.items.len() >= PARSED_ITEMS).then(|| self.take())
    }

    fn rest(&mut self) -> Option<ParsedBatch> {
        Some(std::mem::take(&mut self.batch))
    }
}

impl EventSink for ParseSink<'_> {
    fn event(&mut self, event: &LogEvent<'_>) {
        let b = &mut self.batch;
        b.events += 1;
        let (ts, line) = front(&self.parser, event);
        if !in_window(&self.config, ts) {
            b.filtered += 1;
            return;
        }
        let stream = parallel::stream_index(&mut b.streams, event.stream);
        let line = StoredLine::store(line, &mut b.text, &mut b.metrics);
        b.items.push(ParsedItem { ts, stream, line });
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
        let (ts, line) = front(&self.parser, event);
        if in_window(&self.config, ts) {
            self.back(ts, event.stream, line);
        } else {
            self.summary.stats.filtered_events += 1;
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
        request_id: escape_control(&inv.request_id.to_string()).into_owned(),
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
