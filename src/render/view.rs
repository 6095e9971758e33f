//! Format-neutral sections of a report: the rows and numbers every human format (the table today,
//! HTML next) shows, computed once so the formats cannot disagree.

use crate::i18n::Labels;
use crate::report::Report;

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
}
