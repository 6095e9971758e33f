//! The audit as one self-contained HTML page in the report's look: no script, no external asset.
//! maud escapes markup; control characters of AWS text are escaped first, as everywhere.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{counts, retention, seconds_text, severity, ttl};
use crate::audit::{AuditFinding, AuditReport, Configuration, Gap};
use crate::i18n::{fill, AuditTexts, Lang};
use crate::redact::escape_control;
use crate::render::html::{CSP, STYLE};

/// What the audit page adds to the report's style: fix commands as copyable blocks (the report's
/// page adds it too when it holds an audit).
pub(in crate::render) const AUDIT_STYLE: &str =
    "pre.fix { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; \
padding: 6px 8px; margin: 6px 0 2px; white-space: pre-wrap; overflow-wrap: anywhere; }";

/// AWS text as shown: control characters escaped (maud then escapes markup).
fn t(s: &str) -> String {
    escape_control(s).into_owned()
}

/// The page of `audit`, in the audit's language.
pub(super) fn render(audit: &AuditReport) -> String {
    let w = audit.lang.audit();
    let title = fill(w.html_title, &[("region", &t(&audit.region))]);
    let status = fill(
        w.html_status,
        &[("region", &t(&audit.region)), ("generated_at", &t(&audit.generated_at))],
    );
    let page = html! {
        (DOCTYPE)
        html lang=(audit.lang.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) (PreEscaped(AUDIT_STYLE)) }
            }
            body {
                header {
                    h1 { (w.html_heading) }
                    p.muted {
                        (status)
                        @if audit.complete { (w.status_complete) } @else { strong.denied { (w.html_partial) } }
                    }
                }
                (body(audit))
                footer {
                    (fill(w.generated_by, &[("version", &env!("CARGO_PKG_VERSION"))])) code { (audit.schema) }
                }
            }
        }
    };
    page.into_string()
}

/// The findings with their fixes, the configuration read and the gaps: the audit's page, and the
/// audit section of `report --audit`'s page, in the audit's language.
pub(in crate::render) fn body(audit: &AuditReport) -> Markup {
    let w = audit.lang.audit();
    html! {
        h2 { (fill(w.findings_heading, &[("counts", &counts(audit))])) }
        @if audit.findings.is_empty() {
            p { (w.nothing_found) }
        }
        @for f in &audit.findings { (finding(f, audit.lang)) }
        (configuration(w, &audit.configuration))
        @if !audit.gaps.is_empty() { (gaps(w, &audit.gaps)) }
    }
}

fn finding(f: &AuditFinding, lang: Lang) -> Markup {
    // The class is the severity's stable name (the style keys on it), the label its word in `lang`.
    let class = f.severity.name();
    html! {
        div class={ "finding " (class) } data-kind=(f.kind) {
            h3 { span.sev { (severity(f.severity, lang)) } code { (t(f.kind)) } }
            p { strong { (t(&f.resource)) } }
            p { (t(&f.evidence)) }
            p.muted { (t(&f.advice)) }
            @if let Some(fix) = &f.fix {
                // One escaped line per command: the newlines between them are ours.
                pre.fix { code { (fix.lines().map(t).collect::<Vec<_>>().join("\n")) } }
            }
        }
    }
}

fn configuration(w: &AuditTexts, c: &Configuration) -> Markup {
    html! {
        h2 { (w.configuration_read) }
        @if c.apis.is_empty() && c.functions.is_empty() {
            p.muted { (w.nothing_read) }
        }
        @if !c.apis.is_empty() {
            table {
                tr { th { (w.col_api) } th { (w.col_authorizer) } th { (w.col_type) } th { (w.col_identity_sources) }
                     th.num { (w.col_ttl) } th { (w.col_payload) } th { (w.col_simple_responses) }
                     th.num { (w.col_routes) } }
                @for api in &c.apis {
                    @for z in &api.authorizers {
                        tr {
                            td { code { (t(&api.api_id)) } " " (t(&api.name)) }
                            td { code { (t(&z.authorizer_id)) } " " (t(&z.name)) }
                            td { (t(&z.authorizer_type)) }
                            td { @for s in &z.identity_sources { code { (t(s)) } " " } }
                            td.num { (ttl(w, z.result_ttl_seconds)) }
                            td { (t(z.payload_format_version.as_deref().unwrap_or("?"))) }
                            td { (z.simple_responses.map_or("?", |b| if b { w.yes } else { w.no })) }
                            td.num {
                                (fill(w.routes_of, &[
                                    ("guarded", &api.routes.iter().filter(|r| r.authorizer_id.as_deref() == Some(&z.authorizer_id)).count()),
                                    ("total", &api.routes.len()),
                                ]))
                            }
                        }
                    }
                }
            }
            table {
                tr { th { (w.col_api) } th { (w.col_stage) } th { (w.col_access_log) } }
                @for api in &c.apis {
                    @for s in &api.stages {
                        tr {
                            td { code { (t(&api.api_id)) } }
                            td { code { (t(&s.stage_name)) } }
                            td {
                                @match &s.access_log {
                                    Some(l) => { (w.access_log_on) code { (t(&l.destination_arn)) } },
                                    None => { strong.denied { (w.access_log_off) } },
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !c.functions.is_empty() {
            table {
                tr { th { (w.col_function) } th { (w.col_runtime) } th.num { (w.col_timeout) } th.num { (w.col_memory) }
                     th { (w.col_environment) } th { (w.col_log_format) } th { (w.col_retention) } }
                @for f in &c.functions {
                    tr {
                        td { code { (t(&f.name)) } }
                        td { (t(f.runtime.as_deref().unwrap_or("?"))) }
                        td.num { (f.timeout_seconds.map_or_else(|| "?".into(), |s| seconds_text(w, s))) }
                        td.num { (f.memory_mb.map_or_else(|| "?".into(), |m| format!("{m} MB"))) }
                        td { @for v in &f.environment { code { (t(&v.name)) } " " } }
                        td { (t(f.log_format.as_deref().unwrap_or("?"))) }
                        td { (retention(w, f.log_group.as_ref())) }
                    }
                }
            }
        }
    }
}

fn gaps(w: &AuditTexts, gaps: &[Gap]) -> Markup {
    html! {
        h2 { (w.not_read) }
        table {
            tr { th { (w.col_what) } th { (w.col_permission) } th { (w.col_answer) } }
            @for g in gaps {
                tr { td { (t(&g.what)) } td { code { (t(&g.permission)) } } td { (t(&g.detail)) } }
            }
        }
    }
}
