//! API Gateway HTTP API access logs: what callers saw, joined with the authorizer's decisions.
//! One module per concern: the field names a team's format uses, one record read from a line,
//! the requests of a window collected compactly, the invocations beside them, and the join.

pub mod collect;
pub mod fields;
pub mod findings;
pub mod invocations;
pub mod join;
pub mod live;
pub mod plan;
pub mod record;
pub mod request_ips;
pub mod tally;

pub use collect::AccessCollector;
pub use fields::AccessFields;
pub use invocations::InvocationNotes;
pub use join::join;
pub use plan::JoinPlan;
