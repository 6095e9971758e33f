//! `authlogs tail`: follows CloudWatch Logs or a live stream and prints one line per invocation as
//! it completes, through the same parse → group → decide core as `report`, emitting by time.

mod access;
mod cloudwatch;
mod printer;
mod raw;

use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{report_damage, Outcome};
use crate::cli::{TailConfig, TailSource};
use crate::engine::Pipeline;
use crate::error::Error;
use crate::parse::Parser;
use crate::redact::TokenDisplay;
use crate::render::live::{summary_line, TailSummary};
use crate::report::InputError;
use crate::source::file::{open_error, SourceError};
use crate::source::stream::{spawn_reader, LiveStream, StreamInput, StreamMsg, CHUNKS_IN_FLIGHT};
use crate::source::{EventSink, LogEvent};
use printer::TailPrinter;
use raw::RawLines;

/// How often the loop wakes without input: emission by time, the exit conditions and the idle
/// flush of a quiet stream are checked this often.
const TICK: Duration = Duration::from_millis(100);

/// Runs `authlogs tail` until its input ends, a bound is reached, or `interrupted` is set (SIGINT,
/// SIGTERM); then prints the summary on `err`.
pub fn tail(
    config: TailConfig,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<Outcome, Error> {
    if let Some(access) = config.access.clone() {
        return tail_requests(&config, &access, out, err, &interrupted);
    }
    let raw = Rc::new(RefCell::new(RawLines::default()));
    let mut printer = TailPrinter::new(&config, out, raw.clone());
    let parser = Parser::new(config.patterns.clone());
    let mut pipeline = Pipeline::new(parser.clone(), config.pipeline.clone(), Some(&mut printer));
    let mut feed = Feed {
        pipeline: &mut pipeline,
        raw: config.raw.then_some(raw),
        parser,
        tokens: config.tokens,
        hook: None,
    };
    let mut stats = TailSummary::default();
    let result = run_source(&config, &mut feed, err, &interrupted, &mut stats);
    let report = pipeline.finish();
    let (printed, alerts, output_error) = printer.finish();
    stats.printed = printed;
    stats.alerts = alerts;
    let _ = report_damage(&report, err);
    let _ = err.write_all(summary_line(&report, &stats, config.lang).as_bytes());
    result?;
    if let Some(e) = output_error {
        return Err(Error::Output(e));
    }
    Ok(Outcome::of(&report, config.fail_on, err))
}

/// `tail` with an access log: one line per API request, from the live join of both logs.
fn tail_requests(
    config: &TailConfig,
    access: &crate::cli::TailAccess,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interrupted: &AtomicBool,
) -> Result<Outcome, Error> {
    let (mut side, mut forward) = access::AccessSide::start(config, access, out)?;
    let parser = Parser::new(config.patterns.clone());
    let mut pipeline = Pipeline::new(parser.clone(), config.pipeline.clone(), Some(&mut forward));
    let mut stats = TailSummary::default();
    let result = {
        let mut feed = Feed {
            pipeline: &mut pipeline,
            raw: None,
            parser,
            tokens: config.tokens,
            hook: Some(&mut side),
        };
        run_source(config, &mut feed, err, interrupted, &mut stats)
    };
    // The invocations still open go to the join, which then hands out every request it holds.
    let report = pipeline.finish();
    side.finish();
    for note in &side.notes {
        let _ = writeln!(err, "{note}");
    }
    for e in &side.input_errors {
        let _ = writeln!(
            err,
            "authlogs: warning: {}",
            crate::redact::escape_control(&e.to_string())
        );
    }
    stats.printed = side.printed;
    let _ = report_damage(&report, err);
    let _ = err.write_all(summary_line(&report, &stats, config.lang).as_bytes());
    let _ = err.write_all(side.summary().as_bytes());
    result?;
    if let Some(failure) = side.failure.take() {
        return Err(failure);
    }
    if let Some(e) = side.error.take() {
        return Err(Error::Output(e));
    }
    Ok(Outcome::of(&report, config.fail_on, err))
}

/// Reads the configured source (a stream, or CloudWatch) into `feed` until a bound is reached.
fn run_source(
    config: &TailConfig,
    feed: &mut Feed<'_, '_, '_>,
    err: &mut dyn Write,
    interrupted: &AtomicBool,
    stats: &mut TailSummary,
) -> Result<(), Error> {
    match &config.source {
        TailSource::Stdin => run_stream(config, StreamInput::Stdin, feed, interrupted),
        TailSource::File { path, follow } => {
            let input = StreamInput::File {
                path: path.clone(),
                follow: *follow,
            };
            run_stream(config, input, feed, interrupted)
        }
        TailSource::CloudWatch { .. } => cloudwatch::run(config, feed, err, interrupted, stats),
    }
}

/// Runs on every turn of the loop after the pipeline's own tick (the access-log join); true ends the run.
pub(super) trait TickHook {
    /// One turn at `now_ms`.
    fn tick(&mut self, now_ms: i64) -> bool;
}

impl TickHook for access::AccessSide<'_> {
    fn tick(&mut self, now_ms: i64) -> bool {
        access::AccessSide::tick(self, now_ms)
    }
}

/// Why a run ends early, checked on every tick.
struct Bounds<'c> {
    config: &'c TailConfig,
    interrupted: &'c AtomicBool,
    last_event: Instant,
}

impl<'c> Bounds<'c> {
    /// Starts the clock: the run begins now.
    fn start(config: &'c TailConfig, interrupted: &'c AtomicBool, feed: &mut Feed<'_, '_, '_>) -> Self {
        feed.pipeline.tick(now_ms());
        Bounds {
            config,
            interrupted,
            last_event: Instant::now(),
        }
    }

    /// One turn of a loop: emits what time has finished, then says whether the run is over.
    fn tick(&self, feed: &mut Feed<'_, '_, '_>) -> bool {
        let now = now_ms();
        feed.pipeline.tick(now);
        let hook_over = feed.hook.as_deref_mut().is_some_and(|h| h.tick(now));
        hook_over || self.reached(feed)
    }

    fn reached(&self, feed: &Feed<'_, '_, '_>) -> bool {
        let idle = self.config.idle_exit.is_some_and(|d| self.last_event.elapsed() >= d);
        let past_until = self.config.end_ms.is_some_and(|u| now_ms() >= u);
        self.interrupted.load(Ordering::Relaxed) || feed.pipeline.stopped() || idle || past_until
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A live stream (stdin or a file) into the pipeline.
fn run_stream(
    config: &TailConfig,
    input: StreamInput,
    feed: &mut Feed<'_, '_, '_>,
    interrupted: &AtomicBool,
) -> Result<(), Error> {
    let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
    let stop = Arc::new(AtomicBool::new(false));
    let name = input.name();
    let reader = spawn_reader(input, tx, stop.clone()).map_err(|e| open_error(std::path::Path::new(&name), e))?;
    let mut live = LiveStream::new(name.clone(), config.read);
    let mut bounds = Bounds::start(config, interrupted, feed);
    let result = loop {
        match rx.recv_timeout(TICK) {
            Ok(StreamMsg::Chunk(bytes)) => {
                bounds.last_event = Instant::now();
                live.push(&bytes, feed);
            }
            Ok(StreamMsg::End) | Err(RecvTimeoutError::Disconnected) => break live.end(feed).map_err(Error::from),
            Ok(StreamMsg::Failed(e)) => {
                let _ = live.end(feed);
                break Err(Error::from(SourceError::Io { path: name, source: e }));
            }
            Err(RecvTimeoutError::Timeout) => live.idle(feed),
        }
        live.drain(feed);
        if bounds.tick(feed) {
            break Ok(());
        }
    };
    stop.store(true, Ordering::Relaxed);
    // Standard input may wait forever in `read`: that thread is left to end with the process.
    if reader.is_finished() {
        let _ = reader.join();
    }
    result
}

/// The pipeline as an event sink, keeping each invocation's raw lines when `--raw` asks for them.
struct Feed<'p, 's, 'h> {
    pipeline: &'p mut Pipeline<'s>,
    raw: Option<Rc<RefCell<RawLines>>>,
    parser: Parser,
    tokens: TokenDisplay,
    /// Runs after every tick of the pipeline (the access-log join).
    hook: Option<&'h mut dyn TickHook>,
}

impl EventSink for Feed<'_, '_, '_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        if let Some(raw) = &self.raw {
            raw.borrow_mut().record(&self.parser, event, self.tokens);
        }
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

    fn input_done(&mut self, input: &str, format: crate::source::InputFormat) {
        self.pipeline.input_done(input, format);
    }
}
