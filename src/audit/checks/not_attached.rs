//! `authorizer_not_attached`: an audited function that no API's authorizer invokes.

use super::text::function;
use crate::audit::model::{Configuration, FunctionConfig};
use crate::audit::AuditFinding;
use crate::i18n::AuditTexts;
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "authorizer_not_attached";

/// A function audited (`--function`, or found by name) that no authorizer read invokes: either it
/// is unused, or the API that uses it was not read (see the gaps). For information only.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for f in c.functions.iter().filter(|f| !attached(c, f)) {
        out.push(AuditFinding {
            kind: KIND,
            severity: Severity::Info,
            resource: function(t, f),
            evidence: t.authorizer_not_attached_evidence.into(),
            advice: t.authorizer_not_attached_advice.into(),
            fix: None,
        });
    }
}

/// Whether an authorizer's ARN names `f` (the ARN may end in a version or alias: `:prod`).
fn attached(c: &Configuration, f: &FunctionConfig) -> bool {
    c.apis
        .iter()
        .flat_map(|a| &a.authorizers)
        .filter_map(|z| z.function_arn.as_deref())
        .any(|arn| arn == f.arn || function_name(arn) == Some(f.name.as_str()))
}

/// `name` of `arn:aws:lambda:REGION:ACCOUNT:function:name[:qualifier]`.
fn function_name(arn: &str) -> Option<&str> {
    let rest = arn.split_once(":function:")?.1;
    Some(rest.split(':').next().unwrap_or(rest))
}
