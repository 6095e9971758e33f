//! Reads the units of the inputs (files, ranges of large files) on worker threads and hands their
//! batches to one consumer in input order, so results equal the single-threaded path exactly. A
//! consumer that would wait takes the next unread unit to read itself, in its turn.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::{Condvar, Mutex};
use std::thread;

use crate::bytes::same_str;
use crate::report::InputError;
use crate::source::file::{read_unit, SourceError, Unit};
use crate::source::{EventSink, InputFormat, LogEvent, ReadOptions};

/// Batches each worker may have waiting for the consumer, over all units: this bounds memory, while
/// letting workers read ahead of the unit being consumed instead of waiting for it in lockstep. While
/// the consumer reads a range of its own (8 MiB, about 8 batches' worth), a worker must be able to
/// read about as far ahead, or it stalls (measured in docs/performance.md).
const BATCHES_PER_WORKER: usize = 16;
/// However many workers, batches waiting stay below this (a batch holds up to about 1 MiB).
const MAX_BATCHES_WAITING: usize = 32;

/// A worker-side sink that packs what it receives into batches for the consumer.
pub trait Batching: EventSink {
    type Batch: Send;
    /// A batch to hand on now, if one is full.
    fn ready(&mut self) -> Option<Self::Batch>;
    /// What is left at the end of a unit.
    fn rest(&mut self) -> Option<Self::Batch>;
}

enum Message<B> {
    Batch(B),
    Done(Result<(), SourceError>),
}

/// Batches sent but not yet consumed, and the unit being consumed, shared by all threads.
struct Flow {
    state: Mutex<FlowState>,
    changed: Condvar,
    budget: usize,
}

#[derive(Default)]
struct FlowState {
    waiting: usize,
    /// Batches waiting, per unit.
    per_unit: Vec<usize>,
    current: usize,
    stopped: bool,
}

impl FlowState {
    fn may_send(&self, unit: usize, budget: usize) -> bool {
        let own = self.per_unit.get(unit).copied().unwrap_or(0);
        self.stopped || self.waiting < budget || (unit == self.current && own < CURRENT_UNIT_BATCHES)
    }
}

/// Batches the unit being consumed may have waiting even when the budget is spent: the consumer
/// waits only on that unit, so it must never be stopped from having one, and a bound keeps a fast
/// reader of one big file from queueing all of it.
const CURRENT_UNIT_BATCHES: usize = 2;

impl Flow {
    /// Waits until unit `unit` may send one more batch: while the budget lasts, or while the
    /// unit being consumed has fewer than `CURRENT_UNIT_BATCHES` waiting (so the consumer never
    /// waits on a worker that waits on it). `false` once the consumer has stopped.
    fn acquire(&self, unit: usize) -> bool {
        let Ok(mut st) = self.state.lock() else { return false };
        while !st.may_send(unit, self.budget) {
            st = match self.changed.wait(st) {
                Ok(st) => st,
                Err(_) => return false,
            };
        }
        st.waiting += 1;
        if let Some(n) = st.per_unit.get_mut(unit) {
            *n += 1;
        }
        !st.stopped
    }

    /// The consumer took a batch of `unit`.
    fn release(&self, unit: usize) {
        self.update(|st| {
            st.waiting = st.waiting.saturating_sub(1);
            if let Some(n) = st.per_unit.get_mut(unit) {
                *n = n.saturating_sub(1);
            }
        });
    }

    fn update(&self, f: impl FnOnce(&mut FlowState)) {
        if let Ok(mut st) = self.state.lock() {
            f(&mut st);
        }
        self.changed.notify_all();
    }
}

/// Forwards events to a `Batching` sink and sends its batches; stops sending once the consumer left.
struct Forward<'a, S: Batching> {
    sink: S,
    tx: &'a Sender<Message<S::Batch>>,
    flow: &'a Flow,
    unit: usize,
    closed: bool,
}

impl<S: Batching> Forward<'_, S> {
    fn send(&mut self, batch: Option<S::Batch>) {
        if let Some(b) = batch {
            if !self.closed && (!self.flow.acquire(self.unit) || self.tx.send(Message::Batch(b)).is_err()) {
                self.closed = true;
            }
        }
    }
}

impl<S: Batching> EventSink for Forward<'_, S> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        let flow = self.sink.event(event);
        let b = self.sink.ready();
        self.send(b);
        // The consumer left (it stopped, or failed): reading on would be for nothing.
        if self.closed {
            return ControlFlow::Break(());
        }
        flow
    }

    fn input_error(&mut self, error: InputError) {
        self.sink.input_error(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.sink.invalid_utf8_lines(count);
    }

    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        self.sink.oversized_lines(input, count, first_byte);
    }

    fn input_done(&mut self, input: &str, format: InputFormat) {
        self.sink.input_done(input, format);
    }
}

/// How the inputs are read in parallel.
#[derive(Debug, Clone, Copy)]
pub struct ParallelConfig {
    /// Worker threads that read and parse.
    pub workers: usize,
    /// Whether the consumer reads units itself.
    pub sharing: Sharing,
}

/// When the consumer takes a unit to read itself rather than wait for the workers: it claims the
/// next unit no worker has begun, and reads it when its turn in input order comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    Never,
    /// When it finds no batch waiting and has no claimed unit ahead: the workers are then the
    /// bottleneck, and the consumer's idle time goes to reading instead.
    WhenIdle,
    /// Whenever it has no claimed unit ahead (for tests: the most units read by the consumer).
    Always,
}

/// What the consumer says after each piece of work: go on, stop (`Break`), or a fatal error.
pub type Consumed = Result<ControlFlow<()>, SourceError>;

/// What the consumer is handed, in input order.
pub enum Work<'u, B> {
    /// A batch a worker made.
    Batch(B),
    /// A unit the consumer claimed: it reads it now, itself.
    Unit(&'u Unit),
}

/// Reads the units of [`plan`](super::file::plan) on `config.workers` threads, each into a fresh
/// sink from `make`, and passes the batches (and the units this thread claimed) to `consume` on
/// this thread in input order. A fatal source error, from a worker or from `consume`, stops reading
/// and is returned after the work of the units before it was consumed; `consume` returning `Break`
/// stops reading too (its sink wants no more).
pub fn read_units<S, M, C>(
    units: Vec<Unit>,
    opts: ReadOptions,
    config: ParallelConfig,
    make: M,
    mut consume: C,
) -> Result<(), SourceError>
where
    S: Batching,
    M: Fn() -> S + Sync,
    C: FnMut(Work<'_, S::Batch>) -> Consumed,
{
    let workers = config.workers.max(1);
    let flow = Flow {
        state: Mutex::new(FlowState {
            per_unit: vec![0; units.len()],
            ..FlowState::default()
        }),
        changed: Condvar::new(),
        budget: (BATCHES_PER_WORKER * workers).min(MAX_BATCHES_WAITING),
    };
    let claims = Claims {
        state: Mutex::new(Claimed {
            next: 0,
            channels: HashMap::new(),
        }),
        units: units.len(),
        sharing: config.sharing,
    };
    let stop = AtomicBool::new(false);
    let worker = || loop {
        // Owning the sender means a worker that dies drops it, and the consumer sees that.
        let Some((i, tx)) = claims.claim_with_channel() else {
            return;
        };
        let Some(unit) = units.get(i) else {
            return;
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let mut forward = Forward {
            sink: make(),
            tx: &tx,
            flow: &flow,
            unit: i,
            closed: false,
        };
        let result = read_unit(unit, opts, &mut forward);
        let rest = forward.sink.rest();
        forward.send(rest);
        let _ = tx.send(Message::Done(result));
    };
    thread::scope(|scope| {
        for n in 0..workers {
            let spawned = thread::Builder::new()
                .name(format!("authlogs-reader-{n}"))
                .spawn_scoped(scope, worker);
            if let Err(e) = spawned {
                stop.store(true, Ordering::Relaxed);
                flow.update(|st| st.stopped = true);
                return Err(SourceError::Io {
                    path: "(reader thread)".into(),
                    source: e,
                });
            }
        }
        let result = consume_in_order(&units, &flow, &claims, &mut consume);
        // Every unit was consumed, or the consumer stopped early: no worker starts another.
        stop.store(true, Ordering::Relaxed);
        flow.update(|st| st.stopped = true);
        result
    })
}

/// The units claimed so far, and the channels of the units workers claimed that the consumer has
/// not taken yet: created when claimed and dropped when consumed, so memory follows the units in
/// flight, not the number of inputs (a channel keeps some KiB until it is dropped).
struct Claimed<B> {
    next: usize,
    channels: HashMap<usize, Receiver<Message<B>>>,
}

/// Units are claimed in order, each by exactly one thread: a worker, or the consumer itself.
struct Claims<B> {
    state: Mutex<Claimed<B>>,
    units: usize,
    sharing: Sharing,
}

/// Where the consumer gets a unit from.
enum Source<B> {
    Channel(Receiver<Message<B>>),
    Here,
}

impl<B> Claims<B> {
    /// A worker's next unit and the sender of its channel, registered in the same step, so a
    /// claimed unit always has its channel.
    fn claim_with_channel(&self) -> Option<(usize, Sender<Message<B>>)> {
        let mut st = self.state.lock().ok()?;
        let i = self.take_next(&mut st)?;
        let (tx, rx) = channel();
        st.channels.insert(i, rx);
        Some((i, tx))
    }

    /// The next unclaimed unit, for the consumer to read itself in its turn.
    fn claim(&self) -> Option<usize> {
        let mut st = self.state.lock().ok()?;
        self.take_next(&mut st)
    }

    /// Claims the next unit, if one is left, under the lock the caller holds.
    fn take_next(&self, st: &mut Claimed<B>) -> Option<usize> {
        let i = st.next;
        (i < self.units).then(|| {
            st.next += 1;
            i
        })
    }

    /// Where unit `i` comes from, when the consumer's turn reaches it: its channel, or this thread
    /// when it claimed it (`claimed`) or nobody has.
    fn source(&self, i: usize, claimed: &mut Option<usize>) -> Option<Source<B>> {
        if *claimed == Some(i) {
            *claimed = None;
            return Some(Source::Here);
        }
        let mut st = self.state.lock().ok()?;
        if let Some(rx) = st.channels.remove(&i) {
            return Some(Source::Channel(rx));
        }
        // Units before `i` were all claimed; `i` was not, so it is the next one.
        (st.next == i).then(|| {
            st.next += 1;
            Source::Here
        })
    }
}

/// Takes each unit's batches in turn, or reads it when this thread claimed it (or nobody did). On
/// an early return the caller stops the workers; channels still registered go with `claims`.
fn consume_in_order<B>(
    units: &[Unit],
    flow: &Flow,
    claims: &Claims<B>,
    consume: &mut dyn FnMut(Work<'_, B>) -> Consumed,
) -> Result<(), SourceError> {
    let stopped = |unit: &Unit| SourceError::Io {
        path: unit_name(unit),
        source: std::io::Error::other("a reader thread stopped before finishing this input"),
    };
    // A unit claimed by this thread; claims go in order, so it is at or after the current one.
    let mut claimed: Option<usize> = None;
    for (i, unit) in units.iter().enumerate() {
        flow.update(|st| st.current = i);
        if claimed.is_none() && claims.sharing == Sharing::Always {
            claimed = claims.claim();
        }
        let rx = match claims.source(i, &mut claimed) {
            Some(Source::Channel(rx)) => rx,
            Some(Source::Here) => {
                if consume(Work::Unit(unit))?.is_break() {
                    return Ok(());
                }
                continue;
            }
            None => return Err(stopped(unit)),
        };
        loop {
            let message = match rx.try_recv() {
                Ok(m) => m,
                Err(TryRecvError::Disconnected) => return Err(stopped(unit)),
                Err(TryRecvError::Empty) => {
                    if claimed.is_none() && claims.sharing != Sharing::Never {
                        claimed = claims.claim();
                    }
                    rx.recv().map_err(|_| stopped(unit))?
                }
            };
            match message {
                Message::Batch(b) => {
                    flow.release(i);
                    if consume(Work::Batch(b))?.is_break() {
                        return Ok(());
                    }
                }
                Message::Done(Ok(())) => break,
                Message::Done(Err(e)) => return Err(e),
            }
        }
    }
    Ok(())
}

fn unit_name(unit: &Unit) -> String {
    match unit {
        Unit::Named(p) | Unit::Walked(p) | Unit::Range { path: p, .. } => p.display().to_string(),
        Unit::Skipped(e) => e.input.clone(),
        Unit::Run(units) => match units.first() {
            Some(first) => format!(
                "{} (and {} more small files after it)",
                unit_name(first),
                units.len() - 1
            ),
            None => String::new(),
        },
    }
}

/// The index of `name` in a batch's stream table. Events of one stream come in runs, so only the
/// last few entries are searched; a stream seen earlier may get a second entry, which is harmless.
#[inline]
pub(crate) fn stream_index(streams: &mut Vec<String>, name: &str) -> usize {
    // Most events are of the stream before them: that one costs a single compare, inline.
    match streams.last() {
        Some(last) if same_str(last, name) => streams.len() - 1,
        _ => stream_index_searched(streams, name),
    }
}

#[inline(never)]
fn stream_index_searched(streams: &mut Vec<String>, name: &str) -> usize {
    let recent = streams.len().saturating_sub(8);
    match streams[recent..].iter().rposition(|s| same_str(s, name)) {
        Some(i) => recent + i,
        None => {
            streams.push(name.to_string());
            streams.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::file::plan;

    use std::path::PathBuf;

    /// Batches of one message each, so ordering across batches and units is visible.
    #[derive(Default)]
    struct Messages {
        batch: Vec<String>,
    }

    impl EventSink for Messages {
        fn event(&mut self, e: &LogEvent<'_>) -> ControlFlow<()> {
            self.batch.push(e.message.to_string());
            ControlFlow::Continue(())
        }
        fn input_error(&mut self, error: InputError) {
            self.batch.push(format!("error: {}", error.input));
        }
    }

    impl Batching for Messages {
        type Batch = Vec<String>;
        fn ready(&mut self) -> Option<Vec<String>> {
            (!self.batch.is_empty()).then(|| std::mem::take(&mut self.batch))
        }
        fn rest(&mut self) -> Option<Vec<String>> {
            self.ready()
        }
    }

    /// Reads `inputs` as planned, or with every run of small files unpacked into its files
    /// (`unpack`), so that there are many units to share.
    fn read_shared(
        inputs: &[PathBuf],
        workers: usize,
        range_bytes: u64,
        sharing: Sharing,
        unpack: bool,
    ) -> (Vec<String>, Result<(), SourceError>, usize) {
        let mut got = Vec::new();
        let mut read_here = 0;
        let config = ParallelConfig { workers, sharing };
        let mut units = match plan(inputs, InputFormat::Auto, range_bytes) {
            Ok(units) => units,
            Err(e) => return (got, Err(e), read_here),
        };
        if unpack {
            let unpacked = units.into_iter().flat_map(|unit| match unit {
                Unit::Run(files) => files,
                other => vec![other],
            });
            units = unpacked.collect();
        }
        let result = read_units(
            units,
            ReadOptions::new(InputFormat::Auto),
            config,
            Messages::default,
            |work| {
                match work {
                    Work::Batch(b) => got.extend(b),
                    Work::Unit(unit) => {
                        read_here += 1;
                        let mut here = Messages::default();
                        read_unit(unit, ReadOptions::new(InputFormat::Auto), &mut here)?;
                        got.extend(here.batch);
                    }
                }
                Ok(ControlFlow::Continue(()))
            },
        );
        (got, result, read_here)
    }

    fn read(inputs: &[PathBuf], workers: usize, range_bytes: u64) -> (Vec<String>, Result<(), SourceError>) {
        let (got, result, read_here) = read_shared(inputs, workers, range_bytes, Sharing::Never, false);
        assert_eq!(read_here, 0);
        (got, result)
    }

    #[test]
    fn a_consumer_that_stops_ends_the_read_early_and_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for f in 0..40 {
            let path = dir.path().join(format!("{f:02}.log"));
            let text: String = (0..200)
                .map(|i| format!("2025-07-11T06:05:34.309Z START RequestId: f{f}-{i:05} Version: $LATEST\n"))
                .collect();
            std::fs::write(&path, text).unwrap();
            inputs.push(path);
        }
        for sharing in [Sharing::Never, Sharing::WhenIdle, Sharing::Always] {
            let units = plan(&inputs, InputFormat::Auto, 1000).unwrap();
            let total = units.len();
            let config = ParallelConfig { workers: 2, sharing };
            let mut consumed = 0;
            let mut got = Vec::new();
            let result = read_units(
                units,
                ReadOptions::new(InputFormat::Auto),
                config,
                Messages::default,
                |work| {
                    consumed += 1;
                    if let Work::Batch(b) = work {
                        got.extend(b);
                    }
                    Ok(if consumed == 3 {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    })
                },
            );
            assert!(result.is_ok(), "{sharing:?}: a stop is not an error: {result:?}");
            assert_eq!(consumed, 3, "{sharing:?}: nothing is handed over after the stop");
            assert!(got.len() < 40 * 200 && total > 3, "{sharing:?}");
        }
    }

    #[test]
    fn units_arrive_in_input_order_whatever_the_workers() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        let mut expected = Vec::new();
        for f in 0..12 {
            let path = dir.path().join(format!("{f}.log"));
            let mut text = String::new();
            for i in 0..(f * 97 % 13 + 1) * 40 {
                text.push_str(&format!(
                    "2025-07-11T06:05:34.309Z START RequestId: f{f}-{i:05} Version: $LATEST\n\n"
                ));
                expected.push(format!("START RequestId: f{f}-{i:05} Version: $LATEST"));
            }
            std::fs::write(&path, text).unwrap();
            inputs.push(path);
        }
        // Whole, these small files are planned as one run; unpacked, as twelve units.
        for (workers, range_bytes) in [(1, 1 << 20), (2, 1 << 20), (3, 1000), (8, 333)] {
            for sharing in [Sharing::Never, Sharing::WhenIdle, Sharing::Always] {
                for unpack in [false, true] {
                    let (got, result, read_here) = read_shared(&inputs, workers, range_bytes, sharing, unpack);
                    result.unwrap();
                    let case = format!("{workers} workers, ranges of {range_bytes}, {sharing:?}, unpacked: {unpack}");
                    assert_eq!(got, expected, "{case}");
                    // With one unit, the worker may claim it before the consumer looks.
                    if sharing == Sharing::Always && (unpack || range_bytes < 1 << 20) {
                        assert!(read_here > 0, "the consumer read none of the units itself: {case}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_budget_bounds_every_unit_and_never_blocks_the_one_being_consumed() {
        let flow = Flow {
            state: Mutex::new(FlowState {
                per_unit: vec![0; 4],
                ..FlowState::default()
            }),
            changed: Condvar::new(),
            budget: 3,
        };
        // Units ahead of the consumer use up the budget…
        assert!(flow.acquire(2) && flow.acquire(2) && flow.acquire(3));
        let st = flow.state.lock().unwrap();
        assert!(!st.may_send(3, 3), "a unit ahead waits once the budget is spent");
        // …but the unit being consumed may still queue a little, and only a little.
        assert!(st.may_send(0, 3));
        drop(st);
        assert!(flow.acquire(0) && flow.acquire(0));
        let st = flow.state.lock().unwrap();
        assert!(!st.may_send(0, 3), "even the current unit is bounded");
        drop(st);
        flow.release(0);
        assert!(flow.state.lock().unwrap().may_send(0, 3));
        flow.release(2);
        assert!(!flow.state.lock().unwrap().may_send(3, 3), "4 batches still wait");
        flow.release(2);
        assert!(
            flow.state.lock().unwrap().may_send(3, 3),
            "consumed batches free the budget"
        );
        flow.update(|st| st.stopped = true);
        assert!(
            flow.state.lock().unwrap().may_send(1, 3),
            "nobody waits once the consumer stopped"
        );
        assert!(!flow.acquire(1), "and nothing more is sent");
    }

    #[test]
    fn a_unit_has_a_channel_from_its_claim_to_its_turn_only() {
        let claims: Claims<u8> = Claims {
            state: Mutex::new(Claimed {
                next: 0,
                channels: HashMap::new(),
            }),
            units: 4,
            sharing: Sharing::WhenIdle,
        };
        let (zero, _tx0) = claims.claim_with_channel().unwrap();
        assert_eq!(zero, 0);
        assert_eq!(claims.claim(), Some(1), "the consumer claims the next unit");
        let mut claimed = Some(1);
        assert!(matches!(claims.source(0, &mut claimed), Some(Source::Channel(_))));
        assert!(claims.state.lock().unwrap().channels.is_empty(), "taken in its turn");
        assert!(matches!(claims.source(1, &mut claimed), Some(Source::Here)));
        assert_eq!(claimed, None);
        // Nobody claimed unit 2: the consumer reads it rather than wait for a channel.
        assert!(matches!(claims.source(2, &mut claimed), Some(Source::Here)));
        let (three, _tx3) = claims.claim_with_channel().unwrap();
        assert_eq!(three, 3);
        assert!(claims.claim_with_channel().is_none() && claims.claim().is_none());
        assert_eq!(claims.state.lock().unwrap().channels.len(), 1);
    }

    #[test]
    fn a_missing_named_input_is_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.log");
        std::fs::write(&good, "START RequestId: a1b2c3d4 Version: $LATEST\n").unwrap();
        let missing = dir.path().join("missing.log");
        let after = dir.path().join("after.log");
        std::fs::write(&after, "START RequestId: ffff Version: $LATEST\n").unwrap();
        // Planning checks named inputs first, so nothing is read when one is missing.
        let (got, result) = read(&[good.clone(), missing.clone()], 2, 1 << 20);
        assert!(result.unwrap_err().to_string().contains("missing.log"));
        assert!(got.is_empty(), "{got:?}");
        // A named file that vanishes after planning is fatal too, like a missing one.
        let doomed = dir.path().join("doomed.log");
        std::fs::write(&doomed, "START RequestId: dddd Version: $LATEST\n").unwrap();
        // One unit per file (planning would pack these small files into one run).
        let units: Vec<Unit> = [good, doomed.clone(), after].into_iter().map(Unit::Named).collect();
        std::fs::remove_file(&doomed).unwrap();
        let mut sink = Messages::default();
        assert!(read_unit(&units[1], ReadOptions::new(InputFormat::Auto), &mut sink).is_err());
        // Also when the consumer reads it: the error stops reading after the units before it.
        let mut got = Vec::new();
        let config = ParallelConfig {
            workers: 1,
            sharing: Sharing::Always,
        };
        let result = read_units(
            units,
            ReadOptions::new(InputFormat::Auto),
            config,
            Messages::default,
            |work| {
                match work {
                    Work::Batch(b) => got.extend(b),
                    Work::Unit(unit) => {
                        let mut here = Messages::default();
                        read_unit(unit, ReadOptions::new(InputFormat::Auto), &mut here)?;
                        got.extend(here.batch);
                    }
                }
                Ok(ControlFlow::Continue(()))
            },
        );
        assert!(result.unwrap_err().to_string().contains("doomed.log"));
        assert_eq!(got, ["START RequestId: a1b2c3d4 Version: $LATEST"]);
    }
}
