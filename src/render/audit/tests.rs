use super::*;
use crate::audit::fixtures::{self, SEED_TOKEN};
use crate::audit::AuditReport;
use crate::redact::{display_token, TokenDisplay};

pub(super) const FORMATS: [OutputFormat; 4] = [
    OutputFormat::Table,
    OutputFormat::Json,
    OutputFormat::Csv,
    OutputFormat::Html,
];

fn audit(c: crate::audit::Configuration) -> AuditReport {
    AuditReport::new(c, "2026-12-07T00:00:00Z".into(), Lang::En)
}

pub(super) fn plain() -> TableStyle {
    TableStyle::default()
}

#[test]
fn no_format_holds_the_secret_value() {
    for c in [fixtures::seed(), fixtures::fixed(), fixtures::hostile()] {
        for format in FORMATS {
            let out = render(&audit(c.clone()), format, &plain());
            assert!(!out.contains(SEED_TOKEN), "{format:?}");
        }
    }
}

/// The audit of a hostile configuration, in every format: no raw ESC, BEL or RLO, the API's
/// `<script>` name escaped in HTML, and no CSV cell that starts a formula. The CSV's rows.
pub(super) fn assert_hostile_names_escaped(a: &AuditReport) -> usize {
    for format in FORMATS {
        let out = render(a, format, &plain());
        for c in ['\x1b', '\x07', '\u{202e}'] {
            assert!(!out.contains(c), "{format:?} holds {c:?}");
        }
    }
    let html = render(a, OutputFormat::Html, &plain());
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    let csv = render(a, OutputFormat::Csv, &plain());
    let mut reader = ::csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        rows += 1;
        for cell in &record.expect("valid CSV") {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
    rows
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let a = audit(fixtures::hostile());
    // The API's name is a formula: its cell is neutralised, not dropped.
    assert!(assert_hostile_names_escaped(&a) > 5, "findings and the gap");
    assert!(render(&a, OutputFormat::Csv, &plain()).contains("'=HYPERLINK"));
}

#[test]
fn json_is_the_audit_schema_with_masks_only() {
    let json = render(&audit(fixtures::seed()), OutputFormat::Json, &plain());
    assert!(json.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["schema"], "authlogs.audit/v1");
    assert_eq!(v["complete"], true);
    let kinds: Vec<_> = v["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds.len(), 5);
    assert_eq!(v["findings"][0]["severity"], "high");
    let token = &v["configuration"]["functions"][0]["environment"][1];
    assert_eq!(token["name"], "ALLOWED_TOKEN");
    assert_eq!(token["fingerprint"], display_token(SEED_TOKEN, TokenDisplay::Masked));
    assert_eq!(token["value_bytes"], SEED_TOKEN.len());
}

#[test]
fn the_table_lists_findings_with_whole_fixes_then_the_configuration() {
    let style = TableStyle {
        width: Some(80),
        ..TableStyle::default()
    };
    let out = render(&audit(fixtures::seed()), OutputFormat::Table, &style);
    assert!(
        out.starts_with("authlogs audit · region ap-northeast-1 · 2026-12-07T00:00:00Z · complete\n"),
        "{out}"
    );
    assert!(out.contains("Findings: 3 high, 1 medium, 1 low"), "{out}");
    assert!(out.contains("\nHIGH      cached_decision_ignores_source_ip\n"), "{out}");
    // The fix is one line however narrow the terminal, so it can be copied.
    assert!(out.contains(
        "\n            aws apigatewayv2 update-authorizer --region ap-northeast-1 --api-id a1b2c3d4e5 \
         --authorizer-id x1y2z3 --identity-source '$request.header.Authorization' '$context.identity.sourceIp'\n"
    ));
    // Prose wraps to the width, indented under the kind.
    // Every other line fits the width: prose wraps, tables shrink.
    for l in out.lines().filter(|l| !l.starts_with("            ")) {
        assert!(crate::render::table::display_width(l) <= 80, "{l:?}");
    }
    assert!(out.contains("\n          identity sources $request.header.Authorization without"));
    for heading in ["\nAuthorizers\n", "\nStages\n", "\nFunctions\n"] {
        assert!(out.contains(heading), "{heading}");
    }
    let wide = render(&audit(fixtures::seed()), OutputFormat::Table, &plain());
    assert!(wide.contains("ALLOWED_IP, ALLOWED_TOKEN"), "{wide}");
    assert!(wide.contains(" $default   off\n"), "{wide}");
    assert!(wide.contains("   forever\n"), "{wide}");
    assert!(!out.contains('\x1b'), "no color unless asked");
    let colored = render(
        &audit(fixtures::seed()),
        OutputFormat::Table,
        &TableStyle {
            color: true,
            ..TableStyle::default()
        },
    );
    assert!(colored.contains("\x1b[31mHIGH\x1b[0m"));
}

#[test]
fn the_fixed_configuration_renders_no_finding() {
    let a = audit(fixtures::fixed());
    let table = render(&a, OutputFormat::Table, &plain());
    assert!(table.contains("Findings: none"), "{table}");
    let csv = render(&a, OutputFormat::Csv, &plain());
    assert_eq!(csv, "severity,kind,resource,evidence,advice,fix\n");
    let html = render(&a, OutputFormat::Html, &plain());
    assert!(!html.contains("class=\"finding "));
    assert!(html.contains("lets nothing through"));
}

#[test]
fn csv_has_a_row_per_finding_and_per_gap() {
    let csv = render(&audit(fixtures::hostile()), OutputFormat::Csv, &plain());
    let mut reader = ::csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let rows: Vec<_> = reader.records().filter_map(Result::ok).collect();
    let kinds: Vec<_> = rows.iter().filter_map(|r| r.get(1).map(str::to_string)).collect();
    assert_eq!(kinds.last().map(String::as_str), Some("gap"));
    assert_eq!(rows.last().and_then(|r| r.get(4)), Some("grant apigateway:GET"));
    // A fix of two commands is one cell, joined so it still runs as written.
    let secret = rows
        .iter()
        .find(|r| r.get(1) == Some("secret_in_environment"))
        .expect("secret row");
    assert!(secret
        .get(5)
        .is_some_and(|f| f.contains("--type SecureString") && f.contains(" && aws lambda")));
}

#[test]
fn html_is_one_page_in_the_reports_look() {
    let html = render(&audit(fixtures::seed()), OutputFormat::Html, &plain());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert_eq!(html.matches("class=\"finding ").count(), 5);
    assert!(html.contains("class=\"finding high\" data-kind=\"cached_decision_ignores_source_ip\""));
    assert!(html.contains("<pre class=\"fix\"><code>aws apigatewayv2 update-authorizer"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no external asset"
    );
}

/// `report --audit`: the report's output is unchanged up to the audit's section, which every
/// format adds once, holding the same findings as the audit alone.
#[test]
fn a_report_with_its_audit_keeps_the_report_and_adds_one_section() {
    use crate::i18n::Lang;
    use crate::render::fixtures::with_callers;
    let (report, a) = (with_callers(), audit(fixtures::seed()));
    let both = |format| crate::render::render(&report, Some(&a), format, &plain(), Lang::En);
    let alone = |format| crate::render::render(&report, None, format, &plain(), Lang::En);

    // JSON: every key of the report as it was, then `audit`, the audit's own document.
    let with: serde_json::Value = serde_json::from_str(&both(OutputFormat::Json)).expect("JSON");
    let mut without = with.clone();
    let taken = without
        .as_object_mut()
        .and_then(|o| o.remove("audit"))
        .expect("the audit key");
    let report_only: serde_json::Value = serde_json::from_str(&alone(OutputFormat::Json)).expect("JSON");
    assert_eq!(without, report_only);
    let own: serde_json::Value = serde_json::from_str(&render(&a, OutputFormat::Json, &plain())).expect("JSON");
    assert_eq!(taken, own);
    assert!(
        both(OutputFormat::Json).trim_end().ends_with("}\n}"),
        "audit is the last key"
    );

    // CSV: the report's rows, then the audit's under `audit.`, still two columns.
    let csv = both(OutputFormat::Csv);
    let report_csv = alone(OutputFormat::Csv);
    let rest = csv.strip_prefix(report_csv.as_str()).expect("the report's rows first");
    assert!(rest.starts_with("audit.schema,authlogs.audit/v1\n"), "{rest}");
    assert!(rest.contains("\naudit.findings.0.kind,cached_decision_ignores_source_ip\n"));
    let mut reader = ::csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    assert!(reader.records().all(|r| r.is_ok_and(|r| r.len() == 2)));

    // Table: the section after the findings, before the input's.
    let table = both(OutputFormat::Table);
    let findings = table.find("secret_logged").expect("the report's findings");
    let section = table
        .find("\nConfiguration audit\nFindings: 3 high, 1 medium, 1 low\n")
        .expect("the section");
    let input = table.rfind("\nInput").expect("the input section");
    assert!(findings < section && section < input, "{table}");
    assert_eq!(table.matches("Configuration audit").count(), 1);
    assert!(!alone(OutputFormat::Table).contains("Configuration audit"));

    // HTML: one section, with the audit's findings and the style of its fixes.
    let html = both(OutputFormat::Html);
    assert_eq!(html.matches("<section id=\"audit\"").count(), 1);
    let cards = |h: &str| h.matches("class=\"finding ").count();
    assert_eq!(cards(&html) - cards(&alone(OutputFormat::Html)), 5);
    assert!(html.contains("pre.fix {"));
    assert!(!alone(OutputFormat::Html).contains("pre.fix {"));
    for format in FORMATS {
        assert!(!both(format).contains(SEED_TOKEN), "{format:?}");
    }
}
