//! API Gateway v2: the HTTP APIs, their routes, Lambda authorizers and stages, as the model holds them.

use aws_sdk_apigatewayv2::types::{Api, Authorizer, Route, Stage};

use crate::audit::{AccessLogSettings, AuthorizerConfig, RouteConfig, StageConfig};
use crate::aws::call::{call, Failure, Shared};
use crate::aws::paging::all_pages;

/// The part of an authorizer URI that precedes the function ARN.
const FUNCTIONS_PATH: &str = "/functions/";
/// The part that follows it.
const INVOCATIONS: &str = "/invocations";

/// The Lambda function ARN an authorizer invokes, out of its `AuthorizerUri`
/// (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`); a bare
/// function ARN is taken as is. `None` for anything else (e.g. a stage variable in its place).
pub(crate) fn function_arn(uri: &str) -> Option<String> {
    let arn = match uri.find(FUNCTIONS_PATH) {
        Some(i) => {
            let rest = &uri[i + FUNCTIONS_PATH.len()..];
            rest.strip_suffix(INVOCATIONS).unwrap_or(rest)
        }
        None => uri,
    };
    (arn.starts_with("arn:") && arn.contains(":lambda:") && arn.contains(":function:")).then(|| arn.to_string())
}

/// The function name in a function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`)
/// or a name (`NAME[:QUALIFIER]`): the version or alias qualifier is dropped.
pub(crate) fn function_name(arn_or_name: &str) -> &str {
    let rest = match arn_or_name.split_once(":function:") {
        Some((_, rest)) => rest,
        None => arn_or_name,
    };
    rest.split(':').next().unwrap_or(rest)
}

/// One API as GetApis lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiSummary {
    pub(crate) api_id: String,
    pub(crate) name: String,
    pub(crate) protocol_type: String,
}

fn summary(api: Api) -> Option<ApiSummary> {
    Some(ApiSummary {
        api_id: api.api_id?,
        name: api.name.unwrap_or_default(),
        protocol_type: api.protocol_type.map(|p| p.as_str().to_string()).unwrap_or_default(),
    })
}

/// Every API of the region (GetApis, paged).
pub(crate) async fn list_apis(
    client: &aws_sdk_apigatewayv2::Client,
    shared: &Shared,
) -> Result<Vec<ApiSummary>, Failure> {
    all_pages(|token| async move {
        let out = call(shared, 10, || client.get_apis().set_next_token(token.clone()).send()).await?;
        Ok((
            out.items.unwrap_or_default().into_iter().filter_map(summary).collect(),
            out.next_token,
        ))
    })
    .await
}

fn route(r: Route) -> RouteConfig {
    RouteConfig {
        route_key: r.route_key.unwrap_or_default(),
        authorization_type: r
            .authorization_type
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "NONE".into()),
        authorizer_id: r.authorizer_id.filter(|id| !id.is_empty()),
    }
}

/// Every route of an API (GetRoutes, paged).
pub(crate) async fn routes(
    client: &aws_sdk_apigatewayv2::Client,
    shared: &Shared,
    api_id: &str,
) -> Result<Vec<RouteConfig>, Failure> {
    all_pages(|token| async move {
        let out = call(shared, 11, || {
            client.get_routes().api_id(api_id).set_next_token(token.clone()).send()
        })
        .await?;
        Ok((
            out.items.unwrap_or_default().into_iter().map(route).collect(),
            out.next_token,
        ))
    })
    .await
}

/// The model's view of an authorizer.
pub(crate) fn authorizer(a: Authorizer) -> AuthorizerConfig {
    AuthorizerConfig {
        authorizer_id: a.authorizer_id.unwrap_or_default(),
        name: a.name.unwrap_or_default(),
        authorizer_type: a.authorizer_type.map(|t| t.as_str().to_string()).unwrap_or_default(),
        function_arn: a.authorizer_uri.as_deref().and_then(function_arn),
        identity_sources: a.identity_source.unwrap_or_default(),
        result_ttl_seconds: a.authorizer_result_ttl_in_seconds,
        payload_format_version: a.authorizer_payload_format_version,
        simple_responses: a.enable_simple_responses,
    }
}

/// Every authorizer of an API (GetAuthorizers, paged). Emulators may not implement it: the caller
/// then finds them through the routes (see [`get_authorizer`]).
pub(crate) async fn list_authorizers(
    client: &aws_sdk_apigatewayv2::Client,
    shared: &Shared,
    api_id: &str,
) -> Result<Vec<AuthorizerConfig>, Failure> {
    all_pages(|token| async move {
        let out = call(shared, 12, || {
            client
                .get_authorizers()
                .api_id(api_id)
                .set_next_token(token.clone())
                .send()
        })
        .await?;
        Ok((
            out.items.unwrap_or_default().into_iter().map(authorizer).collect(),
            out.next_token,
        ))
    })
    .await
}

/// One authorizer by id (GetAuthorizer).
pub(crate) async fn get_authorizer(
    client: &aws_sdk_apigatewayv2::Client,
    shared: &Shared,
    api_id: &str,
    authorizer_id: &str,
) -> Result<AuthorizerConfig, Failure> {
    let out = call(shared, 13, || {
        client
            .get_authorizer()
            .api_id(api_id)
            .authorizer_id(authorizer_id)
            .send()
    })
    .await?;
    Ok(authorizer(
        Authorizer::builder()
            .set_authorizer_id(out.authorizer_id.or_else(|| Some(authorizer_id.to_string())))
            .set_name(out.name)
            .set_authorizer_type(out.authorizer_type)
            .set_authorizer_uri(out.authorizer_uri)
            .set_identity_source(out.identity_source)
            .set_authorizer_result_ttl_in_seconds(out.authorizer_result_ttl_in_seconds)
            .set_authorizer_payload_format_version(out.authorizer_payload_format_version)
            .set_enable_simple_responses(out.enable_simple_responses)
            .build(),
    ))
}

fn stage(s: Stage) -> StageConfig {
    StageConfig {
        stage_name: s.stage_name.unwrap_or_default(),
        // A settings block with neither a destination nor a format is logging off, as the console shows it.
        access_log: s.access_log_settings.and_then(|a| {
            let settings = AccessLogSettings {
                destination_arn: a.destination_arn.unwrap_or_default(),
                format: a.format.unwrap_or_default(),
            };
            (!settings.destination_arn.is_empty() || !settings.format.is_empty()).then_some(settings)
        }),
    }
}

/// Every stage of an API with its access-log settings (GetStages, paged).
pub(crate) async fn stages(
    client: &aws_sdk_apigatewayv2::Client,
    shared: &Shared,
    api_id: &str,
) -> Result<Vec<StageConfig>, Failure> {
    all_pages(|token| async move {
        let out = call(shared, 14, || {
            client.get_stages().api_id(api_id).set_next_token(token.clone()).send()
        })
        .await?;
        Ok((
            out.items.unwrap_or_default().into_iter().map(stage).collect(),
            out.next_token,
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:agw-access-permission";

    #[test]
    fn the_function_arn_comes_out_of_the_authorizer_uri() {
        let uri = format!("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}/invocations");
        assert_eq!(function_arn(&uri).as_deref(), Some(ARN));
        let qualified = format!("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}:live/invocations");
        assert_eq!(function_arn(&qualified), Some(format!("{ARN}:live")));
        assert_eq!(function_arn(ARN).as_deref(), Some(ARN));
        let variable = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations";
        assert_eq!(function_arn(variable), None);
        assert_eq!(function_arn("https://example.com/authorize"), None);
    }

    #[test]
    fn the_function_name_drops_the_arn_and_the_qualifier() {
        assert_eq!(function_name(ARN), "agw-access-permission");
        assert_eq!(function_name(&format!("{ARN}:7")), "agw-access-permission");
        assert_eq!(function_name("agw-access-permission:live"), "agw-access-permission");
        assert_eq!(function_name("plain"), "plain");
    }

    #[test]
    fn an_empty_access_log_block_is_logging_off() {
        let off = stage(
            Stage::builder()
                .stage_name("prod")
                .access_log_settings(aws_sdk_apigatewayv2::types::AccessLogSettings::builder().build())
                .build(),
        );
        assert_eq!(off.access_log, None);
        let on = stage(
            Stage::builder()
                .stage_name("prod")
                .access_log_settings(
                    aws_sdk_apigatewayv2::types::AccessLogSettings::builder()
                        .destination_arn("arn:aws:logs:us-east-1:1:log-group:access")
                        .format("$context.requestId")
                        .build(),
                )
                .build(),
        );
        assert_eq!(on.access_log.map(|a| a.format), Some("$context.requestId".to_string()));
    }
}
