//! Fuzzing that means something: property tests (proptest) of the whole path through the public
//! API, from bytes to every output, on arbitrary bytes and on structured mutations of real lines.
//! Whatever comes in, nothing panics, JSON parses, CSV parses, no control character reaches a
//! terminal, and the allowed token is never printed while tokens are masked. `cargo test` runs a
//! fixed number of cases; `scripts/fuzz SECONDS` runs them for longer (see docs/testing.md). The
//! properties of internal pieces (numbers, cells, the groups table, the access-log join) live in
//! `src/fuzz/`, sharing this harness.

mod check;
mod hostile;
mod report;
mod run;
mod runner;
mod strategies;
mod tail;

// The hostile corpus checks its HTML and JSON-escaped outputs as the fuzz properties do.
pub(crate) use check::{html, unescape_u};
