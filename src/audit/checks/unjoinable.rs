//! `access_log_format_unjoinable`: access logging is on, but without what authlogs' join reads.

use super::access_format::{has_variable, update_stage, HELPFUL, REQUIRED};
use super::text::{api as api_name, esc, few};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "access_log_format_unjoinable";

/// The join classes a request by who sent it, when and what it got ([`REQUIRED`]); without one
/// of these the callers section stays empty although access logging is on.
pub(super) fn check(c: &Configuration, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for stage in &api.stages {
            let Some(log) = &stage.access_log else { continue };
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|any| !any.iter().any(|v| has_variable(&log.format, v)))
                .map(|any| any.join(" or "))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let helpful: Vec<String> = HELPFUL
                .iter()
                .filter(|v| !has_variable(&log.format, v))
                .map(|v| v.to_string())
                .collect();
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::Low,
                resource: format!("{}, stage {}", api_name(api), esc(&stage.stage_name)),
                evidence: format!(
                    "the access-log format lacks {}, so `authlogs report --access-logs` cannot join its records \
                     with the authorizer's decisions (also missing, optional: {}).",
                    few(&missing),
                    few(&helpful)
                ),
                advice: "Use authlogs' format (docs/access-logs.md); it keeps the log group.".into(),
                fix: Some(update_stage(c, api, stage)),
            });
        }
    }
}
