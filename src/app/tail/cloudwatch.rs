//! `tail` from CloudWatch Logs (placeholder until the follower lands).

use std::io::Write;
use std::sync::atomic::AtomicBool;

use super::Feed;
use crate::cli::TailConfig;
use crate::error::Error;
use crate::render::live::TailSummary;

pub(super) fn run(
    _config: &TailConfig,
    _feed: &mut Feed<'_, '_>,
    _err: &mut dyn Write,
    _interrupted: &AtomicBool,
    _summary: &mut TailSummary,
) -> Result<(), Error> {
    Err(Error::Usage("tail from CloudWatch is not built yet".into()))
}
