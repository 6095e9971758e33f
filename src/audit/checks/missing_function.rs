//! `authorizer_function_missing`: an authorizer invokes a Lambda function that does not exist.

use super::text::{authorizer, esc, few, guarded_routes, quote, region_flag};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "authorizer_function_missing";

/// API Gateway cannot invoke a function that is gone (deleted, renamed, another region's): every
/// request of the routes the authorizer guards is answered 500 before any decision, and no log line
/// of the authorizer says so. High: the API is down for those routes.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for z in &api.authorizers {
            let Some(arn) = z.function_arn.as_deref() else { continue };
            if !c.missing_functions.iter().any(|m| m == arn) {
                continue;
            }
            let routes = guarded_routes(api, &z.authorizer_id);
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::High,
                resource: authorizer(t, api, z),
                evidence: fill(
                    t.authorizer_function_missing_evidence,
                    &[
                        ("arn", &esc(arn)),
                        ("count", &routes.len()),
                        ("routes", &few(t, &routes)),
                    ],
                ),
                advice: t.authorizer_function_missing_advice.into(),
                fix: Some(format!(
                    "aws apigatewayv2 update-authorizer{} --api-id {} --authorizer-id {} --authorizer-uri \
                     'arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/<function ARN>/invocations'",
                    region_flag(c),
                    quote(&api.api_id),
                    quote(&z.authorizer_id),
                    esc(if c.region.is_empty() { "<region>" } else { &c.region }),
                )),
            });
        }
    }
}
