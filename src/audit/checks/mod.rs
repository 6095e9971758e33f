//! The checks of an audit over a configuration: pure functions, one finding kind each, run in order.

mod access_format;
mod access_logging;
pub(crate) mod cached_decision;
mod missing_function;
mod not_attached;
mod open_route;
mod retention;
mod secret_env;
mod text;
mod token_in_format;
mod unjoinable;

use super::model::Configuration;
use super::report::AuditFinding;
use crate::i18n::{AuditTexts, Lang};

/// One check: reads the configuration, adds its findings worded with the texts given.
type Check = fn(&Configuration, &AuditTexts, &mut Vec<AuditFinding>);

/// Every check, in the order their findings appear within a severity.
const CHECKS: &[Check] = &[
    missing_function::check,
    cached_decision::check,
    secret_env::check,
    token_in_format::check,
    access_logging::check,
    open_route::check,
    unjoinable::check,
    retention::check,
    not_attached::check,
];

/// Every kind a check can report, in [`CHECKS`]' order (for the docs and the tests).
pub const KINDS: &[&str] = &[
    missing_function::KIND,
    cached_decision::KIND,
    secret_env::KIND,
    token_in_format::KIND,
    access_logging::KIND,
    open_route::KIND,
    unjoinable::KIND,
    retention::KIND,
    not_attached::KIND,
];

/// Every finding the configuration calls for, most urgent first; within a severity, in the
/// checks' order and the configuration's (the sort is stable); their texts in `lang`.
pub fn findings(configuration: &Configuration, lang: Lang) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for check in CHECKS {
        check(configuration, lang.audit(), &mut out);
    }
    out.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests;
