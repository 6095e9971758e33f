use super::*;

/// The requests and denied queries as they were before they followed the rules: `fields` between
/// the two `stats` define the per-request flags the second aggregates.
const BEFORE_REQUESTS: &str = include_str!("before_rules_requests.txt");
const BEFORE_DENIED: &str = include_str!("before_rules_denied.txt");

#[test]
fn the_queries_before_the_rules_are_rejected() {
    for text in [BEFORE_REQUESTS, BEFORE_DENIED] {
        // `max()` over the source IP, a text: undocumented.
        assert_eq!(
            check(text),
            Err(RuleBreak::TextAggregate {
                function: "max".into(),
                field: "vsrc".into()
            })
        );
        // With the text functions instead, the `fields` between the two stats still break a rule.
        let text = text
            .replace("max(vsrc)", "sortsLast(vsrc)")
            .replace("max(valip)", "sortsLast(valip)");
        assert_eq!(
            check(&text),
            Err(RuleBreak::BetweenStats {
                command: "fields".into()
            })
        );
    }
}

#[test]
fn the_guides_examples_are_accepted() {
    for text in [
        // The stats page: an expression over aggregates, then an aggregate of its field.
        "fields strlen(@message) as message_length\n| stats sum(message_length)/1024/1024 as logs_mb by bin(5m)\n| stats max(logs_mb) as peak_ingest_mb",
        // A filter on a first-stats field between the two.
        "stats count_distinct(ip) as session_ips by session\n| filter session_ips > 1\n| stats count(*) as sessions by session_ips",
        // A time carried out of the first stats, floored in the second; sort and limit last.
        "stats max(@timestamp) as t by rid\n| stats count(*) as n by datefloor(t, 5m) as minute\n| sort minute desc\n| limit 10",
        // Text values through the text functions.
        "parse @message /ip=(?<ip>\\S+)/\n| stats sortsLast(ip) as last_ip, earliest(ip) as first_ip, count(*) as n by @logStream",
        "filter @type = \"REPORT\"\n| stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB, min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB",
        "fields @timestamp, @message | sort @timestamp desc | limit 20",
    ] {
        assert_eq!(check(text), Ok(()), "{text}");
    }
}

#[test]
fn each_rule_has_its_answer() {
    let cases: [(&str, RuleBreak); 10] = [
        (
            "stats count(*) as c by x\n| fields c * 2 as d\n| stats sum(d) as s",
            RuleBreak::BetweenStats {
                command: "fields".into(),
            },
        ),
        (
            "stats count(*) as c by x\n| filter @message like /a/\n| stats sum(c) as s",
            RuleBreak::NotDefinedByStats {
                field: "@message".into(),
            },
        ),
        (
            "stats count(*) as c by x\n| stats sum(y) as s",
            RuleBreak::NotDefinedByStats { field: "y".into() },
        ),
        (
            "stats count(*) as a by x | stats count(*) as b by a | stats count(*) as c by b",
            RuleBreak::TooManyStats { count: 3 },
        ),
        (
            "sort @timestamp desc | stats count(*) as n",
            RuleBreak::BeforeStats { command: "sort".into() },
        ),
        (
            "stats max(@timestamp) as t by rid | stats count(*) as n by bin(5m)",
            RuleBreak::BinInSecondStats,
        ),
        (
            "stats median(@duration) as m",
            RuleBreak::UnknownFunction { name: "median".into() },
        ),
        (
            "parse @message /(?<a_b>x)/ | stats count(a_b) as n",
            RuleBreak::GroupName { name: "a_b".into() },
        ),
        (
            "stats count(*) as n, n + 1 as m by x",
            RuleBreak::NotAggregated { field: "n".into() },
        ),
        (
            "parse @message /ip=(?<ip>\\S+)/ | fields coalesce(ip, @logStream) as where | stats min(where) as w",
            RuleBreak::TextAggregate {
                function: "min".into(),
                field: "where".into(),
            },
        ),
    ];
    for (text, want) in cases {
        assert_eq!(check(text), Err(want), "{text}");
    }
}

#[test]
fn the_length_limit_counts_characters() {
    let fill = |n: usize| format!("filter @message like \"{}\"", "あ".repeat(n));
    let at_limit = fill(MAX_QUERY_CHARS - "filter @message like \"\"".len());
    assert_eq!(at_limit.chars().count(), MAX_QUERY_CHARS);
    assert!(at_limit.len() > MAX_QUERY_CHARS, "bytes are not characters");
    assert_eq!(check(&at_limit), Ok(()));
    let over = format!("{at_limit} ");
    assert_eq!(
        check(&over),
        Err(RuleBreak::TooLong {
            chars: MAX_QUERY_CHARS + 1
        })
    );
}

#[test]
fn regexes_and_strings_hide_their_pipes_and_slashes() {
    assert_eq!(
        check("parse @message /^(?:a|b)\\/c (?<x>[^|]*)/ | filter x like \"|\" | stats count(x) as n"),
        Ok(())
    );
    assert!(matches!(check("parse @message /open"), Err(RuleBreak::Syntax { .. })));
}
