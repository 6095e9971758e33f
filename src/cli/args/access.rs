//! The access-log join's options both commands share: `--access-log-group`, `--access-log-fields`
//! and `--join-window` (each command declares `--access-logs`, which it reads its own way).

use super::span;
use crate::error::Error;

/// `--access-log-fields` and `--join-window`, as `report` and `tail` take them.
pub(crate) fn access_options(fields: Option<&str>, window: &str) -> Result<(crate::access::AccessFields, u64), Error> {
    let fields = match fields {
        Some(arg) => {
            crate::access::AccessFields::from_arg(arg).map_err(|e| Error::Usage(format!("--access-log-fields: {e}")))?
        }
        None => crate::access::AccessFields::default(),
    };
    let window_ms = span("--join-window", window)?;
    if !(1..=60_000).contains(&window_ms) {
        return Err(Error::Usage(
            "--join-window must be between 1ms and 60s (API Gateway gives an authorizer 10 s)".into(),
        ));
    }
    Ok((fields, window_ms.unsigned_abs()))
}
