//! The argument groups `report` and `tail` share (`#[command(flatten)]`), each with a `validate()`
//! that checks its own options, with one error text per check, into the piece of config it owns.

mod access;
mod aws;
mod findings;
mod read;
mod span;
mod style;

pub(crate) use access::access_options;
pub use aws::AwsArgs;
pub use findings::SeverityArg;
pub(crate) use read::max_line_bytes;
pub(crate) use span::{count_per_span, span};
pub(crate) use style::terminal_width;
pub use style::{ColorArg, TzArg};
