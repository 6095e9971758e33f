//! `access_log_format_unjoinable`: access logging is on, but without what authlogs' join reads.

use super::access_format::{has_variable, update_stage, HELPFUL, REQUIRED};
use super::text::{few, stage as stage_name};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "access_log_format_unjoinable";

/// The join classes a request by who sent it, when and what it got ([`REQUIRED`]); without one
/// of these the callers section stays empty although access logging is on.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for stage in &api.stages {
            let Some(log) = &stage.access_log else { continue };
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|any| !any.iter().any(|v| has_variable(&log.format, v)))
                .map(|any| any.join(t.or_separator))
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
                resource: stage_name(t, api, &stage.stage_name),
                evidence: fill(
                    t.access_log_format_unjoinable_evidence,
                    &[("missing", &few(t, &missing)), ("optional", &few(t, &helpful))],
                ),
                advice: t.access_log_format_unjoinable_advice.into(),
                fix: Some(update_stage(c, api, stage)),
            });
        }
    }
}
