//! Every human-readable text of the outputs, in English and Japanese: one table per language and
//! output (the report's labels, the findings, `tail`'s lines), so a missing translation is a compile
//! error. JSON keys and CSV headers (a schema) stay English.
//!
//! Texts with values are templates with named placeholders (`{count}`), filled by [`fill`]; a test
//! checks that both languages use the same placeholders. The tables: `labels.rs`, `findings.rs`,
//! `tail.rs`, `audit.rs`.

mod audit;
mod findings;
mod labels;
mod tail;

pub use audit::{AuditTexts, AUDIT_EN, AUDIT_JA};
pub use findings::{FindingTexts, FINDINGS_EN, FINDINGS_JA};
pub use labels::{Labels, EN, JA};
pub use tail::{TailTexts, TAIL_EN, TAIL_JA};

/// The language of the human-readable outputs (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese (日本語).
    Ja,
}

impl Lang {
    /// The language the environment asks for: `LC_ALL`, else `LC_MESSAGES`, else `LANG`; `ja*` is
    /// Japanese, anything else English.
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        Lang::from_locale(&var)
    }

    /// `ja_JP.UTF-8` → Japanese; `C`, `en_US.UTF-8`, `` → English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The `lang` attribute of an HTML page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// This language's labels.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }

    /// This language's finding messages and advice.
    pub fn findings(self) -> &'static FindingTexts {
        match self {
            Lang::En => &FINDINGS_EN,
            Lang::Ja => &FINDINGS_JA,
        }
    }

    /// This language's texts of `authlogs audit` (and of `report --audit`'s section).
    pub fn audit(self) -> &'static AuditTexts {
        match self {
            Lang::En => &AUDIT_EN,
            Lang::Ja => &AUDIT_JA,
        }
    }

    /// This language's words of `tail`'s lines.
    pub fn tail(self) -> &'static TailTexts {
        match self {
            Lang::En => &TAIL_EN,
            Lang::Ja => &TAIL_JA,
        }
    }
}

/// `template` with each `{name}` replaced by the value given for `name`. The values are inserted
/// as they are, never read again for placeholders (log text may hold braces); a placeholder
/// without a value stays as written.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, values.iter().find(|(name, _)| *name == &after[..close])?)));
        match value {
            Some((close, (_, value))) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of a table (a language's `Labels`, `FindingTexts` or `TailTexts`), by walking
    /// the struct's Debug output (the field list).
    fn values(table: &dyn std::fmt::Debug) -> Vec<(String, String)> {
        let text = format!("{table:#?}");
        text.lines()
            .filter_map(|line| {
                let (k, v) = line.trim().split_once(": ")?;
                let v = v.trim_end_matches(',').strip_prefix('"')?.strip_suffix('"')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect()
    }

    /// The `{name}` placeholders of a template, sorted.
    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    /// Both languages of one table: the same keys in the same order, none empty, the same
    /// placeholders in each pair, and Japanese that is not a copy of the English (but `same`).
    fn check_pair(what: &str, en: &dyn std::fmt::Debug, ja: &dyn std::fmt::Debug, min: usize, same: &[&str]) {
        let (en, ja) = (values(en), values(ja));
        assert_eq!(en.len(), ja.len(), "{what}");
        assert!(en.len() >= min, "{what}: {} texts", en.len());
        for ((ke, ve), (kj, vj)) in en.iter().zip(&ja) {
            assert_eq!(ke, kj, "{what}");
            assert!(!ve.is_empty() && !vj.is_empty(), "{what}.{ke}");
            assert_eq!(placeholders(ve), placeholders(vj), "{what}.{ke}: {ve} | {vj}");
        }
        let copied: Vec<&String> = en
            .iter()
            .zip(&ja)
            .filter(|(e, j)| e.1 == j.1)
            .map(|(e, _)| &e.0)
            .collect();
        assert!(copied.iter().all(|k| same.contains(&k.as_str())), "{what}: {copied:?}");
    }

    #[test]
    fn every_label_exists_in_both_languages_and_none_is_empty() {
        check_pair("Labels", &EN, &JA, 100, &["cloudwatch"]);
        check_pair("FindingTexts", &FINDINGS_EN, &FINDINGS_JA, 35, &[]);
        check_pair("TailTexts", &TAIL_EN, &TAIL_JA, 9, &[]);
        check_pair(
            "AuditTexts",
            &AUDIT_EN,
            &AUDIT_JA,
            80,
            &["col_api", "col_ttl", "tie_cause_separator"],
        );
        // Every language is reachable from `Lang`.
        for lang in [Lang::En, Lang::Ja] {
            assert!(!lang.labels().findings.is_empty());
            assert!(!lang.findings().and_more.is_empty());
            assert!(!lang.tail().summary.is_empty());
            assert!(!lang.audit().title.is_empty());
        }
    }

    #[test]
    fn templates_are_filled_once_and_left_alone_without_a_value() {
        assert_eq!(fill("{a} and {b}", &[("a", &1), ("b", &"two")]), "1 and two");
        // A value is not read again: braces from a log stay as they are.
        assert_eq!(fill("ip {ip}, n {n}", &[("ip", &"{n}"), ("n", &3)]), "ip {n}, n 3");
        assert_eq!(fill("{missing} {", &[("a", &1)]), "{missing} {");
        assert_eq!(fill("at ${usd}", &[("usd", &"0.20")]), "at $0.20");
        assert_eq!(fill("トークン {n} 件", &[("n", &5)]), "トークン 5 件");
        assert_eq!(placeholders("{b} x {a}"), ["a", "b"]);
    }

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_locale("JA"), Lang::Ja);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
