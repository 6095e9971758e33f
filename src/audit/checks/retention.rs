//! `log_retention_unlimited`: the authorizer function's log group keeps every line forever.

use super::text::{function, quote, region_flag};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "log_retention_unlimited";

/// An authorizer like the seed logs the caller's and the allowed token on every request: a log
/// group without retention keeps each of them forever. A group not yet created (a function never
/// invoked) is created by Lambda without retention, but there is nothing to set yet.
pub(super) fn check(c: &Configuration, out: &mut Vec<AuditFinding>) {
    for f in &c.functions {
        let Some(group) = &f.log_group else { continue };
        if !group.exists || group.retention_days.is_some() {
            continue;
        }
        out.push(AuditFinding {
            kind: KIND,
            severity: Severity::Low,
            resource: format!("{}, log group {}", function(f), super::text::esc(&group.name)),
            evidence: "the log group has no retention: every line the function logged, tokens included, is kept \
                       forever."
                .into(),
            advice: "Set a retention (90 days keeps a quarter of history for `authlogs report`).".into(),
            fix: Some(format!(
                "aws logs put-retention-policy{} --log-group-name {} --retention-in-days 90",
                region_flag(c),
                quote(&group.name)
            )),
        });
    }
}
