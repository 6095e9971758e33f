//! One access-log record read from a line: JSON (as AWS recommends, with the team's field names)
//! or, as a fallback, AWS's CLF example. `-` is absent; a line that is neither is an error that
//! says why, never a silent drop.

use std::borrow::Cow;

use super::fields::{AccessField, AccessFields};
use scan::{scan, Scanned};

#[cfg(test)]
pub(crate) mod reference;
mod scan;

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

fn number<T: std::str::FromStr>(field: AccessField, v: Option<&str>) -> Result<Option<T>, AccessError> {
    match v {
        None => Ok(None),
        Some(s) => s.trim().parse::<T>().map(Some).map_err(|_| AccessError::BadValue {
            field,
            value: s.to_string(),
        }),
    }
}

/// `10/Sep/2020:08:42:44 +0000` → epoch ms: the shape API Gateway writes read directly, anything
/// else (another case, a leap second, an impossible date) left to chrono, which decides.
fn clf_time(s: &str) -> Option<i64> {
    let s = s.trim();
    clf_time_fast(s).or_else(|| {
        chrono::DateTime::parse_from_str(s, "%d/%b/%Y:%H:%M:%S %z")
            .ok()
            .map(|t| t.timestamp_millis())
    })
}

/// `dd/Mon/yyyy:HH:MM:SS ±hhmm` exactly, with a valid date and time; `None` for any other text.
fn clf_time_fast(s: &str) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    let b = s.as_bytes();
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[14] != b':' || b[17] != b':' {
        return None;
    }
    if b[20] != b' ' || !matches!(b[21], b'+' | b'-') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        b.get(range)?
            .iter()
            .try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let day = num(0..2)?;
    let month = MONTHS.iter().position(|m| b.get(3..6) == Some(&m[..]))? as u32 + 1;
    let year = num(7..11)?;
    let (hour, minute, second) = (num(12..14)?, num(15..17)?, num(18..20)?);
    let (off_h, off_m) = (num(22..24)?, num(24..26)?);
    if hour > 23 || minute > 59 || second > 59 || off_h > 23 || off_m > 59 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, u32::try_from(day).ok()?)?;
    let days = date
        .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    let offset = (off_h * 3600 + off_m * 60) * if b[21] == b'-' { -1 } else { 1 };
    Some(((days * 86_400 + hour * 3600 + minute * 60 + second) - offset) * 1000)
}

/// The values of a JSON record that are numbers or times, checked in the order a record is
/// reported unreadable by (the first bad one names it).
struct Checked {
    time_ms: Option<i64>,
    time_from_seconds: bool,
    status: Option<u16>,
    response_length: Option<u64>,
    response_latency_ms: Option<u64>,
}

fn check(scanned: &Scanned<'_>, fields: &AccessFields) -> Result<Checked, AccessError> {
    if scanned.get(AccessField::RequestId).is_none() && !scanned.has_request_id {
        return Err(AccessError::NoRequestId {
            key: fields.key(AccessField::RequestId).to_string(),
        });
    }
    let epoch: Option<i64> = number(
        AccessField::RequestTimeEpoch,
        scanned.get(AccessField::RequestTimeEpoch),
    )?;
    let clf = match scanned.get(AccessField::RequestTime) {
        None => None,
        Some(t) => Some(clf_time(t).ok_or_else(|| AccessError::BadValue {
            field: AccessField::RequestTime,
            value: t.to_string(),
        })?),
    };
    Ok(Checked {
        time_ms: epoch.or(clf),
        time_from_seconds: epoch.is_none() && clf.is_some(),
        status: number(AccessField::Status, scanned.get(AccessField::Status))?,
        response_length: number(AccessField::ResponseLength, scanned.get(AccessField::ResponseLength))?,
        response_latency_ms: number(AccessField::ResponseLatency, scanned.get(AccessField::ResponseLatency))?,
    })
}

/// The values of a record the join needs, borrowed from the line where they can be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinRecord<'a> {
    pub request_id: Option<Cow<'a, str>>,
    pub ip: Option<Cow<'a, str>>,
    /// As [`AccessRecord::time_ms`].
    pub time_ms: Option<i64>,
    /// As [`AccessRecord::time_from_seconds`].
    pub time_from_seconds: bool,
    pub status: Option<u16>,
    pub authorizer_error: Option<Cow<'a, str>>,
    /// `integrationErrorMessage` was logged.
    pub integration_error: bool,
    pub authorizer_ip: Option<Cow<'a, str>>,
    pub authorizer_request_id: Option<Cow<'a, str>>,
}

/// The record in `line` as the join reads it: the same records, values and errors as
/// [`parse_record`], without copying a value that has no escape.
pub fn parse_join_record<'a>(line: &'a str, fields: &AccessFields) -> Result<JoinRecord<'a>, AccessError> {
    let trimmed = line.trim();
    if trimmed.starts_with('{') {
        let mut scanned = scan(trimmed, fields).ok_or(AccessError::NotARecord)?;
        let c = check(&scanned, fields)?;
        return Ok(JoinRecord {
            request_id: scanned.take(AccessField::RequestId),
            ip: scanned.take(AccessField::Ip),
            time_ms: c.time_ms,
            time_from_seconds: c.time_from_seconds,
            status: c.status,
            authorizer_error: scanned.take(AccessField::AuthorizerError),
            integration_error: scanned.get(AccessField::IntegrationErrorMessage).is_some(),
            authorizer_ip: scanned.take(AccessField::AuthorizerIp),
            authorizer_request_id: scanned.take(AccessField::AuthorizerRequestId),
        });
    }
    let r = from_clf(trimmed).ok_or(AccessError::NotARecord)?;
    Ok(JoinRecord {
        request_id: r.request_id.map(Cow::Owned),
        ip: r.ip.map(Cow::Owned),
        time_ms: r.time_ms,
        time_from_seconds: r.time_from_seconds,
        status: r.status,
        authorizer_error: r.authorizer_error.map(Cow::Owned),
        integration_error: r.integration_error_message.is_some(),
        authorizer_ip: r.authorizer_ip.map(Cow::Owned),
        authorizer_request_id: r.authorizer_request_id.map(Cow::Owned),
    })
}

/// The record in `line`: a JSON object read with `fields`, else AWS's CLF example
/// (`ip - - [time] "METHOD route PROTOCOL" status length requestId`).
pub fn parse_record(line: &str, fields: &AccessFields) -> Result<AccessRecord, AccessError> {
    let trimmed = line.trim();
    if trimmed.starts_with('{') {
        let mut scanned = scan(trimmed, fields).ok_or(AccessError::NotARecord)?;
        let c = check(&scanned, fields)?;
        let mut owned = |f: AccessField| scanned.take(f).map(Cow::into_owned);
        return Ok(AccessRecord {
            request_id: owned(AccessField::RequestId),
            ip: owned(AccessField::Ip),
            time_ms: c.time_ms,
            time_from_seconds: c.time_from_seconds,
            http_method: owned(AccessField::HttpMethod),
            route_key: owned(AccessField::RouteKey),
            status: c.status,
            protocol: owned(AccessField::Protocol),
            response_length: c.response_length,
            response_latency_ms: c.response_latency_ms,
            authorizer_error: owned(AccessField::AuthorizerError),
            error_message: owned(AccessField::ErrorMessage),
            error_response_type: owned(AccessField::ErrorResponseType),
            integration_error_message: owned(AccessField::IntegrationErrorMessage),
            authorizer_ip: owned(AccessField::AuthorizerIp),
            authorizer_request_id: owned(AccessField::AuthorizerRequestId),
        });
    }
    from_clf(trimmed).ok_or(AccessError::NotARecord)
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
