//! One run of `authlogs ARGS…` through the library, as the binary runs it: arguments parsed by
//! `Cli`, validated into a config, handed to `app::report` or `app::tail`; output kept in memory.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use authlogs::cli::{Cli, Command};
use clap::Parser as _;
use proptest::test_runner::TestCaseError;

/// "Now" for every run: the day the generated events are on, so windows are deterministic.
pub(super) const NOW_MS: i64 = 1_752_192_000_000;

/// What a run gave: what it wrote on stdout and stderr, and whether it ended in an error (a read
/// error is an answer too; a panic is not).
pub(super) struct Ran {
    pub out: String,
    pub err: String,
    pub failed: bool,
}

/// Runs `args` (`report …` or `tail …`); arguments the CLI refuses fail the case, since the
/// properties only give arguments a user may give.
pub(super) fn run(args: &[&str]) -> Result<Ran, TestCaseError> {
    let cli = Cli::try_parse_from(args).map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
    let mut out: Vec<u8> = Vec::new();
    let mut err: Vec<u8> = Vec::new();
    let result = match cli.command {
        Command::Report(report) => {
            let config = report
                .validate(NOW_MS)
                .map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
            authlogs::app::report(config, &mut out, &mut err, Arc::new(AtomicBool::new(false)))
        }
        Command::Tail(tail) => {
            let config = tail
                .validate(NOW_MS)
                .map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
            authlogs::app::tail(config, &mut out, &mut err, Arc::new(AtomicBool::new(false)))
        }
        _ => return Err(TestCaseError::fail(format!("{args:?}: neither report nor tail"))),
    };
    let text = |bytes: Vec<u8>, what: &str| {
        String::from_utf8(bytes).map_err(|e| TestCaseError::fail(format!("{args:?}: {what} is not UTF-8: {e}")))
    };
    Ok(Ran {
        out: text(out, "stdout")?,
        err: text(err, "stderr")?,
        failed: result.is_err(),
    })
}

/// A temporary file holding `bytes`, for a run to read.
pub(super) fn input(bytes: &[u8]) -> Result<tempfile::NamedTempFile, TestCaseError> {
    use std::io::Write as _;
    let mut file = tempfile::NamedTempFile::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(file)
}

/// `format` as `--input-format` takes it.
pub(super) fn input_format(format: authlogs::InputFormat) -> Result<String, TestCaseError> {
    use clap::ValueEnum as _;
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .ok_or_else(|| TestCaseError::fail(format!("{format:?} has no name")))
}
