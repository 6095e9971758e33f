//! Reading what `authlogs audit` checks: the HTTP APIs whose Lambda authorizer is an audited
//! function, their routes and stages, the functions and their log groups, as one `Configuration`.

mod apis;
mod clients;
mod collect;
mod functions;
mod gaps;
mod log_groups;
mod selection;

pub use collect::collect;
pub use selection::AuditSelection;
