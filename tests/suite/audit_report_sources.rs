//! `report --audit` against moto, by where the report's logs come from: a group of any name whose
//! function logs there (`LoggingConfig.LogGroup`, which moto 5.2.5 does not keep: the proxy adds
//! it to the ListFunctions answer), a group no function logs to, ListFunctions refused, and the
//! Logs Insights engine
//! (its rows scripted by the proxy, the configuration moto's).

use serde_json::Value;

use crate::audit::{kinds, seed, seed_for_events, SEED_KINDS, TOKEN};
use crate::audit_report::assert_seed_audit;
use crate::cloudwatch::{authlogs, endpoint, put_events, sample_events};
use crate::insights::{insights_minute, insights_proxy};
use crate::proxy::{start_proxy, Action, Call};
use crate::util::{finish, iso, Run};

/// The region `put_events` writes to: the report and the audit read the same one.
const REGION: &str = "us-east-1";

/// `report --audit` of `group` through `endpoint`, with `args` added.
fn report(endpoint: &str, group: &str, window: &(String, String), args: &[&str]) -> Run {
    let r = finish(
        authlogs()
            .args(["report", "--endpoint-url", endpoint, "--region", REGION, "--audit"])
            .args(["--group", group, "--since", &window.0, "--until", &window.1])
            .args(args),
    );
    r.assert_no_panic();
    r
}

/// `group` holding the sample's events, and the window around them.
fn sample_group(group: &str) -> (String, String) {
    let events = sample_events();
    put_events(group, &events);
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    (iso(first - 60_000), iso(last + 60_000))
}

/// A ListFunctions answer in which `function` logs to `group`, the rest as moto sent it.
fn logging_to(body: &str, function: &str, group: &str) -> String {
    let mut v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if let Some(functions) = v["Functions"].as_array_mut() {
        for f in functions.iter_mut().filter(|f| f["FunctionName"] == function) {
            f["LoggingConfig"] = serde_json::json!({"LogFormat": "Text", "LogGroup": group});
        }
    }
    v.to_string()
}

#[test]
fn report_audit_finds_the_function_that_logs_to_a_group_of_any_name() {
    if !crate::util::moto() {
        return;
    }
    let (setup, _) = seed(REGION, "logcfg");
    // Another function the default pattern matches, logging to its own group: not audited.
    let (other, _) = seed(REGION, "logcfg-other");
    let custom = format!("/custom/{}", setup.function);
    let window = sample_group(&custom);
    let (function, group) = (setup.function.clone(), custom.clone());
    let proxy = start_proxy(move |call: &Call<'_>| {
        if call.operation.trim_end_matches('/') == "GET /2015-03-31/functions" {
            let (function, group) = (function.clone(), group.clone());
            Action::Rewrite(Box::new(move |body: &str| logging_to(body, &function, &group)))
        } else {
            Action::Forward
        }
    });

    let run = report(&proxy.url, &custom, &window, &["--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        proxy.calls("GET /2015-03-31/functions") >= 1,
        "ListFunctions was not asked"
    );
    assert!(!run.stderr.contains("no Lambda function"), "{}", run.stderr);
    let doc = run.json();
    assert!(
        doc["invocations"].as_u64().is_some_and(|n| n > 0),
        "the report is there"
    );
    let audit = &doc["audit"];
    assert_eq!(audit["complete"], true, "{}", run.stderr);
    let functions = audit["configuration"]["functions"].as_array().expect("functions");
    assert_eq!(
        functions.len(),
        1,
        "only the function logging to the group: {functions:?}"
    );
    assert_eq!(functions[0]["name"], setup.function.as_str());
    assert_ne!(functions[0]["name"], other.function.as_str());
    // The retention is the group's the function logs to (created without one), not /aws/lambda/NAME's.
    assert_eq!(functions[0]["log_group"]["name"], custom.as_str());
    let found = kinds(audit);
    for kind in SEED_KINDS {
        assert!(found.iter().any(|k| k == kind), "{kind} missing from {found:?}");
    }
    assert!(!run.text().contains(TOKEN) && !run.stderr.contains(TOKEN));

    // Without the LoggingConfig (moto's own answer) no function logs to that group: one line says
    // so and what is audited instead, the default pattern (which the seed's function matches).
    let run = report(&endpoint(), &custom, &window, &["--format", "json"]);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("authlogs: --audit: no Lambda function"))
        .collect();
    assert_eq!(
        notes,
        [format!(
            "authlogs: --audit: no Lambda function in region {REGION} logs to log group {custom}; \
             auditing the functions whose name contains 'agw-access-permission'"
        )
        .as_str()],
        "{}",
        run.stderr
    );
    let doc = run.json();
    let names: Vec<&str> = doc["audit"]["configuration"]["functions"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&setup.function.as_str()) && names.contains(&other.function.as_str()),
        "{names:?}"
    );
}

#[test]
fn report_audit_of_a_lambda_group_needs_no_listing_and_a_refused_one_is_a_gap() {
    if !crate::util::moto() {
        return;
    }
    let (setup, _, group) = seed_for_events(REGION, "nolist");
    let window = sample_group(&group);
    let proxy = start_proxy(|call: &Call<'_>| {
        if call.operation.trim_end_matches('/') == "GET /2015-03-31/functions" {
            Action::RestError {
                status: "403 Forbidden",
                error_type: "AccessDeniedException",
                message:
                    "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: lambda:ListFunctions"
                        .to_string(),
            }
        } else {
            Action::Forward
        }
    });
    // `/aws/lambda/NAME` whose function NAME logs there: one GetFunctionConfiguration, no listing,
    // so the refused ListFunctions does not matter.
    let run = report(&proxy.url, &group, &window, &["--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(proxy.calls("GET /2015-03-31/functions"), 0, "ListFunctions was asked");
    let doc = run.json();
    assert_eq!(doc["audit"]["complete"], true, "{}", run.stderr);
    let functions = doc["audit"]["configuration"]["functions"]
        .as_array()
        .expect("functions");
    assert_eq!(functions.len(), 1, "{functions:?}");
    assert_eq!(functions[0]["name"], setup.function.as_str());
    assert!(kinds(&doc["audit"]).iter().any(|k| k == "secret_in_environment"));

    // A group of another shape needs the listing: refused, it is a gap (exit 3) and the default
    // pattern decides, without the "no function logs there" line (the listing said nothing).
    let custom = format!("/custom/{}", setup.function);
    let window = sample_group(&custom);
    let run = report(&proxy.url, &custom, &window, &["--format", "json"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("(it needs lambda:ListFunctions)"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("no Lambda function"),
        "the listing said nothing: {}",
        run.stderr
    );
    let doc = run.json();
    assert_eq!(doc["audit"]["complete"], false);
}

#[test]
fn report_audit_on_the_insights_engine_adds_the_audit_and_fails_on_high() {
    if !crate::util::moto() {
        return;
    }
    let (setup, _, group) = seed_for_events(REGION, "insights");
    let window = sample_group(&group);
    let proxy = insights_proxy(insights_minute(&window.1));
    let args = ["--engine", "insights", "--format", "json"];

    let run = report(&proxy.url, &group, &window, &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    // The numbers are the scripted rows' (3 invocations), so the Insights engine made the report.
    assert_eq!(doc["source"]["engine"], "insights");
    assert_eq!(doc["invocations"], 3);
    assert_seed_audit(&doc["audit"], &setup.function, &run.stderr);
    assert!(!run.text().contains(TOKEN) && !run.stderr.contains(TOKEN));

    let failed = report(
        &proxy.url,
        &group,
        &window,
        &[&args[..], &["--fail-on", "high"]].concat(),
    );
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    assert!(
        failed.json()["audit"].is_object(),
        "the report and its audit are written first"
    );
    let line: Vec<&str> = failed.stderr.lines().filter(|l| l.contains("(--fail-on)")).collect();
    assert_eq!(line.len(), 1, "{}", failed.stderr);
    assert!(line[0].contains("cached_decision_ignores_source_ip"), "{}", line[0]);
}
