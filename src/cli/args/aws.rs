//! Where to reach CloudWatch Logs: the options every AWS-reading command shares.

use clap::Args;

use crate::aws::Connection;
use crate::error::Error;

/// Where to reach CloudWatch Logs; each unset option comes from the standard AWS chain.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION, else the profile's).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Another AWS endpoint for every call, e.g. a local test server (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Requests per second, shared by all requests (CloudWatch allows 5 per account and region, for every tool).
    #[arg(long, value_name = "N", default_value_t = 5.0)]
    pub max_tps: f64,
}

impl AwsArgs {
    /// The connection and the request rate, checked.
    pub(crate) fn validate(self) -> Result<(Connection, f64), Error> {
        if !self.max_tps.is_finite() || self.max_tps <= 0.0 {
            return Err(Error::Usage("--max-tps must be a positive number".into()));
        }
        Ok((
            Connection {
                profile: self.profile,
                region: self.region,
                endpoint_url: self.endpoint_url,
            },
            self.max_tps,
        ))
    }
}
