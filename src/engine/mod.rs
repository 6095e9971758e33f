//! The engine: runs the stages in order (parse → window → group → decide → analyze), on one thread
//! or with reader threads whose batches are consumed in input order, so every layout is exact.

mod batch;
pub(crate) mod live;
mod ordered;
mod pipeline;
mod schedule;
mod stored;
mod tally;

pub use pipeline::{InvocationSink, Pipeline, PipelineConfig};
pub use schedule::Threads;
