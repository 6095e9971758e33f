//! `tail`'s output under fuzzing: one line per invocation (text, colored, JSON lines), burst
//! alerts, `--raw` lines with their tokens masked, and the summary, all through `app::tail` as the
//! binary runs it: only its arguments and its input are chosen, never its internals.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::run::{input, run};
use super::strategies::{self, Container};
use super::{check, runner};

/// `tail`'s arguments as a user may give them (`authlogs tail - …`).
fn arguments() -> impl Strategy<Value = Vec<&'static str>> {
    let flags = vec(
        select(vec![
            &["--raw"][..],
            &["--raw"],
            &["--format", "json"],
            &["--color", "always"],
            &["--tz", "local"],
            &["--show-tokens"],
            &["--denied"],
            &["--reason", "token"],
            &["--reason", "missing"],
            &["--ip", "203.0.113.0/24"],
            &["--ip", "::/0"],
            &["--alert-denials", "2/1m"],
            &["--alert-denials", "1/1s"],
            &["--alert-denials", "0"],
            &["--grace", "0s"],
            &["--incomplete-after", "1s"],
            &["--guess-threshold", "2/1m"],
        ]),
        0..6,
    );
    flags.prop_map(|flags| {
        let mut args = vec!["authlogs", "tail", "-"];
        let mut seen: Vec<&str> = Vec::new();
        // One of each option, but `--reason` and `--ip` as often as given.
        for flag in flags {
            let key = flag[0];
            if seen.contains(&key) && !matches!(key, "--reason" | "--ip") || seen.contains(&flag[flag.len() - 1]) {
                continue;
            }
            seen.extend(flag);
            args.extend(flag);
        }
        // Colored runs are in Japanese (double-width words in the padded columns), the others
        // in English, whatever the environment's locale.
        if seen.contains(&"--color") {
            args.extend(["--lang", "ja"]);
        } else {
            args.extend(["--color", "never", "--lang", "en"]);
        }
        args
    })
}

#[test]
fn tail_lines_alerts_and_raw_lines() {
    let strategy = (
        strategies::scenario(),
        arguments(),
        prop_oneof![2 => Just(None), 1 => (1usize..4, select(vec![1i64, 60_000, i64::MAX, i64::MAX / 2, -1])).prop_map(Some)],
        vec(
            prop_oneof![2 => Just(None), 1 => strategies::tick_time().prop_map(Some)],
            1..6,
        ),
        prop_oneof![3 => Just(None), 1 => (strategies::container(), any::<u64>(), vec(1usize..100, 1..3)).prop_map(Some)],
    );
    runner::run(
        "tail lines, alerts and raw lines",
        8_000,
        strategy,
        // The alert windows beyond what the CLI takes, and ticks at chosen times, are left to
        // the pipeline's property (report.rs): tail's live loop ticks on the wall clock. They stay
        // in the strategy so the cases saved in proptest-regressions/ are still replayed.
        |(scenario, args, _alert, _ticks, container)| {
            // Standard input in a container; without one, as `aws logs tail` prints events.
            let bytes = match &container {
                Some((container, bits, _chunks)) => strategies::wrap(&scenario.events, *container, *bits),
                None => strategies::wrap(&scenario.events, Container::TailDetailed, 0),
            };
            let file = input(&bytes)?;
            let path = file.path().to_string_lossy().into_owned();
            // `tail FILE` reads the file to its end as it reads standard input, in pieces. A read
            // error (a gzip cut short, say) is an answer too; a panic is not.
            let args: Vec<&str> = args.iter().map(|a| if *a == "-" { path.as_str() } else { a }).collect();
            let ran = run(&args)?;
            let json = args.windows(2).any(|w| w == ["--format", "json"]);
            let color = args.windows(2).any(|w| w == ["--color", "always"]);
            let masked = !args.contains(&"--show-tokens");
            check::terminal_safe(&ran.err, false, "the summary and damage lines")?;
            if json {
                check::json_lines(&ran.out, "tail's JSON lines")?;
            }
            check::terminal_safe(&ran.out, color, "tail's lines")?;
            if masked {
                check::no_secret(&ran.out, &scenario.secret, "tail's lines")?;
            }
            Ok(())
        },
    );
}
