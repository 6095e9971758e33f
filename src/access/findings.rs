//! The findings of the `callers` section: cached decisions reused for other IPs, 401s before the
//! authorizer ran, 500s it caused, and invocations no API request explains.

use crate::analyze::findings::named;
use crate::i18n::{fill, Lang};
use crate::report::{Callers, Finding, Severity};
use crate::timeutil::format_rfc3339_short;

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

/// An access log whose records (`access`: their earliest and latest time, inside the window or
/// not) all lie before the reach of the first invocation or after the last one (`invocations`:
/// their STARTs): no request of it can be joined, which is worth a word rather than a report of
/// every request as a cached decision. `records` is how many records had a time.
pub fn no_overlap(
    access: Option<(i64, i64)>,
    invocations: Option<(i64, i64)>,
    window_ms: u64,
    records: u64,
    lang: Lang,
) -> Option<Finding> {
    let ((a0, a1), (s0, s1)) = (access?, invocations?);
    // A request arrives up to the join window (and a whole-second stamp's 999 ms) before its START.
    let reach = i64::try_from(window_ms).unwrap_or(i64::MAX).saturating_add(1000);
    if a0 <= s1 && a1 >= s0.saturating_sub(reach) {
        return None;
    }
    let t = lang.findings();
    let span = |(lo, hi): (i64, i64)| format!("{} → {}", format_rfc3339_short(lo), format_rfc3339_short(hi));
    Some(Finding::new(
        "access_log_no_overlap",
        Severity::Medium,
        records,
        fill(
            t.access_no_overlap_message,
            &[
                ("access", &span((a0, a1))),
                ("invocations", &span((s0, s1))),
                ("count", &records),
            ],
        ),
        t.access_no_overlap_advice,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_log_apart_from_the_invocations_is_a_finding_and_one_that_touches_them_is_not() {
        let inv = Some((1_000_000, 2_000_000));
        let before = no_overlap(Some((0, 900_000)), inv, 10_000, 5, Lang::En).expect("before");
        assert_eq!((before.kind, before.count), ("access_log_no_overlap", 5));
        assert!(
            before.message.contains("1970-01-01T00:00:00Z → 1970-01-01T00:15:00Z"),
            "{}",
            before.message
        );
        assert!(no_overlap(Some((2_000_001, 3_000_000)), inv, 10_000, 5, Lang::En).is_some());
        // A request within the join window before the first START can be its request.
        assert!(no_overlap(Some((0, 989_000)), inv, 10_000, 5, Lang::En).is_none());
        assert!(no_overlap(Some((1_500_000, 1_500_000)), inv, 10_000, 1, Lang::En).is_none());
        assert!(no_overlap(None, inv, 10_000, 0, Lang::En).is_none());
        assert!(no_overlap(Some((0, 1)), None, 10_000, 2, Lang::En).is_none());
    }
}
