//! The pipeline as a live sink: its clock ticks with the loop, and its source's notes go to
//! stderr as they come.

use std::io::Write;
use std::ops::ControlFlow;

use super::drive::LiveSink;
use crate::engine::Pipeline;
use crate::error::Error;
use crate::report::InputError;
use crate::source::{EventSink, InputFormat, LogEvent};

/// A pipeline fed live.
pub struct LivePipeline<'p, 's, 'w> {
    pipeline: &'p mut Pipeline<'s>,
    notes: &'w mut dyn Write,
    /// What stopped its source, when it is not the run's first lane.
    failure: Option<Error>,
}

impl<'p, 's, 'w> LivePipeline<'p, 's, 'w> {
    /// `pipeline` fed live; notes are written to `notes`.
    pub fn new(pipeline: &'p mut Pipeline<'s>, notes: &'w mut dyn Write) -> Self {
        LivePipeline {
            pipeline,
            notes,
            failure: None,
        }
    }

    /// What stopped its source, when that did not end the run by itself.
    pub fn failure(self) -> Option<Error> {
        self.failure
    }
}

impl LiveSink for LivePipeline<'_, '_, '_> {
    fn tick(&mut self, now_ms: i64) -> bool {
        self.pipeline.tick(now_ms);
        self.pipeline.stopped() || self.failure.is_some()
    }

    fn note(&mut self, note: String) {
        // A note may quote a stream or group name, or a line: escaped like every output.
        let _ = writeln!(self.notes, "{}", crate::redact::escape_lines(&note));
    }

    fn failed(&mut self, error: Error) {
        self.failure.get_or_insert(error);
    }
}

impl EventSink for LivePipeline<'_, '_, '_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.pipeline.event(event)
    }

    fn stopped(&self) -> bool {
        self.pipeline.stopped()
    }

    fn input_error(&mut self, error: InputError) {
        self.pipeline.input_error(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.pipeline.invalid_utf8_lines(count);
    }

    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        self.pipeline.oversized_lines(input, count, first_byte);
    }

    fn input_done(&mut self, input: &str, format: InputFormat) {
        self.pipeline.input_done(input, format);
    }
}
