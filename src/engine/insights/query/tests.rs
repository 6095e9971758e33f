use super::*;

fn bounds() -> Bounds {
    Bounds {
        scan_start: 1_752_190_560_000,
        scan_end: 1_752_278_400_000,
        start: 1_752_192_000_000,
        end: 1_752_278_400_000,
    }
}

fn custom(toml: &str) -> Patterns {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("patterns.toml");
    std::fs::write(&path, toml).expect("write");
    Patterns::load(&path).expect("patterns")
}

/// Named groups Java and RE2 both accept: a letter, then letters and digits.
fn group_names(text: &str) -> Vec<&str> {
    text.split("(?<").skip(1).filter_map(|s| s.split('>').next()).collect()
}

#[test]
fn builtin_queries_are_golden() {
    let q = Queries::new(&Patterns::builtin());
    for kind in QueryKind::ALL {
        let text = q.text(kind, &bounds(), Resolution::Exact);
        insta::assert_snapshot!(format!("builtin_{}", kind.name()), text);
    }
    insta::assert_snapshot!(
        "builtin_reports_whole_ms",
        q.text(QueryKind::Reports, &bounds(), Resolution::WholeMs)
    );
}

#[test]
fn custom_patterns_become_regexes_with_their_text_escaped() {
    let q = Queries::new(&custom(
        r#"
replace_builtin = true
[[pattern]]
kind = "token_mismatch"
template = "bad token (got {received}/want {allowed}) $1.*"
[[pattern]]
kind = "deny"
template = "DENY	[policy] a|b"
"#,
    ));
    let text = q.text(QueryKind::Requests, &bounds(), Resolution::Exact);
    insta::assert_snapshot!("custom_requests", text);
    // Every character of the template that means something to a regex is escaped, `/` included.
    assert!(
        text.contains(r"(?<m0>bad token \(got (?<v0a>[^\n]*?)\/want (?<v0b>[^\n]*?)\) \$1\.\*)\r*\z/"),
        "{text}"
    );
    assert!(
        text.contains(r"(?<n0>bad token \(got (?:None)?\/want [^\n]*?\) \$1\.\*)\r*\z/"),
        "{text}"
    );
    assert!(text.contains(r"(?<m1>DENY\t\[policy\] a\|b)\r*\z/"), "{text}");
    // Kinds without a template are the number 0: no field nothing defines, and a flag no
    // template can set is the constant in the second stats, not a first-stats field.
    assert!(text.contains("sum(dden * 0) as ipmismatch"), "{text}");
    assert!(!text.contains(" as xip"), "{text}");
    assert!(!text.contains("ksip") && !text.contains(" sip"), "{text}");
}

#[test]
fn every_query_fits_the_service_limits() {
    for patterns in [
        Patterns::builtin(),
        custom("[[pattern]]\nkind = \"source_ip\"\ntemplate = \"client={value} path=/x\"\n"),
    ] {
        let q = Queries::new(&patterns);
        for kind in QueryKind::ALL {
            let text = q.text(kind, &bounds(), Resolution::Exact);
            assert!(text.len() <= 10_000, "{} is {} chars", kind.name(), text.len());
            // Two `stats` at most, only first-stats fields after the first, documented functions.
            assert_eq!(rules::check(&text), Ok(()), "{text}");
            assert!(text.matches("| stats ").count() <= 2, "{text}");
            for name in group_names(&text) {
                assert!(
                    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && name.chars().all(|c| c.is_ascii_alphanumeric()),
                    "group name {name:?}"
                );
            }
            // Every `/` inside a regex is escaped: the regexes are the text between unescaped slashes.
            for line in text.lines().filter(|l| l.contains("parse @message /")) {
                let body = line.split_once("parse @message /").map_or("", |(_, b)| b);
                let unescaped = body
                    .char_indices()
                    .filter(|(i, c)| *c == '/' && !body[..*i].ends_with('\\'))
                    .count();
                assert_eq!(unescaped, 1, "{line}");
            }
        }
    }
}

#[test]
fn constants_replace_whole_identifiers_only() {
    assert_eq!(
        flags::with_constants("sum(dden * xip) + xipn", &[("xip", "0")]),
        "sum(dden * 0) + xipn"
    );
    assert_eq!(flags::with_constants("@xip xip_x xip", &[("xip", "1")]), "@xip xip_x 1");
}

#[test]
fn regex_literals_escape_punctuation_and_controls_only() {
    assert_eq!(
        regex_literal("IPアドレスが不一致: 受信IP="),
        r"IPアドレスが不一致\: 受信IP\="
    );
    assert_eq!(regex_literal("a/b\tc\n"), r"a\/b\tc\n");
    assert_eq!(regex_literal("x\u{1}"), r"x\x{1}");
    assert_eq!(regex_literal("<id>_x"), r"<id>\_x");
}

#[test]
fn the_plan_time_check_measures_the_longest_text_of_the_window() {
    let q = Queries::new(&Patterns::builtin());
    let b = bounds();
    let checked = q.check(b.start, b.end).expect("the built-in queries follow the rules");
    assert_eq!(checked.iter().map(|c| c.kind).collect::<Vec<_>>(), QueryKind::ALL);
    for c in checked {
        // Every slice of the window has 13-digit bounds: the same length as the checked text, and
        // whole-millisecond durations make the reports query longer.
        let longest = [Resolution::Exact, Resolution::WholeMs]
            .map(|r| q.text(c.kind, &b, r).chars().count())
            .into_iter()
            .max();
        assert_eq!(Some(c.chars), longest, "{}", c.kind.name());
        assert!(c.chars <= rules::MAX_QUERY_CHARS);
    }
}

#[test]
fn too_many_templates_are_a_usage_error_naming_the_limit_and_the_fix() {
    let mut toml = String::new();
    for i in 0..60 {
        toml.push_str(&format!(
            "[[pattern]]\nkind = \"token_mismatch\"\ntemplate = \"custom token mismatch {i}: received={{received}}, allowed={{allowed}}\"\n"
        ));
    }
    let q = Queries::new(&custom(&toml));
    let b = bounds();
    let e = q.check(b.start, b.end).expect_err("too long");
    assert!(e.is_usage());
    assert!(
        matches!(e, QueryTextError::TooLong { query: "requests", chars, limit: 10_000, templates: 69 } if chars > 10_000),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains("at most 10000") && message.contains("--patterns") && message.contains("--engine local"),
        "{message}"
    );
}
