//! The configuration facts an audit reads: HTTP APIs, their Lambda authorizers, routes and stages,
//! the authorizer functions and their log groups. Never holds a secret's value.

use serde::Serialize;

/// Everything one audit read, and what it could not read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Configuration {
    /// The region the audit read.
    pub region: String,
    /// The HTTP APIs with at least one Lambda authorizer backed by an audited function.
    pub apis: Vec<ApiConfig>,
    /// The audited authorizer functions (those the APIs' authorizers invoke, or `--function`).
    pub functions: Vec<FunctionConfig>,
    /// What could not be read (a refused permission, a missing resource): the audit goes on without it.
    pub gaps: Vec<Gap>,
    /// The function ARNs an audited authorizer invokes that do not exist (GetFunctionConfiguration
    /// answered not found): every request such an authorizer guards fails.
    pub missing_functions: Vec<String>,
}

/// One HTTP API (API Gateway v2).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApiConfig {
    /// `ApiId`, e.g. `a1b2c3d4e5`.
    pub api_id: String,
    /// The API's name.
    pub name: String,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol_type: String,
    /// Its Lambda (`REQUEST`) authorizers that invoke an audited function.
    pub authorizers: Vec<AuthorizerConfig>,
    /// Every route of the API, with the authorizer that guards it (if any).
    pub routes: Vec<RouteConfig>,
    /// Every stage, with its access-log settings.
    pub stages: Vec<StageConfig>,
}

/// One Lambda authorizer of an API.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuthorizerConfig {
    /// `AuthorizerId`.
    pub authorizer_id: String,
    /// The authorizer's name.
    pub name: String,
    /// `REQUEST` (Lambda) or `JWT`.
    pub authorizer_type: String,
    /// The Lambda function ARN taken from `AuthorizerUri`, when it names one.
    pub function_arn: Option<String>,
    /// `IdentitySource`, e.g. `["$request.header.Authorization"]`. Empty when none is set.
    pub identity_sources: Vec<String>,
    /// `AuthorizerResultTtlInSeconds`; `None` when the service did not say (its default is 0 for
    /// HTTP APIs created without caching, 300 s in the console).
    pub result_ttl_seconds: Option<i32>,
    /// `AuthorizerPayloadFormatVersion`: `1.0` or `2.0`.
    pub payload_format_version: Option<String>,
    /// `EnableSimpleResponses`.
    pub simple_responses: Option<bool>,
}

/// One route of an API.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RouteConfig {
    /// `RouteKey`, e.g. `GET /items` or `$default`.
    pub route_key: String,
    /// `AuthorizationType`: `NONE`, `CUSTOM`, `JWT` or `AWS_IAM`.
    pub authorization_type: String,
    /// The `AuthorizerId` that guards it, when `CUSTOM` or `JWT`.
    pub authorizer_id: Option<String>,
}

/// One stage of an API.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageConfig {
    /// `StageName`, e.g. `$default` or `prod`.
    pub stage_name: String,
    /// The access-log settings; `None` when access logging is off.
    pub access_log: Option<AccessLogSettings>,
}

/// A stage's access logging.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AccessLogSettings {
    /// The log group ARN the records go to.
    pub destination_arn: String,
    /// The record format, with its `$context` variables.
    pub format: String,
}

/// One authorizer function's configuration, as GetFunctionConfiguration returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FunctionConfig {
    /// The function name.
    pub name: String,
    /// The function ARN.
    pub arn: String,
    /// e.g. `python3.12`; `None` for container images.
    pub runtime: Option<String>,
    /// Timeout in seconds.
    pub timeout_seconds: Option<i32>,
    /// Memory in MB.
    pub memory_mb: Option<i32>,
    /// The environment variables: names and what their value looks like, never the value.
    pub environment: Vec<EnvVar>,
    /// `Text` or `JSON` (`LoggingConfig.LogFormat`).
    pub log_format: Option<String>,
    /// The function's log group and its retention.
    pub log_group: Option<LogGroupConfig>,
}

/// One environment variable, without its value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// The value's mask as the report shows tokens (`tok:1a2b3c4d`), so it can be matched with the
    /// report's masked tokens; `None` when the value is empty.
    pub fingerprint: Option<String>,
    /// The value's length in bytes.
    pub value_bytes: usize,
    /// The value is a reference to a secret store (an SSM parameter or Secrets Manager ARN or
    /// name), not the secret itself.
    pub is_reference: bool,
}

/// A function's log group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LogGroupConfig {
    /// The log group's name (`/aws/lambda/<function>` or `LoggingConfig.LogGroup`).
    pub name: String,
    /// Whether the group exists (a function never invoked has none yet).
    pub exists: bool,
    /// `retentionInDays`; `None` means logs are kept forever.
    pub retention_days: Option<i32>,
}

/// Something the audit could not read, and why: one line in every output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// What was being read, e.g. `the stages of API a1b2c3d4e5`.
    pub what: String,
    /// The IAM permission it needs, e.g. `apigateway:GET`.
    pub permission: String,
    /// The service's answer, escaped.
    pub detail: String,
}
