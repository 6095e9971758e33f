//! Format-neutral sections of a report: the rows and numbers every human format (the table today,
//! HTML next) shows, computed once so the formats cannot disagree.

use crate::i18n::{fill, Labels};
use crate::report::{Callers, Report};

/// One line of a share section: a label, its count, its share of the whole, and a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRow {
    /// What is counted, as the report's JSON names it, e.g. `denied`, `ip_mismatch`.
    pub key: &'static str,
    /// What is counted, in the report's language, e.g. `denied`, `拒否`.
    pub label: &'static str,
    /// How many.
    pub count: u64,
    /// Its share of the whole, e.g. `54.5%` (`-` of nothing).
    pub share: String,
    /// A short explanation, or empty.
    pub note: &'static str,
}

fn row(key: &'static str, label: &'static str, count: u64, whole: u64, note: &'static str) -> ShareRow {
    ShareRow {
        key,
        label,
        count,
        share: pct(count, whole),
        note,
    }
}

/// The decisions, then `incomplete` (which overlaps them), as shares of all invocations.
pub fn decision_rows(report: &Report, l: &Labels) -> [ShareRow; 6] {
    let (d, total) = (&report.decisions, report.invocations);
    [
        row("allowed", l.allowed, d.allowed, total, ""),
        row("denied", l.denied, d.denied, total, ""),
        row("timeout", l.timeout, d.timeout, total, ""),
        row("error", l.error, d.error, total, ""),
        row("unknown", l.unknown, d.unknown, total, ""),
        row(
            "incomplete",
            l.incomplete_row,
            report.incomplete,
            total,
            l.incomplete_note,
        ),
    ]
}

/// The denial reasons as shares of the denied invocations; `None` when nothing was denied.
pub fn denial_rows(report: &Report, l: &Labels) -> Option<[ShareRow; 4]> {
    let (n, denied) = (&report.denials, report.decisions.denied);
    (denied > 0).then(|| {
        [
            row("ip_mismatch", l.reason_ip_mismatch, n.ip_mismatch, denied, ""),
            row("token_mismatch", l.reason_token_mismatch, n.token_mismatch, denied, ""),
            row("both", l.both, n.both, denied, l.both_note),
            row(
                "token_missing",
                l.token_missing,
                n.token_missing,
                denied,
                l.token_missing_note,
            ),
        ]
    })
}

/// The classes of the callers section, as shares of the access-log requests: each request is in
/// exactly one. `fresh.unknown` only when there is one.
pub fn caller_rows(c: &Callers, l: &Labels) -> Vec<ShareRow> {
    let whole = c.requests;
    let mut rows = vec![
        row("fresh.allow", l.fresh_allow, c.fresh.allow, whole, l.fresh_allow_note),
        row("fresh.deny", l.fresh_deny, c.fresh.deny, whole, l.fresh_deny_note),
    ];
    if c.fresh.unknown > 0 {
        rows.push(row(
            "fresh.unknown",
            l.fresh_unknown,
            c.fresh.unknown,
            whole,
            l.fresh_unknown_note,
        ));
    }
    rows.extend([
        row(
            "cached.allow",
            l.cached_allow,
            c.cached.allow,
            whole,
            l.cached_allow_note,
        ),
        row("cached.deny", l.cached_deny, c.cached.deny, whole, l.cached_deny_note),
        row(
            "identity_missing",
            l.identity_missing,
            c.identity_missing,
            whole,
            l.identity_missing_note,
        ),
        row(
            "authorizer_failed",
            l.authorizer_failed,
            c.authorizer_failed,
            whole,
            l.authorizer_failed_note,
        ),
        row("other", l.other, c.other, whole, l.other_note),
    ]);
    rows
}

/// An HTTP status as shown: the number, or `no status` for 0 (a record without one).
pub fn status_label(status: u16, l: &Labels) -> String {
    if status == 0 {
        l.no_status.to_string()
    } else {
        status.to_string()
    }
}

/// How `cached_other_ip` was told, in words.
pub fn basis_words(basis: &str, l: &Labels) -> &'static str {
    match basis {
        "authorizer_ip" => l.basis_authorizer_ip,
        "authorizer_request_id" => l.basis_authorizer_request_id,
        "allowed_ip" => l.basis_allowed_ip,
        _ => l.basis_none,
    }
}

/// Whether `cached_other_ip` means anything: some basis told it (else it is 0 for want of one).
pub fn cached_other_ip_known(c: &Callers) -> bool {
    matches!(
        c.cached_other_ip_basis,
        "authorizer_ip" | "authorizer_request_id" | "allowed_ip"
    )
}

/// How the requests were joined to the invocations, in words.
pub fn join_method_words(method: &str, l: &Labels) -> &'static str {
    match method {
        "request_id" => l.join_request_id,
        "ip_time" => l.join_ip_time,
        "request_id+ip_time" => l.join_both,
        _ => l.join_none,
    }
}

/// A duration in ms as shown: `10 s`, `1500 ms`.
pub fn ms_words(ms: u64, l: &Labels) -> String {
    if ms > 0 && ms.is_multiple_of(1000) {
        fill(l.seconds, &[("n", &(ms / 1000))])
    } else {
        fill(l.milliseconds, &[("n", &ms)])
    }
}

/// `part` of `whole` as a percentage with one decimal, `-` when `whole` is 0.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// Two decimals, `-` when absent.
pub fn f2(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// A whole number, `-` when absent.
pub fn int(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::render::fixtures;

    #[test]
    fn shares_are_of_their_own_whole() {
        let report = fixtures::realistic();
        let l = Lang::En.labels();
        let decisions = decision_rows(&report, l);
        assert_eq!(
            decisions.iter().map(|r| r.count).take(5).sum::<u64>(),
            report.invocations
        );
        assert_eq!(decisions[1].share, pct(report.decisions.denied, report.invocations));
        let denials = denial_rows(&report, l).unwrap_or_else(|| panic!("the fixture has denials"));
        assert_eq!(denials[2].share, pct(report.denials.both, report.decisions.denied));
        assert!(denial_rows(&fixtures::empty(), l).is_none());
        assert_eq!((pct(1, 0), pct(1, 3)), ("-".to_string(), "33.3%".to_string()));
    }

    #[test]
    fn rows_keep_their_keys_in_every_language() {
        let report = fixtures::realistic();
        let (en, ja) = (
            decision_rows(&report, Lang::En.labels()),
            decision_rows(&report, Lang::Ja.labels()),
        );
        for (e, j) in en.iter().zip(&ja) {
            assert_eq!((e.key, e.count, &e.share), (j.key, j.count, &j.share));
        }
        assert_eq!((en[1].label, ja[1].label), ("denied", "拒否"));
        let denials = denial_rows(&report, Lang::Ja.labels()).unwrap_or_else(|| panic!("denials"));
        assert_eq!((denials[0].key, denials[0].label), ("ip_mismatch", "IP 不一致"));
    }

    #[test]
    fn caller_rows_cover_every_request_once() {
        let mut c = fixtures::callers();
        let (en, ja) = (caller_rows(&c, Lang::En.labels()), caller_rows(&c, Lang::Ja.labels()));
        assert_eq!(en.iter().map(|r| r.count).sum::<u64>(), c.requests);
        assert_eq!(en.len(), 8);
        for (e, j) in en.iter().zip(&ja) {
            assert_eq!((e.key, e.count, &e.share), (j.key, j.count, &j.share));
        }
        assert_eq!(en[3].share, pct(c.cached.allow, c.requests));
        c.fresh.unknown = 0;
        let keys: Vec<&str> = caller_rows(&c, Lang::En.labels()).iter().map(|r| r.key).collect();
        assert_eq!(
            keys,
            [
                "fresh.allow",
                "fresh.deny",
                "cached.allow",
                "cached.deny",
                "identity_missing",
                "authorizer_failed",
                "other"
            ]
        );
        let l = Lang::En.labels();
        assert_eq!(
            (ms_words(10_000, l), ms_words(1_500, l), ms_words(0, l)),
            ("10 s".into(), "1500 ms".into(), "0 ms".into())
        );
        assert_eq!(status_label(0, l), "no status");
        assert_eq!(status_label(403, l), "403");
        assert!(cached_other_ip_known(&c));
        c.cached_other_ip_basis = "none";
        assert!(!cached_other_ip_known(&c));
        assert_eq!(basis_words("something new", l), l.basis_none);
        assert_eq!(join_method_words("request_id+ip_time", l), l.join_both);
        assert_eq!(join_method_words("none", l), l.join_none);
    }
}
