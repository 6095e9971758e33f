//! The library's layers: every `crate::x` path in non-test code names a module below its own in
//! the order docs/architecture.md draws, so no import cycle can form between top-level modules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first: a module may use only those before it.
const LAYERS: [&str; 22] = [
    "bytes",
    "cut",
    "timeutil",
    "human",
    "request_id",
    "i18n",
    "redact",
    "report",
    "audit",
    "aws",
    "source",
    "patterns",
    "parse",
    "group",
    "decision",
    "analyze",
    "error",
    "engine",
    "access",
    "render",
    "cli",
    "app",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its `#[cfg(test)]` modules and comments.
fn non_test_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names with `crate::x` or `crate::{x, …}`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Only the first segment of each item: `crate::{a::{b, c}, d}` uses a and d.
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        used.insert(ident(&group[j..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            used.insert(ident(rest));
        }
    }
    used
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        let test_only = rel.ends_with("tests.rs") || top == "testutil" || top == "fuzz";
        if test_only || top == "lib" || top == "main" {
            continue;
        }
        let Some(rank) = LAYERS.iter().position(|l| *l == top) else {
            wrong.push(format!("{}: module {top} is not in LAYERS", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read");
        for used in used_modules(&non_test_code(&text)) {
            if used == top || used.is_empty() {
                continue;
            }
            match LAYERS.iter().position(|l| *l == used) {
                Some(r) if r < rank => {}
                Some(_) => wrong.push(format!("{}: {top} uses crate::{used}, a layer above it", rel.display())),
                None => wrong.push(format!("{}: uses crate::{used}, which is not in LAYERS", rel.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_scan_sees_grouped_and_nested_paths() {
    let code = "use crate::{aws::{Client, Shared}, report::Report};\nlet x = crate::timeutil::now();";
    let used: Vec<String> = used_modules(code).into_iter().collect();
    assert_eq!(used, ["aws", "report", "timeutil"]);
    assert!(used_modules(&non_test_code(
        "// crate::app\n#[cfg(test)]\nmod tests { use crate::cli; }"
    ))
    .is_empty());
}
