//! The report's `cached_decision_other_ip` finding tied to the configuration that causes it.

use super::checks::cached_decision::{applies, fix, KIND};
use super::report::AuditReport;
use crate::i18n::fill;
use crate::redact::escape_control;
use crate::report::Finding;

/// The report's finding the access-log join draws from traffic (`access/findings.rs`).
const TRAFFIC_KIND: &str = "cached_decision_other_ip";

/// Names, in each `cached_decision_other_ip` finding of `findings`, the authorizers of `audit`
/// whose cache ignores the source IP, and makes the advice their exact fix. The traffic shows the
/// effect, the configuration its cause: only when the audit found the cause is anything changed (a
/// TTL of 0 or the source IP among the identity sources leaves the finding as the join wrote it,
/// since then the cause is elsewhere). The added text is in the audit's language.
pub fn tie_cached_decisions(findings: &mut [Finding], audit: &AuditReport) {
    let c = &audit.configuration;
    let t = audit.lang.audit();
    // The same authorizers the audit's check reports: a Lambda authorizer without the source IP
    // and a TTL that is not known to be 0.
    let causes: Vec<(String, String)> = c
        .apis
        .iter()
        .flat_map(|api| api.authorizers.iter().map(move |z| (api, z)))
        .filter(|(_, z)| applies(z) && z.result_ttl_seconds != Some(0))
        .map(|(api, z)| {
            let sources = z
                .identity_sources
                .iter()
                .map(|s| escape_control(s))
                .collect::<Vec<_>>()
                .join(t.list_separator);
            let ttl = z
                .result_ttl_seconds
                .map_or_else(|| t.tie_ttl_unknown.into(), |n| fill(t.ttl_seconds, &[("n", &n)]));
            let cause = fill(
                t.tie_cause,
                &[
                    ("id", &escape_control(&z.authorizer_id)),
                    ("name", &escape_control(&z.name)),
                    ("api_id", &escape_control(&api.api_id)),
                    ("api_name", &escape_control(&api.name)),
                    ("sources", &sources),
                    ("ttl", &ttl),
                ],
            );
            (cause, fix(c, &api.api_id, z))
        })
        .collect();
    if causes.is_empty() {
        return;
    }
    let named = causes
        .iter()
        .map(|(cause, _)| cause.as_str())
        .collect::<Vec<_>>()
        .join(t.tie_cause_separator);
    let commands = causes
        .iter()
        .map(|(_, fix)| fix.as_str())
        .collect::<Vec<_>>()
        .join(" && ");
    for f in findings.iter_mut().filter(|f| f.kind == TRAFFIC_KIND) {
        f.message = fill(
            t.tie_message,
            &[("message", &f.message), ("causes", &named), ("kind", &KIND)],
        );
        f.advice = fill(t.tie_advice, &[("commands", &commands)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::fixtures;
    use crate::report::Severity;

    fn traffic() -> Vec<Finding> {
        vec![
            Finding::new(
                TRAFFIC_KIND,
                Severity::High,
                3,
                "3 requests were answered with a decision cached for another IP.".into(),
                "Add $context.identity.sourceIp to the authorizer's identity sources.",
            ),
            Finding::new("timeouts", Severity::Medium, 1, "1 timed out".into(), "Raise it."),
        ]
    }

    fn audit(c: crate::audit::Configuration) -> AuditReport {
        AuditReport::new(c, "2026-12-07T00:00:00Z".into(), crate::i18n::Lang::En)
    }

    #[test]
    fn the_seed_configuration_is_named_with_its_fix() {
        let a = audit(fixtures::seed());
        let mut findings = traffic();
        tie_cached_decisions(&mut findings, &a);
        let f = &findings[0];
        assert!(f.message.starts_with("3 requests were answered"), "{}", f.message);
        assert!(
            f.message.ends_with(
                " Caused by authorizer x1y2z3 (ip-check) of API a1b2c3d4e5 (shop): identity sources \
                 $request.header.Authorization only, TTL 300 s (see the audit's cached_decision_ignores_source_ip)."
            ),
            "{}",
            f.message
        );
        // The advice is the audit's own fix for that authorizer, whole.
        let audit_fix = a
            .findings
            .iter()
            .find(|x| x.kind == KIND)
            .and_then(|x| x.fix.clone())
            .expect("the audit reports the seed's cache");
        assert!(f.advice.ends_with(&audit_fix), "{}", f.advice);
        assert!(f
            .advice
            .contains("--identity-source '$request.header.Authorization' '$context.identity.sourceIp'"));
        // Other findings are left alone.
        assert_eq!(findings[1], traffic()[1]);
    }

    /// `report --audit --lang ja`: the sentence is Japanese, the command the same as in English.
    #[test]
    fn the_cause_is_named_in_the_audits_language() {
        let ja = AuditReport::new(fixtures::seed(), "2026-12-07T00:00:00Z".into(), crate::i18n::Lang::Ja);
        let mut findings = traffic();
        tie_cached_decisions(&mut findings, &ja);
        let f = &findings[0];
        assert!(
            f.message.ends_with(
                " 原因は API a1b2c3d4e5 (shop) のオーソライザー x1y2z3 (ip-check): ID ソースは \
                 $request.header.Authorization のみ、TTL 300 秒 です (監査の cached_decision_ignores_source_ip を参照)。"
            ),
            "{}",
            f.message
        );
        let mut english = traffic();
        tie_cached_decisions(&mut english, &audit(fixtures::seed()));
        let command = |advice: &str| advice.split_once(": ").map(|(_, c)| c.to_string());
        assert_eq!(command(&f.advice), command(&english[0].advice));
        assert!(f
            .advice
            .starts_with("ID ソースに $context.identity.sourceIp を追加してください: aws "));
    }

    #[test]
    fn a_configuration_that_keys_the_cache_by_ip_changes_nothing() {
        for c in [fixtures::fixed(), crate::audit::Configuration::default()] {
            let mut findings = traffic();
            tie_cached_decisions(&mut findings, &audit(c));
            assert_eq!(findings, traffic());
        }
        // A TTL of 0: no cache, so the configuration is not the cause.
        let mut c = fixtures::seed();
        c.apis[0].authorizers[0].result_ttl_seconds = Some(0);
        let mut findings = traffic();
        tie_cached_decisions(&mut findings, &audit(c));
        assert_eq!(findings, traffic());
    }
}
