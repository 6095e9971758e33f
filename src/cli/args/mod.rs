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
pub(crate) use style::{resolve_lang, terminal_width};
pub use style::{ColorArg, StyleArgs, TzArg};
pub(crate) use window::Window;
pub use window::WindowArgs;

/// `args` (without the program name) parsed into the argument struct `T`, as a command that
/// flattens it would: for the tests of each group and command.
#[cfg(test)]
pub(crate) fn parse<T: clap::Args + clap::FromArgMatches>(args: &[&str]) -> T {
    let matches = T::augment_args(clap::Command::new("t"))
        .try_get_matches_from([&["t"], args].concat())
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    T::from_arg_matches(&matches).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}
