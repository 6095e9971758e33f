//! `authlogs audit` against moto: the seed's configuration read as it was set, a fixed one, a
//! refused permission on one API, and a region with nothing to audit. Resources are created with
//! the SDK crates (IAM's CreateRole, which Lambda needs, as one raw request) under unique names;
//! each test reads its own region, so tests running in parallel on one server do not meet.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_apigatewayv2::types::{AccessLogSettings, AuthorizationType, AuthorizerType, ProtocolType};
use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime};
use serde_json::Value;

use crate::cloudwatch::{authlogs, endpoint, now_ms, runtime};
use crate::proxy::{start_proxy, Action};
use crate::util::{finish, Run};

/// The seed's token: it must appear in no output of the audit.
pub(crate) const TOKEN: &str = "seed-token-3f9a1c7e5b2d4068";
/// The seed's allowed IP.
const ALLOWED_IP: &str = "203.0.113.7";
/// The finding kinds the seed's configuration calls for (issue 31).
pub(crate) const SEED_KINDS: [&str; 5] = [
    "cached_decision_ignores_source_ip",
    "secret_in_environment",
    "access_logging_disabled",
    "token_in_access_log_format",
    "log_retention_unlimited",
];

/// A name no other test (or earlier run against the same server) uses.
fn unique(test: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "agw-access-permission-{test}-{}-{}-{}",
        std::process::id(),
        now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn sdk_config(region: &'static str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(aws_sdk_cloudwatchlogs::config::SharedCredentialsProvider::new(
            Credentials::new("testing", "testing", None, None, "tests"),
        ))
        .endpoint_url(endpoint())
        .build()
}

/// The CRC-32 (IEEE) a zip entry carries, bit by bit: a few bytes, no dependency for it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip of one stored (uncompressed) `index.py`: what CreateFunction takes as code.
fn handler_zip() -> Vec<u8> {
    let name = b"index.py";
    let body = b"def handler(event, context):\n    return {\"isAuthorized\": False}\n";
    let (crc, size, name_len) = (crc32(body), body.len() as u32, name.len() as u16);
    let mut z = Vec::new();
    // Local file header.
    z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    for v in [20u16, 0, 0, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes()); // version, flags, method (stored), time, date
    }
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&name_len.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name);
    z.extend_from_slice(body);
    let central = z.len() as u32;
    // Central directory entry.
    z.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    for v in [20u16, 20, 0, 0, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes()); // made by, needed, flags, method, time, date
    }
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    for v in [name_len, 0, 0, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes()); // name, extra, comment, disk, internal attributes
    }
    z.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    z.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    z.extend_from_slice(name);
    let central_len = z.len() as u32 - central;
    // End of central directory.
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, 1, 1] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    z.extend_from_slice(&central_len.to_le_bytes());
    z.extend_from_slice(&central.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

/// The execution role CreateFunction names: moto checks it exists. IAM's CreateRole is one form
/// POST; moto routes it by the credential scope and does not check the signature.
fn role_arn() -> String {
    let role = "authlogs-audit-test-role";
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={role}&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D"
    );
    let host = endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut conn = TcpStream::connect(&host).expect("connect to moto");
    write!(
        conn,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send CreateRole");
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    // A second test finds the role there already: EntityAlreadyExists is as good.
    assert!(
        answer.contains("CreateRoleResponse") || answer.contains("EntityAlreadyExists"),
        "CreateRole: {answer}"
    );
    format!("arn:aws:iam::123456789012:role/{role}")
}

/// How one test's authorizer and stages are set up.
pub(crate) struct Setup {
    pub(crate) region: &'static str,
    pub(crate) function: String,
    env: Vec<(&'static str, String)>,
    identity_sources: Vec<&'static str>,
    /// Each stage: its name and access-log format (`None`: logging off).
    stages: Vec<(&'static str, Option<&'static str>)>,
    retention_days: Option<i32>,
    /// APIs to create, each with the authorizer and the stages above.
    apis: usize,
}

/// What was created: the function's ARN and the APIs' ids.
pub(crate) struct Created {
    function_arn: String,
    pub(crate) api_ids: Vec<String>,
}

fn create(setup: &Setup) -> Created {
    let config = sdk_config(setup.region);
    let lambda = aws_sdk_lambda::Client::new(&config);
    let apigw = aws_sdk_apigatewayv2::Client::new(&config);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let role = role_arn();
    runtime().block_on(async {
        let mut env = Environment::builder();
        for (k, v) in &setup.env {
            env = env.variables(*k, v);
        }
        let function = lambda
            .create_function()
            .function_name(&setup.function)
            .runtime(Runtime::Python312)
            .role(&role)
            .handler("index.handler")
            .code(FunctionCode::builder().zip_file(Blob::new(handler_zip())).build())
            .environment(env.build())
            .send()
            .await
            .expect("CreateFunction");
        let function_arn = function.function_arn.expect("a function ARN");
        let group = format!("/aws/lambda/{}", setup.function);
        logs.create_log_group()
            .log_group_name(&group)
            .send()
            .await
            .expect("CreateLogGroup");
        if let Some(days) = setup.retention_days {
            logs.put_retention_policy()
                .log_group_name(&group)
                .retention_in_days(days)
                .send()
                .await
                .expect("PutRetentionPolicy");
        }
        let mut api_ids = Vec::new();
        for i in 0..setup.apis {
            let api = apigw
                .create_api()
                .name(format!("{}-api{i}", setup.function))
                .protocol_type(ProtocolType::Http)
                .send()
                .await
                .expect("CreateApi");
            let api_id = api.api_id.expect("an API id");
            let authorizer = apigw
                .create_authorizer()
                .api_id(&api_id)
                .name("ip-check")
                .authorizer_type(AuthorizerType::Request)
                .authorizer_uri(format!(
                    "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
                    setup.region
                ))
                .set_identity_source(Some(setup.identity_sources.iter().map(|s| s.to_string()).collect()))
                .authorizer_result_ttl_in_seconds(300)
                .authorizer_payload_format_version("2.0")
                .enable_simple_responses(true)
                .send()
                .await
                .expect("CreateAuthorizer");
            apigw
                .create_route()
                .api_id(&api_id)
                .route_key("GET /items")
                .authorization_type(AuthorizationType::Custom)
                .authorizer_id(authorizer.authorizer_id.expect("an authorizer id"))
                .send()
                .await
                .expect("CreateRoute");
            for (stage, format) in &setup.stages {
                let mut req = apigw.create_stage().api_id(&api_id).stage_name(*stage);
                if let Some(format) = format {
                    req = req.access_log_settings(
                        AccessLogSettings::builder()
                            .destination_arn(format!(
                                "arn:aws:logs:{}:123456789012:log-group:/access/{}",
                                setup.region, setup.function
                            ))
                            .format(*format)
                            .build(),
                    );
                }
                req.send().await.expect("CreateStage");
            }
            api_ids.push(api_id);
        }
        Created { function_arn, api_ids }
    })
}

fn audit(endpoint: &str, region: &str, args: &[&str]) -> Run {
    let r = finish(
        authlogs()
            .args(["audit", "--endpoint-url", endpoint, "--region", region])
            .args(args),
    );
    r.assert_no_panic();
    r
}

/// The entry of `list` whose `key` is `value`.
fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .and_then(|l| l.iter().find(|v| v[key] == value))
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// The kinds of an audit document's findings, in order.
pub(crate) fn kinds(audit: &Value) -> Vec<String> {
    audit["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["kind"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn seed(region: &'static str, test: &str) -> (Setup, Created) {
    let setup = Setup {
        region,
        function: unique(test),
        env: vec![
            ("ALLOWED_TOKEN", TOKEN.to_string()),
            ("ALLOWED_IP", ALLOWED_IP.to_string()),
        ],
        identity_sources: vec!["$request.header.Authorization"],
        stages: vec![
            ("dev", None),
            (
                "prod",
                Some("$context.requestId $context.identity.sourceIp $context.authorizer.token"),
            ),
        ],
        retention_days: None,
        apis: 1,
    };
    let created = create(&setup);
    (setup, created)
}

/// The seed's configuration, with its function's log group deleted again so a test can fill it
/// with events (`put_events` creates the group); the group's name is returned.
pub(crate) fn seed_for_events(region: &'static str, test: &str) -> (Setup, Created, String) {
    let (setup, created) = seed(region, test);
    let group = format!("/aws/lambda/{}", setup.function);
    runtime().block_on(async {
        aws_sdk_cloudwatchlogs::Client::new(&sdk_config(region))
            .delete_log_group()
            .log_group_name(&group)
            .send()
            .await
            .expect("DeleteLogGroup");
    });
    (setup, created, group)
}

#[test]
fn the_seed_configuration_is_read_as_it_was_set_and_the_token_shows_nowhere() {
    if !crate::util::moto() {
        return;
    }
    let (setup, created) = seed("eu-west-3", "seed");
    let endpoint = endpoint();
    // The default selection: every function whose name contains agw-access-permission.
    let run = audit(&endpoint, setup.region, &["--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["schema"], "authlogs.audit/v1");
    assert_eq!(doc["region"], setup.region);
    assert_eq!(doc["complete"], true);
    let config = &doc["configuration"];
    let function = find(&config["functions"], "name", &setup.function);
    assert_eq!(function["arn"], created.function_arn.as_str());
    assert_eq!(function["runtime"], "python3.12");
    let token = find(&function["environment"], "name", "ALLOWED_TOKEN");
    assert_eq!(token["value_bytes"], TOKEN.len());
    assert_eq!(token["is_reference"], false);
    assert!(
        token["fingerprint"].as_str().is_some_and(|f| f.starts_with("tok:")),
        "{token}"
    );
    let ip = find(&function["environment"], "name", "ALLOWED_IP");
    assert_ne!(ip["fingerprint"], token["fingerprint"]);
    let group = &function["log_group"];
    assert_eq!(group["name"], format!("/aws/lambda/{}", setup.function));
    assert_eq!(group["exists"], true);
    assert_eq!(group["retention_days"], Value::Null);
    let api = find(&config["apis"], "api_id", &created.api_ids[0]);
    assert_eq!(api["protocol_type"], "HTTP");
    let authorizers = api["authorizers"].as_array().expect("authorizers");
    assert_eq!(authorizers.len(), 1, "{api}");
    let authorizer = &authorizers[0];
    assert_eq!(authorizer["authorizer_type"], "REQUEST");
    assert_eq!(authorizer["function_arn"], created.function_arn.as_str());
    assert_eq!(
        authorizer["identity_sources"],
        serde_json::json!(["$request.header.Authorization"])
    );
    assert_eq!(authorizer["result_ttl_seconds"], 300);
    assert_eq!(authorizer["payload_format_version"], "2.0");
    assert_eq!(authorizer["simple_responses"], true);
    let route = find(&api["routes"], "route_key", "GET /items");
    assert_eq!(route["authorization_type"], "CUSTOM");
    assert_eq!(route["authorizer_id"], authorizer["authorizer_id"]);
    assert_eq!(find(&api["stages"], "stage_name", "dev")["access_log"], Value::Null);
    let prod = &find(&api["stages"], "stage_name", "prod")["access_log"];
    assert!(
        prod["format"]
            .as_str()
            .is_some_and(|f| f.contains("$context.authorizer.token")),
        "{prod}"
    );

    // Every kind of the seed is among the findings, and `--fail-on high` fails on them.
    let found = kinds(&doc);
    for kind in SEED_KINDS {
        assert!(found.iter().any(|k| k == kind), "{kind} missing from {found:?}");
    }
    let failed = audit(&endpoint, setup.region, &["--format", "json", "--fail-on", "high"]);
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    assert!(failed.stderr.contains("(--fail-on)"), "{}", failed.stderr);

    for format in ["json", "table", "csv", "html"] {
        let run = audit(&endpoint, setup.region, &["--format", format, "--color", "always"]);
        assert_eq!(run.code, Some(0), "{format}: {}", run.stderr);
        let out = String::from_utf8_lossy(&run.stdout);
        assert!(!out.is_empty(), "{format}: no output");
        assert!(!out.contains(TOKEN), "{format}: the token's value is in the output");
        assert!(!run.stderr.contains(TOKEN), "{format}: the token's value is on stderr");
    }
}

#[test]
fn a_fixed_configuration_is_read_with_its_fixes() {
    if !crate::util::moto() {
        return;
    }
    let region = "eu-north-1";
    let function = unique("fixed");
    let setup = Setup {
        region,
        function: function.clone(),
        env: vec![
            ("ALLOWED_TOKEN_PARAM", "/authlogs/prod/allowed-token".to_string()),
            ("ALLOWED_IP", ALLOWED_IP.to_string()),
        ],
        identity_sources: vec!["$request.header.Authorization", "$context.identity.sourceIp"],
        stages: vec![(
            "prod",
            Some("$context.requestId $context.requestTime $context.identity.sourceIp $context.status $context.authorizer.error"),
        )],
        retention_days: Some(90),
        apis: 1,
    };
    let created = create(&setup);
    // By name: the API is found through its authorizer.
    let run = audit(
        &endpoint(),
        region,
        &["--format", "json", "--function", &function, "--fail-on", "low"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    let config = &doc["configuration"];
    assert_eq!(config["functions"].as_array().map(Vec::len), Some(1), "{config}");
    let param = find(&config["functions"][0]["environment"], "name", "ALLOWED_TOKEN_PARAM");
    assert_eq!(param["is_reference"], true);
    assert_eq!(config["functions"][0]["log_group"]["retention_days"], 90);
    assert_eq!(config["apis"].as_array().map(Vec::len), Some(1), "{config}");
    let api = &config["apis"][0];
    assert_eq!(api["api_id"], created.api_ids[0].as_str());
    assert_eq!(
        api["authorizers"][0]["identity_sources"],
        serde_json::json!(["$request.header.Authorization", "$context.identity.sourceIp"])
    );
    assert!(api["stages"][0]["access_log"]["format"].is_string(), "{api}");
    assert_eq!(
        kinds(&doc),
        Vec::<String>::new(),
        "the fixed configuration has findings"
    );
}

#[test]
fn a_refused_permission_on_one_api_is_one_line_and_the_rest_is_audited() {
    if !crate::util::moto() {
        return;
    }
    let (setup, created) = {
        let setup = Setup {
            region: "ap-southeast-2",
            function: unique("denied"),
            env: vec![("ALLOWED_TOKEN", TOKEN.to_string())],
            identity_sources: vec!["$request.header.Authorization"],
            stages: vec![("prod", None)],
            retention_days: None,
            apis: 2,
        };
        let created = create(&setup);
        (setup, created)
    };
    let denied = created.api_ids[0].clone();
    let stages_path = format!("GET /v2/apis/{denied}/stages");
    let proxy = start_proxy(move |call| {
        if call.operation == stages_path {
            Action::RestError {
                status: "403 Forbidden",
                error_type: "AccessDeniedException",
                message: "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: apigateway:GET"
                    .to_string(),
            }
        } else {
            Action::Forward
        }
    });
    let run = audit(
        &proxy.url,
        setup.region,
        &["--format", "json", "--function", &setup.function],
    );
    assert_eq!(run.code, Some(3), "a gap makes the audit partial: {}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("apigateway:GET")).collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains(&denied) && lines[0].contains("stages"),
        "{}",
        lines[0]
    );
    assert!(!run.stderr.contains(TOKEN));
    let doc = run.json();
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["gaps"].as_array().map(Vec::len), Some(1), "{}", doc["gaps"]);
    assert_eq!(doc["gaps"][0]["permission"], "apigateway:GET");
    let apis = &doc["configuration"]["apis"];
    assert_eq!(find(apis, "api_id", &denied)["stages"], serde_json::json!([]));
    let other = find(apis, "api_id", &created.api_ids[1]);
    assert_eq!(other["stages"][0]["stage_name"], "prod");
    assert_eq!(doc["configuration"]["functions"][0]["name"], setup.function.as_str());
    assert_eq!(
        proxy.calls(&format!("GET /v2/apis/{denied}/stages")),
        1,
        "a refusal is not retried"
    );
    // moto does not implement GetAuthorizers: asked once in the run (of whichever API comes
    // first, maybe one an earlier run left in the region), then the routes lead.
    let seen = proxy.seen.lock().map(|s| s.clone()).unwrap_or_default();
    let listings = seen.iter().filter(|o| o.ends_with("/authorizers")).count();
    assert_eq!(listings, 1, "GetAuthorizers is tried once per run: {seen:?}");
}

#[test]
fn authorizers_are_taken_from_get_authorizers_when_the_server_lists_them() {
    if !crate::util::moto() {
        return;
    }
    let (setup, created) = seed("ca-central-1", "listed");
    let api = created.api_ids[0].clone();
    let listing = format!("GET /v2/apis/{api}/authorizers");
    let uri = format!(
        "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations",
        setup.region, created.function_arn
    );
    // A server that implements the listing (as AWS does): one authorizer moto never had.
    let body = serde_json::json!({ "items": [{
        "authorizerId": "listed1",
        "name": "from-the-listing",
        "authorizerType": "REQUEST",
        "authorizerUri": uri,
        "identitySource": ["$request.header.Authorization", "$context.identity.sourceIp"],
        "authorizerResultTtlInSeconds": 0,
        "authorizerPayloadFormatVersion": "2.0",
        "enableSimpleResponses": false
    }]})
    .to_string();
    let proxy = start_proxy(move |call| {
        if call.operation == listing {
            Action::Answer(body.clone())
        } else {
            Action::Forward
        }
    });
    let run = audit(&proxy.url, setup.region, &["--format", "json", "--api-id", &api]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    let authorizers = &find(&doc["configuration"]["apis"], "api_id", &api)["authorizers"];
    assert_eq!(authorizers.as_array().map(Vec::len), Some(1), "{authorizers}");
    assert_eq!(authorizers[0]["authorizer_id"], "listed1");
    assert_eq!(authorizers[0]["result_ttl_seconds"], 0);
    assert_eq!(authorizers[0]["simple_responses"], false);
    let by_id = proxy
        .seen
        .lock()
        .map_or(0, |s| s.iter().filter(|o| o.contains("/authorizers/")).count());
    assert_eq!(by_id, 0, "GetAuthorizer by id is only the fallback");
    // --api-id alone: the function the authorizer invokes is read by its ARN.
    assert_eq!(doc["configuration"]["functions"][0]["name"], setup.function.as_str());

    // Listed, an API none of whose authorizers invokes an audited function costs that one call:
    // its routes and stages are not read.
    let (other, _) = seed(setup.region, "listed-other");
    let routes = format!("GET /v2/apis/{api}/routes");
    let before = proxy.calls(&routes);
    assert!(before > 0, "the audited API's routes were read, under this name");
    let run = audit(
        &proxy.url,
        setup.region,
        &["--format", "json", "--api-id", &api, "--function", &other.function],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["configuration"]["apis"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["configuration"]["functions"][0]["name"], other.function.as_str());
    assert_eq!(
        proxy.calls(&routes),
        before,
        "the routes of an API not audited were read"
    );
}

#[test]
fn a_region_with_nothing_to_audit_is_one_clear_error() {
    if !crate::util::moto() {
        return;
    }
    // No test creates anything in this region.
    let run = audit(&endpoint(), "sa-east-1", &["--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    for part in [
        "nothing to audit",
        "sa-east-1",
        "agw-access-permission",
        "--function",
        "--api-id",
        "--region",
    ] {
        assert!(lines[0].contains(part), "{part}: {}", lines[0]);
    }
}

#[test]
fn an_unreachable_endpoint_ends_the_audit_with_one_line() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let run = audit(&format!("http://127.0.0.1:{port}"), "eu-west-1", &["--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains("cannot reach the AWS endpoint") && lines[0].contains("--endpoint-url"),
        "{}",
        lines[0]
    );
}

#[test]
fn an_authorizer_invoking_a_deleted_function_is_a_finding_and_a_named_one_missing_is_an_error() {
    if !crate::util::moto() {
        return;
    }
    let region = "eu-central-1";
    let (setup, created) = seed(region, "deleted");
    let config = sdk_config(region);
    runtime().block_on(async {
        aws_sdk_lambda::Client::new(&config)
            .delete_function()
            .function_name(&setup.function)
            .send()
            .await
            .expect("DeleteFunction");
    });
    // Found through its API (the function is gone, so only --api-id finds it): the authorizer
    // invokes a function that does not exist, which every request of its routes fails on.
    let api_id = &created.api_ids[0];
    let run = audit(&endpoint(), region, &["--format", "json", "--api-id", api_id]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        doc["complete"], true,
        "not found is a finding, not a gap: {}",
        run.stderr
    );
    let missing = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["kind"] == "authorizer_function_missing"))
        .unwrap_or_else(|| panic!("no authorizer_function_missing in {}", doc["findings"]));
    assert_eq!(missing["severity"], "high");
    assert!(
        missing["evidence"]
            .as_str()
            .is_some_and(|e| e.contains(&created.function_arn)),
        "{missing}"
    );
    assert_eq!(
        doc["configuration"]["missing_functions"][0],
        created.function_arn.as_str()
    );

    // Named by the user, a function or an API that does not exist is one error line (exit 1).
    for (flag, value, what) in [
        ("--function", setup.function.as_str(), "function"),
        ("--api-id", "nosuch0000", "API"),
    ] {
        let run = audit(&endpoint(), region, &["--format", "json", flag, value]);
        assert_eq!(run.code, Some(1), "{flag}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", run.stderr);
        let named = format!("{what} '{value}' not found in region {region}");
        for part in [named.as_str(), "list them with", "--region"] {
            assert!(lines[0].contains(part), "{part}: {}", lines[0]);
        }
    }
}
