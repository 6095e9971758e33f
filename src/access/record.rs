//! One access-log record read from a line: JSON (as AWS recommends, with the team's field names)
//! or, as a fallback, AWS's CLF example. `-` is absent; a line that is neither is an error that
//! says why, never a silent drop.

use serde_json::Value;

use super::fields::{AccessField, AccessFields};

/// What an API request looked like to its caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessRecord {
    pub request_id: Option<String>,
    pub ip: Option<String>,
    /// When the request arrived: `requestTimeEpoch` (ms), else `requestTime` (s).
    pub time_ms: Option<i64>,
    /// `time_ms` came from `requestTime`, which has whole seconds.
    pub time_from_seconds: bool,
    pub http_method: Option<String>,
    pub route_key: Option<String>,
    pub status: Option<u16>,
    pub protocol: Option<String>,
    pub response_length: Option<u64>,
    pub response_latency_ms: Option<u64>,
    pub authorizer_error: Option<String>,
    pub error_message: Option<String>,
    pub error_response_type: Option<String>,
    pub integration_error_message: Option<String>,
    pub authorizer_ip: Option<String>,
    pub authorizer_request_id: Option<String>,
}

/// Why a line is not an access-log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    /// Neither a JSON object nor a CLF line.
    NotARecord,
    /// A JSON object without the request id field (named): not this API's access log, or another
    /// field mapping is needed.
    NoRequestId { key: String },
    /// A value that is not what its field holds.
    BadValue { field: AccessField, value: String },
}

impl std::fmt::Display for AccessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccessError::NotARecord => write!(f, "not an access-log record (a JSON object, or a CLF line)"),
            AccessError::NoRequestId { key } => write!(
                f,
                "a JSON record without \"{key}\": pass --access-log-fields requestId=KEY with the key your format uses"
            ),
            AccessError::BadValue { field, value } => {
                let value: String = value.chars().take(40).collect();
                write!(f, "{field} is {value:?}, which is not what that field holds")
            }
        }
    }
}

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
pub fn parse_record(line: &str, fields: &AccessFields) -> Result<AccessRecord, AccessError> {
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

fn absent_dash(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

fn from_clf(line: &str) -> Option<AccessRecord> {
    let (ip, rest) = line.split_once(' ')?;
    let open = rest.find('[')?;
    let close = open + rest[open..].find(']')?;
    let time_ms = clf_time(&rest[open + 1..close])?;
    let rest = rest[close + 1..].trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    // `"$context.httpMethod $context.routeKey $context.protocol"`: the route key holds a space
    // of its own (`GET /pets`), so the method is the first word, the protocol the last.
    let words: Vec<&str> = rest[..end].split(' ').filter(|w| !w.is_empty()).collect();
    let method = *words.first()?;
    let (route, protocol) = match words.len() {
        0 | 1 => (None, None),
        2 => (Some(words[1].to_string()), None),
        n => (Some(words[1..n - 1].join(" ")), Some(words[n - 1])),
    };
    let mut tail = rest[end + 1..].split_whitespace();
    let status = tail.next()?.parse::<u16>().ok()?;
    let length = tail.next().and_then(absent_dash).and_then(|l| l.parse().ok());
    let request_id = tail.next().and_then(absent_dash);
    Some(AccessRecord {
        request_id,
        ip: absent_dash(ip),
        time_ms: Some(time_ms),
        time_from_seconds: true,
        http_method: absent_dash(method),
        route_key: route.as_deref().and_then(absent_dash),
        status: Some(status),
        protocol: protocol.and_then(absent_dash),
        response_length: length,
        ..AccessRecord::default()
    })
}

#[cfg(test)]
mod tests;
