//! The audit in Japanese (`--lang ja`): every check's texts, every format, the hostile names and
//! the secret, as `tests.rs` checks them in English.

use super::tests::{plain, FORMATS};
use super::*;
use crate::audit::fixtures::{self, SEED_TOKEN};
use crate::audit::{AuditReport, Configuration, KINDS};
use crate::i18n::{Lang, AUDIT_EN};

fn audit(c: Configuration, lang: Lang) -> AuditReport {
    AuditReport::new(c, "2026-12-07T00:00:00Z".into(), lang)
}

/// Hiragana, katakana, CJK ideographs or Japanese punctuation.
fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}

/// The seed with what makes the three checks it passes fire too: a route without authorizer, a
/// second stage whose format the join cannot read, a function no authorizer invokes; and a
/// second authorizer whose TTL the service did not return. Route keys without braces, so any
/// `{name}` in the output is a template's placeholder left unfilled.
fn every_kind() -> Configuration {
    let mut c = fixtures::seed();
    let api = &mut c.apis[0];
    for r in &mut api.routes {
        r.route_key = r.route_key.replace(['{', '}'], "");
    }
    api.routes.push(crate::audit::RouteConfig {
        route_key: "GET /health".into(),
        authorization_type: "NONE".into(),
        authorizer_id: None,
    });
    let mut unknown_ttl = api.authorizers[0].clone();
    unknown_ttl.authorizer_id = "q9w8e7".into();
    unknown_ttl.result_ttl_seconds = None;
    api.authorizers.push(unknown_ttl);
    let mut gone = api.authorizers[0].clone();
    gone.authorizer_id = "g0n3".into();
    gone.function_arn = Some("arn:aws:lambda:ap-northeast-1:123456789012:function:agw-access-permission-gone".into());
    c.missing_functions.extend(gone.function_arn.clone());
    let api = &mut c.apis[0];
    api.authorizers.push(gone);
    api.stages.push(crate::audit::StageConfig {
        stage_name: "dev".into(),
        access_log: Some(crate::audit::AccessLogSettings {
            destination_arn: "arn:aws:logs:ap-northeast-1:123456789012:log-group:dev".into(),
            format: "$context.requestId".into(),
        }),
    });
    let mut unused = c.functions[0].clone();
    unused.name = "agw-access-permission-old".into();
    unused.arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:agw-access-permission-old".into();
    c.functions.push(unused);
    c
}

/// Every `{name}` placeholder of the audit's templates.
fn placeholders() -> Vec<String> {
    let text = format!("{AUDIT_EN:#?}");
    let mut names: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|n| format!("{{{n}}}"))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_kind_is_worded_in_japanese_with_its_placeholders_filled() {
    let (en, ja) = (audit(every_kind(), Lang::En), audit(every_kind(), Lang::Ja));
    let kinds = |a: &AuditReport| a.findings.iter().map(|f| (f.kind, f.severity)).collect::<Vec<_>>();
    // The same findings, in the same order: only the words change.
    assert_eq!(kinds(&en), kinds(&ja));
    for kind in KINDS {
        assert!(ja.findings.iter().any(|f| f.kind == *kind), "{kind} does not fire");
    }
    let holes = placeholders();
    assert!(holes.len() > 20, "{holes:?}");
    for (e, j) in en.findings.iter().zip(&ja.findings) {
        for (what, text) in [("evidence", &j.evidence), ("advice", &j.advice)] {
            assert!(has_japanese(text), "{} {what}: {text}", j.kind);
        }
        // Names and the fix stay as they are: the commands are the same in both languages.
        assert_eq!(e.fix, j.fix, "{}", j.kind);
        assert_ne!(e.evidence, j.evidence, "{}", j.kind);
        for text in [&j.resource, &j.evidence, &j.advice] {
            assert!(!holes.iter().any(|h| text.contains(h.as_str())), "{text}");
        }
    }
    for format in FORMATS {
        let out = render(&ja, format, &plain());
        for hole in &holes {
            assert!(!out.contains(hole.as_str()), "{format:?}: {hole} left");
        }
    }
}

#[test]
fn every_format_is_in_japanese_but_the_schema() {
    let a = audit(fixtures::seed(), Lang::Ja);
    let table = render(&a, OutputFormat::Table, &plain());
    assert!(
        table.starts_with("authlogs 監査 · リージョン ap-northeast-1 · "),
        "{table}"
    );
    assert!(table.contains("検出事項: 高 3 件、中 1 件、低 1 件\n"), "{table}");
    // The severity word is two columns wide: the kind still starts under the prose.
    assert!(
        table.contains("\n高        cached_decision_ignores_source_ip\n"),
        "{table}"
    );
    assert!(table.contains("\n          修正コマンド:\n"), "{table}");
    for heading in ["\nオーソライザー\n", "\nステージ\n", "\n関数\n"] {
        assert!(table.contains(heading), "{heading}");
    }
    assert!(!table.contains("Findings") && !table.contains("fix:"), "{table}");
    let narrow = render(
        &a,
        OutputFormat::Table,
        &TableStyle {
            width: Some(80),
            ..TableStyle::default()
        },
    );
    for l in narrow.lines().filter(|l| !l.starts_with("            ")) {
        assert!(crate::render::table::display_width(l) <= 80, "{l:?}");
    }

    let html = render(&a, OutputFormat::Html, &plain());
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("<h2>検出事項: 高 3 件、中 1 件、低 1 件</h2>"), "{html}");
    // The class the style keys on stays the severity's name.
    assert!(html.contains("class=\"finding high\" data-kind=\"cached_decision_ignores_source_ip\""));
    assert!(!html.contains("Configuration read") && !html.contains("Generated by"));

    // JSON: keys, kinds and severities as in English; the texts Japanese.
    let json: serde_json::Value = serde_json::from_str(&render(&a, OutputFormat::Json, &plain())).expect("JSON");
    let english: serde_json::Value = serde_json::from_str(&render(
        &audit(fixtures::seed(), Lang::En),
        OutputFormat::Json,
        &plain(),
    ))
    .expect("JSON");
    assert_eq!(json["findings"][0]["kind"], english["findings"][0]["kind"]);
    assert_eq!(json["findings"][0]["severity"], "high");
    assert_eq!(json["configuration"], english["configuration"]);
    assert!(json["findings"][0]["evidence"].as_str().is_some_and(has_japanese));

    // CSV: the header is the schema's; a gap's advice is Japanese.
    let csv = render(&audit(fixtures::hostile(), Lang::Ja), OutputFormat::Csv, &plain());
    assert!(csv.starts_with("severity,kind,resource,evidence,advice,fix\n"));
    assert!(csv.contains("apigateway:GET を許可してください"), "{csv}");
}

#[test]
fn hostile_names_are_escaped_and_the_secret_absent_in_japanese() {
    for c in [fixtures::seed(), fixtures::fixed(), fixtures::hostile(), every_kind()] {
        for format in FORMATS {
            let out = render(&audit(c.clone(), Lang::Ja), format, &plain());
            assert!(!out.contains(SEED_TOKEN), "{format:?}");
        }
    }
    super::tests::assert_hostile_names_escaped(&audit(fixtures::hostile(), Lang::Ja));
}

#[test]
fn the_fixed_configuration_says_so_in_japanese() {
    let a = audit(fixtures::fixed(), Lang::Ja);
    assert!(render(&a, OutputFormat::Table, &plain()).contains("検出事項: なし\n"));
    assert!(render(&a, OutputFormat::Html, &plain()).contains("設定に問題はありません"));
}

/// `report --audit --lang ja`: the section's heading and the audit in Japanese, in the table and
/// the page.
#[test]
fn a_report_with_its_japanese_audit() {
    use crate::render::fixtures::with_callers;
    let (report, a) = (with_callers(), audit(fixtures::seed(), Lang::Ja));
    let table = crate::render::render(&report, Some(&a), OutputFormat::Table, &plain(), Lang::Ja);
    assert!(
        table.contains("\n設定の監査\n検出事項: 高 3 件、中 1 件、低 1 件\n"),
        "{table}"
    );
    let html = crate::render::render(&report, Some(&a), OutputFormat::Html, &plain(), Lang::Ja);
    assert!(html.contains("<section id=\"audit\" lang=\"ja\""), "{html}");
    assert!(html.contains("<h2>設定の監査</h2>"));
    for format in FORMATS {
        let out = crate::render::render(&report, Some(&a), format, &plain(), Lang::Ja);
        assert!(!out.contains(SEED_TOKEN), "{format:?}");
    }
}
