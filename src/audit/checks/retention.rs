//! `log_retention_unlimited`: the authorizer function's log group keeps every line forever.

use super::text::{function, quote, region_flag};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "log_retention_unlimited";

/// An authorizer like the seed logs the caller's and the allowed token on every request: a log
/// group without retention keeps each of them forever. A group not yet created (a function never
/// invoked) is created by Lambda without retention, but there is nothing to set yet.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for f in &c.functions {
        let Some(group) = &f.log_group else { continue };
        if !group.exists || group.retention_days.is_some() {
            continue;
        }
        out.push(AuditFinding {
            kind: KIND,
            severity: Severity::Low,
            resource: fill(
                t.resource_log_group,
                &[("function", &function(t, f)), ("group", &super::text::esc(&group.name))],
            ),
            evidence: t.log_retention_unlimited_evidence.into(),
            advice: t.log_retention_unlimited_advice.into(),
            fix: Some(format!(
                "aws logs put-retention-policy{} --log-group-name {} --retention-in-days 90",
                region_flag(c),
                quote(&group.name)
            )),
        });
    }
}
