//! The Logs Insights engine: a report computed server side by CloudWatch, for windows too big to
//! download. One module per concern: query text, the query lifecycle, result rows, the plan of
//! slices and batches, the estimate of a window's size, the run that ties them together.

mod estimate;
mod lifecycle;
mod plan;
mod query;
mod rows;
mod run;

pub use estimate::estimate_window;
pub use plan::{api_seconds, download_seconds, scan_cost, slices, DEFAULT_USD_PER_GB_SCANNED, MARGIN_MS};
pub use query::{Queries, QueryKind, Resolution};
pub use run::{run_insights, InsightsConfig};
