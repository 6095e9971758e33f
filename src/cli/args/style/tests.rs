//! Tests of the output look: what each option resolves to when nothing depends on a terminal.

use clap::Parser;

use super::*;

#[derive(Debug, Parser)]
struct Cmd {
    #[command(flatten)]
    style: StyleArgs,
}

fn style(args: &[&str]) -> Style {
    let cmd = Cmd::try_parse_from([&["t"], args].concat()).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    cmd.style.validate()
}

#[test]
fn explicit_options_resolve_as_given() {
    let s = style(&["--lang", "ja", "--show-tokens", "--color", "always", "--tz", "local"]);
    assert_eq!(
        s,
        Style {
            lang: Lang::Ja,
            tokens: TokenDisplay::Revealed,
            color: true,
            tz_local: true
        }
    );
    let s = style(&["--lang", "en", "--color", "never"]);
    assert_eq!(
        (s.lang, s.tokens, s.color, s.tz_local),
        (Lang::En, TokenDisplay::Masked, false, false)
    );
}
