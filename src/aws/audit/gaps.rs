//! A refused call becomes a `Gap` and the audit goes on; only what no other call could get past
//! (no credentials, no connection) ends it.

use crate::audit::Gap;
use crate::aws::call::{one_line, Failure};
use crate::aws::config::Client;
use crate::aws::error::{esc, to_error, Context, CwError};

/// Codes that mean the credentials themselves are bad: every other call would fail the same way.
const CREDENTIAL_CODES: [&str; 7] = [
    "ExpiredTokenException",
    "ExpiredToken",
    "RequestExpired",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    "IncompleteSignature",
];

/// `failure` of the call that reads `what` (needing `permission`): a gap to record, or the error
/// that ends the audit.
pub(crate) fn gap(failure: Failure, what: String, permission: &'static str, client: &Client) -> Result<Gap, CwError> {
    let fatal = match &failure {
        // A wrong endpoint or credential fails every other call the same way.
        Failure::Connect { .. }
        | Failure::NoCredentials { .. }
        | Failure::Unsendable { .. }
        | Failure::Unreadable { .. }
        | Failure::Redirected { .. }
        | Failure::Aborted => true,
        Failure::Service { code, .. } => CREDENTIAL_CODES.contains(&code.as_str()),
        Failure::Exhausted { .. } | Failure::Other { .. } => false,
    };
    if let Failure::Connect { detail } = &failure {
        // CwError::Connect names the CloudWatch Logs endpoint; the audit's first call is Lambda's.
        let endpoint = client
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("of region {}", client.region));
        return Err(CwError::Other {
            operation: permission,
            detail: format!(
                "cannot reach the AWS endpoint {}: {}; check --endpoint-url / AWS_ENDPOINT_URL, --region and the network",
                crate::redact::display_url(&endpoint),
                esc(&scrub(detail, client))
            ),
        });
    }
    if fatal {
        let ctx = Context {
            operation: permission,
            group: None,
            client,
            coverage: None,
        };
        return Err(to_error(failure, &ctx));
    }
    Ok(Gap {
        what,
        permission: permission.to_string(),
        detail: esc(&scrub(&one_line(&failure), client)),
    })
}

/// `text` without the endpoint URL's userinfo, wherever the network stack quoted it.
fn scrub(text: &str, client: &Client) -> String {
    match &client.endpoint {
        Some(url) => crate::redact::scrub_userinfo(text, url),
        None => text.to_string(),
    }
}
