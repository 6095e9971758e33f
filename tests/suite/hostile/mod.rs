//! The hostile corpus: one authorizer invocation per case, hostile material (the allowed token, control,
//! bidi and invisible characters, oversized values, invalid UTF-8) placed in one field, in every container,
//! read into every output form; every Security promise of the README checked on each (see docs/testing.md).

mod containers;
mod generator;
mod invariants;
mod runs;

pub(crate) use containers::{Container, CONTAINERS};
pub(crate) use generator::{cases, Case};
