//! Library errors: each names what failed and hints at the fix.

use thiserror::Error;

use crate::source::cloudwatch::CwError;
use crate::source::file::SourceError;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: {message}")]
    Patterns { path: String, message: String },
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    CloudWatch(#[from] CwError),
    #[error("{0}")]
    Usage(String),
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
}
