//! The documented rules of a Logs Insights query, checked on its text before it is started: the
//! length limit, at most two `stats`, only first-stats fields after the first `stats`, `sort` and
//! `limit` after the last one, documented functions only, text compared by text functions.
//!
//! The rules are those of the query-syntax guide's `stats` page ("Use multiple stats commands in a
//! single query") and of the `StartQuery` API (`queryString` up to 10,000 characters). Where the
//! guide is silent this check is the stricter reading, so a text it accepts is valid under both:
//! only `filter` between the two `stats` (the guide's own example), no reference to an alias of the
//! same `stats`, and `min`/`max`/`sum`/`avg` never over a field a `parse` made (text).

use std::collections::BTreeSet;

/// The longest `queryString` `StartQuery` accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// The rule a query text breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleBreak {
    /// Longer than `StartQuery` accepts.
    #[error("{chars} characters, over the limit of {MAX_QUERY_CHARS}")]
    TooLong {
        /// The text's length in characters.
        chars: usize,
    },
    /// More than the two `stats` commands a query may hold.
    #[error("{count} `stats` commands, and a query may hold at most two")]
    TooManyStats {
        /// How many.
        count: usize,
    },
    /// `sort`, `limit` or `dedup` before a `stats`: they must come after the last one.
    #[error("`{command}` before a `stats`: sort and limit must come after the last stats")]
    BeforeStats {
        /// The command.
        command: String,
    },
    /// A command other than `filter` between the two `stats`.
    #[error("`{command}` between the two stats: any field referenced after the first stats must be defined by it, so only a filter on its fields may stand there")]
    BetweenStats {
        /// The command.
        command: String,
    },
    /// A field the previous `stats` does not define, referenced after it.
    #[error("`{field}` is referenced after a stats command that does not define it")]
    NotDefinedByStats {
        /// The field.
        field: String,
    },
    /// A field outside any aggregate function in a `stats` aggregation (not a `by` key).
    #[error("`{field}` is used in a stats aggregation outside an aggregate function")]
    NotAggregated {
        /// The field.
        field: String,
    },
    /// A function the query syntax guide does not list.
    #[error("`{name}()` is not a documented Logs Insights function")]
    UnknownFunction {
        /// The function.
        name: String,
    },
    /// A numeric aggregate over text (a `parse` field): only the text functions are documented for it.
    #[error("`{function}({field})` aggregates text: use sortsFirst, sortsLast, earliest or latest")]
    TextAggregate {
        /// The aggregate.
        function: String,
        /// The text field.
        field: String,
    },
    /// `bin()` in the second `stats` (it reads `@timestamp`, which the first does not define).
    #[error("bin() in the second stats: carry a time out of the first and use datefloor")]
    BinInSecondStats,
    /// A regex group name the service's regex syntax does not accept as a field name.
    #[error("regex group name `{name}`: a letter, then letters and digits")]
    GroupName {
        /// The name.
        name: String,
    },
    /// Text the checker cannot read as a query.
    #[error("unreadable query text: {what}")]
    Syntax {
        /// What is wrong.
        what: String,
    },
}

/// Aggregate functions of `stats` (the text ones included).
const AGGREGATES: [&str; 12] = [
    "avg",
    "count",
    "count_distinct",
    "max",
    "min",
    "pct",
    "stddev",
    "sum",
    "earliest",
    "latest",
    "sortsfirst",
    "sortslast",
];

/// Aggregates that compare or add values as numbers.
const NUMERIC_AGGREGATES: [&str; 6] = ["avg", "max", "min", "pct", "stddev", "sum"];

/// The functions of the guide's "Boolean, comparison, numeric, datetime, and other functions" page
/// that have long been there (lower case: the names are matched without case); newer ones (`if`,
/// `regexReplace` …) are left out until a query needs them and they are checked.
const FUNCTIONS: [&str; 32] = [
    "abs",
    "ceil",
    "floor",
    "greatest",
    "least",
    "log",
    "sqrt",
    "bin",
    "datefloor",
    "dateceil",
    "frommillis",
    "tomillis",
    "coalesce",
    "ispresent",
    "isempty",
    "isblank",
    "concat",
    "ltrim",
    "rtrim",
    "trim",
    "strlen",
    "toupper",
    "tolower",
    "substr",
    "replace",
    "strcontains",
    "isvalidip",
    "isvalidipv4",
    "isvalidipv6",
    "isipinsubnet",
    "isipv4insubnet",
    "isipv6insubnet",
];

/// Words of the syntax that are not field names.
const KEYWORDS: [&str; 12] = [
    "and", "or", "not", "as", "by", "in", "like", "asc", "desc", "true", "false", "null",
];

/// Fields that hold text whatever the events are.
const TEXT_FIELDS: [&str; 5] = ["@message", "@logStream", "@log", "@requestId", "@type"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A field name (`@timestamp`, `rid`, `record.metrics.durationMs`, a backquoted name).
    Field(String),
    /// A name followed by `(`.
    Function(String),
    /// A keyword (lower case).
    Keyword(String),
    /// A number, with a unit when it has one (`1m`).
    Number,
    /// A quoted string.
    Str,
    /// A `/…/` regex literal, without its slashes.
    Regex(String),
    /// Punctuation and operators, one character each (`<=` is two).
    Punct(char),
}

impl Token {
    /// Whether a `/` after this token divides (else it opens a regex).
    fn is_operand(&self) -> bool {
        matches!(
            self,
            Token::Field(_) | Token::Number | Token::Str | Token::Regex(_) | Token::Punct(')')
        )
    }
}

/// Whether a `/` after `before` opens a regex: after an operator, or after `parse <field>`.
fn opens_regex(before: &[Token]) -> bool {
    match before {
        [.., Token::Field(p), Token::Field(_)] if p.eq_ignore_ascii_case("parse") => true,
        [.., last] => !last.is_operand(),
        [] => true,
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, RuleBreak> {
    let syntax = |what: &str| RuleBreak::Syntax { what: what.to_string() };
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            if j >= chars.len() {
                return Err(syntax("a string is not closed"));
            }
            out.push(Token::Str);
            i = j + 1;
        } else if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&x| x == '`')
                .ok_or_else(|| syntax("a backquoted name is not closed"))?;
            out.push(Token::Field(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if c == '/' && opens_regex(&out) {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '/' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            if j >= chars.len() {
                return Err(syntax("a regex is not closed"));
            }
            out.push(Token::Regex(chars[i + 1..j].iter().collect()));
            i = j + 1;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                j += 1;
            }
            out.push(Token::Number);
            i = j;
        } else if c.is_alphabetic() || c == '@' || c == '_' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | '.' | '@' | '$')) {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let mut k = j;
            while k < chars.len() && chars[k].is_whitespace() {
                k += 1;
            }
            let lower = word.to_ascii_lowercase();
            // A command's name is never a call, even when `(` follows it (`stats (1 - …`).
            let command = matches!(out.last(), None | Some(Token::Punct('|')));
            out.push(if KEYWORDS.contains(&lower.as_str()) && !command {
                Token::Keyword(lower)
            } else if chars.get(k) == Some(&'(') && !command {
                Token::Function(lower)
            } else {
                Token::Field(word)
            });
            i = j;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    Ok(out)
}

/// The commands of a query: its tokens split at the `|` between commands.
fn commands(tokens: Vec<Token>) -> Vec<Vec<Token>> {
    let mut out = vec![Vec::new()];
    for t in tokens {
        if t == Token::Punct('|') {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(t);
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

/// Items of a list split at top-level commas.
fn items(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                out.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&tokens[start..]);
    out
}

/// An item's expression and its `as` name.
fn alias(item: &[Token]) -> (&[Token], Option<&str>) {
    match item {
        [expr @ .., Token::Keyword(k), Token::Field(name)] if k == "as" => (expr, Some(name)),
        _ => (item, None),
    }
}

/// What the commands before the one being checked have defined.
#[derive(Default)]
struct State {
    /// How many `stats` have been read.
    stats: usize,
    /// The fields the last `stats` defined (what a later command may reference), once one ran.
    defined: Option<BTreeSet<String>>,
    /// Fields holding text: `parse` captures and what `fields` made of text only.
    text: BTreeSet<String>,
    /// A `sort`, `limit` or `dedup` was read.
    sorted: Option<String>,
}

impl State {
    fn check_refs(&self, tokens: &[Token]) -> Result<(), RuleBreak> {
        let Some(defined) = &self.defined else {
            return Ok(());
        };
        for t in tokens {
            match t {
                Token::Field(f) if !defined.contains(f) => {
                    return Err(RuleBreak::NotDefinedByStats { field: f.clone() });
                }
                Token::Function(name) => check_function(name)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn is_text(&self, field: &str) -> bool {
        TEXT_FIELDS.contains(&field) || self.text.contains(field)
    }
}

fn check_function(name: &str) -> Result<(), RuleBreak> {
    if AGGREGATES.contains(&name) || FUNCTIONS.contains(&name) {
        Ok(())
    } else {
        Err(RuleBreak::UnknownFunction { name: name.to_string() })
    }
}

/// Group names a regex defines: `(?<name>`.
fn group_names(regex: &str) -> Vec<&str> {
    regex
        .split("(?<")
        .skip(1)
        .filter(|s| !s.starts_with('=') && !s.starts_with('!'))
        .filter_map(|s| s.split('>').next())
        .collect()
}

/// Checks one `stats` command (its tokens after the word) and returns the fields it defines.
fn check_stats(state: &State, body: &[Token]) -> Result<BTreeSet<String>, RuleBreak> {
    let by = body.iter().position(|t| *t == Token::Keyword("by".into()));
    let (aggs, keys) = match by {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, &[][..]),
    };
    let second = state.stats == 1;
    let mut defined = BTreeSet::new();
    for item in items(aggs) {
        let (expr, name) = alias(item);
        // Which calls are open, so a field can be seen inside an aggregate (or not).
        let mut open: Vec<&str> = Vec::new();
        let mut pending: Option<&str> = None;
        for (i, t) in expr.iter().enumerate() {
            match t {
                Token::Function(f) => {
                    check_function(f)?;
                    if second && f == "bin" {
                        return Err(RuleBreak::BinInSecondStats);
                    }
                    if NUMERIC_AGGREGATES.contains(&f.as_str()) {
                        if let (Some(Token::Field(x)), Some(Token::Punct(')'))) = (expr.get(i + 2), expr.get(i + 3)) {
                            if state.is_text(x) {
                                return Err(RuleBreak::TextAggregate {
                                    function: f.clone(),
                                    field: x.clone(),
                                });
                            }
                        }
                    }
                    pending = Some(f);
                }
                Token::Punct('(') => open.push(pending.take().unwrap_or("")),
                Token::Punct(')') => {
                    open.pop();
                }
                Token::Field(f) => {
                    if !open.iter().any(|o| AGGREGATES.contains(o)) {
                        return Err(RuleBreak::NotAggregated { field: f.clone() });
                    }
                    if let Some(d) = &state.defined {
                        if !d.contains(f) {
                            return Err(RuleBreak::NotDefinedByStats { field: f.clone() });
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(n) = name {
            defined.insert(n.to_string());
        }
    }
    if !keys.is_empty() {
        for item in items(keys) {
            let (expr, name) = alias(item);
            if second && expr.iter().any(|t| *t == Token::Function("bin".into())) {
                return Err(RuleBreak::BinInSecondStats);
            }
            state.check_refs(expr)?;
            for t in expr {
                if let Token::Function(f) = t {
                    check_function(f)?;
                }
            }
            match (name, expr) {
                (Some(n), _) => {
                    defined.insert(n.to_string());
                }
                (None, [Token::Field(f)]) => {
                    defined.insert(f.clone());
                }
                _ => {}
            }
        }
    }
    Ok(defined)
}

/// Checks `text` against the documented rules; the first rule it breaks.
pub fn check(text: &str) -> Result<(), RuleBreak> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(RuleBreak::TooLong { chars });
    }
    let all = commands(tokens(text)?);
    let stats = all
        .iter()
        .filter(|c| matches!(c.first(), Some(Token::Field(w)) if w.eq_ignore_ascii_case("stats")))
        .count();
    if stats > 2 {
        return Err(RuleBreak::TooManyStats { count: stats });
    }
    let mut state = State::default();
    for command in &all {
        let (word, body) = match command.split_first() {
            Some((Token::Field(w), body)) => (w.to_ascii_lowercase(), body),
            _ => {
                return Err(RuleBreak::Syntax {
                    what: "a command without a name".into(),
                })
            }
        };
        if state.stats == 1 && word != "filter" && word != "stats" {
            return Err(RuleBreak::BetweenStats { command: word });
        }
        match word.as_str() {
            "stats" => {
                if let Some(command) = state.sorted.take() {
                    return Err(RuleBreak::BeforeStats { command });
                }
                let defined = check_stats(&state, body)?;
                state.stats += 1;
                state.defined = Some(defined);
            }
            "parse" => {
                state.check_refs(body)?;
                for t in body {
                    if let Token::Regex(r) = t {
                        for name in group_names(r) {
                            let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                                && name.chars().all(|c| c.is_ascii_alphanumeric());
                            if !ok {
                                return Err(RuleBreak::GroupName { name: name.to_string() });
                            }
                            state.text.insert(name.to_string());
                        }
                    }
                }
                if let Some(at) = body.iter().position(|t| *t == Token::Keyword("as".into())) {
                    for t in &body[at + 1..] {
                        if let Token::Field(f) = t {
                            state.text.insert(f.clone());
                        }
                    }
                }
            }
            "fields" | "display" => {
                state.check_refs(body)?;
                for item in items(body) {
                    let (expr, name) = alias(item);
                    for t in expr {
                        if let Token::Function(f) = t {
                            check_function(f)?;
                        }
                    }
                    // Text stays text through `coalesce` and nothing else this checker knows.
                    let text = expr.iter().all(|t| match t {
                        Token::Field(f) => state.is_text(f),
                        Token::Function(f) => f == "coalesce",
                        Token::Punct(c) => matches!(c, '(' | ')' | ','),
                        _ => false,
                    });
                    if let (Some(n), true) = (name, text) {
                        state.text.insert(n.to_string());
                    }
                }
            }
            "filter" => {
                state.check_refs(body)?;
                for t in body {
                    if let Token::Function(f) = t {
                        check_function(f)?;
                    }
                }
            }
            "sort" | "limit" | "dedup" => {
                state.check_refs(body)?;
                state.sorted.get_or_insert(word);
            }
            _ => state.check_refs(body)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
