use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::PathBuf;

use super::*;
use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::decision::{received_token, source_ip, Decision, Verdict};
use crate::engine::{InvocationSink, Pipeline, PipelineConfig, Threads};
use crate::group::Invocation;
use crate::parse::Parser;
use crate::redact::token_is_missing;
use crate::source::{InputFormat, ReadOptions};

fn row(fields: &[(&str, &str)]) -> Row {
    fields.iter().map(|(f, v)| (f.to_string(), v.to_string())).collect()
}

#[test]
fn recorded_report_rows_with_memory_in_bytes_and_float_counts() {
    // The shapes GetQueryResults returns: every value a string, counts as floats, memory in bytes
    // with an exponent (67 MB → "6.7E7"), durations with and without decimals.
    let rows = vec![
        row(&[
            ("d", "14.97"),
            ("n", "2.0"),
            ("durations", "2"),
            ("billed", "30.0"),
            ("billedn", "2"),
            ("mbms", "3.84E9"),
            ("memsize", "1.28E8"),
            ("usedmax", "6.7E7"),
            ("usedsum", "1.34E8"),
            ("usedn", "2"),
            ("inits", "1"),
            ("initsum", "512.33"),
            ("initmax", "512.33"),
            ("restores", "0"),
        ]),
        row(&[("d", "15.0"), ("n", "1"), ("durations", "1"), ("memsize", "512000000")]),
    ];
    let mut t = ServerTotals::default();
    add_rows(QueryKind::Reports, Resolution::Exact, &rows, &mut t).expect("rows");
    assert_eq!(t.durations, [(14_970, 2), (15_000, 1)].into_iter().collect());
    assert_eq!(t.billed_sum_ms, 30);
    assert_eq!(t.mb_ms, 3_840);
    assert_eq!(t.memory_size_max, Some(512));
    assert_eq!((t.max_used_max, t.max_used_sum, t.max_used_count), (Some(67), 134, 2));
    assert_eq!((t.inits, t.init_sum_us, t.init_max_us), (1, 512_330, Some(512_330)));
    // Whole-millisecond rows are ceilings: 15 stands for (14, 15].
    let mut coarse = ServerTotals::default();
    add_rows(
        QueryKind::Reports,
        Resolution::WholeMs,
        &[row(&[("d", "15"), ("n", "3"), ("durations", "3")])],
        &mut coarse,
    )
    .expect("rows");
    assert_eq!(coarse.durations, [(15_000, 3)].into_iter().collect());
}

#[test]
fn recorded_request_rows_with_insights_timestamps() {
    let rows = vec![row(&[
        ("minute", "2025-07-11 06:05:00.000"),
        ("invocations", "5.0"),
        ("reported", "4"),
        ("allowed", "1"),
        ("denied", "3"),
        ("timeout", "0"),
        ("error", "0"),
        ("ipmismatch", "1"),
        ("tokenmismatch", "3"),
        ("both", "1"),
        ("tokenmissing", "1"),
        ("first", "1752213934309"),
        ("last", "1.752213999E12"),
        ("secretfirst", "1752213934309"),
        ("secretlast", "1752213990000"),
        // No token was logged in this minute: the flagged minimum stays past 10^15.
        ("tokenfirst", "1.001752213934309E15"),
        ("tokenlast", "-9.98247786065691E14"),
    ])];
    let mut t = ServerTotals::default();
    add_rows(QueryKind::Requests, Resolution::Exact, &rows, &mut t).expect("rows");
    assert_eq!(t.invocations, 5);
    assert_eq!(t.decisions.unknown, 1);
    assert_eq!(t.invocations - t.reported, 1);
    assert_eq!(t.minutes[&(1_752_213_900_000 / 60_000)], [1, 3, 1]);
    assert_eq!(
        t.spans[crate::analyze::span::SECRET_LOGGED],
        Some((1_752_213_934_309, 1_752_213_990_000))
    );
    assert_eq!(t.spans[crate::analyze::span::TOKEN_LOGGED], None);
    assert_eq!(
        (t.first_ms, t.last_ms),
        (Some(1_752_213_934_309), Some(1_752_213_999_000))
    );
}

#[test]
fn rows_without_the_computed_fields_or_with_bad_values_are_errors() {
    // What moto returns for a `stats` query: every event, as `@ptr` only.
    let moto = vec![row(&[("@ptr", "CmAKJwoj")])];
    let e = add_rows(
        QueryKind::Requests,
        Resolution::Exact,
        &moto,
        &mut ServerTotals::default(),
    )
    .unwrap_err();
    assert!(matches!(e, RowError::Unevaluated { .. }), "{e:?}");
    assert!(
        e.to_string().contains("@ptr") && e.to_string().contains("--engine local"),
        "{e}"
    );
    let bad = vec![row(&[("invocations", "lots")])];
    let e = add_rows(
        QueryKind::Requests,
        Resolution::Exact,
        &bad,
        &mut ServerTotals::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Logs Insights returned \"lots\" for invocations, which is not a number or a time"
    );
    for v in ["-1", "1.5", "NaN", "inf"] {
        let r = vec![row(&[("n", "1"), ("durations", v), ("d", "1")])];
        assert!(
            add_rows(QueryKind::Reports, Resolution::Exact, &r, &mut ServerTotals::default()).is_err(),
            "{v}"
        );
    }
    let more_decided_than_invocations = vec![row(&[("invocations", "1"), ("allowed", "2")])];
    assert!(add_rows(
        QueryKind::Requests,
        Resolution::Exact,
        &more_decided_than_invocations,
        &mut ServerTotals::default()
    )
    .is_err());
}

#[test]
fn values_and_totals_out_of_range_are_errors_naming_the_field() {
    let field_of = |kind, rows: Vec<Row>| {
        let mut t = ServerTotals::default();
        match add_rows(kind, Resolution::Exact, &rows, &mut t) {
            Err(RowError::OutOfRange { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    };
    let big = row(&[("invocations", "1e19"), ("allowed", "1e19")]);
    assert_eq!(field_of(QueryKind::Requests, vec![big.clone(), big]), "invocations");
    let week = row(&[("n", "1"), ("d", "604800000"), ("durations", "1")]);
    assert_eq!(field_of(QueryKind::Reports, vec![week]), "d");
    // 2.19e20 MB over two invocations: no invocation has that much memory.
    let memory = row(&[("n", "2"), ("usedsum", "2.19e26"), ("usedn", "2"), ("usedmax", "4e7")]);
    assert_eq!(field_of(QueryKind::Reports, vec![memory]), "usedsum");
    let denied = row(&[("denied", "1e19"), ("src", "198.51.100.7")]);
    assert_eq!(field_of(QueryKind::Denied, vec![denied.clone(), denied]), "denied");
}

#[test]
fn times_outside_the_window_are_errors() {
    let (start, end) = (1_752_192_000_000, 1_752_195_600_000);
    let mut t = ServerTotals::default();
    let inside = row(&[
        ("invocations", "1"),
        ("first", "1752192000000"),
        ("minute", "1752192000000"),
    ]);
    add_rows(QueryKind::Requests, Resolution::Exact, &[inside], &mut t).ok();
    assert_eq!(check_times(&t, start, end), Ok(()));
    let far = row(&[("invocations", "1"), ("minute", "9999999999960000")]);
    add_rows(QueryKind::Requests, Resolution::Exact, &[far], &mut t).ok();
    assert!(
        matches!(check_times(&t, start, end), Err(RowError::OutOfRange { ref field, .. }) if field == "minute"),
        "{:?}",
        check_times(&t, start, end)
    );
}

#[test]
fn insights_times_parse_in_every_shape_seen() {
    assert_eq!(time_ms("2023-12-05 22:14:43.877"), Some(1_701_814_483_877));
    assert_eq!(time_ms("2023-12-05T22:14:43.877Z"), Some(1_701_814_483_877));
    assert_eq!(time_ms("1701814483877"), Some(1_701_814_483_877));
    assert_eq!(time_ms("yesterday"), None);
}

/// Collects every finished invocation with its verdict.
#[derive(Default)]
struct Keep(Vec<(Invocation, Verdict)>);

impl InvocationSink for Keep {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        self.0.push((inv.clone(), *verdict));
        ControlFlow::Continue(())
    }
}

fn s(x: impl ToString) -> String {
    x.to_string()
}

/// What the three queries return for these invocations, written as Insights writes values (counts
/// as floats, memory in bytes with an exponent, minutes as `YYYY-MM-DD HH:MM:SS.mmm`): the rows
/// an evaluation of `query.rs`'s text over the same events gives, by the rules it encodes.
fn rows_as_insights_returns_them(invs: &[(Invocation, Verdict)]) -> [Vec<Row>; 3] {
    let mut reports: BTreeMap<u64, [f64; 13]> = BTreeMap::new();
    let mut minutes: BTreeMap<i64, BTreeMap<&str, f64>> = BTreeMap::new();
    let mut denied: BTreeMap<(String, Option<String>, i64), BTreeMap<&str, f64>> = BTreeMap::new();
    let minute_text = |m: i64| {
        crate::timeutil::format_rfc3339_ms(m * 60_000)
            .replace('T', " ")
            .replace('Z', "")
    };
    for (inv, v) in invs {
        if let Some(r) = &inv.report {
            let e = reports.entry(r.duration_us.unwrap_or(u64::MAX)).or_insert([0.0; 13]);
            let size = r.memory_size_mb.map(|m| m as f64 * 1e6);
            e[0] += 1.0;
            e[1] += r.duration_us.is_some() as u8 as f64;
            e[2] += r.billed_ms.unwrap_or(0) as f64;
            e[3] += r.billed_ms.is_some() as u8 as f64;
            e[4] += r.billed_ms.unwrap_or(0) as f64 * size.unwrap_or(0.0);
            e[5] = e[5].max(size.unwrap_or(0.0));
            e[6] = e[6].max(r.max_memory_used_mb.map_or(0.0, |m| m as f64 * 1e6));
            e[7] += r.max_memory_used_mb.map_or(0.0, |m| m as f64 * 1e6);
            e[8] += r.max_memory_used_mb.is_some() as u8 as f64;
            e[9] += r.init_duration_us.is_some() as u8 as f64;
            e[10] += r.init_duration_us.map_or(0.0, |us| us as f64 / 1000.0);
            e[11] = e[11].max(r.init_duration_us.map_or(0.0, |us| us as f64 / 1000.0));
            e[12] += r.restore_duration_us.is_some() as u8 as f64;
        }
        let Some(t) = inv.first_ts else { continue };
        let m = minutes.entry(t.div_euclid(60_000)).or_default();
        let flag = |b: bool| b as u8 as f64;
        let (d, r) = (v.decision, v.reasons);
        let dden = flag(d == Decision::Denied);
        let a = &inv.auth;
        let sent = received_token(inv).is_some_and(|t| !token_is_missing(t));
        let secret = a.allowed_token.as_deref().is_some_and(|t| !token_is_missing(t));
        let leak = r.ip_mismatch && !r.token_mismatch && sent;
        let mut add = |k: &'static str, x: f64| *m.entry(k).or_insert(0.0) += x;
        add("invocations", 1.0);
        add("reported", flag(inv.report.is_some()));
        add("allowed", flag(d == Decision::Allowed));
        add("denied", dden);
        add("timeout", flag(d == Decision::Timeout));
        add("error", flag(d == Decision::Error));
        add("ipmismatch", dden * flag(r.ip_mismatch));
        add("tokenmismatch", dden * flag(r.token_mismatch));
        add("both", dden * flag(r.ip_mismatch && r.token_mismatch));
        add("tokenmissing", dden * flag(r.token_missing));
        add("secretlogged", flag(secret));
        add("tokenlogged", flag(sent));
        add("leaks", flag(leak));
        let t = t as f64;
        let mut span = |name: &'static str, last: &'static str, on: bool| {
            let first = m.entry(name).or_insert(f64::MAX);
            *first = first.min(t + (1.0 - flag(on)) * 1e15);
            let l = m.entry(last).or_insert(f64::MIN);
            *l = l.max(t - (1.0 - flag(on)) * 1e15);
        };
        span("first", "last", true);
        span("secretfirst", "secretlast", secret);
        span("tokenfirst", "tokenlast", sent);
        span("leakfirst", "leaklast", leak);
        span("timeoutfirst", "timeoutlast", d == Decision::Timeout);
        span("errorfirst", "errorlast", d == Decision::Error);
        span("incompletefirst", "incompletelast", inv.report.is_none());
        if let Some(l) = inv.last_ts {
            let last = m.entry("last").or_insert(f64::MIN);
            *last = last.max(l as f64);
        }
        if dden > 0.0 || leak {
            let src = source_ip(inv).unwrap_or("(unknown)").to_string();
            let alip = a
                .allowed_ip
                .as_deref()
                .or(a.ip_mismatch.as_ref().map(|(_, al)| al.as_str()))
                .map(str::to_string);
            let e = denied.entry((src, alip, (t as i64).div_euclid(60_000))).or_default();
            let tk = dden * flag(r.token_mismatch);
            let mut add = |k: &'static str, x: f64| *e.entry(k).or_insert(0.0) += x;
            add("denied", dden);
            add("ipmismatch", dden * flag(r.ip_mismatch));
            add("tokenmismatch", tk);
            add("leaks", flag(leak));
            add("tkn", tk);
            let f = e.entry("tkfirst").or_insert(f64::MAX);
            *f = f.min(t + (1.0 - tk) * 1e15);
            let l = e.entry("tklast").or_insert(f64::MIN);
            *l = l.max(t - (1.0 - tk) * 1e15);
        }
    }
    let reports = reports
        .into_iter()
        .map(|(us, e)| {
            let mut r = row(&[]);
            if us != u64::MAX {
                r.push(("d".into(), s(us as f64 / 1000.0)));
            }
            let names = [
                "n",
                "durations",
                "billed",
                "billedn",
                "mbms",
                "memsize",
                "usedmax",
                "usedsum",
                "usedn",
                "inits",
                "initsum",
                "initmax",
                "restores",
            ];
            for (name, x) in names.iter().zip(e) {
                // Memory in bytes with an exponent, as Insights writes large numbers.
                let text = if x >= 1e7 { format!("{x:E}") } else { format!("{x:?}") };
                r.push((name.to_string(), text));
            }
            r
        })
        .collect();
    let requests = minutes
        .into_iter()
        .map(|(m, fields)| {
            let mut r = vec![("minute".to_string(), minute_text(m))];
            r.extend(fields.into_iter().map(|(k, x)| (k.to_string(), format!("{x:E}"))));
            r
        })
        .collect();
    let denied = denied
        .into_iter()
        .map(|((src, alip, m), fields)| {
            let mut r = vec![("src".to_string(), src), ("minute".to_string(), minute_text(m))];
            if let Some(a) = alip {
                r.push(("alip".into(), a));
            }
            r.extend(fields.into_iter().map(|(k, x)| (k.to_string(), s(x))));
            r
        })
        .collect();
    [reports, requests, denied]
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn rows_of_the_same_events_give_the_local_report() {
    for input in [
        "samples/filter-log-events.json",
        "tests/data/equiv.export.log",
        "tests/data/multi-concurrency.export.log",
        "tests/data/messages.export.log",
    ] {
        let mut keep = Keep::default();
        let config = PipelineConfig::default();
        let mut pipeline = Pipeline::new(Parser::new(crate::Patterns::builtin()), config.clone(), Some(&mut keep));
        pipeline
            .read_inputs(
                &[fixture(input)],
                ReadOptions::new(InputFormat::Auto),
                Threads::Fixed(1),
                8 << 20,
            )
            .expect("read");
        let local = pipeline.finish();
        assert!(local.invocations > 0, "{input}");
        let [reports, requests, denied] = rows_as_insights_returns_them(&keep.0);
        let mut totals = ServerTotals::default();
        // Split into two "slices" of rows: merging them is exact.
        for (kind, rows) in [
            (QueryKind::Reports, reports),
            (QueryKind::Requests, requests),
            (QueryKind::Denied, denied),
        ] {
            let (a, b) = rows.split_at(rows.len() / 2);
            let mut first = ServerTotals::default();
            add_rows(kind, Resolution::Exact, a, &mut first).expect("rows");
            let mut second = ServerTotals::default();
            add_rows(kind, Resolution::Exact, b, &mut second).expect("rows");
            totals.merge(first);
            totals.merge(second);
        }
        let input_summary = InputSummary {
            since_ms: None,
            until_ms: None,
            first_event_ms: totals.first_ms,
            last_event_ms: totals.last_ms,
            ..InputSummary::default()
        };
        let remote = Analyzer::from_totals(AnalyzeConfig::default(), totals).finish(input_summary);
        let mut expected = local.clone();
        let mut got = remote;
        // How each engine read (events, lines) is not part of what they found; Insights sees the
        // window's first and last line with a request id, not an INIT_START before it (listed).
        expected.input = Default::default();
        got.input = Default::default();
        expected.window = Default::default();
        got.window = Default::default();
        // Token guessing compares distinct wrong tokens only locally (listed as approximate).
        expected.findings.retain(|f| f.kind != "token_guessing");
        got.findings.retain(|f| f.kind != "token_guessing");
        expected
            .findings
            .retain(|f| !matches!(f.kind, "unrecognized_lines" | "oversized_lines"));
        got.findings
            .retain(|f| !matches!(f.kind, "unrecognized_lines" | "oversized_lines"));
        // Invalid allowed IPs are read from denied requests only: the finding still agrees.
        assert_eq!(got, expected, "{input}");
    }
}

#[test]
fn the_row_of_events_that_are_not_reports_counts_them_and_nothing_else() {
    // Events the requests query cannot read come back in a row of their own: no duration, and
    // maxima over no value as 0.
    let rows = vec![row(&[
        ("d", "-1"),
        ("n", "5.0"),
        ("durations", "0"),
        ("billedn", "0"),
        ("usedn", "0"),
        ("memsize", "0"),
        ("usedmax", "0"),
        ("restores", "0"),
        ("orphans", "2.0"),
        ("jsonn", "3"),
    ])];
    let mut t = ServerTotals::default();
    add_rows(QueryKind::Reports, Resolution::Exact, &rows, &mut t).expect("rows");
    assert_eq!((t.unattributed, t.json_events), (2, 3));
    assert!(t.durations.is_empty());
    assert_eq!((t.memory_size_max, t.max_used_max), (None, None));
}
