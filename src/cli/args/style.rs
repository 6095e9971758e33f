//! How output looks: language, time zone, color, and whether tokens are shown.

use std::io::IsTerminal;

use clap::ValueEnum;

/// `--tz`: the zone times are shown in on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TzArg {
    /// Coordinated universal time.
    Utc,
    /// The local time zone of this machine.
    Local,
}

/// `--color`: whether to color terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Color when stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorArg {
    /// Whether output is colored, resolved against stdout and `NO_COLOR`.
    pub fn resolve(self) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// Columns of the terminal stdout writes to, for fitting tables into it; `None` when stdout is not a
/// terminal (a pipe or a file gets the table as wide as its content). `COLUMNS`, when set to a
/// number, overrides the size the terminal reports.
pub(crate) fn terminal_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok());
    // comfy-table asks the terminal (TIOCGWINSZ) when stdout is one.
    columns.filter(|c| *c > 0).or_else(|| comfy_table::Table::new().width())
}
