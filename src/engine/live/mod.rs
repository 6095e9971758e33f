//! `tail`'s live run: one loop drives live sources (a stream, CloudWatch followed) through
//! their sinks (the pipeline, the access-log join) on a steady tick.

mod drive;
mod feed;
mod follow;
pub(crate) mod raw;
mod stream;

pub use drive::{now_ms, read_rest, run, Bounds, Lane, LiveSink, LiveSource};
pub use feed::LivePipeline;
pub use follow::FollowSource;
pub use stream::StreamSource;
