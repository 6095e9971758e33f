//! The result of an audit: the configuration read, the findings over it, and what could not be read.

use serde::Serialize;

use super::model::{Configuration, Gap};
use crate::i18n::Lang;
use crate::report::Severity;

/// The schema name and version of the audit's JSON; keys are added, never renamed.
pub const AUDIT_SCHEMA: &str = "authlogs.audit/v1";

/// One audit: what was read, what it lets through, and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    /// Always [`AUDIT_SCHEMA`].
    pub schema: &'static str,
    /// RFC 3339 UTC time of the audit.
    pub generated_at: String,
    /// The region audited.
    pub region: String,
    /// True when every resource the audit looked for could be read (no gap).
    pub complete: bool,
    /// The findings, most urgent first.
    pub findings: Vec<AuditFinding>,
    /// What could not be read.
    pub gaps: Vec<Gap>,
    /// The configuration the findings were drawn from (no secret value in it).
    pub configuration: Configuration,
    /// The language of the findings' texts, in which the audit is rendered too (not a key of the
    /// JSON: its text fields are simply in that language, as the report's are).
    #[serde(skip)]
    pub lang: Lang,
}

impl AuditReport {
    /// The audit of `configuration` at `generated_at`, its texts in `lang`: runs every check.
    pub fn new(configuration: Configuration, generated_at: String, lang: Lang) -> AuditReport {
        let findings = super::checks::findings(&configuration, lang);
        AuditReport {
            schema: AUDIT_SCHEMA,
            generated_at,
            region: configuration.region.clone(),
            complete: configuration.gaps.is_empty(),
            findings,
            gaps: configuration.gaps.clone(),
            configuration,
            lang,
        }
    }
}

/// One finding of an audit: a kind, how urgent, the resource, the evidence and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditFinding {
    /// Stable machine name, e.g. `cached_decision_ignores_source_ip`.
    pub kind: &'static str,
    /// How urgent.
    pub severity: Severity,
    /// The resource concerned, e.g. `API a1b2c3d4e5 (shop), authorizer x1y2z3 (ip-check)`.
    pub resource: String,
    /// What the configuration says, one or two sentences; never holds a secret's value.
    pub evidence: String,
    /// What to do about it.
    pub advice: String,
    /// The exact command that fixes it, when there is one (AWS CLI).
    pub fix: Option<String>,
}
