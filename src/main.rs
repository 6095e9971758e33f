//! The `authlogs` binary: parse arguments, run the command, map outcomes to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use authlogs::cli::{Cli, Command};
use authlogs::{escape_lines, Error};

/// Exit status when the report was produced but some input was damaged.
const EXIT_PARTIAL: u8 = 3;

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Output(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

/// Exit status when Ctrl-C or SIGTERM ended a report (128 + SIGINT, as a shell reports it).
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now_ms = chrono::Utc::now().timestamp_millis();
    let result = match cli.command {
        Command::Report(args) => args.validate(now_ms).and_then(|config| {
            let interrupted = authlogs::app::interrupt_flag()?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let mut err = io::stderr();
            let outcome = authlogs::app::report(config, &mut out, &mut err, interrupted)?;
            out.flush()?;
            Ok(outcome)
        }),
        Command::Tail(args) => args.validate(now_ms).and_then(|config| {
            // SIGINT and SIGTERM end the run: the summary is printed and the exit status is 0.
            let interrupted = authlogs::app::interrupt_flag()?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let mut err = io::stderr();
            let outcome = authlogs::app::tail(config, &mut out, &mut err, interrupted)?;
            out.flush()?;
            Ok(outcome)
        }),
        Command::Groups(args) => args.validate().and_then(|config| {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let outcome = authlogs::app::groups(config, &mut out)?;
            out.flush()?;
            Ok(outcome)
        }),
        Command::Completions(args) => {
            authlogs::app::completions(args.validate(), &mut io::BufWriter::new(io::stdout().lock()))
        }
        Command::Man(args) => authlogs::app::man(args.validate(), &mut io::BufWriter::new(io::stdout().lock())),
    };
    match result {
        // `--fail-on` is for cron and CI: a finding it names fails the run, damaged input or not.
        Ok(outcome) if outcome.failed_findings > 0 => ExitCode::FAILURE,
        Ok(outcome) if outcome.partial => ExitCode::from(EXIT_PARTIAL),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is_interrupted() => {
            let _ = writeln!(io::stderr(), "authlogs: {}", escape_lines(&e.to_string()));
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(Error::Usage(msg)) => {
            // A usage message may quote an argument as given.
            let _ = writeln!(io::stderr(), "authlogs: {}", escape_lines(&msg));
            ExitCode::from(2)
        }
        Err(e) => {
            // Errors escape what they quote; this is the last line of defence for any that does not.
            let shown = anyhow::Error::from(e).to_string();
            let _ = writeln!(io::stderr(), "authlogs: {}", escape_lines(&shown));
            ExitCode::FAILURE
        }
    }
}
