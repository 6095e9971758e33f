//! `tail`'s live run: the loop that drives live sources through their sinks on a steady tick.

pub(crate) mod raw;
