//! The `authlogs` binary: parse arguments, run the command, map outcomes to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use authlogs::cli::{Cli, Command};
use authlogs::{escape_lines, Error};

/// Exit status when the report was produced but some input was damaged (or, for `audit`, some
/// part of the configuration could not be read).
const EXIT_PARTIAL: u8 = 3;

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Output(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

/// Exit status when Ctrl-C or SIGTERM ended a report (128 + SIGINT, as a shell reports it).
const EXIT_INTERRUPTED: u8 = 130;

/// Whether standard output was closed when the process started (`report … >&-`).
mod closed_stdout {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    /// Rust's runtime reopens a closed standard descriptor on /dev/null before `main`, so a report
    /// to a closed stdout would "succeed" having written nothing. This runs before that (an
    /// `.init_array` constructor) and looks whether descriptor 1 is open at all.
    #[cfg(target_os = "linux")]
    extern "C" fn look() {
        // Without /proc nothing is known: assume open.
        if std::fs::metadata("/proc/self/fd").is_ok() && std::fs::symlink_metadata("/proc/self/fd/1").is_err() {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }

    #[cfg(target_os = "linux")]
    #[used]
    #[link_section = ".init_array"]
    static LOOK: extern "C" fn() = look;

    /// True when descriptor 1 was closed at start (known on Linux; elsewhere always false).
    pub fn closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

/// A report or tail to a closed standard output is refused: it would exit 0 having written nothing.
fn closed_stdout_error() -> Error {
    Error::Output(io::Error::new(
        io::ErrorKind::NotConnected,
        "standard output is closed, so nothing could be written (use -o FILE, or > /dev/null to discard)",
    ))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now_ms = chrono::Utc::now().timestamp_millis();
    let result = match cli.command {
        Command::Report(args) if args.output.is_none() && closed_stdout::closed() => Err(closed_stdout_error()),
        Command::Tail(_) if closed_stdout::closed() => Err(closed_stdout_error()),
        Command::Audit(args) if args.output.is_none() && closed_stdout::closed() => Err(closed_stdout_error()),
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
        Command::Audit(args) => args.validate().and_then(|config| {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let outcome = authlogs::app::audit(config, now_ms, &mut out, &mut io::stderr())?;
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
