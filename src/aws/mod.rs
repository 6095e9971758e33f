//! The AWS plumbing every component shares: the client and its connection, one counted call with
//! retry and a shared rate limit, errors worded with their fix, and log-group discovery.

mod audit;
mod call;
mod config;
mod credentials;
mod error;
mod groups;
mod paging;
mod ratelimit;
mod retry;
mod unreadable;

pub use audit::{collect as collect_audit, AuditSelection};
pub(crate) use call::{call, one_line, root_message, Counters, Failure, Shared};
pub(crate) use config::{client, runtime, Client};
pub use config::{Connection, FetchConfig, GroupSelection};
pub use error::CwError;
pub(crate) use error::{esc, to_error, Context};
pub(crate) use groups::{describe_groups, group_arns, resolve_groups};
pub use groups::{list_groups, GroupInfo, DEFAULT_PATTERN};
pub(crate) use paging::Pages;
