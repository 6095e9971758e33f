//! Credentials checked before any request is signed: a value a header cannot carry is refused by name.

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use thiserror::Error;

/// A credential that goes into a header (the access key id in `Authorization`, the session token in
/// `x-amz-security-token`) holds CR, LF or another control character. Unchecked, the SDK either
/// fails every try as if the connection dropped (the token) or panics (the key id).
#[derive(Debug, Error)]
#[error("the AWS {which} holds characters a header cannot carry")]
pub(crate) struct Unsendable {
    /// `session token` or `access key id`: never the value.
    pub(crate) which: &'static str,
}

/// The chain's provider, its answers checked.
#[derive(Debug)]
struct Checked(SharedCredentialsProvider);

/// What `http::HeaderValue` refuses: controls other than tab, and DEL.
fn unsendable(value: &str) -> bool {
    value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

impl ProvideCredentials for Checked {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let creds = self.0.provide_credentials().await?;
            let which = if unsendable(creds.access_key_id()) {
                Some("access key id")
            } else if creds.session_token().is_some_and(unsendable) {
                Some("session token")
            } else {
                None
            };
            match which {
                Some(which) => Err(CredentialsError::invalid_configuration(Unsendable { which })),
                None => Ok(creds),
            }
        })
    }
}

/// `provider`, with every credential it resolves checked before it is used.
pub(crate) fn checked(provider: SharedCredentialsProvider) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Checked(provider))
}

#[cfg(test)]
mod tests {
    use super::unsendable;

    #[test]
    fn only_what_a_header_refuses_is_unsendable() {
        assert!(unsendable("abc\r\nX-Evil: 1") && unsendable("a\u{7f}") && unsendable("a\0"));
        assert!(!unsendable("IQoJb3JpZ2luX2VjE+/=") && !unsendable("a\tb") && !unsendable(""));
    }
}
