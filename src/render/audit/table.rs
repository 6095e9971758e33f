//! The audit for a terminal: the findings with their fixes, then what was read, then the gaps.

use comfy_table::{Cell, ContentArrangement, Table};

use super::{counts, retention, severity, ttl};
use crate::audit::{AuditFinding, AuditReport, Configuration};
use crate::redact::escape_control;
use crate::render::table::{wrap, PRESET};
use crate::render::TableStyle;
use crate::report::Severity;

/// Where a finding's lines start, after its severity word.
const INDENT: &str = "          ";

/// Text with every AWS-derived string escaped: no control byte unless `style.color` adds ANSI
/// colors itself. Fix commands are never wrapped, so they can be copied whole.
pub(super) fn render(audit: &AuditReport, style: &TableStyle) -> String {
    let width = style.width.map(usize::from);
    let mut out = String::new();
    let status = if audit.complete {
        "complete".to_string()
    } else {
        format!("partial: {} gap(s)", audit.gaps.len())
    };
    line(
        &mut out,
        &format!(
            "authlogs audit · region {} · {} · {status}",
            escape_control(&audit.region),
            escape_control(&audit.generated_at)
        ),
        width,
    );
    out.push('\n');
    out.push_str(&body(audit, style));
    out
}

/// Everything after the audit's title line: the findings with their fixes, the configuration read,
/// the gaps. `report --audit` prints it under its own heading.
pub(in crate::render) fn body(audit: &AuditReport, style: &TableStyle) -> String {
    let width = style.width.map(usize::from);
    let mut out = String::new();
    line(&mut out, &format!("Findings: {}", counts(audit)), width);
    for f in &audit.findings {
        finding(&mut out, f, style, width);
    }
    configuration(&mut out, &audit.configuration, style);
    if !audit.gaps.is_empty() {
        let mut t = table(style, ["what", "permission", "service's answer"]);
        for g in &audit.gaps {
            t.add_row([&g.what, &g.permission, &g.detail].map(|s| escape_control(s).into_owned()));
        }
        section(&mut out, "Not read", t);
    }
    out
}

fn finding(out: &mut String, f: &AuditFinding, style: &TableStyle, width: Option<usize>) {
    out.push('\n');
    let word = format!("{:<9}", severity(f.severity).to_uppercase());
    match color(f.severity) {
        Some(code) if style.color => out.push_str(&format!("\x1b[{code}m{}\x1b[0m", word.trim_end())),
        _ => out.push_str(word.trim_end()),
    }
    out.push_str(&" ".repeat(INDENT.len() - word.trim_end().len()));
    out.push_str(&escape_control(f.kind));
    out.push('\n');
    for text in [&f.resource, &f.evidence, &f.advice] {
        line(out, &format!("{INDENT}{}", escape_control(text)), width);
    }
    if let Some(fix) = &f.fix {
        out.push_str(INDENT);
        out.push_str("fix:\n");
        for command in fix.lines() {
            out.push_str(INDENT);
            out.push_str("  ");
            out.push_str(&escape_control(command));
            out.push('\n');
        }
    }
}

/// ANSI SGR color of a severity word, as the report colors its findings.
fn color(s: Severity) -> Option<&'static str> {
    match s {
        Severity::High => Some("31"),
        Severity::Medium => Some("33"),
        Severity::Low => Some("36"),
        Severity::Info => None,
    }
}

fn configuration(out: &mut String, c: &Configuration, style: &TableStyle) {
    if !c.apis.is_empty() {
        let mut t = table(
            style,
            [
                "API",
                "authorizer",
                "type",
                "identity sources",
                "TTL",
                "payload",
                "routes",
            ],
        );
        for api in &c.apis {
            for z in &api.authorizers {
                let guarded = api
                    .routes
                    .iter()
                    .filter(|r| r.authorizer_id.as_deref() == Some(&z.authorizer_id))
                    .count();
                t.add_row([
                    format!("{} ({})", escape_control(&api.api_id), escape_control(&api.name)),
                    format!("{} ({})", escape_control(&z.authorizer_id), escape_control(&z.name)),
                    escape_control(&z.authorizer_type).into_owned(),
                    escape_control(&z.identity_sources.join(", ")).into_owned(),
                    ttl(z.result_ttl_seconds),
                    escape_control(z.payload_format_version.as_deref().unwrap_or("?")).into_owned(),
                    format!("{guarded} of {}", api.routes.len()),
                ]);
            }
        }
        section(out, "Authorizers", t);
        let mut t = table(style, ["API", "stage", "access log"]);
        for api in &c.apis {
            for s in &api.stages {
                t.add_row([
                    escape_control(&api.api_id).into_owned(),
                    escape_control(&s.stage_name).into_owned(),
                    s.access_log.as_ref().map_or_else(
                        || "off".into(),
                        |l| format!("on → {}", escape_control(&l.destination_arn)),
                    ),
                ]);
            }
        }
        section(out, "Stages", t);
    }
    if !c.functions.is_empty() {
        let mut t = table(
            style,
            [
                "function",
                "runtime",
                "timeout",
                "memory",
                "environment (names)",
                "log format",
                "retention",
            ],
        );
        for f in &c.functions {
            let names: Vec<&str> = f.environment.iter().map(|v| v.name.as_str()).collect();
            t.add_row([
                escape_control(&f.name).into_owned(),
                escape_control(f.runtime.as_deref().unwrap_or("?")).into_owned(),
                f.timeout_seconds.map_or_else(|| "?".into(), |s| format!("{s} s")),
                f.memory_mb.map_or_else(|| "?".into(), |m| format!("{m} MB")),
                escape_control(&names.join(", ")).into_owned(),
                escape_control(f.log_format.as_deref().unwrap_or("?")).into_owned(),
                retention(f.log_group.as_ref()),
            ]);
        }
        section(out, "Functions", t);
    }
}

fn table<const N: usize>(style: &TableStyle, header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.load_preset(PRESET);
    // No tty probing: the output must not depend on where stdout goes.
    t.force_no_tty();
    t.set_header(header.map(Cell::new));
    if let Some(width) = style.width {
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_width(width);
    }
    t
}

fn section(out: &mut String, title: &str, t: Table) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
    out.push_str(&t.trim_fmt());
    out.push('\n');
}

fn line(out: &mut String, text: &str, width: Option<usize>) {
    for l in wrap(text, width) {
        out.push_str(&l);
        out.push('\n');
    }
}
