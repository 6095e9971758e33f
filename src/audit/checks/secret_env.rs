//! `secret_in_environment`: a secret kept as a plain Lambda environment variable.

use super::text::{esc, function, quote, region_flag};
use crate::audit::model::{Configuration, EnvVar, FunctionConfig};
use crate::audit::AuditFinding;
use crate::i18n::{fill, AuditTexts};
use crate::report::Severity;

/// The finding's kind.
pub(super) const KIND: &str = "secret_in_environment";

/// Words that make a variable's name say "secret", matched in the name upper-cased with every
/// character but letters and digits removed (`allowedToken`, `ALLOWED_TOKEN`, `api-key` alike).
const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "APIKEY",
    "PRIVATEKEY",
    "SIGNINGKEY",
    "CREDENTIAL",
];

/// Endings that make such a name point at a secret rather than hold one (`TOKEN_PARAMETER`,
/// `SECRET_ARN`, `TOKEN_URL`, `TOKEN_TTL`, `TOKEN_HEADER`, `SECRET_ID`).
const POINTER_ENDINGS: &[&str] = &[
    "ARN",
    "PARAM",
    "PARAMETER",
    "NAME",
    "PATH",
    "URL",
    "URI",
    "ENDPOINT",
    "TTL",
    "HEADER",
    "ID",
];

/// Anyone with `lambda:GetFunctionConfiguration` (and the console) reads environment values in
/// clear. A variable is reported when its name says secret ([`says_secret`]) and its value is not
/// empty and not a reference to SSM Parameter Store or Secrets Manager.
pub(super) fn check(c: &Configuration, t: &AuditTexts, out: &mut Vec<AuditFinding>) {
    for f in &c.functions {
        for var in f.environment.iter().filter(|v| holds_secret(v)) {
            let fingerprint = var.fingerprint.as_deref().map_or_else(|| "?".into(), esc);
            out.push(AuditFinding {
                kind: KIND,
                severity: Severity::High,
                resource: function(t, f),
                evidence: fill(
                    t.secret_in_environment_evidence,
                    &[
                        ("name", &esc(&var.name)),
                        ("bytes", &var.value_bytes),
                        ("mask", &fingerprint),
                    ],
                ),
                advice: t.secret_in_environment_advice.into(),
                fix: Some(fix(c, f, var)),
            });
        }
    }
}

/// The name says secret and a real value sits in it.
fn holds_secret(var: &EnvVar) -> bool {
    says_secret(&var.name) && var.value_bytes > 0 && var.fingerprint.is_some() && !var.is_reference
}

/// Whether `name` names a secret: it holds one of [`SECRET_WORDS`] and does not end in one of
/// [`POINTER_ENDINGS`].
pub(super) fn says_secret(name: &str) -> bool {
    let name: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    SECRET_WORDS.iter().any(|w| name.contains(w)) && !POINTER_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// The parameter, then the function's environment pointing at it. `--environment` replaces every
/// variable, so the command lists the function's other variables with placeholders for their values.
fn fix(c: &Configuration, f: &FunctionConfig, var: &EnvVar) -> String {
    let parameter = format!("/{}/{}", f.name, var.name);
    let mut variables: Vec<String> = f
        .environment
        .iter()
        .filter(|v| v.name != var.name)
        .map(|v| format!("{}=<value of {}>", v.name, v.name))
        .collect();
    variables.push(format!("{}_PARAMETER={parameter}", var.name));
    let region = region_flag(c);
    format!(
        "aws ssm put-parameter{region} --name {} --type SecureString --value '<the secret>'\n\
         aws lambda update-function-configuration{region} --function-name {} --environment {}",
        quote(&parameter),
        quote(&f.name),
        quote(&format!("Variables={{{}}}", variables.join(",")))
    )
}
