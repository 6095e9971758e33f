//! A request's decision and findings as 0/1 expressions of the aggregates of the first `stats`
//! (`least(count(mto), 1)`), so that stats defines every field the second aggregates: the
//! documented rule allows nothing else after the first stats.
//!
//! The flags follow the local engine's rules (`decision::decide`): timeout, else error, else denied
//! (mismatch lines, or two distinct values of IP or token), else allowed (all four values logged, or
//! an allow message), else unknown. For 0/1 values `least(a + b, 1)` is `or`, products are `and`
//! and `1 - x` is `not`; an expression that is a constant (a kind no template gives) is written as
//! that constant, and the name of a constant flag is replaced by it in the second stats.

/// Which per-request counts the pattern table gives: a kind without a template is never counted.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Present {
    pub sip: bool,
    pub tok: bool,
    pub aip: bool,
    pub atok: bool,
    pub ipm: bool,
    pub tkm: bool,
    pub alw: bool,
    pub dny: bool,
    /// A token template with a missing token (`None` or empty) of each token kind.
    pub ntok: bool,
    pub natok: bool,
    pub ntkm: bool,
    /// Token values (`vtok`) and IP values (`vip`) are captured.
    pub tokv: bool,
    pub ipv: bool,
}

/// `count(field)`, or 0 when nothing defines the field.
fn count(present: bool, field: &str) -> String {
    if present {
        format!("count({field})")
    } else {
        "0".into()
    }
}

/// How many distinct values past the first: one of two differing values makes a mismatch.
fn extra_distinct(present: bool, field: &str) -> String {
    if present {
        format!("greatest(count_distinct({field}) - 1, 0)")
    } else {
        "0".into()
    }
}

/// 1 when the count `e` is positive.
fn flag(e: &str) -> String {
    match e {
        "0" | "1" => e.into(),
        _ => format!("least({e}, 1)"),
    }
}

/// The sum of counts (or of flags no two of which are 1 at once).
fn sum(parts: &[String]) -> String {
    let kept: Vec<&str> = parts.iter().map(String::as_str).filter(|p| *p != "0").collect();
    if kept.is_empty() {
        "0".into()
    } else {
        kept.join(" + ")
    }
}

/// `not` of a flag.
fn not(x: &str) -> String {
    match x {
        "0" => "1".into(),
        "1" => "0".into(),
        _ => format!("(1 - {x})"),
    }
}

/// Whether `e` has a `+` or `-` outside parentheses: it needs them as a factor.
fn needs_parens(e: &str) -> bool {
    let mut depth = 0i32;
    let b = e.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'+' | b'-' if depth == 0 && i > 0 && b[i - 1] == b' ' => return true,
            _ => {}
        }
    }
    false
}

/// `and` of flags: their product.
fn and(parts: &[String]) -> String {
    if parts.iter().any(|p| p == "0") {
        return "0".into();
    }
    let kept: Vec<String> = parts
        .iter()
        .filter(|p| *p != "1")
        .map(|p| if needs_parens(p) { format!("({p})") } else { p.clone() })
        .collect();
    if kept.is_empty() {
        "1".into()
    } else {
        kept.join(" * ")
    }
}

/// The per-request flags, by the names the second stats of the two queries use.
#[derive(Debug, Clone)]
pub(super) struct Flags {
    /// `(name, expression)`: a request's flags as expressions of aggregates, or `0`/`1`.
    pub all: Vec<(&'static str, String)>,
}

impl Flags {
    /// The flags of a pattern table that gives the counts of `p`.
    pub fn new(p: Present) -> Flags {
        let to = flag(&count(true, "mto"));
        let er = flag(&count(true, "merr"));
        let rep = flag(&count(true, "mrep"));
        let ip_raw = sum(&[count(p.ipm, "kipm"), extra_distinct(p.ipv, "vip")]);
        let tk_raw = sum(&[count(p.tkm, "ktkm"), extra_distinct(p.tokv, "vtok")]);
        let (ip, tk) = (flag(&ip_raw), flag(&tk_raw));
        // Denied by a mismatch or a deny message.
        let deny = flag(&sum(&[ip_raw.clone(), tk_raw.clone(), count(p.dny, "kdny")]));
        let all_four = and(&[
            flag(&count(p.sip, "ksip")),
            flag(&count(p.tok, "ktok")),
            flag(&count(p.aip, "kaip")),
            flag(&count(p.atok, "katok")),
        ]);
        let (htok, ntok) = (flag(&count(p.tok, "ktok")), flag(&count(p.ntok, "ntok")));
        let (htkm, ntkm) = (flag(&count(p.tkm, "ktkm")), flag(&count(p.ntkm, "ntkm")));
        let secret = and(&[flag(&count(p.atok, "katok")), not(&flag(&count(p.natok, "natok")))]);
        let der = and(&[not(&to), er.clone()]);
        let dden = and(&[not(&to), not(&er), deny.clone()]);
        // The received token: from the INFO line, else from the token mismatch line.
        let xmiss = sum(&[and(&[htok.clone(), ntok.clone()]), and(&[not(&htok), ntkm.clone()])]);
        let xsent = sum(&[and(&[htok.clone(), not(&ntok)]), and(&[not(&htok), htkm, not(&ntkm)])]);
        let dalw = and(&[
            not(&to),
            not(&er),
            not(&deny),
            flag(&sum(&[all_four, count(p.alw, "kalw")])),
        ]);
        let xleak = and(&[ip.clone(), not(&tk), xsent.clone()]);
        Flags {
            all: vec![
                ("xrep", rep),
                ("dalw", dalw),
                ("dden", dden),
                ("dto", to),
                ("der", der),
                ("xip", ip),
                ("xtk", tk),
                ("xmiss", xmiss),
                ("xsecret", secret),
                ("xsent", xsent),
                ("xleak", xleak),
            ],
        }
    }

    /// The first-stats items of the flags in `names` that are not constants: `expr as name`.
    pub fn items(&self, names: &[&str]) -> Vec<String> {
        self.all
            .iter()
            .filter(|(n, e)| names.contains(n) && !is_constant(e))
            .map(|(n, e)| format!("{e} as {n}"))
            .collect()
    }

    /// The flags that are constants, for [`with_constants`].
    pub fn constants(&self) -> Vec<(&'static str, &str)> {
        self.all
            .iter()
            .filter(|(_, e)| is_constant(e))
            .map(|(n, e)| (*n, e.as_str()))
            .collect()
    }
}

fn is_constant(e: &str) -> bool {
    e == "0" || e == "1"
}

/// `text` with each identifier of `constants` replaced by its value: the flags no template can
/// set, so the second stats names no field the first does not define.
pub(super) fn with_constants(text: &str, constants: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match constants.iter().find(|(n, _)| *n == word.as_str()) {
            Some((_, v)) => out.push_str(v),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '@' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests;
