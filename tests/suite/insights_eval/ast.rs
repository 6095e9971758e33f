//! The syntax tree of a query: commands separated by `|`, and their expressions.

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Field(String),
    Num(f64),
    Str(String),
    /// A time amount (`1m`), in milliseconds.
    Duration(i64),
    Regex(String),
    /// The `*` of `count(*)`.
    Star,
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// A binary operator: arithmetic, comparison, `and`, `or`, `like`, `=~`.
    Bin(&'static str, Box<Expr>, Box<Expr>),
    /// A function call; the name as written.
    Call(String, Vec<Expr>),
}

impl Expr {
    /// Every field the expression reads (outside nothing: aggregates' arguments included).
    pub(crate) fn fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Field(f) => out.push(f),
            Expr::Neg(e) | Expr::Not(e) => e.fields(out),
            Expr::Bin(_, a, b) => {
                a.fields(out);
                b.fields(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.fields(out)),
            Expr::Num(_) | Expr::Str(_) | Expr::Duration(_) | Expr::Regex(_) | Expr::Star => {}
        }
    }

    /// Every function call in the expression, outermost first.
    pub(crate) fn calls<'a>(&'a self, out: &mut Vec<(&'a str, &'a [Expr])>) {
        match self {
            Expr::Neg(e) | Expr::Not(e) => e.calls(out),
            Expr::Bin(_, a, b) => {
                a.calls(out);
                b.calls(out);
            }
            Expr::Call(name, args) => {
                out.push((name, args));
                args.iter().for_each(|a| a.calls(out));
            }
            _ => {}
        }
    }
}

/// An expression and the name of its result: the `as` name, else the expression's text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Named {
    pub expr: Expr,
    pub name: String,
    /// Whether the name came from `as`.
    pub aliased: bool,
}

/// One command of the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Fields(Vec<Named>),
    /// `display`: like `fields` for what a row shows, defines nothing.
    Display(Vec<Named>),
    Filter(Expr),
    /// `parse FIELD /regex/`: the regex's named groups become fields.
    Parse {
        field: String,
        regex: String,
    },
    Stats {
        aggs: Vec<Named>,
        by: Vec<Named>,
    },
    /// `sort` keys, each descending or not.
    Sort(Vec<(Expr, bool)>),
    Limit(usize),
}

impl Command {
    /// The command's word, for messages.
    pub(crate) fn word(&self) -> &'static str {
        match self {
            Command::Fields(_) => "fields",
            Command::Display(_) => "display",
            Command::Filter(_) => "filter",
            Command::Parse { .. } => "parse",
            Command::Stats { .. } => "stats",
            Command::Sort(_) => "sort",
            Command::Limit(_) => "limit",
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub commands: Vec<Command>,
}
