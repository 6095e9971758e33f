//! Lambda: the authorizer functions' configuration, each environment value turned into an
//! `EnvVar` (name, masked fingerprint, length, whether it is a reference) the moment it is read.

use aws_sdk_lambda::types::FunctionConfiguration;

use crate::audit::{EnvVar, FunctionConfig};
use crate::aws::call::{call, Failure, Shared};
use crate::aws::paging::all_pages;
use crate::redact::{display_token, TokenDisplay};

/// Whether an environment value points at a secret store instead of holding the secret. The rule:
/// * an SSM parameter or Secrets Manager ARN (`arn:PARTITION:ssm:` / `arn:PARTITION:secretsmanager:`);
/// * a dynamic reference (`{{resolve:ssm:…}}`, `{{resolve:ssm-secure:…}}`, `{{resolve:secretsmanager:…}}`);
/// * a parameter path (`/app/prod/token`: starts with `/`, no blank) in a variable whose name says
///   it holds one (contains `SSM` or `PARAM`, any case): a bare path alone could be anything.
///
/// Anything else is taken as the value itself.
pub(crate) fn is_reference(name: &str, value: &str) -> bool {
    let v = value.trim();
    let arn_service = v
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(1))
        .unwrap_or_default();
    if matches!(arn_service, "ssm" | "secretsmanager") {
        return true;
    }
    if ["{{resolve:ssm:", "{{resolve:ssm-secure:", "{{resolve:secretsmanager:"]
        .iter()
        .any(|p| v.starts_with(p))
    {
        return true;
    }
    let upper = name.to_ascii_uppercase();
    let names_a_parameter = upper.contains("SSM") || upper.contains("PARAM");
    names_a_parameter && v.len() > 1 && v.starts_with('/') && !v.contains(char::is_whitespace)
}

/// One variable without its value: the value is only measured, masked and classified here.
pub(crate) fn env_var(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        fingerprint: (!value.is_empty()).then(|| display_token(value, TokenDisplay::Masked)),
        value_bytes: value.len(),
        is_reference: is_reference(name, value),
    }
}

/// The model's view of a function; its log group is read afterwards.
pub(crate) fn function_config(f: FunctionConfiguration) -> FunctionConfig {
    let mut environment: Vec<EnvVar> = f
        .environment
        .and_then(|e| e.variables)
        .unwrap_or_default()
        .iter()
        .map(|(name, value)| env_var(name, value))
        .collect();
    // The SDK gives a HashMap: sorted, the output is the same on every run.
    environment.sort_by(|a, b| a.name.cmp(&b.name));
    FunctionConfig {
        name: f.function_name.unwrap_or_default(),
        arn: f.function_arn.unwrap_or_default(),
        runtime: f.runtime.map(|r| r.as_str().to_string()),
        timeout_seconds: f.timeout,
        memory_mb: f.memory_size,
        environment,
        log_format: f
            .logging_config
            .as_ref()
            .and_then(|l| l.log_format.as_ref())
            .map(|l| l.as_str().to_string()),
        log_group: None,
    }
}

/// The log group a function writes to: `LoggingConfig.LogGroup`, else `/aws/lambda/NAME`.
pub(crate) fn log_group_name(f: &FunctionConfiguration) -> String {
    f.logging_config
        .as_ref()
        .and_then(|l| l.log_group.clone())
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| format!("/aws/lambda/{}", f.function_name.as_deref().unwrap_or_default()))
}

/// Every function `keep(name, log group)` accepts (ListFunctions, paged), with its log group's name.
pub(crate) async fn list_where(
    client: &aws_sdk_lambda::Client,
    shared: &Shared,
    keep: &(dyn Fn(&str, &str) -> bool + Sync),
) -> Result<Vec<(FunctionConfig, String)>, Failure> {
    all_pages(|marker| async move {
        let out = call(shared, 20, || client.list_functions().set_marker(marker.clone()).send()).await?;
        let kept = out
            .functions
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| {
                let group = log_group_name(&f);
                keep(f.function_name.as_deref().unwrap_or_default(), &group).then(|| (function_config(f), group))
            })
            .collect();
        Ok((kept, out.next_marker))
    })
    .await
}

/// One function by name or ARN (GetFunctionConfiguration), with its log group's name.
pub(crate) async fn get_function(
    client: &aws_sdk_lambda::Client,
    shared: &Shared,
    name_or_arn: &str,
) -> Result<(FunctionConfig, String), Failure> {
    let out = call(shared, 21, || {
        client.get_function_configuration().function_name(name_or_arn).send()
    })
    .await?;
    let f = FunctionConfiguration::builder()
        .set_function_name(out.function_name)
        .set_function_arn(out.function_arn)
        .set_runtime(out.runtime)
        .set_timeout(out.timeout)
        .set_memory_size(out.memory_size)
        .set_environment(out.environment)
        .set_logging_config(out.logging_config)
        .build();
    let group = log_group_name(&f);
    Ok((function_config(f), group))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_arns_and_dynamic_references_are_references() {
        assert!(is_reference(
            "TOKEN",
            "arn:aws:ssm:us-east-1:123456789012:parameter/app/token"
        ));
        assert!(is_reference(
            "TOKEN",
            "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:app-AbCdEf"
        ));
        assert!(is_reference("TOKEN", "{{resolve:ssm-secure:/app/token}}"));
        assert!(!is_reference("TOKEN", "arn:aws:lambda:us-east-1:1:function:f"));
    }

    #[test]
    fn a_path_is_a_reference_only_in_a_variable_named_for_one() {
        assert!(is_reference("TOKEN_SSM_NAME", "/app/prod/token"));
        assert!(is_reference("allowed_token_param", "/app/prod/token"));
        assert!(!is_reference("ALLOWED_TOKEN", "/app/prod/token"));
        assert!(!is_reference("TOKEN_PARAM", "/ not a path"));
        assert!(!is_reference("TOKEN_PARAM", "/"));
        assert!(!is_reference("ALLOWED_TOKEN", "s3cr3t-value"));
    }

    #[test]
    fn a_value_is_kept_only_as_its_mask_and_length() {
        let secret = "s3cr3t-value-of-the-token";
        let v = env_var("ALLOWED_TOKEN", secret);
        assert_eq!(v.value_bytes, secret.len());
        assert_eq!(v.fingerprint, Some(display_token(secret, TokenDisplay::Masked)));
        let shown = serde_json::to_string(&v).unwrap_or_default();
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("tok:"), "{shown}");
        assert_eq!(env_var("EMPTY", "").fingerprint, None);
    }

    #[test]
    fn the_log_group_defaults_to_the_function_name() {
        let f = FunctionConfiguration::builder().function_name("auth").build();
        assert_eq!(log_group_name(&f), "/aws/lambda/auth");
        let f = FunctionConfiguration::builder()
            .function_name("auth")
            .logging_config(
                aws_sdk_lambda::types::LoggingConfig::builder()
                    .log_group("/platform/auth")
                    .build(),
            )
            .build();
        assert_eq!(log_group_name(&f), "/platform/auth");
    }
}
