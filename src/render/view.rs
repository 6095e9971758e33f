//! Format-neutral sections of a report: the rows and numbers every human format (the table today,
//! HTML next) shows, computed once so the formats cannot disagree.

use crate::report::Report;

/// One line of a share section: a label, its count, its share of the whole, and a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRow {
    /// What is counted, e.g. `denied`.
    pub label: &'static str,
    /// How many.
    pub count: u64,
    /// Its share of the whole, e.g. `54.5%` (`-` of nothing).
    pub share: String,
    /// A short explanation, or empty.
    pub note: &'static str,
}

fn row(label: &'static str, count: u64, whole: u64, note: &'static str) -> ShareRow {
    ShareRow {
        label,
        count,
        share: pct(count, whole),
        note,
    }
}

/// The decisions, then `incomplete` (which overlaps them), as shares of all invocations.
pub fn decision_rows(report: &Report) -> [ShareRow; 6] {
    let (d, total) = (&report.decisions, report.invocations);
    [
        row("allowed", d.allowed, total, ""),
        row("denied", d.denied, total, ""),
        row("timeout", d.timeout, total, ""),
        row("error", d.error, total, ""),
        row("unknown", d.unknown, total, ""),
        row(
            "incomplete",
            report.incomplete,
            total,
            "no REPORT line; also counted above",
        ),
    ]
}

/// The denial reasons as shares of the denied invocations; `None` when nothing was denied.
pub fn denial_rows(report: &Report) -> Option<[ShareRow; 4]> {
    let (n, denied) = (&report.denials, report.decisions.denied);
    (denied > 0).then(|| {
        [
            row("ip mismatch", n.ip_mismatch, denied, ""),
            row("token mismatch", n.token_mismatch, denied, ""),
            row("both", n.both, denied, "IP and token"),
            row(
                "token missing",
                n.token_missing,
                denied,
                "no token sent (part of token mismatch)",
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
    use crate::render::fixtures;

    #[test]
    fn shares_are_of_their_own_whole() {
        let report = fixtures::realistic();
        let decisions = decision_rows(&report);
        assert_eq!(
            decisions.iter().map(|r| r.count).take(5).sum::<u64>(),
            report.invocations
        );
        assert_eq!(decisions[1].share, pct(report.decisions.denied, report.invocations));
        let denials = denial_rows(&report).unwrap_or_else(|| panic!("the fixture has denials"));
        assert_eq!(denials[2].share, pct(report.denials.both, report.decisions.denied));
        assert!(denial_rows(&fixtures::empty()).is_none());
        assert_eq!((pct(1, 0), pct(1, 3)), ("-".to_string(), "33.3%".to_string()));
    }
}
