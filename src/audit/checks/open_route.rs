//! `route_without_authorizer`: a route of a guarded API that no authorizer guards.

use super::text::{api as api_name, few, quote, region_flag};
use crate::audit::model::{ApiConfig, Configuration};
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "route_without_authorizer";

/// On an API whose other routes the authorizer guards, a route with authorization `NONE` lets
/// every IP and token through. `OPTIONS` routes are left out: CORS preflights carry no
/// `Authorization` header and must stay open.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in c.apis.iter().filter(|a| !a.authorizers.is_empty()) {
        let open = open_routes(api);
        let Some(first) = open.first() else { continue };
        let Some(z) = api.authorizers.first() else { continue };
        let region = region_flag(c);
        let api_id = quote(&api.api_id);
        out.push(AuditFinding {
            kind: KIND,
            severity: Severity::Medium,
            resource: api_name(api),
            evidence: fill(
                t.route_without_authorizer_evidence,
                &[("count", &open.len()), ("routes", &few(t, &open))],
            ),
            advice: t.route_without_authorizer_advice.into(),
            fix: Some(format!(
                "ROUTE_ID=$(aws apigatewayv2 get-routes{region} --api-id {api_id} --query {} --output text)\n\
                 aws apigatewayv2 update-route{region} --api-id {api_id} --route-id \"$ROUTE_ID\" \
                 --authorization-type CUSTOM --authorizer-id {}",
                quote(&format!(
                    "Items[?RouteKey=='{}'].RouteId | [0]",
                    first.replace('\'', "\\'")
                )),
                quote(&z.authorizer_id)
            )),
        });
    }
}

/// The route keys without authorization, preflights left out.
fn open_routes(api: &ApiConfig) -> Vec<String> {
    api.routes
        .iter()
        .filter(|r| r.authorization_type.eq_ignore_ascii_case("NONE") || r.authorization_type.is_empty())
        .filter(|r| !r.route_key.to_ascii_uppercase().starts_with("OPTIONS "))
        .map(|r| r.route_key.clone())
        .collect()
}
