//! `access_logging_disabled`: a stage of a guarded API writes no access log.

use super::access_format::update_stage;
use super::text::{api as api_name, esc};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "access_logging_disabled";

/// Without an access log, nothing records the requests a cached decision let through: the
/// callers section of `authlogs report` (`--access-logs`) cannot be produced for the stage.
pub(super) fn check(c: &Configuration, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for stage in api.stages.iter().filter(|s| s.access_log.is_none()) {
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::Medium,
                resource: format!("{}, stage {}", api_name(api), esc(&stage.stage_name)),
                evidence: "access logging is off: no record of the requests the authorizer's cached decisions let \
                           through, so `authlogs report --access-logs` has no callers section for this stage."
                    .into(),
                advice: "Turn access logging on with a format holding the keys authlogs' join reads (request id, \
                         source IP, times, status, authorizer error and IP), never a token."
                    .into(),
                fix: Some(update_stage(c, api, stage)),
            });
        }
    }
}
