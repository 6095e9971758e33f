//! The live loop: drives any number of live sources, each into its sink, on a 100 ms tick until
//! an input ends, a sink has had enough or a bound is reached.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::source::EventSink;

/// How often the loop wakes without input: emission by time, the exit conditions and the idle
/// flush of a quiet stream are checked this often.
pub const TICK: Duration = Duration::from_millis(100);

/// The wall clock in epoch milliseconds: a live run's clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The next message of a source's thread, waiting up to `wait` for it (zero: not at all).
pub(super) fn receive<T>(rx: &Receiver<T>, wait: Duration) -> Result<T, RecvTimeoutError> {
    if wait.is_zero() {
        rx.try_recv().map_err(|e| match e {
            TryRecvError::Empty => RecvTimeoutError::Timeout,
            TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
        })
    } else {
        rx.recv_timeout(wait)
    }
}

/// What one call of [`LiveSource::next`] did.
#[derive(Debug)]
pub enum Polled {
    /// It gave the sink input (bytes or events): the source is not idle.
    Input,
    /// It gave something else (a note); more may be waiting.
    Other,
    /// Nothing was waiting.
    Quiet,
    /// The source ended, by itself or failing; it gives nothing more.
    Ended(Result<(), Error>),
}

/// An input that arrives while the run goes on (a stream, a file being written, CloudWatch
/// followed), read on a thread of its own.
pub trait LiveSource {
    /// Hands `sink` the next thing the source has, waiting up to `wait` for it (zero: not at all).
    fn next(&mut self, wait: Duration, sink: &mut dyn LiveSink) -> Polled;

    /// The input ends by itself (a file read to its end, not followed): at the end of a run what
    /// is left of it is still read.
    fn ends_by_itself(&self) -> bool;

    /// Stops the thread reading it.
    fn stop(&mut self);
}

/// Where a live source's input goes: its events, its notes, and the clock.
pub trait LiveSink: EventSink {
    /// One turn of the clock at `now_ms`, after the lane's input was read: emits what time has
    /// finished. True ends the run (the sink has had enough, or cannot go on).
    fn tick(&mut self, now_ms: i64) -> bool;

    /// One line for stderr from the source (a follower's note), already worded and escaped.
    fn note(&mut self, note: String);

    /// The source of a lane after the first failed; the sink decides, through `tick`, whether the
    /// run goes on. (The first lane's end ends the run, and [`run`] returns its result.)
    fn failed(&mut self, error: Error);
}

/// One source and the sink it feeds.
pub struct Lane<'a> {
    /// The input.
    pub source: &'a mut dyn LiveSource,
    /// Where it goes.
    pub sink: &'a mut dyn LiveSink,
}

/// Why a run ends early besides its inputs and sinks, checked on every tick.
#[derive(Debug, Clone, Copy)]
pub struct Bounds<'a> {
    /// The first lane gave no input for this long (`--idle-exit`).
    pub idle_exit: Option<Duration>,
    /// The wall clock passed this time (`--until`, epoch ms).
    pub end_ms: Option<i64>,
    /// Set by SIGINT or SIGTERM.
    pub interrupted: &'a AtomicBool,
}

impl Bounds<'_> {
    fn reached(&self, last_input: Instant) -> bool {
        let idle = self.idle_exit.is_some_and(|d| last_input.elapsed() >= d);
        let past_until = self.end_ms.is_some_and(|u| now_ms() >= u);
        self.interrupted.load(Ordering::Relaxed) || idle || past_until
    }
}

/// Runs the lanes until the `first` one's source ends (its result is returned), a sink's `tick`
/// says the run is over, or a bound is reached. The first lane paces the loop: each turn waits
/// up to a [`TICK`] for its next input, then every sink is ticked in lane order, the `others`
/// each after its own source was read without waiting. The sources are not stopped here: the
/// caller stops them, and reads the rest of the others with [`read_rest`], in the order its
/// sinks need.
pub fn run(first: &mut Lane<'_>, others: &mut [Lane<'_>], bounds: &Bounds<'_>) -> Result<(), Error> {
    // The clock starts with the run: lines are stamped with the time they came.
    first.sink.tick(now_ms());
    let mut last_input = Instant::now();
    loop {
        match first.source.next(TICK, &mut *first.sink) {
            Polled::Input => last_input = Instant::now(),
            Polled::Other | Polled::Quiet => {}
            Polled::Ended(result) => return result,
        }
        let now = now_ms();
        let mut over = first.sink.tick(now);
        for lane in others.iter_mut() {
            read_ready(lane);
            over |= lane.sink.tick(now);
        }
        if over || bounds.reached(last_input) {
            return Ok(());
        }
    }
}

/// Everything a lane's source has ready, without waiting.
fn read_ready(lane: &mut Lane<'_>) {
    loop {
        match lane.source.next(Duration::ZERO, &mut *lane.sink) {
            Polled::Input | Polled::Other => {}
            Polled::Quiet | Polled::Ended(Ok(())) => return,
            Polled::Ended(Err(e)) => return lane.sink.failed(e),
        }
    }
}

/// The end of a run for a lane after the first: an input that ends by itself is read to its
/// end, waiting for it; of any other, what has arrived.
pub fn read_rest(lane: &mut Lane<'_>) {
    if !lane.source.ends_by_itself() {
        return read_ready(lane);
    }
    loop {
        match lane.source.next(TICK, &mut *lane.sink) {
            Polled::Input | Polled::Other | Polled::Quiet => {}
            Polled::Ended(Ok(())) => return,
            Polled::Ended(Err(e)) => return lane.sink.failed(e),
        }
    }
}
