//! `cached_decision_ignores_source_ip`: a cached Lambda decision is reused for any source IP.

use super::text::{authorizer, esc, few, guarded_routes, quote, region_flag};
use crate::audit::model::{AuthorizerConfig, Configuration};
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(crate) const KIND: &str = "cached_decision_ignores_source_ip";

/// The identity source that makes the caller's IP part of the cache key.
pub(super) const SOURCE_IP: &str = "$context.identity.sourceIp";

/// API Gateway caches a Lambda authorizer's answer per identity-source values: without the source
/// IP among them, an answer made for one IP is served to every IP sending the same token. A TTL of
/// 0 disables the cache. An unknown TTL is reported as medium: the service did not say, and the
/// console's default is 300 s. No identity source at all cannot be cached (API Gateway requires one
/// when caching is on), so it is not reported. JWT authorizers invoke no function: not reported.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for z in api.authorizers.iter().filter(|z| applies(z)) {
            let severity = match z.result_ttl_seconds {
                Some(ttl) if ttl > 0 => Severity::High,
                Some(_) => continue,
                None => Severity::Medium,
            };
            let ttl = z
                .result_ttl_seconds
                .map_or_else(|| t.ttl_not_returned.into(), |n| fill(t.ttl_seconds, &[("n", &n)]));
            let sources = z
                .identity_sources
                .iter()
                .map(|s| esc(s))
                .collect::<Vec<_>>()
                .join(t.list_separator);
            let routes = guarded_routes(api, &z.authorizer_id);
            let evidence = fill(
                t.cached_decision_evidence,
                &[
                    ("sources", &sources),
                    ("source_ip", &SOURCE_IP),
                    ("ttl", &ttl),
                    ("count", &routes.len()),
                    ("routes", &few(t, &routes)),
                ],
            );
            out.push(AuditFinding {
                kind: KIND,
                severity,
                resource: authorizer(t, api, z),
                evidence,
                advice: fill(
                    t.cached_decision_advice,
                    &[("source_ip", &SOURCE_IP), ("command", &ttl_zero(c, &api.api_id, z))],
                ),
                fix: Some(fix(c, &api.api_id, z)),
            });
        }
    }
}

/// A Lambda authorizer whose identity sources (at least one) leave the source IP out.
pub(crate) fn applies(z: &AuthorizerConfig) -> bool {
    z.authorizer_type.eq_ignore_ascii_case("REQUEST")
        && !z.identity_sources.is_empty()
        && !z.identity_sources.iter().any(|s| s.trim() == SOURCE_IP)
}

/// `update-authorizer` turning the cache off.
fn ttl_zero(c: &Configuration, api_id: &str, z: &AuthorizerConfig) -> String {
    format!(
        "aws apigatewayv2 update-authorizer{} --api-id {} --authorizer-id {} --authorizer-result-ttl-in-seconds 0",
        region_flag(c),
        quote(api_id),
        quote(&z.authorizer_id)
    )
}

/// `update-authorizer` keeping the authorizer's identity sources and adding the source IP.
pub(crate) fn fix(c: &Configuration, api_id: &str, z: &AuthorizerConfig) -> String {
    let sources: Vec<String> = z
        .identity_sources
        .iter()
        .map(|s| quote(s.trim()))
        .chain(std::iter::once(quote(SOURCE_IP)))
        .collect();
    format!(
        "aws apigatewayv2 update-authorizer{} --api-id {} --authorizer-id {} --identity-source {}",
        region_flag(c),
        quote(api_id),
        quote(&z.authorizer_id),
        sources.join(" ")
    )
}
