//! How output looks: language, time zone, color, and whether tokens are shown.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};

use crate::i18n::Lang;
use crate::redact::TokenDisplay;

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

/// The language `--lang` asks for, else the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`): one rule
/// for every command that takes `--lang` (`report` and `tail` through [`StyleArgs`], `audit`).
pub(crate) fn resolve_lang(lang: Option<Lang>) -> Lang {
    lang.unwrap_or_else(Lang::from_env)
}

/// How output looks. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct StyleArgs {
    /// Language of the table, the HTML report and the findings' messages [default: from
    /// LC_ALL/LANG; ja_* → ja, else en]. JSON keys and CSV headers stay English.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Print tokens as logged instead of masked fingerprints (tok:1a2b3c4d).
    #[arg(long)]
    pub show_tokens: bool,
    /// Color in the table output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Time zone of the window lines of the table (JSON and CSV are always UTC).
    #[arg(long, value_enum, default_value_t = TzArg::Utc)]
    pub tz: TzArg,
}

/// The resolved look of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    /// `--lang`, else the locale's.
    pub(crate) lang: Lang,
    /// Tokens as logged, or masked.
    pub(crate) tokens: TokenDisplay,
    /// Whether to color, resolved against stdout and `NO_COLOR`.
    pub(crate) color: bool,
    /// Times in the local zone instead of UTC.
    pub(crate) tz_local: bool,
}

impl StyleArgs {
    /// The look resolved against the environment (locale, terminal, `NO_COLOR`); nothing here can
    /// be wrong.
    pub(crate) fn validate(&self) -> Style {
        Style {
            lang: resolve_lang(self.lang),
            tokens: if self.show_tokens {
                TokenDisplay::Revealed
            } else {
                TokenDisplay::Masked
            },
            color: self.color.resolve(),
            tz_local: self.tz == TzArg::Local,
        }
    }
}

#[cfg(test)]
mod tests;
