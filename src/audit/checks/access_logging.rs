//! `access_logging_disabled`: a stage of a guarded API writes no access log.

use super::access_format::update_stage;
use super::text::stage as stage_name;
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::i18n::AuditTexts;
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "access_logging_disabled";

/// Without an access log, nothing records the requests a cached decision let through: the
/// callers section of `authlogs report` (`--access-logs`) cannot be produced for the stage.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for stage in api.stages.iter().filter(|s| s.access_log.is_none()) {
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::Medium,
                resource: stage_name(t, api, &stage.stage_name),
                evidence: t.access_logging_disabled_evidence.into(),
                advice: t.access_logging_disabled_advice.into(),
                fix: Some(update_stage(c, api, stage)),
            });
        }
    }
}
