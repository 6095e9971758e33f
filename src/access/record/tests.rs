//! Tests of reading one access-log record: JSON with its keys, CLF, absent values, what is not a record.

use super::*;

fn parse(line: &str) -> Result<AccessRecord, AccessError> {
    parse_record(line, &AccessFields::default())
}

#[test]
fn the_aws_json_example_and_a_real_line() {
    // E1 of the reference: a fresh invocation, `-` for a variable with no value.
    let r = parse(
        r#"{"requestId": "SpEIxi9MoAMEMXw=", "ip": "165.73.110.75", "requestTime": "10/Sep/2020:08:42:44 +0000",
            "httpMethod": "GET", "routeKey": "GET /echo-test", "status": "200", "protocol": "HTTP/1.1",
            "responseLength": "20", "authzLatency": "-", "integrationLatency": "25"}"#,
    )
    .expect("record");
    assert_eq!(r.request_id.as_deref(), Some("SpEIxi9MoAMEMXw="));
    assert_eq!(r.ip.as_deref(), Some("165.73.110.75"));
    assert_eq!(r.time_ms, Some(1_599_727_364_000));
    assert_eq!(r.route_key.as_deref(), Some("GET /echo-test"));
    assert_eq!((r.status, r.response_length), (Some(200), Some(20)));
    assert_eq!(r.authorizer_error, None);
}

#[test]
fn dashes_are_absent_epoch_wins_and_numbers_may_be_json_numbers() {
    let r = parse(
        r#"{"requestId": "req-refused", "routeKey": "GET /api/issues", "httpMethod": "GET", "status": 403,
            "authorizerError": "Forbidden", "errorMessage": "Forbidden", "errorResponseType": "ACCESS_DENIED",
            "integrationErrorMessage": "-", "requestTimeEpoch": 1752213934309, "requestTime": "11/Jul/2025:06:05:34 +0000",
            "responseLatency": "-", "authorizerIp": "203.0.113.10"}"#,
    )
    .expect("record");
    assert_eq!(r.status, Some(403));
    assert_eq!(r.time_ms, Some(1_752_213_934_309));
    assert_eq!(r.authorizer_error.as_deref(), Some("Forbidden"));
    assert_eq!(r.error_response_type.as_deref(), Some("ACCESS_DENIED"));
    assert_eq!((r.integration_error_message, r.response_latency_ms), (None, None));
    assert_eq!(r.authorizer_ip.as_deref(), Some("203.0.113.10"));
}

#[test]
fn a_teams_own_field_names() {
    let fields = AccessFields::parse("ip=sourceIp,authorizerError=authError").expect("spec");
    let r = parse_record(
        r#"{"requestId": "HGQeGiXZliAEPSw=", "sourceIp": "93.142.91.220", "status": "500",
            "authError": "The response from the Lambda Authorizer function doesn't match the format that API Gateway expects."}"#,
        &fields,
    )
    .expect("record");
    assert_eq!(r.ip.as_deref(), Some("93.142.91.220"));
    assert!(r.authorizer_error.is_some_and(|e| e.starts_with("The response")));
}

#[test]
fn the_clf_fallback() {
    let r = parse(
        r#"165.73.110.75 - - [10/Sep/2020:08:42:44 +0000] "GET GET /echo-test HTTP/1.1" 403 23 SpEIxi9MoAMEMXw="#,
    )
    .expect("record");
    assert_eq!(r.ip.as_deref(), Some("165.73.110.75"));
    assert_eq!(r.http_method.as_deref(), Some("GET"));
    assert_eq!(r.route_key.as_deref(), Some("GET /echo-test"));
    assert_eq!(r.protocol.as_deref(), Some("HTTP/1.1"));
    assert_eq!((r.status, r.response_length), (Some(403), Some(23)));
    assert_eq!(r.request_id.as_deref(), Some("SpEIxi9MoAMEMXw="));
    assert_eq!(r.time_ms, Some(1_599_727_364_000));
}

#[test]
fn what_is_not_a_record_says_why() {
    assert_eq!(parse("START RequestId: x"), Err(AccessError::NotARecord));
    assert_eq!(parse("{not json"), Err(AccessError::NotARecord));
    assert_eq!(parse("[1, 2]"), Err(AccessError::NotARecord));
    let e = parse(r#"{"ip": "1.2.3.4"}"#).unwrap_err();
    assert!(e.to_string().contains("--access-log-fields requestId=KEY"), "{e}");
    let e = parse(r#"{"requestId": "a", "status": "teapot"}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "status is \"teapot\", which is not what that field holds"
    );
    let e = parse(r#"{"requestId": "a", "requestTime": "yesterday"}"#).unwrap_err();
    assert!(matches!(
        e,
        AccessError::BadValue {
            field: AccessField::RequestTime,
            ..
        }
    ));
    // Hostile text is kept as it is (escaped where it is printed), never interpreted.
    let r = parse(r#"{"requestId": "<script>", "ip": "\u001b[2J"}"#).expect("record");
    assert_eq!(r.ip.as_deref(), Some("\u{1b}[2J"));
}
