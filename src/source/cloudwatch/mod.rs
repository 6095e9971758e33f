//! The CloudWatch Logs source: fetch a window of one or more log groups into the same `EventSink` as
//! files, or follow them live for `tail`. One module per concern: connection, calls with retry and
//! rate limit, groups, slices, reordering, the window fetch, live following, errors.

mod call;
mod config;
mod error;
mod follow;
mod groups;
pub mod insights;
mod ratelimit;
mod reorder;
mod retry;
mod slice;
mod window;

pub use config::{Connection, FetchConfig, GroupSelection};
pub use error::CwError;
pub use follow::{follow, FollowConfig, FollowMode, FollowMsg, FollowStats};
pub use groups::{list_groups, GroupInfo, DEFAULT_PATTERN};
pub use insights::{run_insights, InsightsConfig};
pub use slice::PAGE_LIMIT;
pub use window::{fetch_window, FetchProgress, PAGES_IN_FLIGHT_PER_SLICE};
