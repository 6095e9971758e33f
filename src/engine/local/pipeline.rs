//! The pipeline: an `EventSink` that runs each event through parse → window filter → group →
//! decide → analyze, on one thread or fed in input order by reader threads.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::batch::{pop, ParseSink, ParsedBatch};
use super::ordered::{self, ParallelConfig, Sharing, Work};
use super::schedule::{Layout, Threads};
use super::tally::{self, InputTally};
use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::aws::{CwError, FetchConfig};
use crate::decision::{decide, Verdict};
use crate::engine::live::raw::RawLines;
use crate::group::{GroupConfig, Grouper, Invocation};
use crate::parse::{LineEvent, Parser};
use crate::redact::TokenDisplay;
use crate::report::{InitFailures, InputError, Report, SourceInfo};
use crate::source::cloudwatch::{fetch_window, FetchProgress};
use crate::source::file::{plan, read_path, read_unit, unit_inflates_apart, SourceError, Unit};
use crate::source::{EventSink, InputFormat, LogEvent, ReadOptions};

/// Receives every finished invocation with its verdict (e.g. the `--requests` printer).
pub trait InvocationSink {
    /// One finished invocation, in the order they finish. `Break` stops the run: no more input is
    /// read (e.g. the output was closed), and `finish` reports what was read until then.
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()>;

    /// One finished invocation with its raw log lines, instead of [`invocation`](Self::invocation),
    /// when the pipeline keeps them (`tail --raw`): the lines kept (tokens masked unless shown) and
    /// how many more there were. By default the lines are dropped.
    fn invocation_with_lines(
        &mut self,
        inv: &Invocation,
        verdict: &Verdict,
        lines: &[String],
        dropped: usize,
    ) -> ControlFlow<()> {
        let _ = (lines, dropped);
        self.invocation(inv, verdict)
    }
}

/// What a pipeline keeps and how it groups and prices.
#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    /// Events before this (epoch ms) are skipped and counted.
    pub since_ms: Option<i64>,
    /// Events at or after this (epoch ms) are skipped and counted.
    pub until_ms: Option<i64>,
    /// When invocations are emitted.
    pub group: GroupConfig,
    /// Prices for the cost estimate.
    pub analyze: AnalyzeConfig,
}

/// Parse → window → group → decide → analyze for every event it is given; `finish` builds the report.
pub struct Pipeline<'s> {
    parser: Parser,
    grouper: Grouper,
    analyzer: Analyzer,
    summary: InputSummary,
    config: PipelineConfig,
    sink: Option<&'s mut dyn InvocationSink>,
    /// The invocation sink asked to stop, or the run was interrupted.
    stopped: bool,
    /// Set by Ctrl-C or SIGTERM: reading stops at the next event or batch.
    interrupt: Option<Arc<AtomicBool>>,
    /// What the input being read gave the parser.
    tally: InputTally,
    /// The inputs that gave (almost) nothing beyond those `summary.warnings` keeps: counted.
    omitted: tally::Omitted,
    /// Each invocation's raw lines, when a live run shows them (`tail --raw`).
    raw: Option<RawLines>,
}

impl<'s> Pipeline<'s> {
    /// A pipeline; `sink`, when given, also receives every finished invocation.
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
            stopped: false,
            interrupt: None,
            tally: InputTally::default(),
            omitted: tally::Omitted::default(),
            raw: None,
        }
    }

    /// Stops reading at the next event (or parsed batch) once `flag` is set; the caller then
    /// asks [`interrupted`](Pipeline::interrupted) rather than trusting a partial report.
    pub fn stop_on(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    /// Whether the flag given to [`stop_on`](Pipeline::stop_on) was set.
    pub fn interrupted(&self) -> bool {
        self.interrupt.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Keeps each invocation's raw lines from now on (`tail --raw`), filed under the request the
    /// grouper says each belongs to, and hands them to the sink with the invocation. Lines are
    /// only kept for events given one by one ([`EventSink::event`]), as live runs give them.
    pub(crate) fn keep_raw_lines(&mut self, tokens: TokenDisplay) {
        self.raw = Some(RawLines::new(tokens));
    }

    /// A live run's clock: emits the invocations whose grace or idle time has passed (see
    /// [`Grouper::tick`]). Offline runs never call it.
    pub fn tick(&mut self, now_ms: i64) {
        self.with_emit(|grouper, emit| grouper.tick(now_ms, emit));
    }

    /// Runs `f` on the grouper with the callback that decides, analyzes and hands on each
    /// invocation it emits.
    fn with_emit(&mut self, f: impl FnOnce(&mut Grouper, &mut dyn FnMut(&Invocation))) {
        let Pipeline {
            grouper,
            analyzer,
            sink,
            stopped,
            raw,
            ..
        } = self;
        f(grouper, &mut |inv| deliver(analyzer, sink, stopped, raw, inv));
    }

    /// The report of the invocations emitted so far, without ending the run.
    pub fn snapshot(&self) -> Report {
        self.analyzer.snapshot(&self.input_summary())
    }

    fn input_summary(&self) -> InputSummary {
        let mut summary = self.summary.clone();
        let g = self.grouper.stats();
        summary.stats.unrecognized_lines = g.unrecognized_lines;
        summary.stats.late_lines = g.late_lines;
        summary.stats.values_cut = g.values_cut;
        summary.stats.requests_closed_early = g.requests_closed_early;
        summary.stats.repeated_starts = g.repeated_starts;
        summary.retries = g.retries;
        summary.init_failures = InitFailures {
            errors: g.init_errors,
            timeouts: g.init_timeouts,
        };
        summary.warnings_omitted = self.omitted.count;
        summary
    }

    /// End of all input: flushes open invocations and builds the report.
    pub fn finish(mut self) -> Report {
        self.with_emit(|grouper, emit| grouper.flush(emit));
        let summary = self.input_summary();
        self.analyzer.finish(summary)
    }
}

fn deliver(
    analyzer: &mut Analyzer,
    sink: &mut Option<&mut dyn InvocationSink>,
    stopped: &mut bool,
    raw: &mut Option<RawLines>,
    inv: &Invocation,
) {
    let verdict = decide(inv);
    analyzer.add(inv, &verdict);
    // A sink that asked to stop is not called again, not even by `finish`.
    if let Some(s) = sink.as_mut().filter(|_| !*stopped) {
        let flow = match raw {
            Some(raw) => {
                let (lines, dropped) = raw.take(&inv.request_id);
                s.invocation_with_lines(inv, &verdict, &lines, dropped)
            }
            None => s.invocation(inv, &verdict),
        };
        if flow.is_break() {
            *stopped = true;
        }
    }
}

/// The per-event work before grouping: parse (the time is the event's, else the line's own).
pub(super) fn front<'a>(parser: &Parser, event: &LogEvent<'a>) -> (Option<i64>, LineEvent<'a>) {
    let line = parser.parse_with(event.message, event.timestamp_ms.is_none());
    let ts = event.timestamp_ms.or(match &line {
        LineEvent::App { timestamp_ms, .. } => *timestamp_ms,
        _ => None,
    });
    (ts, line)
}

/// Whether an event at `ts` is inside the report's window (one without a time always is).
pub(super) fn in_window(config: &PipelineConfig, ts: Option<i64>) -> bool {
    ts.is_none_or(|t| config.since_ms.is_none_or(|s| t >= s) && config.until_ms.is_none_or(|u| t < u))
}

impl Pipeline<'_> {
    /// The per-event work from grouping on.
    fn back(&mut self, ts: Option<i64>, stream: &str, line: LineEvent<'_>) {
        if let Some(t) = ts {
            self.summary.first_event_ms = Some(self.summary.first_event_ms.map_or(t, |f| f.min(t)));
            self.summary.last_event_ms = Some(self.summary.last_event_ms.map_or(t, |l| l.max(t)));
        }
        self.with_emit(|grouper, emit| grouper.push(ts, stream, line, emit));
    }

    /// Reads a CloudWatch window into this pipeline: its slices fetched at once, handed over in
    /// time order; what was read is the returned `SourceInfo`.
    pub fn read_window(
        &mut self,
        window: &FetchConfig,
        notes: &mut dyn std::io::Write,
        progress: Option<&mut dyn FnMut(&FetchProgress)>,
    ) -> Result<SourceInfo, CwError> {
        let info = fetch_window(window, self, notes, progress)?;
        // A window is one input: explained as a file is when (almost) none of it was recognized.
        if let Some(warning) = self.tally.finish_window(&info.groups) {
            tally::merge(&mut self.summary.warnings, &mut self.omitted, warning);
        }
        Ok(info)
    }

    /// Reads every input (files, directories, `-`) into this pipeline, laid out on threads as
    /// `threads` says; the result is the same for every layout.
    pub fn read_inputs(
        &mut self,
        inputs: &[PathBuf],
        opts: ReadOptions,
        threads: Threads,
        range_bytes: u64,
    ) -> Result<(), SourceError> {
        let units = match threads {
            Threads::Fixed(1) => Vec::new(),
            _ => plan(inputs, opts.format, range_bytes)?,
        };
        let layout = threads.layout(|| units.iter().find_map(unit_inflates_apart).unwrap_or(false));
        match layout {
            Layout::Readers(workers) => {
                let parallel = ParallelConfig {
                    workers,
                    sharing: Sharing::WhenIdle,
                };
                self.read_parallel(units, opts, parallel)
            }
            Layout::OneThread if units.is_empty() => {
                for input in inputs {
                    if self.stopped {
                        break;
                    }
                    read_path(input, opts, self)?;
                }
                Ok(())
            }
            // Planned already (to tell gzip): read those units rather than walk the inputs again.
            Layout::OneThread => {
                for unit in &units {
                    if self.stopped {
                        break;
                    }
                    read_unit(unit, opts, self)?;
                }
                Ok(())
            }
        }
    }

    /// Reads and parses the units of the inputs ([`plan`](crate::source::file::plan)) on worker
    /// threads while this one groups and analyzes the parsed lines in input order, so the result is
    /// exactly the single-threaded one. When it would wait for them, this thread claims a unit and
    /// reads it itself, in its turn.
    fn read_parallel(
        &mut self,
        units: Vec<Unit>,
        opts: ReadOptions,
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
            tally: InputTally::default(),
        };
        ordered::read_units(units, opts, config, make, |work| {
            match work {
                Work::Batch(mut b) => {
                    self.consume(&mut b);
                    b.clear();
                    if let Ok(mut p) = pool.lock() {
                        p.push(b);
                    }
                }
                // A unit this thread claimed while it had nothing to group: read here, as on one thread.
                Work::Unit(unit) => read_unit(unit, opts, self)?,
            }
            self.stopped |= self.interrupted();
            Ok(if self.stopped {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
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
            if self.stopped {
                break;
            }
        }
        self.summary.errors.append(&mut b.errors);
        self.summary.stats.invalid_utf8_lines += b.invalid_utf8;
        for (input, count, first) in b.oversized.drain(..) {
            self.oversized_lines(&input, count, first);
        }
        for warning in b.warnings.drain(..) {
            tally::merge(&mut self.summary.warnings, &mut self.omitted, warning);
        }
    }
}

impl EventSink for Pipeline<'_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        // Sources stop at the first `Break`, so an event after the stop is not looked for here.
        self.summary.stats.events += 1;
        let (ts, line) = front(&self.parser, event);
        if let Some(raw) = &mut self.raw {
            // Every line, inside the window or not, as it was read.
            let owner = self.grouper.line_owner(event.stream, &line);
            raw.record(owner, event.message, &line, self.parser.patterns());
        }
        self.tally.note(&line, event.message);
        if in_window(&self.config, ts) {
            self.back(ts, event.stream, line);
        } else {
            self.summary.stats.filtered_events += 1;
        }
        // One relaxed load per event: the flag is only ever set, by a signal handler.
        if self.stopped || self.interrupted() {
            self.stopped = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn stopped(&self) -> bool {
        // Interrupted counts too: a source that gets no event (empty CloudWatch pages) still stops.
        self.stopped || self.interrupted()
    }

    fn input_error(&mut self, error: InputError) {
        self.summary.errors.push(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.summary.stats.invalid_utf8_lines += count;
    }

    fn input_done(&mut self, input: &str, format: InputFormat) {
        if let Some(warning) = self.tally.finish(input, format) {
            tally::merge(&mut self.summary.warnings, &mut self.omitted, warning);
        }
    }

    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        let stats = &mut self.summary.stats;
        stats.oversized_lines += count;
        if stats.first_oversized_line.is_none() {
            stats.first_oversized_line = Some(format!("{input}, byte {first_byte}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaa-0000-0000-0000-000000000001";

    fn event(pipeline: &mut Pipeline<'_>, message: &str) -> ControlFlow<()> {
        pipeline.event(&LogEvent {
            timestamp_ms: Some(1_752_213_600_000),
            stream: "s1",
            message,
        })
    }

    fn report_line(id: &str) -> String {
        format!("REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t")
    }

    /// Takes `limit` invocations, then asks to stop.
    struct Take {
        limit: usize,
        seen: Vec<String>,
    }

    impl InvocationSink for Take {
        fn invocation(&mut self, inv: &Invocation, _: &Verdict) -> ControlFlow<()> {
            self.seen.push(inv.request_id.to_string());
            if self.seen.len() >= self.limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }

    #[test]
    fn an_invocation_sink_that_stops_stops_the_source() {
        let mut take = Take {
            limit: 2,
            seen: Vec::new(),
        };
        let mut p = Pipeline::new(Parser::default(), PipelineConfig::default(), Some(&mut take));
        // Fed as a source feeds it: until the first `Break`.
        let lines: Vec<String> = (0..5)
            .flat_map(|i| {
                let id = format!("aaaaaaaa-0000-0000-0000-00000000000{i}");
                [format!("START RequestId: {id} Version: $LATEST"), report_line(&id)]
            })
            .collect();
        let stopped_at = lines.iter().position(|line| event(&mut p, line).is_break());
        // Each START supersedes the reported request before it on the stream: the second START
        // emits the first request, the third START the second, and then the sink has had enough.
        assert_eq!(stopped_at, Some(4));
        assert!(p.stopped());
        let report = p.finish();
        assert_eq!(report.input.events, 5, "the event that stopped it is the last one read");
        assert_eq!(
            take.seen.len(),
            2,
            "a stopped sink is not called again, not even by finish"
        );
    }

    #[test]
    fn a_snapshot_mid_run_shows_what_was_emitted_and_the_run_goes_on() {
        let mut p = Pipeline::new(Parser::default(), PipelineConfig::default(), None);
        p.tick(0);
        assert!(event(&mut p, &format!("START RequestId: {A} Version: $LATEST")).is_continue());
        // A REPORT of 3 s may be followed by its `Task timed out` line: it waits its grace.
        let long = report_line(A).replace("Duration: 1.85 ms", "Duration: 3003.12 ms");
        assert!(event(&mut p, &long).is_continue());
        assert_eq!(
            p.snapshot().invocations,
            0,
            "inside its grace the request is not emitted"
        );
        p.tick(1_000);
        let mid = p.snapshot();
        assert_eq!((mid.invocations, mid.input.events), (1, 2));
        let next = format!("START RequestId: {} Version: $LATEST", A.replace('a', "b"));
        assert!(event(&mut p, &next).is_continue());
        let end = p.finish();
        assert_eq!((end.invocations, end.incomplete, end.input.events), (2, 1, 3));
    }
}
