//! `authlogs groups`: the matching log groups as a table or a JSON array.

use std::io::Write;

use super::Outcome;
use crate::cli::GroupsConfig;
use crate::error::Error;
use crate::render::groups::{groups_json, groups_table};

/// Runs `authlogs groups`.
pub fn groups(config: GroupsConfig, out: &mut dyn Write) -> Result<Outcome, Error> {
    let found = crate::aws::list_groups(&config.connection, &config.pattern, config.max_tps)?;
    if config.json {
        out.write_all(groups_json(&found).map_err(|e| Error::Output(e.into()))?.as_bytes())?;
    } else {
        out.write_all(groups_table(&found, config.tz_local, config.width).as_bytes())?;
    }
    out.flush()?;
    Ok(Outcome {
        partial: false,
        failed_findings: 0,
    })
}
