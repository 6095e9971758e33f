//! Property tests of the internal pieces everything else stands on (REPORT numbers, the line
//! parser, output cells, the `groups` table, access-log records and the join): they check
//! functions that are not public API, so they stay beside them. The whole path is fuzzed through
//! the public API in `tests/suite/fuzz/`, whose harness (runner, checks, generators) these share:
//! one copy, included by path.

#[allow(dead_code)] // The checks of whole outputs serve tests/suite/fuzz.
#[path = "../../tests/suite/fuzz/check.rs"]
mod check;
#[path = "../../tests/suite/fuzz/runner.rs"]
mod runner;
#[allow(dead_code)] // The generators of whole scenarios and containers serve tests/suite/fuzz.
#[path = "../../tests/suite/fuzz/strategies.rs"]
mod strategies;
mod units;
