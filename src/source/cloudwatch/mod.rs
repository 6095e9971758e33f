//! The CloudWatch Logs source: fetch a window of one or more log groups into the same `EventSink` as
//! files, or follow them live for `tail`. One module per concern: slices, reordering, the window
//! fetch, live following; the client, calls, retries and errors are the shared `crate::aws`.

mod follow;
mod reorder;
mod slice;
mod window;

pub use follow::{follow, FollowConfig, FollowMode, FollowMsg, FollowStats};
pub use slice::PAGE_LIMIT;
pub use window::{fetch_window, FetchProgress, PAGES_IN_FLIGHT_PER_SLICE};
