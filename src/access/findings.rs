//! The findings of the `callers` section: cached decisions reused for other IPs, 401s before the
//! authorizer ran, 500s it caused, and invocations no API request explains.

use crate::analyze::findings::named;
use crate::i18n::{fill, Lang};
use crate::report::{Callers, Finding, Severity};

/// The findings `callers` calls for, most urgent first.
pub fn findings(c: &Callers, lang: Lang) -> Vec<Finding> {
    let t = lang.findings();
    let mut out = Vec::new();
    if c.cached_other_ip > 0 {
        let ips = named(
            t,
            c.cached_other_ip_callers
                .iter()
                .map(|ip| fill(t.ip_times, &[("ip", &ip.ip), ("count", &ip.count)])),
            c.cached_other_ip_callers.len(),
        );
        out.push(Finding::new(
            "cached_decision_other_ip",
            Severity::High,
            c.cached_other_ip,
            fill(
                t.cached_other_ip_message,
                &[
                    ("count", &c.cached_other_ip),
                    ("allowed", &c.cached_other_ip_allow),
                    ("denied", &(c.cached_other_ip - c.cached_other_ip_allow)),
                    ("ips", &ips),
                ],
            ),
            t.cached_other_ip_advice,
        ));
    }
    if c.authorizer_failed > 0 {
        let cause = c
            .authorizer_errors
            .first()
            .map_or(t.authorizer_failed_invocation.to_string(), |e| e.error.clone());
        out.push(Finding::new(
            "authorizer_failed",
            Severity::Medium,
            c.authorizer_failed,
            fill(
                t.authorizer_failed_message,
                &[("count", &c.authorizer_failed), ("cause", &cause)],
            ),
            t.authorizer_failed_advice,
        ));
    }
    if c.identity_missing > 0 {
        out.push(Finding::new(
            "identity_missing",
            Severity::Low,
            c.identity_missing,
            fill(t.identity_missing_message, &[("count", &c.identity_missing)]),
            t.identity_missing_advice,
        ));
    }
    if c.unmatched_invocations > 0 {
        out.push(Finding::new(
            "unmatched_invocations",
            Severity::Low,
            c.unmatched_invocations,
            fill(t.unmatched_invocations_message, &[("count", &c.unmatched_invocations)]),
            t.unmatched_invocations_advice,
        ));
    }
    out
}
