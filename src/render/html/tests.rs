use std::path::PathBuf;

use super::*;
use crate::engine::{Pipeline, PipelineConfig, Threads};
use crate::parse::Parser;
use crate::source::{InputFormat, ReadOptions};

fn report_of(input: &str) -> Report {
    let mut p = Pipeline::new(Parser::new(crate::Patterns::builtin()), PipelineConfig::default(), None);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(input);
    p.read_inputs(&[path], ReadOptions::new(InputFormat::Auto), Threads::Fixed(1), 8 << 20)
        .expect("read");
    p.finish()
}

#[test]
fn the_samples_page_is_golden() {
    let html = render(&report_of("samples/filter-log-events.json"), Lang::En);
    insta::assert_snapshot!("samples_en", html);
}

#[test]
fn the_page_has_every_section_and_no_script_or_external_asset() {
    let html = render(&report_of("samples/filter-log-events.json"), Lang::En);
    for id in [
        "summary",
        "decisions",
        "timeline",
        "top-denied-ips",
        "duration",
        "memory",
        "findings",
        "source",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    for chart in [
        "decisions",
        "timeline",
        "top-denied-ips",
        "duration",
        "memory",
        "cold-starts",
    ] {
        assert!(html.contains(&format!("data-chart=\"{chart}\"")), "chart {chart}");
    }
    assert!(
        html.contains("data-allowed=\"4\" data-denied=\"5\" data-timeout=\"1\""),
        "decision counts"
    );
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count() == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!html.contains("https://"));
    assert!(html.contains("Content-Security-Policy"));
    // A month's page stays small: this one is a few dozen KB.
    assert!(html.len() < 200_000, "{} bytes", html.len());
}

#[test]
fn hostile_log_text_stays_text() {
    let mut report = report_of("samples/filter-log-events.json");
    let hostile = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "' onload='alert(1)",
    ];
    for (ip, h) in report.top_denied_ips.iter_mut().zip(hostile) {
        ip.ip = h.to_string();
    }
    report.findings[0].message = hostile[1].to_string();
    report.findings[0].advice = hostile[0].to_string();
    report.input_errors.push(crate::report::InputError {
        input: hostile[0].into(),
        position: hostile[1].into(),
        message: hostile[3].into(),
    });
    let html = render(&report, Lang::En);
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<img"), "an img element");
    assert!(tags(&html).all(|t| !has_handler(t)), "an event handler attribute");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("javascript:alert(1)"), "shown as text");
    assert!(!html.contains("href=\"javascript"));
}

#[test]
fn japanese_labels_and_an_empty_report() {
    let html = render(&report_of("samples/filter-log-events.json"), Lang::Ja);
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("判定") && html.contains("検出事項"));
    let empty = render(&Report::default(), Lang::En);
    assert!(empty.contains("no invocations found"));
}

/// Every tag of a page: the text from `<` to the next `>` (text never holds a raw `<`: it is escaped).
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<').skip(1).filter_map(|t| t.split('>').next())
}

/// Whether a tag has an `on…=` attribute: a name starting with "on" after whitespace.
fn has_handler(tag: &str) -> bool {
    tag.split(|c: char| c.is_whitespace())
        .skip(1)
        .any(|attr| attr.to_ascii_lowercase().starts_with("on") && attr.contains('='))
}

#[test]
fn the_handler_check_finds_handlers() {
    assert!(has_handler("img src=x onerror=alert(1)"));
    assert!(!has_handler("p class=\"one\""));
    assert_eq!(tags("<p>a &lt;b&gt;</p>").collect::<Vec<_>>(), ["p", "/p"]);
}

/// The callers section of a page, from its opening tag to its end.
fn callers_section(html: &str) -> &str {
    let start = html.find("<section id=\"callers\"").expect("a callers section");
    let end = html[start..].find("</section>").expect("its end") + start + "</section>".len();
    &html[start..end]
}

#[test]
fn skipped_and_repeated_access_records_are_rows_of_the_callers_section() {
    let mut report = crate::render::fixtures::with_callers();
    let plain = render(&report, Lang::En);
    assert!(
        !callers_section(&plain).contains("outside the window"),
        "absent when none"
    );
    let callers = report.callers.as_mut().expect("callers");
    callers.filtered_records = 2;
    callers.duplicate_records = 392;
    let html = render(&report, Lang::En);
    let section = callers_section(&html);
    assert!(
        section.contains("<td>access-log records outside the window (skipped)</td><td class=\"num\">2</td>"),
        "{section}"
    );
    assert!(
        section.contains("<td>access-log records repeating a request id (counted once)</td><td class=\"num\">392</td>"),
        "{section}"
    );
}

#[test]
fn the_callers_section_is_golden() {
    let html = render(&crate::render::fixtures::with_callers(), Lang::En);
    insta::assert_snapshot!("callers_en", callers_section(&html));
}

#[test]
fn the_callers_section_carries_its_counts_and_is_only_there_with_access_logs() {
    let html = render(&crate::render::fixtures::with_callers(), Lang::En);
    let section = callers_section(&html);
    assert!(
        section.contains(
            "<figure data-chart=\"callers\" data-requests=\"1260\" data-fresh-allow=\"310\" data-fresh-deny=\"85\" \
             data-fresh-unknown=\"1\" data-cached-allow=\"702\" data-cached-deny=\"96\" data-identity-missing=\"41\" \
             data-authorizer-failed=\"9\" data-other=\"16\" data-cached-other-ip=\"37\" data-unmatched-invocations=\"10\">"
        ),
        "{section}"
    );
    // One bar a class: fresh allow, deny, unknown, cached allow, deny, 401, 500, other.
    let bars = section.matches("<rect").count();
    assert!(bars >= 8, "{bars} rects");
    for id in [
        "callers-by-status",
        "callers-authorizer-errors",
        "callers-cached-other-ip",
        "callers-join",
    ] {
        assert!(section.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(section.contains("data-basis=\"authorizer_ip\""));
    assert!(section.contains("data-method=\"request_id+ip_time\""));
    // After the denied IPs, before the durations.
    let at = |id: &str| html.find(&format!("id=\"{id}\"")).unwrap_or(usize::MAX);
    assert!(at("top-denied-ips") < at("callers") && at("callers") < at("duration"));
    // Without access logs, no section.
    let page = render(&crate::render::fixtures::realistic(), Lang::En);
    assert!(!page.contains("id=\"callers\"") && !page.contains("data-chart=\"callers\""));
    // With access logs but no invocation read (every answer cached), the section is still there.
    let mut report = crate::render::fixtures::empty();
    report.callers = Some(crate::render::fixtures::callers());
    let page = render(&report, Lang::Ja);
    assert!(page.contains("呼び出しが見つかりません") && page.contains("id=\"callers\""));
    assert!(page.contains("呼び出し元が受け取った応答") && page.contains("キャッシュで許可"));
}

#[test]
fn hostile_caller_text_stays_text() {
    let html = render(&crate::render::fixtures::hostile_callers(), Lang::En);
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<img"), "an img element");
    assert!(tags(&html).all(|t| !has_handler(t)), "an event handler attribute");
    assert!(!html.contains(['\x1b', '\x07', '\u{202e}']), "a raw control character");
    let section = callers_section(&html);
    assert!(section.contains("\\x1b[2J\\x1b]0;pwned\\x07&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(section.contains("=HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)"));
    assert!(!section.contains("href="));
}
