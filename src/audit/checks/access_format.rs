//! The access-log format authlogs' join reads, and the `update-stage` command that sets it.

use super::text::{account_id, esc, quote, region_flag, region_or_placeholder};
use crate::audit::model::{ApiConfig, Configuration, StageConfig};

/// The format of docs/access-logs.md: every key the access-log join reads, no token.
pub(super) const JOIN_FORMAT: &str = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\",\
\"requestTime\":\"$context.requestTime\",\"requestTimeEpoch\":\"$context.requestTimeEpoch\",\
\"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\",\
\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\",\
\"responseLatency\":\"$context.responseLatency\",\"authorizerError\":\"$context.authorizer.error\",\
\"errorMessage\":\"$context.error.message\",\"errorResponseType\":\"$context.error.responseType\",\
\"integrationErrorMessage\":\"$context.integrationErrorMessage\",\"authorizerIp\":\"$context.authorizer.ip\"}";

/// The variables without which the join cannot class a request: who, when, and the answer.
/// Either time variable will do.
pub(super) const REQUIRED: &[&[&str]] = &[
    &["$context.identity.sourceIp"],
    &["$context.requestTimeEpoch", "$context.requestTime"],
    &["$context.status"],
];

/// The variables that make the join exact or explain a 500: worth adding, not required.
pub(super) const HELPFUL: &[&str] = &[
    "$context.requestId",
    "$context.authorizer.error",
    "$context.authorizer.ip",
];

/// Whether `format` holds the variable `name` as a whole (`$context.requestTime` is not found in
/// `$context.requestTimeEpoch`).
pub(super) fn has_variable(format: &str, name: &str) -> bool {
    format.match_indices(name).any(|(at, _)| {
        let next = format[at + name.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

/// Creates the access-log group with a retention, then points the stage at it with
/// [`JOIN_FORMAT`]. An existing destination is kept.
pub(super) fn update_stage(c: &Configuration, api: &ApiConfig, stage: &StageConfig) -> String {
    let region = region_flag(c);
    let (create, arn) = match &stage.access_log {
        Some(log) if !log.destination_arn.is_empty() => (String::new(), esc(&log.destination_arn).into_owned()),
        _ => {
            let group = format!("/aws/apigateway/{}-access", esc(&api.api_id));
            let arn = format!(
                "arn:aws:logs:{}:{}:log-group:{group}",
                region_or_placeholder(c),
                account_id(c)
            );
            let create = format!(
                "aws logs create-log-group{region} --log-group-name {g}\n\
                 aws logs put-retention-policy{region} --log-group-name {g} --retention-in-days 90\n",
                g = quote(&group)
            );
            (create, arn)
        }
    };
    let settings = serde_json::json!({ "DestinationArn": arn, "Format": JOIN_FORMAT }).to_string();
    format!(
        "{create}aws apigatewayv2 update-stage{region} --api-id {} --stage-name {} --access-log-settings {}",
        quote(&api.api_id),
        quote(&stage.stage_name),
        quote(&settings)
    )
}
