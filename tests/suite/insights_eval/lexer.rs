//! Query text → tokens (with their byte offsets, so an unnamed expression is named by its text).

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Pipe,
    Comma,
    LParen,
    RParen,
    /// An operator: `+ - * / % ^ = != < <= > >= =~`, and the brackets of `in [ … ]`.
    Op(&'static str),
    /// A field name, keyword or function name (`@message`, `stats`, `toMillis`, `record.type`).
    Ident(String),
    Num(f64),
    /// A time amount such as `1m`, in milliseconds.
    Duration(i64),
    Str(String),
    /// A `/…/` regex, with `\/` turned into `/`.
    Regex(String),
}

/// A token and where it starts and ends in the text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// Milliseconds of a time unit (the units the docs list for `bin`/`datefloor`).
fn unit_ms(unit: &str) -> Option<i64> {
    Some(match unit {
        "ms" => 1,
        "s" | "sec" | "second" | "seconds" => 1_000,
        "m" | "min" | "minute" | "minutes" => 60_000,
        "h" | "hr" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        "w" | "week" | "weeks" => 7 * 86_400_000,
        _ => return None,
    })
}

/// Whether a `/` after `prev` starts a regex rather than dividing: after anything that cannot end
/// a value, and after `parse FIELD`.
fn regex_may_start(tokens: &[Token]) -> bool {
    let kw =
        |t: &Token, words: &[&str]| matches!(&t.tok, Tok::Ident(w) if words.iter().any(|k| w.eq_ignore_ascii_case(k)));
    match tokens.last() {
        None => true,
        Some(last) => match &last.tok {
            Tok::Ident(_) if kw(last, &["like", "parse", "and", "or", "not", "in"]) => true,
            Tok::Ident(_) => tokens.len() >= 2 && kw(&tokens[tokens.len() - 2], &["parse"]),
            Tok::Num(_) | Tok::Duration(_) | Tok::Str(_) | Tok::Regex(_) | Tok::RParen => false,
            Tok::Pipe | Tok::Comma | Tok::LParen | Tok::Op(_) => true,
        },
    }
}

/// The tokens of `text`, or what is wrong with it.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let tok = match c {
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b'/' if regex_may_start(&out) => {
                let mut re = String::new();
                i += 1;
                loop {
                    let Some(ch) = text[i..].chars().next() else {
                        return Err(format!("unterminated regex at offset {start}"));
                    };
                    if ch == '/' {
                        i += 1;
                        break;
                    }
                    if ch == '\\' && text[i + 1..].starts_with('/') {
                        re.push('/');
                        i += 2;
                        continue;
                    }
                    if ch == '\\' {
                        if let Some(next) = text[i + 1..].chars().next() {
                            re.push('\\');
                            re.push(next);
                            i += 1 + next.len_utf8();
                            continue;
                        }
                    }
                    re.push(ch);
                    i += ch.len_utf8();
                }
                Tok::Regex(re)
            }
            b'"' | b'\'' => {
                let quote = c as char;
                let mut s = String::new();
                i += 1;
                loop {
                    let Some(ch) = text[i..].chars().next() else {
                        return Err(format!("unterminated string at offset {start}"));
                    };
                    i += ch.len_utf8();
                    if ch == quote {
                        break;
                    }
                    if ch == '\\' {
                        if let Some(next) = text[i..].chars().next() {
                            i += next.len_utf8();
                            s.push(match next {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                            continue;
                        }
                    }
                    s.push(ch);
                }
                Tok::Str(s)
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                if i + 1 < bytes.len()
                    && (bytes[i] == b'e' || bytes[i] == b'E')
                    && (bytes[i + 1].is_ascii_digit() || bytes[i + 1] == b'-' || bytes[i + 1] == b'+')
                {
                    i += 2;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let number: f64 = text[start..i]
                    .parse()
                    .map_err(|_| format!("bad number {:?}", &text[start..i]))?;
                let unit_start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if i > unit_start {
                    let unit = &text[unit_start..i];
                    let ms = unit_ms(unit).ok_or_else(|| format!("unknown time unit {unit:?}"))?;
                    Tok::Duration((number * ms as f64) as i64)
                } else {
                    Tok::Num(number)
                }
            }
            b'@' | b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'@' | b'$'))
                {
                    i += 1;
                }
                Tok::Ident(text[start..i].to_string())
            }
            b'`' => {
                let close = text[i + 1..].find('`').ok_or("unterminated `field`")?;
                i += close + 2;
                Tok::Ident(text[start + 1..i - 1].to_string())
            }
            _ => {
                let two = text.get(i..i + 2).unwrap_or("");
                let op = match two {
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    "=~" => "=~",
                    _ => "",
                };
                if !op.is_empty() {
                    i += 2;
                    Tok::Op(op)
                } else {
                    i += 1;
                    Tok::Op(match c {
                        b'+' => "+",
                        b'-' => "-",
                        b'*' => "*",
                        b'/' => "/",
                        b'%' => "%",
                        b'^' => "^",
                        b'=' => "=",
                        b'<' => "<",
                        b'>' => ">",
                        b'[' => "[",
                        b']' => "]",
                        _ => {
                            let ch = text[start..].chars().next().unwrap_or('?');
                            return Err(format!("unexpected character {ch:?} at offset {start}"));
                        }
                    })
                }
            }
        };
        out.push(Token { tok, start, end: i });
    }
    Ok(out)
}
