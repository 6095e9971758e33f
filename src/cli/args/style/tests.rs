//! Tests of the output look: what each option resolves to when nothing depends on a terminal.

use super::*;
use crate::cli::args::parse;

fn style(args: &[&str]) -> Style {
    parse::<StyleArgs>(args).validate()
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
