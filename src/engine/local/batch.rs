//! Batches of parsed lines that reader threads hand to the analysis thread, the pool that recycles
//! them, and the reader-side sink that fills them.

use std::ops::ControlFlow;
use std::sync::Mutex;

use super::ordered;
use super::pipeline::{front, in_window, PipelineConfig};
use super::stored::StoredLine;
use super::tally::InputTally;
use crate::parse::{Metrics, Parser};
use crate::report::InputError;
use crate::report::InputWarning;
use crate::source::{EventSink, InputFormat, LogEvent};

/// Text per parsed batch; the strings kept are ids and values only, so batches stay small.
const PARSED_TEXT: usize = 256 << 10;
const PARSED_ITEMS: usize = 8192;

#[derive(Debug)]
pub(super) struct ParsedItem {
    pub(super) ts: Option<i64>,
    pub(super) stream: usize,
    pub(super) line: StoredLine,
}

#[derive(Debug, Default)]
pub(super) struct ParsedBatch {
    pub(super) text: String,
    pub(super) metrics: Vec<Metrics>,
    pub(super) streams: Vec<String>,
    pub(super) items: Vec<ParsedItem>,
    pub(super) events: u64,
    pub(super) filtered: u64,
    pub(super) errors: Vec<InputError>,
    pub(super) invalid_utf8: u64,
    /// Cut lines: (input, count, first byte), in reading order.
    pub(super) oversized: Vec<(String, u64, u64)>,
    /// Inputs that gave (almost) nothing, in reading order.
    pub(super) warnings: Vec<InputWarning>,
}

impl ParsedBatch {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.metrics.clear();
        self.streams.clear();
        self.items.clear();
        self.errors.clear();
        self.events = 0;
        self.filtered = 0;
        self.invalid_utf8 = 0;
        self.oversized.clear();
        self.warnings.clear();
    }
}

/// A recycled empty batch, or a new one. Every unit takes its batches from here, so the number of
/// batches in use stays bounded by the batches in flight.
pub(super) fn pop(pool: &Mutex<Vec<ParsedBatch>>) -> ParsedBatch {
    pool.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default()
}

/// A reader thread's sink: parses and filters events into batches.
pub(super) struct ParseSink<'p> {
    pub(super) parser: Parser,
    pub(super) config: PipelineConfig,
    pub(super) batch: ParsedBatch,
    pub(super) pool: &'p Mutex<Vec<ParsedBatch>>,
    pub(super) tally: InputTally,
}

impl ParseSink<'_> {
    fn take(&mut self) -> ParsedBatch {
        std::mem::replace(&mut self.batch, pop(self.pool))
    }
}

impl ordered::Batching for ParseSink<'_> {
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
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        let b = &mut self.batch;
        b.events += 1;
        let (ts, line) = front(&self.parser, event);
        self.tally.note(&line, event.message);
        if !in_window(&self.config, ts) {
            b.filtered += 1;
            return ControlFlow::Continue(());
        }
        let stream = ordered::stream_index(&mut b.streams, event.stream);
        let line = StoredLine::store(line, &mut b.text, &mut b.metrics);
        b.items.push(ParsedItem { ts, stream, line });
        ControlFlow::Continue(())
    }

    fn input_error(&mut self, error: InputError) {
        self.batch.errors.push(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.batch.invalid_utf8 += count;
    }

    fn input_done(&mut self, input: &str, format: InputFormat) {
        if let Some(warning) = self.tally.finish(input, format) {
            self.batch.warnings.push(warning);
        }
    }

    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        self.batch.oversized.push((input.to_string(), count, first_byte));
    }
}
