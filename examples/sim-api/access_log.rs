//! The API's access-log records and the shapes they are written in (JSON variants, CLF), in log order.

use std::fmt::Write as _;

use crate::scenario::{BACKEND_ERROR, PERMISSION_ERROR};
use crate::sim::{Decision, Invocation, Outcome, Request, Sim};
use crate::time::clf_time;

/// One access-log record's values, in the order of AWS's example format and then the extras.
pub fn record(req: &Request, inv: &[Invocation]) -> Vec<(&'static str, String)> {
    let dash = || "-".to_string();
    let (authorizer_error, error_message, error_type) = match (req.outcome, req.status) {
        (Outcome::NotFound, _) => (dash(), "Not Found".to_string(), dash()),
        (Outcome::IdentityMissing, _) => (dash(), "Unauthorized".into(), "UNAUTHORIZED".into()),
        (Outcome::PermissionFailure, _) => (
            PERMISSION_ERROR.to_string(),
            "Internal Server Error".into(),
            "AUTHORIZER_CONFIGURATION_ERROR".into(),
        ),
        (Outcome::Invoked(Decision::Timeout), _) => {
            (dash(), "Internal Server Error".into(), "AUTHORIZER_FAILURE".into())
        }
        (_, 403) => ("Forbidden".into(), "Forbidden".into(), "ACCESS_DENIED".into()),
        (_, 500) => (dash(), "Internal Server Error".into(), "INTEGRATION_FAILURE".into()),
        _ => (dash(), dash(), dash()),
    };
    let authorizer_ip = match req.outcome {
        Outcome::Cached { made_for, .. } => made_for.to_string(),
        Outcome::Invoked(Decision::Allow | Decision::Deny) => inv
            [req.invocation.expect("an invoked request has its invocation")]
        .ip
        .to_string(),
        _ => dash(),
    };
    vec![
        ("requestId", req.api_request_id.clone()),
        ("ip", req.ip.to_string()),
        ("requestTime", clf_time(req.t)),
        ("httpMethod", req.method.to_string()),
        ("routeKey", req.route.unwrap_or("-").to_string()),
        ("status", req.status.to_string()),
        ("protocol", "HTTP/1.1".to_string()),
        ("responseLength", req.length.to_string()),
        ("requestTimeEpoch", req.t.to_string()),
        ("responseLatency", req.latency.to_string()),
        ("authorizerError", authorizer_error),
        ("errorMessage", error_message),
        ("errorResponseType", error_type),
        (
            "integrationErrorMessage",
            if req.integration_error {
                BACKEND_ERROR.to_string()
            } else {
                dash()
            },
        ),
        ("authorizerIp", authorizer_ip),
    ]
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// How a variant writes a record as JSON.
#[derive(Clone, Copy)]
pub enum JsonShape {
    /// AWS's example keys and the extras, every value a string; no authorizer context.
    Default,
    /// The same plus `authorizerIp` (`$context.authorizer.ip`).
    Context,
    /// `Context` with a team's own key names (`RENAMED`), status and epoch as JSON numbers.
    Renamed,
}

/// (field, key) of the renamed variant; `fields.toml` says the same.
pub const RENAMED: [(&str, &str); 4] = [
    ("ip", "sourceIp"),
    ("status", "httpStatus"),
    ("authorizerIp", "authIp"),
    ("requestTimeEpoch", "epoch"),
];

pub fn json_record(values: &[(&'static str, String)], shape: JsonShape) -> String {
    let mut out = String::from("{");
    for (key, value) in values {
        if *key == "authorizerIp" && matches!(shape, JsonShape::Default) {
            continue;
        }
        let mut key = *key;
        let mut bare = false;
        if let JsonShape::Renamed = shape {
            if let Some((_, renamed)) = RENAMED.iter().find(|(f, _)| *f == key) {
                bare = matches!(key, "status" | "requestTimeEpoch");
                key = renamed;
            }
        }
        if out.len() > 1 {
            out.push(',');
        }
        let value = if bare { value.clone() } else { json_string(value) };
        let _ = write!(out, "{}:{value}", json_string(key));
    }
    out.push('}');
    out
}

/// AWS's CLF example: `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod
/// $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId`
pub fn clf_record(req: &Request) -> String {
    format!(
        "{} - - [{}] \"{} {} HTTP/1.1\" {} {} {}",
        req.ip,
        clf_time(req.t),
        req.method,
        req.route.unwrap_or("-"),
        req.status,
        req.length,
        req.api_request_id
    )
}

/// The access log's order: API Gateway writes a record when the response is sent.
pub fn log_order(sim: &Sim) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sim.requests.len()).collect();
    order.sort_by_key(|&r| (sim.requests[r].t + sim.requests[r].latency, sim.requests[r].t, r));
    order
}
