//! What the checks share: how a resource is named, and how text read from AWS enters a shell command.

use std::borrow::Cow;

use crate::audit::model::{ApiConfig, AuthorizerConfig, Configuration, FunctionConfig};
use crate::i18n::{fill, AuditTexts};
use crate::redact::escape_control;

/// How many route keys a finding names before it only counts the rest.
const FEW: usize = 3;

/// AWS text as it may be printed: control, bidi and invisible characters escaped.
pub(super) fn esc(s: &str) -> Cow<'_, str> {
    escape_control(s)
}

/// `API a1b2c3d4e5 (shop)`.
pub(super) fn api(api: &ApiConfig) -> String {
    format!("API {} ({})", esc(&api.api_id), esc(&api.name))
}

/// `API a1b2c3d4e5 (shop), authorizer x1y2z3 (ip-check)`.
pub(super) fn authorizer(t: &AuditTexts, a: &ApiConfig, z: &AuthorizerConfig) -> String {
    fill(
        t.resource_authorizer,
        &[
            ("api", &api(a)),
            ("id", &esc(&z.authorizer_id)),
            ("name", &esc(&z.name)),
        ],
    )
}

/// `API a1b2c3d4e5 (shop), stage $default`.
pub(super) fn stage(t: &AuditTexts, a: &ApiConfig, stage: &str) -> String {
    fill(t.resource_stage, &[("api", &api(a)), ("stage", &esc(stage))])
}

/// `function agw-access-permission`.
pub(super) fn function(t: &AuditTexts, f: &FunctionConfig) -> String {
    fill(t.resource_function, &[("name", &esc(&f.name))])
}

/// One word of a shell command. Anything beyond plain id characters is single-quoted, so
/// `$default` and `$context.…` reach the AWS CLI as written; control characters are escaped
/// first, so a crafted name cannot run or repaint anything when the command is pasted.
pub(super) fn quote(s: &str) -> String {
    let s = esc(s);
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,@+".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.into_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// ` --region ap-northeast-1`, or nothing when the region is unknown (the CLI's default applies).
pub(super) fn region_flag(c: &Configuration) -> String {
    if c.region.is_empty() {
        String::new()
    } else {
        format!(" --region {}", quote(&c.region))
    }
}

/// `a, b, c and 4 more`: a few items named, the rest counted; `none` for no item.
pub(super) fn few(t: &AuditTexts, items: &[String]) -> String {
    if items.is_empty() {
        return t.none.into();
    }
    let named = items
        .iter()
        .take(FEW)
        .map(|s| esc(s))
        .collect::<Vec<_>>()
        .join(t.list_separator);
    match items.len().saturating_sub(FEW) {
        0 => named,
        more => fill(t.and_more, &[("items", &named), ("count", &more)]),
    }
}

/// The account id of any ARN the configuration holds (`arn:aws:lambda:REGION:ACCOUNT:…`), for
/// the ARNs a fix must spell; `<account-id>` when none names one.
pub(super) fn account_id(c: &Configuration) -> String {
    let arns = c.functions.iter().map(|f| f.arn.as_str()).chain(
        c.apis
            .iter()
            .flat_map(|a| a.authorizers.iter().filter_map(|z| z.function_arn.as_deref())),
    );
    arns.filter_map(|arn| arn.split(':').nth(4))
        .find(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
        .map_or_else(|| "<account-id>".into(), str::to_string)
}

/// The region for an ARN: the audited one, or a placeholder.
pub(super) fn region_or_placeholder(c: &Configuration) -> String {
    if c.region.is_empty() {
        "<region>".into()
    } else {
        esc(&c.region).into_owned()
    }
}

/// The route keys `authorizer_id` guards on `api`, in the API's order.
pub(super) fn guarded_routes(api: &ApiConfig, authorizer_id: &str) -> Vec<String> {
    api.routes
        .iter()
        .filter(|r| r.authorizer_id.as_deref() == Some(authorizer_id))
        .map(|r| r.route_key.clone())
        .collect()
}
