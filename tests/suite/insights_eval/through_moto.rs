//! The evaluator in front of moto: authlogs' Insights engine runs through it exactly when its
//! queries follow the rules, the reports query gives the local engine's REPORT totals, and a
//! stopped query is cancelled and listed by DescribeQueries.

use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cloudwatchlogs::types::QueryStatus;

use super::tests::issue25_query;
use super::{compare_engines_on, prepare, start_evaluator, start_evaluator_with, Options};
use crate::cloudwatch::{cloudwatch_report, endpoint, json, put_events, runtime, sample_events, unique_group, Event};
use crate::util::{finish, iso, parse_iso};

/// A group holding the sample's events (moved to end ten minutes ago) and the window around them.
fn sample_group(test: &str) -> (String, String, String, Vec<Event>) {
    let group = unique_group(test);
    let events = sample_events();
    put_events(&group, &events);
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    (
        group,
        iso(first / 60_000 * 60_000 - 60_000),
        iso(last / 60_000 * 60_000 + 120_000),
        events,
    )
}

fn client(url: &str) -> aws_sdk_cloudwatchlogs::Client {
    let config = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .endpoint_url(url)
        .build();
    aws_sdk_cloudwatchlogs::Client::from_conf(config)
}

/// The queries `--explain` prints for a window, by name.
fn explained_queries(group: &str, since: &str, until: &str) -> Vec<(String, String)> {
    let r = finish(crate::util::authlogs().args([
        "report",
        "--endpoint-url",
        &endpoint(),
        "--group",
        group,
        "--since",
        since,
        "--until",
        until,
        "--engine",
        "insights",
        "--explain",
    ]));
    r.assert_code(0);
    let text = r.text();
    let mut out = Vec::new();
    for block in text.split("\n# ").skip(1) {
        let (head, body) = block.split_once('\n').unwrap_or((block, ""));
        let name = head.split_whitespace().next().unwrap_or_default().to_string();
        out.push((name, body.split("\n\n").next().unwrap_or_default().trim().to_string()));
    }
    assert!(out.len() >= 3, "{text}");
    out
}

#[test]
fn insights_through_the_evaluator_fails_exactly_when_a_query_breaks_a_documented_rule() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until, _) = sample_group("eval-rules");
    let queries = explained_queries(&group, &since, &until);
    let broken: Vec<(String, String)> = queries
        .iter()
        .filter_map(|(name, q)| prepare(q).err().map(|e| (name.clone(), format!("{e:?}"))))
        .collect();
    let eval = start_evaluator();
    if broken.is_empty() {
        let c = compare_engines_on(&eval, &["--group", &group, "--since", &since, "--until", &until]);
        assert!(
            c.differences.is_empty(),
            "{:#?}\napproximate: {:?}",
            c.differences,
            c.approximate
        );
        assert!(eval.started() >= 3 && eval.running() == 0, "{:?}", eval.queries());
        assert_eq!(
            c.insights["source"]["scan"]["bytes_scanned"].as_u64(),
            Some(eval.bytes_scanned())
        );
        return;
    }
    let r = crate::cloudwatch::insights_report(&eval.url, &group, &since, &until);
    assert_eq!(r.code, Some(1), "{broken:?}\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.text());
    let rejected = eval.rejected();
    assert!(!rejected.is_empty(), "{broken:?}");
    assert!(
        rejected
            .iter()
            .all(|m| m.starts_with("MalformedQueryException: ") && m.contains("stats")),
        "{rejected:?}"
    );
    assert!(
        r.stderr.contains("MalformedQueryException") && r.stderr.contains("must be defined in that first stats"),
        "{}",
        r.stderr
    );
    // Only valid queries ran, and none is left running.
    assert_eq!(eval.running(), 0, "{:?}", eval.queries());
}

#[test]
fn the_reports_query_through_the_evaluator_gives_the_local_engines_report_totals() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until, events) = sample_group("eval-reports");
    let (start, end) = (parse_iso(&since), parse_iso(&until));
    let query = issue25_query("reports")
        .replace("1752192000000", &start.to_string())
        .replace("1752278400000", &end.to_string());
    // One row a page: the totals must come from every page.
    let eval = start_evaluator_with(Options {
        page_rows: 1,
        running_polls: 1,
        ..Options::default()
    });
    let logs = client(&eval.url);
    let rows = runtime().block_on(async {
        let id = logs
            .start_query()
            .log_group_name(&group)
            .start_time(start / 1000)
            .end_time((end - 1) / 1000)
            .query_string(&query)
            .send()
            .await
            .expect("StartQuery")
            .query_id
            .expect("an id");
        let first = logs.get_query_results().query_id(&id).send().await.expect("poll");
        assert_eq!(first.status, Some(QueryStatus::Running));
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = logs
                .get_query_results()
                .query_id(&id)
                .set_next_token(token.clone())
                .send()
                .await
                .expect("GetQueryResults");
            assert_eq!(page.status, Some(QueryStatus::Complete));
            for r in page.results() {
                rows.push(
                    r.iter()
                        .map(|f| {
                            (
                                f.field().unwrap_or_default().to_string(),
                                f.value().unwrap_or_default().to_string(),
                            )
                        })
                        .collect::<Vec<_>>(),
                );
            }
            token = page.next_token.clone();
            if token.is_none() {
                break;
            }
        }
        rows
    });
    assert!(rows.len() > 1, "{rows:?}");
    let num = |r: &[(String, String)], f: &str| -> f64 {
        r.iter()
            .find(|(k, _)| k == f)
            .map_or(0.0, |(_, v)| v.parse().expect("a number"))
    };
    let sum = |f: &str| rows.iter().map(|r| num(r, f)).sum::<f64>();
    let max = |f: &str| rows.iter().map(|r| num(r, f)).fold(0.0, f64::max);
    let local = json(&cloudwatch_report(
        &endpoint(),
        &[
            "--group", &group, "--since", &since, "--until", &until, "--engine", "local",
        ],
    ));
    assert_eq!(sum("n"), local["duration_ms"]["count"].as_f64().expect("count"));
    assert_eq!(max("d"), local["duration_ms"]["max"].as_f64().expect("max"));
    let min_d = rows.iter().map(|r| num(r, "d")).fold(f64::INFINITY, f64::min);
    assert_eq!(min_d, local["duration_ms"]["min"].as_f64().expect("min"));
    assert_eq!(
        sum("billed"),
        local["billed_duration_ms"]["sum"].as_f64().expect("billed")
    );
    assert_eq!(max("memsize") / 1e6, local["memory_mb"]["size"].as_f64().expect("size"));
    assert_eq!(
        max("usedmax") / 1e6,
        local["memory_mb"]["max_used_max"].as_f64().expect("used")
    );
    assert_eq!(
        sum("inits"),
        local["cold_starts"]["count"].as_f64().expect("cold starts")
    );
    assert_eq!(
        max("initmax"),
        local["cold_starts"]["init_duration_ms"]["max"]
            .as_f64()
            .expect("init max")
    );
    let init_avg = (sum("initsum") / sum("inits") * 1000.0).round() / 1000.0;
    assert_eq!(
        init_avg,
        local["cold_starts"]["init_duration_ms"]["avg"]
            .as_f64()
            .expect("init avg")
    );
    // The statistics: every event in the range scanned, message bytes + 26 each.
    let q = &eval.queries()[0];
    let in_range: Vec<&Event> = events
        .iter()
        .filter(|e| e.ts >= start / 1000 * 1000 && e.ts < end)
        .collect();
    assert_eq!(q.outcome.records_scanned, in_range.len() as u64);
    let bytes: u64 = in_range.iter().map(|e| e.message.len() as u64 + 26).sum();
    assert_eq!(eval.bytes_scanned(), bytes);
}

#[test]
fn a_stopped_query_is_cancelled_and_describe_queries_lists_it() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until, _) = sample_group("eval-stop");
    let eval = start_evaluator_with(Options {
        page_rows: 10_000,
        running_polls: u64::MAX,
        ..Options::default()
    });
    let logs = client(&eval.url);
    runtime().block_on(async {
        let id = logs
            .start_query()
            .log_group_name(&group)
            .start_time(parse_iso(&since) / 1000)
            .end_time(parse_iso(&until) / 1000)
            .query_string("stats count(*) as n by @logStream")
            .send()
            .await
            .expect("StartQuery")
            .query_id
            .expect("an id");
        let running = logs
            .describe_queries()
            .status(QueryStatus::Running)
            .send()
            .await
            .expect("DescribeQueries");
        assert!(running.queries().iter().any(|q| q.query_id() == Some(id.as_str())));
        let stop = logs.stop_query().query_id(&id).send().await.expect("StopQuery");
        assert!(stop.success);
        let again = logs.stop_query().query_id(&id).send().await.expect("StopQuery");
        assert!(!again.success);
        let r = logs
            .get_query_results()
            .query_id(&id)
            .send()
            .await
            .expect("GetQueryResults");
        assert_eq!(r.status, Some(QueryStatus::Cancelled));
        let bad = logs
            .start_query()
            .log_group_name(&group)
            .start_time(0)
            .end_time(1)
            .query_string("stats count(*) as a | sort a | stats count(*) as b")
            .send()
            .await;
        let err = format!("{:?}", bad.expect_err("malformed"));
        assert!(err.contains("MalformedQueryException"), "{err}");
    });
    assert_eq!((eval.started(), eval.stopped(), eval.running()), (1, 1, 0));
    assert!(eval.bytes_scanned() > 0);
}

#[test]
fn with_the_rules_off_the_evaluator_measures_what_the_queries_compute() {
    if !crate::util::moto() {
        return;
    }
    let (group, since, until, _) = sample_group("eval-semantics");
    let eval = start_evaluator_with(Options {
        check_rules: false,
        ..Options::default()
    });
    let c = compare_engines_on(&eval, &["--group", &group, "--since", &since, "--until", &until]);
    // The samples' 190-odd leaves: every one outside source.approximate equal.
    assert!(c.compared > 100, "{}", c.compared);
    assert!(
        c.differences.is_empty(),
        "{:#?}\napproximate: {:?}",
        c.differences,
        c.approximate
    );
    assert_eq!(c.insights["source"]["engine"], "insights");
}
