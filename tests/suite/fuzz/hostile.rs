//! The hostile corpus under fuzzing: its cases (seeds from `tests/suite/hostile/`) mutated byte by
//! byte and with hostile material spliced in, in every container, read into every output and by
//! `tail --raw`: nothing panics, nothing a terminal acts on, no allowed token.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

use super::report::read_and_check;
use super::run::{input, run};
use super::{check, runner};
use crate::hostile::{cases, Case, Container, CONTAINERS};

/// What a mutation splices in: the corpus's own hostile material and the bytes that end lines.
const SPLICES: &[&[u8]] = &[
    b"\x1b[2J",
    b"\x1b]8;;http://evil.example/\x07",
    b"\x07",
    b"\r",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    "\u{202e}".as_bytes(),
    "\u{200b}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{feff}".as_bytes(),
    b"Token: ",
    b"'authorization': '",
    b"\"",
    b"'",
];

/// One mutation of a case's messages: which message, where, and what.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, usize, u8),
    Splice(usize, usize, &'static [u8]),
    Delete(usize, usize, usize),
    Drop(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(m, at, b)| Mutation::Flip(m, at, b)),
        3 => (any::<usize>(), any::<usize>(), select(SPLICES)).prop_map(|(m, at, s)| Mutation::Splice(m, at, s)),
        1 => (any::<usize>(), any::<usize>(), 1usize..40).prop_map(|(m, at, n)| Mutation::Delete(m, at, n)),
        1 => any::<usize>().prop_map(Mutation::Drop),
    ]
}

/// `case` with `mutations` applied to its messages, never to its `Allowed Token:` line: that line
/// is how a reader of the log knows the token (a log that never names it cannot be masked by it).
fn mutate(case: &Case, mutations: &[Mutation]) -> Case {
    let mut case = case.clone();
    let keep = |m: &[u8]| m.windows(15).any(|w| w == b"Allowed Token: ");
    let mutable: Vec<usize> = (0..case.messages.len()).filter(|&i| !keep(&case.messages[i])).collect();
    for m in mutations {
        let which = |i: usize| mutable[i % mutable.len()];
        match *m {
            Mutation::Flip(i, at, b) => {
                let msg = &mut case.messages[which(i)];
                if !msg.is_empty() {
                    let at = at % msg.len();
                    msg[at] ^= b | 1;
                }
            }
            Mutation::Splice(i, at, s) => {
                let msg = &mut case.messages[which(i)];
                let at = at % (msg.len() + 1);
                msg.splice(at..at, s.iter().copied());
            }
            Mutation::Delete(i, at, n) => {
                let msg = &mut case.messages[which(i)];
                let at = at % (msg.len() + 1);
                let end = (at + n).min(msg.len());
                msg.drain(at..end);
            }
            Mutation::Drop(i) => case.messages[which(i)].clear(),
        }
    }
    case
}

/// The allowed token of `case` as text, when it is text (the bytes-differ case's is not).
fn secret(case: &Case) -> Option<String> {
    let line = case
        .messages
        .iter()
        .find(|m| m.windows(15).any(|w| w == b"Allowed Token: "))?;
    let text = std::str::from_utf8(line).ok()?;
    let token = text.split("Allowed Token: ").nth(1)?;
    // A token with a control character is shown escaped, so only its letters are looked for.
    let letters: String = token.chars().take_while(char::is_ascii_alphanumeric).collect();
    (!letters.is_empty()).then_some(letters)
}

#[test]
fn hostile_corpus_mutated_in_every_container() {
    // Cases up to 200 KiB: the megabyte ones are read whole by the corpus's own tests.
    let seeds: Vec<Case> = cases().into_iter().filter(|c| c.len() < 200 * 1024).collect();
    let strategy = (
        select(seeds),
        vec(mutation(), 0..6),
        select(&CONTAINERS[..]),
        any::<bool>(),
        0usize..6,
        any::<bool>(),
    );
    runner::run(
        "hostile corpus mutated in every container",
        400,
        strategy,
        |(case, mutations, container, live, pick, raw): (Case, Vec<Mutation>, Container, bool, usize, bool)| {
            let case = mutate(&case, &mutations);
            let bytes = container.write(std::slice::from_ref(&case));
            let secret = secret(&case);
            if !raw {
                return read_and_check(&bytes, authlogs::InputFormat::Auto, live, pick, secret.as_deref());
            }
            // `tail --raw`: every line as logged, its tokens masked and its controls escaped.
            let file = input(&bytes)?;
            let path = file.path().to_string_lossy().into_owned();
            let ran = run(&[
                "authlogs",
                "tail",
                path.as_str(),
                "--raw",
                "--color",
                "never",
                "--lang",
                "en",
            ])?;
            check::terminal_safe(&ran.out, false, "tail --raw")?;
            check::terminal_safe(&ran.err, false, "tail --raw's summary")?;
            if let Some(s) = &secret {
                check::no_secret(&ran.out, s, "tail --raw")?;
            }
            Ok::<(), TestCaseError>(())
        },
    );
}
