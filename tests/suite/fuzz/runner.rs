//! How long each property runs: a fixed number of cases from a fixed seed in `cargo test`, or a
//! share of a time budget from fresh seeds under `scripts/fuzz` (`AUTHLOGS_FUZZ_SECONDS`). Each
//! property says how many cases it ran.
//!
//! Shared by the two homes of the properties: `tests/suite/fuzz/` (the whole path, through the
//! public API) and `src/fuzz/` (internal pieces), which includes this file by path.

use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRng, TestRunner};

/// The properties of one test binary that run through [`run`] (`tests/suite/fuzz/` holds five,
/// `src/fuzz/` four): a binary's time budget is shared among them.
const PROPERTIES: u32 = 5;

/// Where failures are saved and replayed from, the same file from either test binary (and the
/// file the properties used before they moved, so its cases are still replayed).
const REGRESSIONS: &str = "proptest-regressions/fuzz/runner.txt";

/// Cases a budgeted run hands to one runner before it looks at the clock.
const CHUNK: u32 = 500;

/// The budget of one property under `scripts/fuzz`: `AUTHLOGS_FUZZ_SECONDS` spread over the
/// properties, as many running at once as there are test threads.
fn budget() -> Option<Duration> {
    let seconds: f64 = std::env::var("AUTHLOGS_FUZZ_SECONDS").ok()?.trim().parse().ok()?;
    let threads = std::env::var("RUST_TEST_THREADS")
        .ok()
        .and_then(|t| t.parse::<u32>().ok())
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get() as u32))
        .unwrap_or(1)
        .clamp(1, PROPERTIES);
    (seconds.is_finite() && seconds > 0.0)
        .then(|| Duration::from_secs_f64(seconds * f64::from(threads) / f64::from(PROPERTIES)))
}

/// Runs `test` on `cases` values of `strategy` (in `cargo test`), or on as many as fit in the
/// budget; a failure panics with the smallest failing value proptest found, and is saved in
/// [`REGRESSIONS`] to be replayed first on every later run.
pub(super) fn run<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let started = Instant::now();
    let budget = budget();
    let mut ran: u64 = 0;
    loop {
        let chunk = if budget.is_some() { CHUNK } else { cases };
        let config = Config {
            cases: chunk,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
            ..Config::default()
        };
        // `cargo test` (and so CI) runs the same cases every time: a red build is one anybody
        // can replay. New cases come from `scripts/fuzz`, whose runners draw fresh seeds.
        let mut runner = if budget.is_some() {
            TestRunner::new(config)
        } else {
            let rng = TestRng::deterministic_rng(config.rng_algorithm);
            TestRunner::new_with_rng(config, rng)
        };
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("fuzz: {name} failed after {ran} cases: {e}");
        }
        ran += u64::from(chunk);
        if budget.is_none_or(|b| started.elapsed() >= b) {
            break;
        }
    }
    eprintln!("fuzz: {name}: {ran} cases in {:.1} s", started.elapsed().as_secs_f64());
}
