//! How long each property runs: a fixed number of cases from a fixed seed in `cargo test`, or a
//! share of a time budget from fresh seeds under `scripts/fuzz` (`AUTHLOGS_FUZZ_SECONDS`). Each
//! property says how many cases it ran.

use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};

/// The properties of the fuzz module that run through [`run`]: a time budget is shared among them.
const PROPERTIES: u32 = 8;

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
/// budget; a failure panics with the smallest failing value proptest found, and is saved under
/// `proptest-regressions/` to be replayed first on every later run.
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
            source_file: Some(file!()),
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
