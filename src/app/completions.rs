//! `authlogs completions` and `authlogs man`: completion scripts and man pages, generated from the clap definition.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Generator;
use clap_mangen::Man;

use super::Outcome;
use crate::cli::{Cli, CompletionsConfig, ManConfig};
use crate::error::Error;

/// The program the scripts complete, named in each page's footer.
const BIN_NAME: &str = "authlogs";

/// Runs `authlogs completions`: the script for the shell.
pub fn completions(config: CompletionsConfig, out: &mut dyn Write) -> Result<Outcome, Error> {
    let mut cmd = Cli::command();
    cmd.set_bin_name(BIN_NAME);
    cmd.build();
    // `try_generate`, not `clap_complete::generate`, which panics on a write error (`| head`).
    config.shell.try_generate(&cmd, out)?;
    out.flush()?;
    Ok(Outcome::default())
}

/// Runs `authlogs man`: authlogs(1), or authlogs-COMMAND(1), in roff.
pub fn man(config: ManConfig, out: &mut dyn Write) -> Result<Outcome, Error> {
    // As `clap_mangen::generate_to` does: no `help` subcommand, and built, so that each subcommand
    // is named `authlogs-COMMAND` like the pages the top-level page refers to.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let page = match config.command {
        None => cmd,
        Some(name) => cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| Error::Usage(format!("authlogs has no command '{name}'")))?,
    };
    Man::new(page)
        .source(format!("{BIN_NAME} {}", env!("CARGO_PKG_VERSION")))
        .render(out)?;
    out.flush()?;
    Ok(Outcome::default())
}
