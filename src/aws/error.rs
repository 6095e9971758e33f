//! What went wrong talking to CloudWatch, worded for the user: one line each, with what to do about it.

use thiserror::Error;

use super::call::Failure;
use super::config;
use crate::redact::{display_url, escape_control, scrub_userinfo};

/// What went wrong talking to CloudWatch, worded for the user: one line, with what to do about it.
#[derive(Debug, Error)]
pub enum CwError {
    #[error(
        "no AWS region configured for profile '{profile}': pass --region (e.g. --region us-east-1) or set AWS_REGION"
    )]
    NoRegion { profile: String },
    #[error("log group '{group}' not found in region {region} (profile '{profile}'): list the groups with `authlogs groups`, or check --region/--profile")]
    GroupNotFound {
        group: String,
        region: String,
        profile: String,
    },
    #[error("no log group name contains '{pattern}' in region {region} (profile '{profile}'): pass --group NAME, or --group-pattern to match another name (list them with `authlogs groups --group-pattern ''`)")]
    NoGroups {
        pattern: String,
        region: String,
        profile: String,
    },
    #[error("{what} not found in region {region} (profile '{profile}'): {hint}, or check --region/--profile")]
    AuditTargetNotFound {
        what: String,
        region: String,
        profile: String,
        hint: &'static str,
    },
    #[error("nothing to audit in region {region} (profile '{profile}'): no Lambda function name contains '{pattern}' and no HTTP API has a Lambda authorizer invoking one; pass --function NAME or --api-id ID, or check --region/--profile")]
    NoAuditTarget {
        pattern: String,
        region: String,
        profile: String,
    },
    #[error("{count} log groups contain '{pattern}': {names}; pass --group NAME (repeatable) to pick, or --all-groups to read them all")]
    SeveralGroups {
        pattern: String,
        count: usize,
        names: String,
    },
    #[error("more than {max} log groups contain '{pattern}' (the first: {names}): authlogs reads at most {max} groups in one run; pass a narrower --group-pattern, or --group NAME (repeatable)")]
    TooManyGroups { pattern: String, max: usize, names: String },
    #[error("access denied: the credentials of profile '{profile}' may not call {permission}{target} in region {region}: grant {permission} to that identity (AWS said: {detail})")]
    AccessDenied {
        permission: &'static str,
        target: String,
        region: String,
        profile: String,
        detail: String,
    },
    #[error("no AWS credentials found (profile '{profile}'): run `aws configure` or `aws sso login`, pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    NoCredentials { profile: String },
    #[error("the AWS credentials of profile '{profile}' have expired: refresh them (e.g. `aws sso login --profile {profile}`) and run again")]
    ExpiredToken { profile: String },
    #[error("the AWS credentials of profile '{profile}' were rejected ({code}): check the access key, secret and session token")]
    BadCredentials { profile: String, code: String },
    #[error("the AWS {which} of profile '{profile}' holds characters a header cannot carry (CR/LF or another control character), so no request can be signed: set it again on one line ({fix})")]
    UnsendableCredential {
        which: &'static str,
        profile: String,
        fix: &'static str,
    },
    #[error("{operation}: the endpoint's answer {what}; check --endpoint-url and any proxy (HTTPS_PROXY)")]
    Unreadable { operation: &'static str, what: String },
    #[error("{operation}: the endpoint redirected to {location} (HTTP {status}): authlogs does not follow redirects; point --endpoint-url at the final address")]
    Redirected {
        operation: &'static str,
        status: u16,
        location: String,
    },
    #[error("cannot reach the CloudWatch Logs endpoint {endpoint}: {detail}; check --endpoint-url / AWS_ENDPOINT_URL, --region and the network")]
    Connect { endpoint: String, detail: String },
    #[error("{operation} kept failing after {attempts} tries ({last}); covered {covered} of {window} — try again later, lower --max-tps, or narrow --since/--until")]
    Exhausted {
        operation: &'static str,
        attempts: u32,
        last: String,
        covered: String,
        window: String,
    },
    #[error("{operation} failed: {detail}")]
    Other { operation: &'static str, detail: String },
    #[error("Live Tail follows at most 10 log groups and {count} were selected: pass up to 10 --group NAME, a narrower --group-pattern, or --poll")]
    TooManyLiveGroups { count: usize },
    #[error("the Logs Insights {query} query of {slice} failed: {reason}; try again, narrow --since/--until, or use --engine local")]
    QueryFailed {
        query: &'static str,
        slice: String,
        reason: String,
    },
    #[error("the Logs Insights {query} query completed with rows authlogs cannot read: {reason}")]
    QueryUnusable { query: &'static str, reason: String },
    #[error("interrupted: stopped {stopped} running Logs Insights queries; {spent}")]
    Interrupted { stopped: usize, spent: String },
    #[error("Logs Insights rejected the {query} query ({code}: {message}); use --engine local")]
    QueryRejected {
        query: &'static str,
        code: String,
        message: String,
    },
    /// A Logs Insights run ended early: what its queries scanned and cost so far.
    #[error("{error}; {spent}")]
    Billed { error: Box<CwError>, spent: String },
    #[error("Logs Insights would scan about {scan} (about ${cost:.4}), more than {cap}: {fix}")]
    OverCap {
        scan: String,
        cost: f64,
        cap: String,
        fix: &'static str,
    },
    #[error("the Logs Insights queries reached --max-cost {cap} (about ${spent:.4} so far): no further query was started; raise --max-cost, narrow --since/--until, or use --engine local")]
    SpendCap { spent: f64, cap: f64 },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl CwError {
    /// The query the service rejected and why (`code: message`), when that ended the run.
    pub fn rejection(&self) -> Option<String> {
        match self {
            CwError::QueryRejected { query, code, message } => Some(format!("the {query} query: {code}: {message}")),
            CwError::Billed { error, .. } => error.rejection(),
            _ => None,
        }
    }
}

/// What an error message needs to know about the call that failed.
pub(crate) struct Context<'a> {
    pub(crate) operation: &'static str,
    pub(crate) group: Option<&'a str>,
    pub(crate) client: &'a config::Client,
    /// Only for fetches: which part of the window was read, and all of it.
    pub(crate) coverage: Option<(String, String)>,
}

pub(crate) fn esc(s: &str) -> String {
    escape_control(s).into_owned()
}

pub(crate) fn to_error(failure: Failure, ctx: &Context<'_>) -> CwError {
    let region = esc(&ctx.client.region);
    let profile = esc(&ctx.client.profile);
    // The network stack's words may quote the endpoint, password and all: never print that. This
    // shadows `esc`, so no text below can skip the scrub.
    let esc = |s: &str| match &ctx.client.endpoint {
        Some(url) => esc(&scrub_userinfo(s, url)),
        None => esc(s),
    };
    match failure {
        Failure::Service { code, message, .. } => match code.as_str() {
            "ResourceNotFoundException" => CwError::GroupNotFound {
                group: esc(ctx.group.unwrap_or("?")),
                region,
                profile,
            },
            "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => CwError::AccessDenied {
                permission: ctx.operation,
                target: ctx
                    .group
                    .map(|g| format!(" on log group '{}'", esc(g)))
                    .unwrap_or_default(),
                region,
                profile,
                detail: esc(&message),
            },
            "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" => CwError::ExpiredToken { profile },
            "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "InvalidClientTokenId"
            | "IncompleteSignature" => CwError::BadCredentials {
                profile,
                code: esc(&code),
            },
            _ => CwError::Other {
                operation: ctx.operation,
                detail: esc(&format!("{code}: {message}")),
            },
        },
        Failure::Connect { detail } => CwError::Connect {
            endpoint: ctx
                .client
                .endpoint
                .as_deref()
                .map_or_else(|| format!("of region {region}"), display_url),
            detail: esc(&detail),
        },
        Failure::NoCredentials { .. } => CwError::NoCredentials { profile },
        Failure::Unsendable { which } => CwError::UnsendableCredential {
            which,
            profile,
            fix: if which == "session token" {
                "AWS_SESSION_TOKEN, or aws_session_token in the profile; `aws sso login` writes a fresh one"
            } else {
                "AWS_ACCESS_KEY_ID, or aws_access_key_id in the profile"
            },
        },
        // Already escaped where it was worded.
        Failure::Unreadable { what } => CwError::Unreadable {
            operation: ctx.operation,
            what,
        },
        Failure::Redirected { status, location } => CwError::Redirected {
            operation: ctx.operation,
            status,
            location: location
                .as_deref()
                .map_or_else(|| "nowhere (no Location header)".into(), display_url),
        },
        Failure::Exhausted { attempts, last } => {
            let (covered, window) = ctx
                .coverage
                .clone()
                .unwrap_or_else(|| ("nothing".into(), "the request".into()));
            CwError::Exhausted {
                operation: ctx.operation,
                attempts,
                last: esc(&last),
                covered,
                window,
            }
        }
        Failure::Other { detail } => CwError::Other {
            operation: ctx.operation,
            detail: esc(&detail),
        },
        Failure::Aborted => CwError::Other {
            operation: ctx.operation,
            detail: "stopped".into(),
        },
    }
}
