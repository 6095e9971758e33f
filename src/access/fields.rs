//! Which JSON key of an access-log record holds each value authlogs uses: AWS's example names by
//! default, overridable per field (`ip=sourceIp,status=httpStatus`), since every team names its own.

use std::fmt;

/// A value of an access-log record authlogs reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessField {
    /// `$context.requestId`
    RequestId,
    /// `$context.identity.sourceIp`
    Ip,
    /// `$context.requestTime` (CLF, second precision)
    RequestTime,
    /// `$context.requestTimeEpoch` (ms)
    RequestTimeEpoch,
    /// `$context.httpMethod`
    HttpMethod,
    /// `$context.routeKey`
    RouteKey,
    /// `$context.status`
    Status,
    /// `$context.protocol`
    Protocol,
    /// `$context.responseLength`
    ResponseLength,
    /// `$context.responseLatency` (ms)
    ResponseLatency,
    /// `$context.authorizer.error`
    AuthorizerError,
    /// `$context.error.message`
    ErrorMessage,
    /// `$context.error.responseType`
    ErrorResponseType,
    /// `$context.integrationErrorMessage`
    IntegrationErrorMessage,
    /// `$context.authorizer.ip`: the IP the (possibly cached) decision was made for.
    AuthorizerIp,
    /// `$context.authorizer.requestId`-like context value: the API request the decision was made for.
    AuthorizerRequestId,
}

impl AccessField {
    /// Every field, in the order of their defaults.
    pub const ALL: [AccessField; 16] = [
        AccessField::RequestId,
        AccessField::Ip,
        AccessField::RequestTime,
        AccessField::RequestTimeEpoch,
        AccessField::HttpMethod,
        AccessField::RouteKey,
        AccessField::Status,
        AccessField::Protocol,
        AccessField::ResponseLength,
        AccessField::ResponseLatency,
        AccessField::AuthorizerError,
        AccessField::ErrorMessage,
        AccessField::ErrorResponseType,
        AccessField::IntegrationErrorMessage,
        AccessField::AuthorizerIp,
        AccessField::AuthorizerRequestId,
    ];

    /// The field's name on the command line, and its default JSON key.
    pub fn name(self) -> &'static str {
        match self {
            AccessField::RequestId => "requestId",
            AccessField::Ip => "ip",
            AccessField::RequestTime => "requestTime",
            AccessField::RequestTimeEpoch => "requestTimeEpoch",
            AccessField::HttpMethod => "httpMethod",
            AccessField::RouteKey => "routeKey",
            AccessField::Status => "status",
            AccessField::Protocol => "protocol",
            AccessField::ResponseLength => "responseLength",
            AccessField::ResponseLatency => "responseLatency",
            AccessField::AuthorizerError => "authorizerError",
            AccessField::ErrorMessage => "errorMessage",
            AccessField::ErrorResponseType => "errorResponseType",
            AccessField::IntegrationErrorMessage => "integrationErrorMessage",
            AccessField::AuthorizerIp => "authorizerIp",
            AccessField::AuthorizerRequestId => "authorizerRequestId",
        }
    }

    fn from_name(name: &str) -> Option<AccessField> {
        AccessField::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for AccessField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The JSON key of every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFields {
    keys: [String; 16],
}

impl Default for AccessFields {
    fn default() -> Self {
        AccessFields {
            keys: AccessField::ALL.map(|f| f.name().to_string()),
        }
    }
}

impl AccessFields {
    /// The JSON key of `field`.
    pub fn key(&self, field: AccessField) -> &str {
        let i = AccessField::ALL.iter().position(|f| *f == field).unwrap_or(0);
        &self.keys[i]
    }

    /// The defaults with the overrides of `spec`: `field=key` pairs separated by commas, e.g.
    /// `ip=sourceIp,authorizerError=authError`.
    pub fn parse(spec: &str) -> Result<AccessFields, String> {
        let mut fields = AccessFields::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, key) = pair
                .split_once('=')
                .map(|(n, k)| (n.trim(), k.trim()))
                .ok_or_else(|| format!("'{pair}' is not FIELD=KEY (e.g. ip=sourceIp)"))?;
            let field = AccessField::from_name(name).ok_or_else(|| {
                format!(
                    "unknown field '{name}': one of {}",
                    AccessField::ALL.map(AccessField::name).join(", ")
                )
            })?;
            if key.is_empty() {
                return Err(format!("'{pair}' names no key"));
            }
            let i = AccessField::ALL.iter().position(|f| *f == field).unwrap_or(0);
            fields.keys[i] = key.to_string();
        }
        fields.check_distinct()?;
        Ok(fields)
    }

    /// Two fields read from one key would give one value two meanings (an IP counted as a
    /// status, a time as an id): refused, naming both fields and the key.
    fn check_distinct(&self) -> Result<(), String> {
        for (i, key) in self.keys.iter().enumerate() {
            if let Some(j) = self.keys[..i].iter().position(|k| k == key) {
                return Err(format!(
                    "{} and {} both read the key '{key}': map each field to its own key",
                    AccessField::ALL[j],
                    AccessField::ALL[i]
                ));
            }
        }
        Ok(())
    }
}

impl AccessFields {
    /// The defaults with the overrides of a TOML file: a `[fields]` table (or top-level keys) of
    /// `field = "key"`, e.g. `ip = "sourceIp"`.
    pub fn from_toml(text: &str) -> Result<AccessFields, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_string())?;
        let pairs = match table.get("fields") {
            Some(toml::Value::Table(t)) => t.clone(),
            Some(_) => return Err("`fields` must be a table: [fields] then ip = \"sourceIp\"".into()),
            None => table,
        };
        let mut spec = Vec::new();
        for (name, key) in &pairs {
            let toml::Value::String(key) = key else {
                return Err(format!("{name} must be a string: the JSON key your format uses"));
            };
            if key.contains(',') {
                return Err(format!("{name}: a key with a comma is not supported"));
            }
            spec.push(format!("{name}={key}"));
        }
        AccessFields::parse(&spec.join(","))
    }

    /// `--access-log-fields`: a TOML file when `arg` names one (or ends in `.toml`), else
    /// `field=key` pairs.
    pub fn from_arg(arg: &str) -> Result<AccessFields, String> {
        let path = std::path::Path::new(arg);
        if arg.ends_with(".toml") || (!arg.contains('=') && path.is_file()) {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {arg}: {e}"))?;
            return AccessFields::from_toml(&text).map_err(|e| format!("{arg}: {e}"));
        }
        AccessFields::parse(arg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_aws_example_names_and_overrides_replace_one_each() {
        let d = AccessFields::default();
        assert_eq!(d.key(AccessField::Ip), "ip");
        assert_eq!(d.key(AccessField::AuthorizerError), "authorizerError");
        let f = AccessFields::parse(" ip = sourceIp , AUTHORIZERERROR=authError,").expect("spec");
        assert_eq!(f.key(AccessField::Ip), "sourceIp");
        assert_eq!(f.key(AccessField::AuthorizerError), "authError");
        assert_eq!(f.key(AccessField::Status), "status");
        assert!(AccessFields::parse("ip").unwrap_err().contains("FIELD=KEY"));
        assert!(AccessFields::parse("colour=x")
            .unwrap_err()
            .contains("one of requestId, ip"));
        assert!(AccessFields::parse("ip=").unwrap_err().contains("names no key"));
    }

    #[test]
    fn a_toml_file_maps_fields_in_a_table_or_at_the_top() {
        let f = AccessFields::from_toml("[fields]\nip = \"sourceIp\"\nstatus = \"httpStatus\"\n").expect("toml");
        assert_eq!(f.key(AccessField::Ip), "sourceIp");
        assert_eq!(f.key(AccessField::Status), "httpStatus");
        let top = AccessFields::from_toml("requestTimeEpoch = \"epoch\"").expect("toml");
        assert_eq!(top.key(AccessField::RequestTimeEpoch), "epoch");
        assert!(AccessFields::from_toml("ip = 3")
            .unwrap_err()
            .contains("must be a string"));
        assert!(AccessFields::from_toml("colour = \"x\"")
            .unwrap_err()
            .contains("unknown field"));
        assert!(AccessFields::from_toml("ip = ").is_err());
    }

    #[test]
    fn two_fields_on_one_key_are_refused_naming_both() {
        let e = AccessFields::from_toml("[fields]\nip = \"src\"\nauthorizerIp = \"src\"\n").unwrap_err();
        assert!(e.contains("ip and authorizerIp both read the key 'src'"), "{e}");
        // A field moved onto another's default key collides with it too.
        let e = AccessFields::parse("ip=status").unwrap_err();
        assert!(e.contains("ip and status both read the key 'status'"), "{e}");
        // Swapping two keys leaves each field its own.
        let f = AccessFields::parse("ip=status,status=ip").expect("a swap");
        assert_eq!(f.key(AccessField::Status), "ip");
    }
}
