//! The argument groups `report` and `tail` share (`#[command(flatten)]`), each with a `validate()`
//! that checks its own options, with one error text per check, into the piece of config it owns.

mod access;
mod aws;
mod findings;
mod layout;
mod log_groups;
mod read;
mod span;
mod style;
mod window;

pub use access::AccessArgs;
pub(crate) use access::AccessFrom;
pub use aws::AwsArgs;
pub use findings::{FindingArgs, SeverityArg};
#[cfg(test)]
pub(crate) use layout::misordered;
pub(crate) use layout::Layout;
pub use log_groups::LogGroupArgs;
pub use read::ReadArgs;
pub(crate) use span::{count_per_span, span};
pub(crate) use style::terminal_width;
pub use style::{ColorArg, StyleArgs, TzArg};
pub(crate) use window::Window;
pub use window::WindowArgs;
