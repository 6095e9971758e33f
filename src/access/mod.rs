//! API Gateway HTTP API access logs: what callers saw, to join with the authorizer's decisions.
//! One module per concern: the field names a team's format uses, and one record read from a line.

pub mod fields;
pub mod record;
