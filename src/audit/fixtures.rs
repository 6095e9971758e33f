//! Configurations shared by the checks' and the renderers' tests: the seed's, a fixed one, a hostile one.

use super::model::*;
use crate::redact::{display_token, TokenDisplay};

/// The seed authorizer's token in these fixtures: no output may hold it.
pub const SEED_TOKEN: &str = "Ab12Xy34SeedToken";

/// The access-log format of docs/access-logs.md, copied from the doc (not from the checks).
pub const DOC_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","responseLatency":"$context.responseLatency","authorizerError":"$context.authorizer.error","errorMessage":"$context.error.message","errorResponseType":"$context.error.responseType","integrationErrorMessage":"$context.integrationErrorMessage","authorizerIp":"$context.authorizer.ip"}"#;

const FUNCTION_ARN: &str = "arn:aws:lambda:ap-northeast-1:123456789012:function:agw-access-permission";

/// An environment variable as `collect` records it: the value reduced to its mask at once.
pub fn env(name: &str, value: &str, is_reference: bool) -> EnvVar {
    EnvVar {
        name: name.into(),
        fingerprint: (!value.is_empty()).then(|| display_token(value, TokenDisplay::Masked)),
        value_bytes: value.len(),
        is_reference,
    }
}

fn route(key: &str, authorizer: Option<&str>) -> RouteConfig {
    RouteConfig {
        route_key: key.into(),
        authorization_type: if authorizer.is_some() { "CUSTOM" } else { "NONE" }.into(),
        authorizer_id: authorizer.map(str::to_string),
    }
}

/// The seed authorizer as deployed: identity source the Authorization header only, TTL 300 s, the
/// token in `ALLOWED_TOKEN`, `$default` without access log, `prod` logging `$context.authorizer.token`,
/// the function's logs kept forever.
pub fn seed() -> Configuration {
    Configuration {
        region: "ap-northeast-1".into(),
        apis: vec![ApiConfig {
            api_id: "a1b2c3d4e5".into(),
            name: "shop".into(),
            protocol_type: "HTTP".into(),
            authorizers: vec![AuthorizerConfig {
                authorizer_id: "x1y2z3".into(),
                name: "ip-check".into(),
                authorizer_type: "REQUEST".into(),
                function_arn: Some(FUNCTION_ARN.into()),
                identity_sources: vec!["$request.header.Authorization".into()],
                result_ttl_seconds: Some(300),
                payload_format_version: Some("2.0".into()),
                simple_responses: Some(true),
            }],
            routes: vec![
                route("GET /items", Some("x1y2z3")),
                route("POST /items", Some("x1y2z3")),
                route("GET /items/{id}", Some("x1y2z3")),
                route("DELETE /items/{id}", Some("x1y2z3")),
                route("OPTIONS /items", None),
            ],
            stages: vec![
                StageConfig {
                    stage_name: "$default".into(),
                    access_log: None,
                },
                StageConfig {
                    stage_name: "prod".into(),
                    access_log: Some(AccessLogSettings {
                        destination_arn: "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/apigateway/shop"
                            .into(),
                        format: DOC_FORMAT.replace(
                            r#","authorizerIp""#,
                            r#","token":"$context.authorizer.token","authorizerIp""#,
                        ),
                    }),
                },
            ],
        }],
        functions: vec![FunctionConfig {
            name: "agw-access-permission".into(),
            arn: FUNCTION_ARN.into(),
            runtime: Some("python3.12".into()),
            timeout_seconds: Some(3),
            memory_mb: Some(128),
            environment: vec![
                env("ALLOWED_IP", "203.0.113.10", false),
                env("ALLOWED_TOKEN", SEED_TOKEN, false),
            ],
            log_format: Some("Text".into()),
            log_group: Some(LogGroupConfig {
                name: "/aws/lambda/agw-access-permission".into(),
                exists: true,
                retention_days: None,
            }),
        }],
        gaps: Vec::new(),
        missing_functions: Vec::new(),
    }
}

/// The seed fixed: the source IP among the identity sources, the token as an SSM parameter
/// reference, access logging on with the doc's format on both stages, 90-day retention.
pub fn fixed() -> Configuration {
    let mut c = seed();
    let api = &mut c.apis[0];
    api.authorizers[0]
        .identity_sources
        .push("$context.identity.sourceIp".into());
    for stage in &mut api.stages {
        stage.access_log = Some(AccessLogSettings {
            destination_arn: "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/apigateway/shop".into(),
            format: DOC_FORMAT.into(),
        });
    }
    let f = &mut c.functions[0];
    f.environment[1] = env("ALLOWED_TOKEN", "/agw-access-permission/ALLOWED_TOKEN", true);
    if let Some(group) = &mut f.log_group {
        group.retention_days = Some(90);
    }
    c
}

/// Text an attacker could choose in AWS names: ESC sequences, a bell, a bidi override, a
/// formula, markup.
pub const HOSTILE: &str = "\x1b[2J\x1b]0;pwned\x07\u{202e}<script>alert(1)</script>";

/// The seed with hostile text in every name AWS returns, and a gap.
pub fn hostile() -> Configuration {
    let mut c = seed();
    let api = &mut c.apis[0];
    api.name = format!("=HYPERLINK(\"http://evil.example/\",\"x\"){HOSTILE}");
    api.authorizers[0].name = HOSTILE.into();
    api.authorizers[0].identity_sources[0] = format!("$request.header.Authorization{HOSTILE}");
    api.routes[0].route_key = format!("GET /{HOSTILE}");
    api.stages[0].stage_name = HOSTILE.into();
    c.functions[0].name = format!("fn{HOSTILE}");
    c.functions[0]
        .environment
        .push(env(&format!("EVIL_TOKEN{HOSTILE}"), "x", false));
    c.gaps.push(Gap {
        what: format!("=HYPERLINK(\"http://evil.example/\",\"x\") the stages of API {HOSTILE}"),
        permission: "apigateway:GET".into(),
        detail: format!("AccessDenied{HOSTILE}"),
    });
    c
}
