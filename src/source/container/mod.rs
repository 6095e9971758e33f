//! The containers of log events: text lines assembled into events, JSON, and detecting which one an input is.

pub(super) mod detect;
pub(super) mod json;
