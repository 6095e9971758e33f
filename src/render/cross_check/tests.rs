use std::path::PathBuf;

use super::*;
use crate::engine::{Pipeline, PipelineConfig, Threads};
use crate::parse::Parser;
use crate::report::{Finding, Severity, SourceInfo};
use crate::source::{InputFormat, ReadOptions};

fn sample_report() -> Report {
    let mut p = Pipeline::new(Parser::new(crate::Patterns::builtin()), PipelineConfig::default(), None);
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/filter-log-events.json");
    p.read_inputs(
        &[input],
        ReadOptions::new(InputFormat::Auto),
        Threads::Fixed(1),
        8 << 20,
    )
    .expect("read");
    p.finish()
}

fn as_insights(mut r: Report) -> Report {
    r.source = Some(SourceInfo {
        kind: "cloudwatch",
        engine: "insights",
        approximate: vec![
            "cold_starts: counted from REPORT Init Duration".into(),
            "findings.token_guessing: counted per minute".into(),
            "window.first_event, window.last_event: the first and last line with a request id".into(),
        ],
        ..SourceInfo::default()
    });
    // How it was read never counts as a difference.
    r.input.events = 123_456;
    r
}

#[test]
fn the_same_report_agrees_on_every_field() {
    let local = sample_report();
    let c = compare(&local, &as_insights(local.clone()));
    assert!(c.differences.is_empty(), "{:?}", c.differences);
    assert!(c.compared > 100, "{}", c.compared);
}

#[test]
fn each_difference_is_named_by_its_path_and_flagged_when_approximate() {
    let local = sample_report();
    let mut remote = as_insights(local.clone());
    remote.decisions.allowed -= 1;
    remote.decisions.unknown += 1;
    remote.cold_starts.count += 1;
    remote.findings.retain(|f| f.kind != "token_logged");
    remote
        .findings
        .push(Finding::new("token_guessing", Severity::High, 7, "x".into(), "y"));
    let c = compare(&local, &remote);
    let by_field = |f: &str| c.differences.iter().find(|d| d.field == f).cloned();
    let allowed = by_field("decisions.allowed").expect("allowed");
    assert_eq!(
        (allowed.local.as_str(), allowed.insights.as_str(), allowed.approximate),
        ("4", "3", false)
    );
    assert!(by_field("decisions.unknown").is_some());
    assert!(by_field("cold_starts.count").expect("cold").approximate);
    // Lists of findings compare by kind, not position.
    let gone = c
        .differences
        .iter()
        .find(|d| d.field == "findings[token_logged]")
        .expect("token_logged");
    assert_eq!(gone.insights, "(absent)");
    assert!(by_field("findings[token_guessing]").expect("guessing").approximate);
    assert_eq!(c.unexpected(), 3, "{:?}", c.differences);
    let mut text = Vec::new();
    write_comparison(&c, &local, &remote, false, &mut text).expect("write");
    let text = String::from_utf8(text).expect("utf8");
    assert!(text.contains("  decisions.allowed: local 4, insights 3\n"), "{text}");
    assert!(
        text.contains("cold_starts.count: local 1, insights 2 (approximate)"),
        "{text}"
    );
    let mut json = Vec::new();
    write_comparison(&c, &local, &remote, true, &mut json).expect("write");
    let v: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(v["differences"].as_array().map(Vec::len), Some(c.differences.len()));
}

#[test]
fn top_ips_compare_by_ip_and_a_field_from_a_log_is_escaped() {
    let local = sample_report();
    let mut remote = as_insights(local.clone());
    remote.top_denied_ips.reverse();
    assert!(compare(&local, &remote).differences.is_empty());
    remote.top_denied_ips[0].ip = "\u{1b}[2J".into();
    let c = compare(&local, &remote);
    assert!(
        c.differences.iter().all(|d| !d.field.contains('\u{1b}')),
        "{:?}",
        c.differences
    );
}

#[test]
fn every_field_a_note_names_is_approximate() {
    let local = sample_report();
    let mut remote = as_insights(local.clone());
    remote.window.first_event = Some("2025-07-11T06:00:00.000Z".into());
    remote.window.last_event = Some("2025-07-11T07:00:00.000Z".into());
    let c = compare(&local, &remote);
    let fields: Vec<(&str, bool)> = c
        .differences
        .iter()
        .map(|d| (d.field.as_str(), d.approximate))
        .collect();
    assert!(fields.contains(&("window.first_event", true)), "{fields:?}");
    assert!(fields.contains(&("window.last_event", true)), "{fields:?}");
    assert_eq!(c.unexpected(), 0, "{fields:?}");
}
