//! `token_in_access_log_format`: a stage's access-log format copies the token into the access log.

use super::access_format::update_stage;
use super::text::{esc, few, stage as stage_name};
use crate::audit::model::Configuration;
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "token_in_access_log_format";

/// Words that make an authorizer context key (`$context.authorizer.<key>`) a secret, matched in
/// the key lower-cased with `_` and `-` removed. The seed authorizer returns the caller's token as
/// `context.token`.
const SECRET_KEYS: &[&str] = &["token", "authorization", "secret", "password", "apikey", "credential"];

/// Words that make such a key a digest of the secret rather than the secret (`tokenHash`,
/// `token_fingerprint`): what docs/access-logs.md recommends logging instead.
const DIGEST_KEYS: &[&str] = &["hash", "fingerprint", "masked", "sha256", "sha1"];

/// Prefixes of variables holding request headers (REST and WebSocket spellings: HTTP APIs have
/// none, but formats are copied between API kinds); one naming `authorization` logs the token.
const HEADER_PREFIXES: &[&str] = &[
    "$request.header.",
    "$method.request.header.",
    "$context.requestOverride.header.",
];

/// Variables that are a credential whatever their name.
const CREDENTIALS: &[&str] = &["$context.identity.apiKey"];

/// An access log is read by more people and kept longer than the function's log; a token in it is
/// a second copy of every caller's credential.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for api in &c.apis {
        for stage in &api.stages {
            let Some(log) = &stage.access_log else { continue };
            let found = token_variables(&log.format);
            if found.is_empty() {
                continue;
            }
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::High,
                resource: stage_name(t, api, &stage.stage_name),
                evidence: fill(
                    t.token_in_access_log_format_evidence,
                    &[
                        ("variables", &few(t, &found)),
                        ("destination", &esc(&log.destination_arn)),
                    ],
                ),
                advice: t.token_in_access_log_format_advice.into(),
                fix: Some(update_stage(c, api, stage)),
            });
        }
    }
}

/// The variables of `format` that carry a token, in order, each once.
pub(super) fn token_variables(format: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in format.match_indices('$') {
        let name: String = format[at..]
            .chars()
            .enumerate()
            .take_while(|&(i, c)| i == 0 || c.is_ascii_alphanumeric() || "._-".contains(c))
            .map(|(_, c)| c)
            .collect();
        let name = name.trim_end_matches('.').to_string();
        if carries_token(&name) && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

fn carries_token(name: &str) -> bool {
    if CREDENTIALS.iter().any(|v| name.eq_ignore_ascii_case(v)) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(key) = lower.strip_prefix("$context.authorizer.") {
        let key: String = key.chars().filter(|&c| c != '_' && c != '-').collect();
        return SECRET_KEYS.iter().any(|w| key.contains(w)) && !DIGEST_KEYS.iter().any(|w| key.contains(w));
    }
    HEADER_PREFIXES
        .iter()
        .any(|p| lower.strip_prefix(p).is_some_and(|h| h == "authorization"))
}
