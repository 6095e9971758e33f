//! `report --audit` against moto: the seed's configuration and its authorizer's logs (and the API's
//! access logs) in one region; the report carries the audit in every format, `--fail-on` counts its
//! findings, the join's cached-decision finding names the authorizer that causes it, and the
//! token's value shows nowhere. A group whose function is gone: the report, the gap, exit 3. Also
//! `--audit` with files: the usage error.

use crate::access_cloudwatch::access_events;
use serde_json::Value;

use crate::audit::{kinds, seed, seed_for_events, SEED_KINDS, TOKEN};
use crate::cloudwatch::{authlogs, endpoint, put_events, sample_events, unique_group};
use crate::util::{finish, iso, Run};

/// The region `put_events` writes to: the report and the audit read the same one.
const REGION: &str = "us-east-1";

fn report(args: &[&str]) -> Run {
    let r = finish(
        authlogs()
            .args(["report", "--endpoint-url", &endpoint(), "--region", REGION, "--audit"])
            .args(args),
    );
    r.assert_no_panic();
    r
}

/// `audit` is a complete `authlogs.audit/v1` document of the seed's configuration: every kind of
/// the seed among its findings, and `function` the one function audited (the one behind the group).
#[track_caller]
pub(crate) fn assert_seed_audit(audit: &Value, function: &str, stderr: &str) {
    assert_eq!(audit["schema"], "authlogs.audit/v1");
    assert_eq!(audit["complete"], true, "{stderr}");
    let found = kinds(audit);
    for kind in SEED_KINDS {
        assert!(found.iter().any(|k| k == kind), "{kind} missing from {found:?}");
    }
    let functions = audit["configuration"]["functions"].as_array().expect("functions");
    assert_eq!(
        functions.len(),
        1,
        "only the function behind the group read: {functions:?}"
    );
    assert_eq!(functions[0]["name"], function);
}

#[test]
fn report_audit_adds_the_configuration_to_every_format_and_names_the_cause_of_cached_decisions() {
    if !crate::util::moto() {
        return;
    }
    let (setup, created, group) = seed_for_events(REGION, "report");
    let dir = tempfile::tempdir().expect("a temp dir");
    let events = sample_events();
    let access = access_events(&events, dir.path());
    let access_group = unique_group("audit-access");
    put_events(&group, &events);
    put_events(&access_group, &access);
    let first = events.iter().chain(&access).map(|e| e.ts).min().expect("events");
    let last = events.iter().chain(&access).map(|e| e.ts).max().expect("events");
    let (since, until) = (iso(first - 60_000), iso(last + 60_000));
    let window = [
        "--group",
        group.as_str(),
        "--since",
        since.as_str(),
        "--until",
        until.as_str(),
    ];

    // JSON: the report's keys, then `audit` holding the audit's document.
    let run = report(&[&window[..], &["--format", "json", "--access-log-group", &access_group]].concat());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["schema"], "authlogs.report/v1");
    let audit = &doc["audit"];
    assert_seed_audit(audit, &setup.function, &run.stderr);
    // The join's finding names the configuration that causes it, and its fix.
    let api_id = &created.api_ids[0];
    let cached = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["kind"] == "cached_decision_other_ip"))
        .unwrap_or_else(|| panic!("no cached_decision_other_ip in {}", doc["findings"]));
    let message = cached["message"].as_str().expect("message");
    assert!(
        message.contains(&format!(" of API {api_id} ("))
            && message.contains("identity sources $request.header.Authorization only, TTL 300 s"),
        "{message}"
    );
    let advice = cached["advice"].as_str().expect("advice");
    assert!(
        advice.contains(&format!(
            "aws apigatewayv2 update-authorizer --region {REGION} --api-id {api_id}"
        )) && advice.ends_with("'$context.identity.sourceIp'"),
        "{advice}"
    );
    assert!(!run.text().contains(TOKEN) && !run.stderr.contains(TOKEN));

    // Every format has the section, and none holds the token's value.
    for (format, marker) in [
        ("table", "\nConfiguration audit\nFindings: 3 high"),
        ("csv", "\naudit.schema,authlogs.audit/v1\n"),
        ("html", "<section id=\"audit\""),
    ] {
        let run = report(&[&window[..], &["--format", format]].concat());
        assert_eq!(run.code, Some(0), "{format}: {}", run.stderr);
        let out = run.text();
        assert!(out.contains(marker), "{format}: no {marker:?} in\n{out}");
        assert!(out.contains("cached_decision_ignores_source_ip"), "{format}");
        assert!(
            !out.contains(TOKEN) && !run.stderr.contains(TOKEN),
            "{format}: the token's value shows"
        );
    }

    // --fail-on counts the audit's findings with the report's, in one line.
    let failed = report(&[&window[..], &["--format", "json", "--fail-on", "high"]].concat());
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    let line: Vec<&str> = failed.stderr.lines().filter(|l| l.contains("(--fail-on)")).collect();
    assert_eq!(line.len(), 1, "{}", failed.stderr);
    for kind in [
        "cached_decision_ignores_source_ip",
        "secret_in_environment",
        "token_in_access_log_format",
    ] {
        assert!(line[0].contains(kind), "{kind} not named: {}", line[0]);
    }
}

#[test]
fn report_audit_of_a_group_without_its_function_is_written_and_partial() {
    if !crate::util::moto() {
        return;
    }
    let (setup, _) = seed(REGION, "orphan");
    let events = sample_events();
    let first = events.iter().map(|e| e.ts).min().expect("events");
    let last = events.iter().map(|e| e.ts).max().expect("events");
    let (since, until) = (iso(first - 60_000), iso(last + 60_000));

    // A group whose function does not exist (deleted, or another account's): the report is
    // written, the audit names what it could not read, and the run is partial.
    let orphan = format!("/aws/lambda/{}-gone", setup.function);
    put_events(&orphan, &events);
    let run = report(&[
        "--group", &orphan, "--since", &since, "--until", &until, "--format", "json",
    ]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let doc = run.json();
    assert!(
        doc["invocations"].as_u64().is_some_and(|n| n > 0),
        "the report is there"
    );
    assert_eq!(doc["audit"]["complete"], false);
    // The seed's API in the same region invokes another function: not audited for this group.
    assert_eq!(doc["audit"]["configuration"]["apis"], serde_json::json!([]));
    assert!(
        run.stderr.contains("(it needs lambda:GetFunctionConfiguration)"),
        "{}",
        run.stderr
    );
    // No listed function logs to the group: one line says so, then its name decides.
    assert!(
        run.stderr.contains(&format!(
            "authlogs: --audit: no Lambda function in region {REGION} logs to log group {orphan}; \
             auditing the function named by each /aws/lambda/NAME group ({}-gone)",
            setup.function
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn report_audit_of_files_is_a_usage_error_saying_why() {
    let r = finish(authlogs().args(["report", "samples/", "--audit"]));
    r.assert_no_panic().assert_code(2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("--audit reads the configuration from AWS"),
        "{}",
        r.stderr
    );
}
