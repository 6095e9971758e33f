//! The audit for a terminal: the findings with their fixes, then what was read, then the gaps.

use comfy_table::{Cell, ContentArrangement, Table};

use super::{counts, retention, seconds_text, severity, ttl};
use crate::audit::{AuditFinding, AuditReport, Configuration};
use crate::i18n::{fill, AuditTexts, Lang};
use crate::redact::escape_control;
use crate::render::table::{display_width, wrap, PRESET};
use crate::render::TableStyle;
use crate::report::Severity;

/// Where a finding's lines start, after its severity word.
const INDENT: &str = "          ";

/// Text with every AWS-derived string escaped: no control byte unless `style.color` adds ANSI
/// colors itself. Fix commands are never wrapped, so they can be copied whole.
pub(super) fn render(audit: &AuditReport, style: &TableStyle) -> String {
    let width = style.width.map(usize::from);
    let t = audit.lang.audit();
    let mut out = String::new();
    let status = if audit.complete {
        t.status_complete.to_string()
    } else {
        fill(t.status_partial, &[("count", &audit.gaps.len())])
    };
    line(
        &mut out,
        &fill(
            t.title,
            &[
                ("region", &escape_control(&audit.region)),
                ("generated_at", &escape_control(&audit.generated_at)),
                ("status", &status),
            ],
        ),
        width,
    );
    out.push('\n');
    out.push_str(&body(audit, style));
    out
}

/// Everything after the audit's title line: the findings with their fixes, the configuration read,
/// the gaps, in the audit's language. `report --audit` prints it under its own heading.
pub(in crate::render) fn body(audit: &AuditReport, style: &TableStyle) -> String {
    let width = style.width.map(usize::from);
    let t = audit.lang.audit();
    let mut out = String::new();
    line(
        &mut out,
        &fill(t.findings_heading, &[("counts", &counts(audit))]),
        width,
    );
    for f in &audit.findings {
        finding(&mut out, f, audit.lang, style, width);
    }
    configuration(&mut out, t, &audit.configuration, style);
    if !audit.gaps.is_empty() {
        let mut table = table(style, [t.col_what, t.col_permission, t.col_answer]);
        for g in &audit.gaps {
            table.add_row([&g.what, &g.permission, &g.detail].map(|s| escape_control(s).into_owned()));
        }
        section(&mut out, t.not_read, table);
    }
    out
}

fn finding(out: &mut String, f: &AuditFinding, lang: Lang, style: &TableStyle, width: Option<usize>) {
    out.push('\n');
    let word = severity(f.severity, lang).to_uppercase();
    match color(f.severity) {
        Some(code) if style.color => out.push_str(&format!("\x1b[{code}m{word}\x1b[0m")),
        _ => out.push_str(&word),
    }
    // Padded by columns, not bytes: a Japanese severity word is two columns a character.
    out.push_str(&" ".repeat(INDENT.len().saturating_sub(display_width(&word)).max(1)));
    out.push_str(&escape_control(f.kind));
    out.push('\n');
    for text in [&f.resource, &f.evidence, &f.advice] {
        line(out, &format!("{INDENT}{}", escape_control(text)), width);
    }
    if let Some(fix) = &f.fix {
        out.push_str(INDENT);
        out.push_str(lang.audit().fix_label);
        out.push('\n');
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

fn configuration(out: &mut String, t: &AuditTexts, c: &Configuration, style: &TableStyle) {
    if !c.apis.is_empty() {
        let mut authorizers = table(
            style,
            [
                t.col_api,
                t.col_authorizer,
                t.col_type,
                t.col_identity_sources,
                t.col_ttl,
                t.col_payload,
                t.col_routes,
            ],
        );
        for api in &c.apis {
            for z in &api.authorizers {
                let guarded = api
                    .routes
                    .iter()
                    .filter(|r| r.authorizer_id.as_deref() == Some(&z.authorizer_id))
                    .count();
                authorizers.add_row([
                    format!("{} ({})", escape_control(&api.api_id), escape_control(&api.name)),
                    format!("{} ({})", escape_control(&z.authorizer_id), escape_control(&z.name)),
                    escape_control(&z.authorizer_type).into_owned(),
                    escape_control(&z.identity_sources.join(", ")).into_owned(),
                    ttl(t, z.result_ttl_seconds),
                    escape_control(z.payload_format_version.as_deref().unwrap_or("?")).into_owned(),
                    fill(t.routes_of, &[("guarded", &guarded), ("total", &api.routes.len())]),
                ]);
            }
        }
        section(out, t.authorizers, authorizers);
        let mut stages = table(style, [t.col_api, t.col_stage, t.col_access_log]);
        for api in &c.apis {
            for s in &api.stages {
                stages.add_row([
                    escape_control(&api.api_id).into_owned(),
                    escape_control(&s.stage_name).into_owned(),
                    s.access_log.as_ref().map_or_else(
                        || t.access_log_off.into(),
                        |l| format!("{}{}", t.access_log_on, escape_control(&l.destination_arn)),
                    ),
                ]);
            }
        }
        section(out, t.stages, stages);
    }
    if !c.functions.is_empty() {
        let mut functions = table(
            style,
            [
                t.col_function,
                t.col_runtime,
                t.col_timeout,
                t.col_memory,
                t.col_environment,
                t.col_log_format,
                t.col_retention,
            ],
        );
        for f in &c.functions {
            let names: Vec<&str> = f.environment.iter().map(|v| v.name.as_str()).collect();
            functions.add_row([
                escape_control(&f.name).into_owned(),
                escape_control(f.runtime.as_deref().unwrap_or("?")).into_owned(),
                f.timeout_seconds.map_or_else(|| "?".into(), |s| seconds_text(t, s)),
                f.memory_mb.map_or_else(|| "?".into(), |m| format!("{m} MB")),
                escape_control(&names.join(", ")).into_owned(),
                escape_control(f.log_format.as_deref().unwrap_or("?")).into_owned(),
                retention(t, f.log_group.as_ref()),
            ]);
        }
        section(out, t.functions, functions);
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
