//! Tokens → the syntax tree: `fields`, `display`, `filter`, `parse` (regex form), `stats … by`,
//! `sort`, `limit`, and expressions with the usual precedence (`or` < `and` < `not` < comparison
//! < `+ -` < `* / %` < unary `-` < `^`).

use super::ast::{Command, Expr, Named, Query};
use super::lexer::{lex, Tok, Token};
use super::rules::Rejection;

/// Commands the docs list that the evaluator does not execute (authlogs sends none of them).
const DOCUMENTED_UNSUPPORTED: [&str; 6] = ["dedup", "pattern", "unmask", "diff", "anomaly", "unnest"];

/// The query of `text`.
pub(crate) fn parse_query(text: &str) -> Result<Query, Rejection> {
    let tokens = lex(text).map_err(Rejection::Malformed)?;
    let mut p = Parser { text, tokens, pos: 0 };
    let mut commands = Vec::new();
    loop {
        if p.peek().is_none() {
            return Err(Rejection::Malformed(
                "a command is missing (empty query or `|` at the end)".into(),
            ));
        }
        commands.push(p.command()?);
        match p.peek() {
            None => break,
            Some(Tok::Pipe) => p.pos += 1,
            Some(other) => return Err(p.malformed(&format!("unexpected {other:?} after a command"))),
        }
    }
    Ok(Query { commands })
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn malformed(&self, what: &str) -> Rejection {
        let at = self.tokens.get(self.pos).map_or(self.text.len(), |t| t.start);
        Rejection::Malformed(format!("{what} (at offset {at})"))
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let yes = self.is_word(word);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), Rejection> {
        if self.peek() == Some(tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.malformed(&format!("expected {tok:?}")))
        }
    }

    fn ident(&mut self) -> Result<String, Rejection> {
        match self.peek() {
            Some(Tok::Ident(w)) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.malformed("expected a field name")),
        }
    }

    fn command(&mut self) -> Result<Command, Rejection> {
        let word = self.ident()?.to_ascii_lowercase();
        Ok(match word.as_str() {
            "fields" => Command::Fields(self.named_list()?),
            "display" => Command::Display(self.named_list()?),
            "filter" => Command::Filter(self.expr()?),
            "parse" => {
                let field = self.ident()?;
                match self.peek() {
                    Some(Tok::Regex(re)) => {
                        let regex = re.clone();
                        self.pos += 1;
                        Command::Parse { field, regex }
                    }
                    Some(Tok::Str(_)) => {
                        return Err(Rejection::Unsupported("parse with a glob pattern".into()));
                    }
                    _ => return Err(self.malformed("parse needs a /regex/ or a glob string")),
                }
            }
            "stats" => {
                let aggs = self.named_list()?;
                let by = if self.eat_word("by") {
                    self.named_list()?
                } else {
                    Vec::new()
                };
                Command::Stats { aggs, by }
            }
            "sort" => {
                let mut keys = Vec::new();
                loop {
                    let e = self.expr()?;
                    let desc = if self.eat_word("desc") {
                        true
                    } else {
                        self.eat_word("asc");
                        false
                    };
                    keys.push((e, desc));
                    if self.peek() != Some(&Tok::Comma) {
                        break;
                    }
                    self.pos += 1;
                }
                Command::Sort(keys)
            }
            "limit" => match self.peek() {
                Some(Tok::Num(n)) if *n >= 1.0 && n.fract() == 0.0 => {
                    let n = *n as usize;
                    self.pos += 1;
                    Command::Limit(n)
                }
                _ => return Err(self.malformed("limit needs a whole number ≥ 1")),
            },
            w if DOCUMENTED_UNSUPPORTED.contains(&w) => {
                return Err(Rejection::Unsupported(format!("the `{w}` command")));
            }
            other => return Err(Rejection::Malformed(format!("unknown command `{other}`"))),
        })
    }

    fn named_list(&mut self) -> Result<Vec<Named>, Rejection> {
        let mut out = Vec::new();
        loop {
            let start = self.tokens.get(self.pos).map_or(0, |t| t.start);
            let expr = self.expr()?;
            let end = self.tokens.get(self.pos.saturating_sub(1)).map_or(start, |t| t.end);
            let (name, aliased) = if self.eat_word("as") {
                (self.ident()?, true)
            } else {
                // Unnamed: the result is named by the expression's text, spaces squeezed.
                (
                    self.text[start..end].split_whitespace().collect::<Vec<_>>().join(" "),
                    false,
                )
            };
            out.push(Named { expr, name, aliased });
            if self.peek() != Some(&Tok::Comma) {
                return Ok(out);
            }
            self.pos += 1;
        }
    }

    pub(crate) fn expr(&mut self) -> Result<Expr, Rejection> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Expr::Bin("or", Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, Rejection> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Expr::Bin("and", Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, Rejection> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, Rejection> {
        let left = self.additive()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ ("=" | "!=" | "<" | "<=" | ">" | ">=" | "=~"))) => *op,
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("like") => "like",
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("in") => {
                return Err(Rejection::Unsupported("`in [ … ]`".into()));
            }
            _ => return Ok(left),
        };
        self.pos += 1;
        Ok(Expr::Bin(op, Box::new(left), Box::new(self.additive()?)))
    }

    fn additive(&mut self) -> Result<Expr, Rejection> {
        let mut left = self.multiplicative()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek() {
            let op = *op;
            self.pos += 1;
            left = Expr::Bin(op, Box::new(left), Box::new(self.multiplicative()?));
        }
        Ok(left)
    }

    fn multiplicative(&mut self) -> Result<Expr, Rejection> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ("*" | "/" | "%"))) = self.peek() {
            let op = *op;
            self.pos += 1;
            left = Expr::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, Rejection> {
        if self.peek() == Some(&Tok::Op("-")) {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        let base = self.primary()?;
        if self.peek() == Some(&Tok::Op("^")) {
            self.pos += 1;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, Rejection> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.malformed("an expression is missing"));
        };
        self.pos += 1;
        Ok(match tok {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Duration(ms) => Expr::Duration(ms),
            Tok::Regex(r) => Expr::Regex(r),
            Tok::Op("*") => Expr::Star,
            Tok::LParen => {
                let e = self.expr()?;
                self.expect(&Tok::RParen)?;
                e
            }
            Tok::Ident(name) if self.peek() == Some(&Tok::LParen) => {
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Tok::RParen) {
                    loop {
                        args.push(self.expr()?);
                        if self.peek() != Some(&Tok::Comma) {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                self.expect(&Tok::RParen)?;
                Expr::Call(name, args)
            }
            Tok::Ident(name) => Expr::Field(name),
            other => {
                self.pos -= 1;
                return Err(self.malformed(&format!("unexpected {other:?}")));
            }
        })
    }
}
