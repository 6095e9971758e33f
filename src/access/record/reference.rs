//! The record read through a `serde_json::Value` tree, as authlogs did before the scanner: the
//! oracle the tests and the fuzz property hold `parse_record` to.

use serde_json::Value;

use super::{from_clf, AccessError, AccessRecord};
use crate::access::fields::{AccessField, AccessFields};

/// A JSON value as text: strings as they are, numbers and booleans written out; `-`, empty and
/// null are absent (API Gateway writes `-` for a variable with no value).
fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty() && s != "-").then_some(s)
}

fn number<T: std::str::FromStr>(field: AccessField, v: Option<String>) -> Result<Option<T>, AccessError> {
    match v {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<T>()
            .map(Some)
            .map_err(|_| AccessError::BadValue { field, value: s }),
    }
}

/// `10/Sep/2020:08:42:44 +0000` → epoch ms.
fn clf_time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_str(s.trim(), "%d/%b/%Y:%H:%M:%S %z")
        .ok()
        .map(|t| t.timestamp_millis())
}

/// The record in `line`: a JSON object read with `fields`, else AWS's CLF example
/// (`ip - - [time] "METHOD route PROTOCOL" status length requestId`).
pub(crate) fn parse_record(line: &str, fields: &AccessFields) -> Result<AccessRecord, AccessError> {
    let trimmed = line.trim();
    if trimmed.starts_with('{') {
        return match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(map)) => from_json(&map, fields),
            _ => Err(AccessError::NotARecord),
        };
    }
    from_clf(trimmed).ok_or(AccessError::NotARecord)
}

fn from_json(map: &serde_json::Map<String, Value>, fields: &AccessFields) -> Result<AccessRecord, AccessError> {
    let get = |f: AccessField| text(map.get(fields.key(f)));
    let request_id = get(AccessField::RequestId);
    if request_id.is_none() && !map.contains_key(fields.key(AccessField::RequestId)) {
        return Err(AccessError::NoRequestId {
            key: fields.key(AccessField::RequestId).to_string(),
        });
    }
    let epoch: Option<i64> = number(AccessField::RequestTimeEpoch, get(AccessField::RequestTimeEpoch))?;
    let clf = match get(AccessField::RequestTime) {
        None => None,
        Some(t) => Some(clf_time(&t).ok_or(AccessError::BadValue {
            field: AccessField::RequestTime,
            value: t,
        })?),
    };
    Ok(AccessRecord {
        request_id,
        ip: get(AccessField::Ip),
        time_ms: epoch.or(clf),
        time_from_seconds: epoch.is_none() && clf.is_some(),
        http_method: get(AccessField::HttpMethod),
        route_key: get(AccessField::RouteKey),
        status: number(AccessField::Status, get(AccessField::Status))?,
        protocol: get(AccessField::Protocol),
        response_length: number(AccessField::ResponseLength, get(AccessField::ResponseLength))?,
        response_latency_ms: number(AccessField::ResponseLatency, get(AccessField::ResponseLatency))?,
        authorizer_error: get(AccessField::AuthorizerError),
        error_message: get(AccessField::ErrorMessage),
        error_response_type: get(AccessField::ErrorResponseType),
        integration_error_message: get(AccessField::IntegrationErrorMessage),
        authorizer_ip: get(AccessField::AuthorizerIp),
        authorizer_request_id: get(AccessField::AuthorizerRequestId),
    })
}
