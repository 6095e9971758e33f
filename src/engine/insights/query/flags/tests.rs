//! The flags against the arithmetic the queries had before the rules (their fixtures in
//! `rules/`): the same 0/1 values for every count a request can have.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::super::{rules, Bounds, Queries, QueryKind, Resolution};
use crate::patterns::Patterns;

/// Evaluates the arithmetic of the queries' flags: numbers, names, `+ - *`, parentheses,
/// `least`, `greatest`, and `count(x)`/`count_distinct(x)` looked up by their text.
struct Eval<'a> {
    s: &'a [u8],
    at: usize,
    env: &'a BTreeMap<String, i64>,
}

impl Eval<'_> {
    fn skip(&mut self) {
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip();
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self) -> String {
        self.skip();
        let start = self.at;
        while self
            .s
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    fn expr(&mut self) -> i64 {
        let mut v = self.term();
        loop {
            if self.eat(b'+') {
                v += self.term();
            } else if self.eat(b'-') {
                v -= self.term();
            } else {
                return v;
            }
        }
    }

    fn term(&mut self) -> i64 {
        let mut v = self.factor();
        while self.eat(b'*') {
            v *= self.factor();
        }
        v
    }

    fn factor(&mut self) -> i64 {
        if self.eat(b'(') {
            let v = self.expr();
            assert!(self.eat(b')'));
            return v;
        }
        let w = self.word();
        if let Ok(n) = w.parse() {
            return n;
        }
        if !self.eat(b'(') {
            return *self.env.get(&w).unwrap_or_else(|| panic!("unknown {w}"));
        }
        if w == "count" || w == "count_distinct" {
            let f = self.word();
            assert!(self.eat(b')'));
            let key = format!("{w}({f})");
            return *self.env.get(&key).unwrap_or_else(|| panic!("unknown {key}"));
        }
        let mut args = vec![self.expr()];
        while self.eat(b',') {
            args.push(self.expr());
        }
        assert!(self.eat(b')'));
        match w.as_str() {
            "least" => args.into_iter().min().unwrap_or(0),
            "greatest" => args.into_iter().max().unwrap_or(0),
            _ => panic!("unknown function {w}"),
        }
    }
}

fn eval(text: &str, env: &BTreeMap<String, i64>) -> i64 {
    let mut e = Eval {
        s: text.as_bytes(),
        at: 0,
        env,
    };
    let v = e.expr();
    e.skip();
    assert_eq!(e.at, text.len(), "{text}");
    v
}

/// `expr as name` items of a list, split at top-level commas.
fn items(list: &str) -> Vec<(String, String)> {
    let (mut out, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.iter()
        .filter_map(|i| {
            i.rsplit_once(" as ")
                .map(|(e, n)| (e.trim().to_string(), n.trim().to_string()))
        })
        .collect()
}

/// The first stats' aggregates, and the names the old text gave them.
const COUNTS: [(&str, &str); 16] = [
    ("count(mrep)", "rep"),
    ("count(mto)", "tmo"),
    ("count(merr)", "err"),
    ("count(ksip)", "sip"),
    ("count(ktok)", "tok"),
    ("count(kaip)", "aip"),
    ("count(katok)", "atok"),
    ("count(kipm)", "ipm"),
    ("count(ktkm)", "tkm"),
    ("count(kalw)", "alw"),
    ("count(kdny)", "dny"),
    ("count(ntok)", "ntok"),
    ("count(natok)", "natok"),
    ("count(ntkm)", "ntkm"),
    ("count_distinct(vtok)", "tokn"),
    ("count_distinct(vip)", "ipn"),
];

/// The custom table of `query/tests.rs`, whose old text is a fixture too.
fn custom() -> Patterns {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("patterns.toml");
    let toml = "replace_builtin = true\n[[pattern]]\nkind = \"token_mismatch\"\ntemplate = \"bad token (got {received}/want {allowed}) $1.*\"\n[[pattern]]\nkind = \"deny\"\ntemplate = \"DENY\t[policy] a|b\"\n";
    std::fs::write(&path, toml).expect("write");
    Patterns::load(&path).expect("patterns")
}

/// The old text's flags, evaluated `| fields` after `| fields` over the counts.
fn old_flags(old: &str, env: &mut BTreeMap<String, i64>) {
    for command in old
        .split("\n| ")
        .filter(|c| c.starts_with("fields ") && !c.contains("coalesce"))
    {
        for (expr, name) in items(&command["fields ".len()..]) {
            let v = eval(&expr, env);
            env.insert(name, v);
        }
    }
}

/// The new text's first-stats flags over the same counts.
fn new_flags(new: &str, env: &BTreeMap<String, i64>) -> Vec<(String, i64)> {
    let stats = new
        .split("\n| ")
        .find(|c| c.starts_with("stats ") && c.ends_with(" by rid"))
        .expect("first stats");
    let body = &stats["stats ".len()..stats.len() - " by rid".len()];
    items(body)
        .into_iter()
        .filter(|(e, _)| !e.contains("@timestamp") && !e.contains("sortsLast"))
        .map(|(e, n)| (n, eval(&e, env)))
        .collect()
}

fn same_flags(counts: &[i64; 16]) -> Result<(), TestCaseError> {
    let bounds = Bounds {
        scan_start: 1_752_190_560_000,
        scan_end: 1_752_278_400_000,
        start: 1_752_192_000_000,
        end: 1_752_278_400_000,
    };
    for (patterns, old) in [
        (Patterns::builtin(), include_str!("../rules/before_rules_requests.txt")),
        (custom(), include_str!("../rules/before_rules_custom_requests.txt")),
    ] {
        prop_assert!(rules::check(old).is_err(), "the old text broke the rules");
        let q = Queries::new(&patterns);
        let mut env: BTreeMap<String, i64> = BTreeMap::new();
        for ((agg, name), n) in COUNTS.iter().zip(counts) {
            env.insert(agg.to_string(), *n);
            env.insert(name.to_string(), *n);
        }
        // Kinds no template gives are written 0 in both texts, whatever `env` says.
        let mut old_env = env.clone();
        old_flags(old, &mut old_env);
        for kind in [QueryKind::Requests, QueryKind::Denied] {
            let new = q.text(kind, &bounds, Resolution::Exact);
            let flags = new_flags(&new, &env);
            prop_assert!(flags.len() >= 2, "{new}");
            for (name, v) in flags {
                prop_assert_eq!(Some(&v), old_env.get(&name), "{} with {:?}", name, counts);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn flags_are_the_old_arithmetic(counts in proptest::array::uniform16(0i64..4)) {
        same_flags(&counts)?;
    }
}
