//! The Logs Insights engine: a report computed server side by CloudWatch, for windows too big to
//! download. One module per concern: query text, the query lifecycle, result rows, the plan of
//! slices and batches, the estimate of a window's size, the run that ties them together, the
//! choice `--engine auto` makes, and the run turned into a `Report`.

mod choose;
mod estimate;
mod lifecycle;
mod plan;
mod query;
mod report;
mod rows;
mod run;
mod running;
mod twins;

pub use choose::{choose, Choice};
pub use estimate::estimate_window;
pub use plan::{api_seconds, slices, AUTO_MAX_COST_USD, GROUPS_PER_QUERY, MARGIN_MS, MIN_SLICE_MS};
pub use query::rules::{check as check_query_text, MAX_QUERY_CHARS};
pub use query::{Queries, QueryKind, Resolution};
pub use report::insights_report;

/// How the Insights engine runs, validated.
#[derive(Debug, Clone, Copy)]
pub struct InsightsOptions {
    /// Queries running at once.
    pub concurrency: usize,
    /// The length of a slice of the window, in ms.
    pub slice_ms: i64,
    /// `--price-gb-scanned`: the Logs Insights price per GB scanned; else the region's.
    pub price_gb_scanned: Option<f64>,
    /// `--max-cost`: the most a run may spend on Logs Insights (`auto` stays under
    /// [`AUTO_MAX_COST_USD`] without it).
    pub max_cost: Option<f64>,
}
