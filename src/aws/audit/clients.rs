//! The service clients of an audit, all from the one loaded configuration of the run.

use crate::aws::config::{load, logs_client, Client};
use crate::aws::error::CwError;
use crate::aws::Connection;

/// API Gateway v2, Lambda and CloudWatch Logs, sharing the credentials, region, endpoint and
/// timeouts of `--profile`, `--region`, `--endpoint-url`.
#[derive(Debug, Clone)]
pub(crate) struct AuditClients {
    pub(crate) apigw: aws_sdk_apigatewayv2::Client,
    pub(crate) lambda: aws_sdk_lambda::Client,
    /// The logs client, with the region and profile error messages name.
    pub(crate) logs: Client,
}

impl AuditClients {
    /// The three clients of `conn`.
    pub(crate) async fn connect(conn: &Connection) -> Result<AuditClients, CwError> {
        let loaded = load(conn).await?;
        Ok(AuditClients {
            apigw: aws_sdk_apigatewayv2::Client::new(&loaded.config),
            lambda: aws_sdk_lambda::Client::new(&loaded.config),
            logs: logs_client(&loaded),
        })
    }
}
