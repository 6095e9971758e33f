//! `authlogs completions` and `authlogs man`: their arguments, validated into their configs.

use clap::{Args, ValueEnum};
pub use clap_complete::Shell;

/// The arguments of `authlogs completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// A validated `completions` invocation.
#[derive(Debug)]
pub struct CompletionsConfig {
    /// The shell whose completion script is printed.
    pub shell: Shell,
}

impl CompletionsArgs {
    /// The config (every shell clap accepted can be generated).
    pub fn validate(self) -> CompletionsConfig {
        CompletionsConfig { shell: self.shell }
    }
}

/// `man --command`: a subcommand whose own page is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManPageArg {
    /// authlogs-report(1).
    Report,
    /// authlogs-tail(1).
    Tail,
    /// authlogs-groups(1).
    Groups,
    /// authlogs-audit(1).
    Audit,
    /// authlogs-completions(1).
    Completions,
    /// authlogs-man(1).
    Man,
}

impl ManPageArg {
    /// The subcommand's name on the command line.
    fn name(self) -> &'static str {
        match self {
            ManPageArg::Report => "report",
            ManPageArg::Tail => "tail",
            ManPageArg::Groups => "groups",
            ManPageArg::Audit => "audit",
            ManPageArg::Completions => "completions",
            ManPageArg::Man => "man",
        }
    }
}

/// The arguments of `authlogs man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print the page of this subcommand (authlogs-COMMAND(1)) instead of the authlogs(1) page.
    #[arg(long, value_enum, value_name = "COMMAND")]
    pub command: Option<ManPageArg>,
}

/// A validated `man` invocation.
#[derive(Debug)]
pub struct ManConfig {
    /// The subcommand whose page is printed; `None` for the top-level page.
    pub command: Option<&'static str>,
}

impl ManArgs {
    /// The config (every page clap accepted exists).
    pub fn validate(self) -> ManConfig {
        ManConfig {
            command: self.command.map(ManPageArg::name),
        }
    }
}
