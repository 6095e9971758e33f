//! The evaluator's own tests, without a server: number formatting, the lexer and parser, the rule
//! check (on small queries and on the queries authlogs sent when issue 25 was filed), and queries
//! executed over hand-made events.

use super::ast::{Command, Expr};
use super::eval::{execute, Outcome, EVENT_OVERHEAD_BYTES};
use super::fields::{discover, StoredEvent};
use super::lexer::{lex, Tok};
use super::parse::parse_query;
use super::prepare;
use super::rules::Rejection;
use super::value::{java_double, Val};
use super::{approximate_fields, differences};

/// The three queries `--explain` printed for one day when issue 25 was filed (bounds
/// 2025-07-11T00:00:00Z – 2025-07-12T00:00:00Z).
pub(super) fn issue25_query(name: &str) -> String {
    std::fs::read_to_string(crate::util::data(&format!("insights-issue25/{name}.txt"))).expect("fixture")
}

/// 2025-07-11T06:00:00Z, inside the fixtures' bounds.
const T0: i64 = 1_752_213_600_000;

fn ev(ms: i64, stream: &str, message: &str) -> StoredEvent {
    StoredEvent {
        group: "/aws/lambda/g".into(),
        stream: stream.into(),
        timestamp: ms,
        ingestion: ms + 5,
        message: message.into(),
    }
}

fn run(query: &str, events: &[StoredEvent]) -> Outcome {
    let q = prepare(query).unwrap_or_else(|e| panic!("{e:?}"));
    execute(&q, events).unwrap_or_else(|e| panic!("{e:?}"))
}

fn malformed(query: &str) -> String {
    match prepare(query) {
        Err(Rejection::Malformed(m)) => m,
        other => panic!("not rejected as malformed: {other:?}\n{query}"),
    }
}

/// A row as a sorted `field=value` list, for comparisons that read well.
fn row(r: &[(String, String)]) -> Vec<String> {
    let mut v: Vec<String> = r.iter().map(|(f, x)| format!("{f}={x}")).collect();
    v.sort();
    v
}

#[test]
fn numbers_are_written_as_the_service_writes_them() {
    for (x, want) in [
        (15.0, "15.0"),
        (14.97, "14.97"),
        (6.7e7, "6.7E7"),
        (1.28e8, "1.28E8"),
        (1e7, "1.0E7"),
        (9_999_999.0, "9999999.0"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (0.0, "0.0"),
        (-2.5, "-2.5"),
        (1_752_192_000_123.0, "1.752192000123E12"),
    ] {
        assert_eq!(java_double(x), want, "{x}");
        // Every written number reads back as the same double.
        assert_eq!(want.parse::<f64>().ok(), Some(x));
    }
    assert_eq!(Val::Time(T0 + 877).render(), "2025-07-11 06:00:00.877");
}

#[test]
fn a_slash_is_a_regex_after_parse_and_a_division_after_a_value() {
    let toks: Vec<Tok> = lex(r"parse @message /a\/b(?<x>\d+)/ | fields x / 2 as h")
        .expect("lex")
        .into_iter()
        .map(|t| t.tok)
        .collect();
    assert!(toks.contains(&Tok::Regex(r"a/b(?<x>\d+)".into())), "{toks:?}");
    assert!(toks.contains(&Tok::Op("/")), "{toks:?}");
    let q = parse_query("stats count(*), datefloor(t, 1m) as m by bin(5m)").expect("parse");
    let Command::Stats { aggs, by } = &q.commands[0] else {
        panic!("{q:?}")
    };
    assert_eq!(aggs[0].name, "count(*)");
    assert_eq!(
        aggs[1].expr,
        Expr::Call(
            "datefloor".into(),
            vec![Expr::Field("t".into()), Expr::Duration(60_000)]
        )
    );
    assert_eq!(by[0].name, "bin(5m)");
}

#[test]
fn the_rules_reject_the_requests_and_denied_queries_of_issue_25_and_accept_its_reports_query() {
    for name in ["requests", "denied"] {
        let m = malformed(&issue25_query(name));
        assert!(
            m.contains("`fields` after the first stats command defines `xto`")
                && m.contains("must be defined in that first stats"),
            "{name}: {m}"
        );
    }
    prepare(&issue25_query("reports")).expect("the reports query follows the rules");
}

#[test]
fn the_rules_reject_what_the_docs_call_invalid() {
    let cases = [
        (
            "stats count(*) as a | stats count(*) as b | stats count(*) as c",
            "at most 2",
        ),
        (
            "stats count(*) as n by @logStream | fields n + 1 as m | stats sum(m) as s",
            "defines `m`",
        ),
        (
            "stats count(*) as n by @logStream | filter @message like /x/ | stats sum(n) as s",
            "refers to `@message`",
        ),
        (
            "stats count(*) as n by @logStream | stats sum(n) as s by bin(1m)",
            "bin() is used in the second stats",
        ),
        (
            "sort @timestamp desc | stats count(*) as n",
            "sort and limit must come after",
        ),
        ("limit 5 | stats count(*) as n", "sort and limit must come after"),
        ("stats countif(x) as n", "unknown function `countif`"),
        ("fields frob(@message) as x", "unknown function `frob`"),
        ("filter count(*) > 1", "aggregates belong in stats"),
        ("stats @duration as d", "has no aggregate function"),
        ("stats max(@duration) + @duration as d", "outside an aggregate"),
        ("stats sum(count(*)) as d", "nests an aggregate"),
        (
            "stats count(*) as n by @logStream | parse @logStream /(?<x>.)/",
            "`parse` after the first stats command defines `x`",
        ),
    ];
    for (query, want) in cases {
        let m = malformed(query);
        assert!(m.contains(want), "{query}: {m}");
    }
    let long = format!("filter @message like \"{}\"", "x".repeat(10_000));
    assert!(malformed(&long).contains("at most 10000"), "{}", malformed(&long));
    // Exactly 10,000 characters is allowed.
    let head = "filter strlen(@message) > 0 or @message = \"";
    let exact = format!("{head}{}\"", "y".repeat(10_000 - head.len() - 1));
    assert_eq!(exact.chars().count(), 10_000);
    prepare(&exact).expect("10,000 characters");
}

#[test]
fn the_rules_accept_what_the_docs_allow() {
    for query in [
        // A filter on first-stats fields, aggregates over them in the second, datefloor of a carried time.
        "stats count(*) as n, max(@timestamp) as t by @logStream | filter n > 1 | stats sum(n) as s, max(n) as m by datefloor(t, 5m) as b | sort s desc | limit 10",
        // Expressions of aggregates inside one stats (AWS's Lambda sample).
        "filter @type = \"REPORT\" | stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB, provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB",
        "stats sum(strlen(@message)) / 1024 / 1024 as logs_mb by bin(1m) | stats max(logs_mb) as peak",
        "fields @timestamp, @message | sort @timestamp desc | limit 20",
        "stats sortsLast(@logStream) as s, latest(@message) as l, count_distinct(@logStream) as c",
    ] {
        prepare(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
    }
}

#[test]
fn documented_but_unimplemented_is_declined_not_guessed() {
    for query in [
        "dedup @logStream",
        "parse @message \"a * b\" as x",
        "filter @logStream in [\"a\"]",
        "fields regexReplace(@message, /a/, \"b\") as x",
    ] {
        assert!(
            matches!(prepare(query), Err(Rejection::Unsupported(_))),
            "{query}: {:?}",
            prepare(query)
        );
    }
}

#[test]
fn lambda_fields_are_discovered_as_the_service_gives_them() {
    let report = "REPORT RequestId: 6f8b9c62-1c3e-4c1e-9a57-2d6f0a1b2c3d\tDuration: 14.97 ms\tBilled Duration: 15 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 103.01 ms\t\n";
    let row = discover(&ev(T0, "s", report));
    let s = |f: &str| row.get(f).map(Val::render);
    assert_eq!(s("@type").as_deref(), Some("REPORT"));
    assert_eq!(s("@requestId").as_deref(), Some("6f8b9c62-1c3e-4c1e-9a57-2d6f0a1b2c3d"));
    assert_eq!(s("@duration").as_deref(), Some("14.97"));
    assert_eq!(s("@billedDuration").as_deref(), Some("15.0"));
    assert_eq!(s("@memorySize").as_deref(), Some("1.28E8"));
    assert_eq!(s("@maxMemoryUsed").as_deref(), Some("6.7E7"));
    assert_eq!(s("@initDuration").as_deref(), Some("103.01"));
    let app = discover(&ev(
        T0,
        "s",
        "[INFO]\t2025-07-11T06:00:00.000Z\t11111111-2222-4333-8444-555555555555\t[INFO] Token: abc\n",
    ));
    assert_eq!(
        app.get("@requestId").map(Val::render).as_deref(),
        Some("11111111-2222-4333-8444-555555555555")
    );
    assert!(!app.contains_key("@type"));
    let json = discover(&ev(
        T0,
        "s",
        r#"{"type":"platform.report","record":{"metrics":{"durationMs":2.5}}}"#,
    ));
    assert!(!json.contains_key("@type") && !json.contains_key("@duration"));
    assert_eq!(
        json.get("record.metrics.durationMs").map(Val::render).as_deref(),
        Some("2.5")
    );
}

fn report_line(id: &str, duration: &str, billed: u32, used: u32, extra: &str) -> String {
    format!("REPORT RequestId: {id}\tDuration: {duration} ms\tBilled Duration: {billed} ms\tMemory Size: 512 MB\tMax Memory Used: {used} MB\t{extra}\n")
}

#[test]
fn the_reports_query_of_issue_25_gives_per_duration_rows_with_nulls_left_out() {
    let (a, b, c) = (
        "aaaaaaaa-0000-4000-8000-000000000001",
        "aaaaaaaa-0000-4000-8000-000000000002",
        "aaaaaaaa-0000-4000-8000-000000000003",
    );
    let events = [
        ev(T0, "s1", &format!("START RequestId: {a} Version: $LATEST\n")),
        ev(
            T0 + 1,
            "s1",
            &report_line(a, "1.97", 2, 38, "Init Duration: 120.50 ms\t"),
        ),
        ev(T0 + 2, "s2", &report_line(b, "1.97", 2, 40, "")),
        ev(
            T0 + 3,
            "s2",
            &report_line(c, "3000.00", 3000, 41, "Status: timeout\tRestore Duration: 5.00 ms\t"),
        ),
        // Outside the query's toMillis bounds: scanned, not counted.
        ev(1_752_278_400_000, "s2", &report_line(c, "9.00", 9, 41, "")),
    ];
    let out = run(&issue25_query("reports"), &events);
    let rows: Vec<Vec<String>> = out.rows.iter().map(|r| row(r)).collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "billed=4.0",
                "billedn=2.0",
                "d=1.97",
                "durations=2.0",
                "initmax=120.5",
                "inits=1.0",
                "initsum=120.5",
                "mbms=2.048E9",
                "memsize=5.12E8",
                "n=2.0",
                "restores=0.0",
                "usedmax=4.0E7",
                "usedn=2.0",
                "usedsum=7.8E7",
            ],
            // No init duration: its sum and maximum are null, left out of the row.
            vec![
                "billed=3000.0",
                "billedn=1.0",
                "d=3000.0",
                "durations=1.0",
                "inits=0.0",
                "mbms=1.536E12",
                "memsize=5.12E8",
                "n=1.0",
                "restores=1.0",
                "usedmax=4.1E7",
                "usedn=1.0",
                "usedsum=4.1E7",
            ],
        ]
    );
    assert_eq!(out.records_scanned, 5);
    assert_eq!(out.records_matched, 3);
    let bytes: u64 = events
        .iter()
        .map(|e| e.message.len() as u64 + EVENT_OVERHEAD_BYTES)
        .sum();
    assert_eq!(out.bytes_scanned, bytes);
}

#[test]
fn parse_keeps_events_that_do_not_match_and_count_counts_present_fields() {
    let events = [
        ev(T0, "s", "[INFO]\tx\tr1\t[INFO] Token: abc\n"),
        ev(T0 + 1, "s", "[INFO]\tx\tr1\t[INFO] Source IP: 1.2.3.4\n"),
        ev(T0 + 2, "s", "[INFO]\tx\tr2\t[INFO] Token: \n"),
        ev(T0 + 3, "s", "unrelated\n"),
    ];
    let out = run(
        r"parse @message /^\[INFO\]\t[^\t]*\t(?<rid>[^\t]+)\t/ | parse @message /Token: (?<tok>[^\n]*)/ | stats count(*) as all, count(rid) as with_rid, count(tok) as toks, count_distinct(rid) as rids, max(tok) as maxtok",
        &events,
    );
    assert_eq!(
        row(&out.rows[0]),
        ["all=4.0", "maxtok=abc", "rids=2.0", "toks=2.0", "with_rid=3.0"]
    );
}

#[test]
fn two_stats_carry_a_time_and_aggregate_first_stats_fields() {
    // Two requests in the first minute (one denied), one in the second; per-request flags are
    // computed inside the first stats as expressions of aggregates.
    let line = |rid: &str, text: &str| format!("[INFO]\tx\t{rid}\t[INFO] {text}\n");
    let events = [
        ev(T0 + 10, "s", &line("r1", "ok")),
        ev(T0 + 20, "s", &line("r1", "Token mismatch")),
        ev(T0 + 30, "s", &line("r2", "ok")),
        ev(T0 + 61_000, "s", &line("r3", "ok")),
        ev(T0 + 62_000, "s", &line("r3", "ok")),
    ];
    let out = run(
        r#"parse @message /^\[INFO\]\t[^\t]*\t(?<rid>[^\t]+)\t/
         | stats min(@timestamp) as t, least(sum(strcontains(@message, "mismatch")), 1) as denied, count(*) as lines by rid
         | filter lines > 0
         | stats count(*) as requests, sum(denied) as denied, max(lines) as most by datefloor(t, 1m) as minute
         | sort minute asc"#,
        &events,
    );
    let rows: Vec<Vec<String>> = out.rows.iter().map(|r| row(r)).collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "denied=1.0",
                "minute=2025-07-11 06:00:00.000",
                "most=2.0",
                "requests=2.0"
            ],
            vec![
                "denied=0.0",
                "minute=2025-07-11 06:01:00.000",
                "most=2.0",
                "requests=1.0"
            ],
        ]
    );
    assert_eq!(out.records_matched, 5);
}

#[test]
fn functions_follow_their_documented_meaning() {
    let events = [ev(T0 + 1234, "s", "Init Duration here\n")];
    let out = run(
        r#"fields strcontains(@message, "Init Duration") as yes, strcontains(@message, "nope") as no,
              coalesce(missing, "fallback") as c, least(3, missing, 2) as l, greatest(3, 7) as g,
              toMillis(@timestamp) as ms, datefloor(@timestamp, 1s) as sec, ispresent(missing) as p,
              ceil(1.2) as up, 7 / 0 as inf
         | display yes, no, c, l, g, ms, sec, p, up, inf"#,
        &events,
    );
    assert_eq!(
        row(&out.rows[0]),
        [
            "c=fallback",
            "g=7.0",
            "l=2.0",
            "ms=1.752213601234E12",
            "no=0.0",
            "p=false",
            "sec=2025-07-11 06:00:01.000",
            "up=2.0",
            "yes=1.0"
        ]
    );
}

#[test]
fn the_differential_walk_ignores_approximate_fields_and_matches_list_elements_by_key() {
    let local = serde_json::json!({
        "invocations": 10, "source": {"engine": "local"}, "input": {"events": 70},
        "decisions": {"allowed": 4, "denied": 6},
        "cold_starts": {"count": 1},
        "top_denied_ips": [{"ip": "a", "count": 2}, {"ip": "b", "count": 1}],
    });
    let insights = serde_json::json!({
        "invocations": 10, "source": {"engine": "insights", "approximate": ["cold_starts: restores are not logged"]},
        "input": {"events": 210},
        "decisions": {"allowed": 5, "denied": 6},
        "cold_starts": {"count": 0},
        "top_denied_ips": [{"ip": "b", "count": 1}, {"ip": "a", "count": 3}],
    });
    let approximate = approximate_fields(&insights);
    assert_eq!(approximate, ["cold_starts"]);
    let (compared, diffs) = differences(&local, &insights, &approximate);
    assert_eq!(
        diffs,
        [
            "decisions.allowed: local 4, insights 5",
            "top_denied_ips[a].count: local 2, insights 3"
        ]
    );
    assert_eq!(compared, 8);
}
