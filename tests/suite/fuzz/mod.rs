//! Fuzzing that means something: property tests (proptest) of the whole path, from bytes to every
//! output, on arbitrary bytes and on structured mutations of real lines. Whatever comes in, nothing
//! panics, JSON parses, CSV parses, no control character reaches a terminal, and the allowed token
//! is never printed while tokens are masked. `cargo test` runs a fixed number of cases;
//! `scripts/fuzz SECONDS` runs them for longer (see docs/testing.md).

mod adapter;
mod check;
mod report;
mod runner;
mod strategies;
mod tail;
mod units;
