//! House rules that the compiler does not check: no function in the project's own code (`src/`,
//! `build.rs`, `crates/*/src/`) is longer than 150 lines, from its `fn` line to its closing
//! brace. Tests are not held to it.

use std::path::{Path, PathBuf};

const LIMIT: usize = 150;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The project's own code: `build.rs`, `src/` and each crate's `src/` (not tests).
fn project_sources() -> Vec<PathBuf> {
    let root = root();
    let mut files = vec![root.join("build.rs")];
    rust_files(&root.join("src"), &mut files);
    for krate in ["core", "views", "check"] {
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    files
}

/// The code with string and character literals and comments blanked (newlines kept), so that
/// braces inside them are not counted.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| {
        for &c in s {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            rest.windows(2)
                .position(|w| w == b"*/")
                .map_or(rest.len(), |p| p + 2)
        } else if rest[0] == b'r' && (rest.get(1) == Some(&b'#') || rest.get(1) == Some(&b'"')) {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = 2 + hashes;
            rest[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(rest.len(), |p| body + p + close.len())
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(rest.len())
        } else if rest[0] == b'\'' && rest.len() > 2 && (rest[2] == b'\'' || rest[1] == b'\\') {
            // A character literal ('{', '\n', '\''), not a lifetime.
            let mut j = 1;
            while j < rest.len() && rest[j] != b'\'' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(rest.len())
        } else {
            out.push(rest[0] as char);
            i += 1;
            continue;
        };
        blank(&mut out, &rest[..end]);
        i += end;
    }
    out
}

/// Every function as (name, first line, lines long).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some(at) = line.find("fn ") else { continue };
        let before = &line[..at];
        if !before.trim().is_empty()
            && !before.split_whitespace().all(|w| {
                w.starts_with("pub(") || ["pub", "const", "async", "unsafe", "extern"].contains(&w)
            })
        {
            continue;
        }
        let name: String = line[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The body opens at the first `{` before any `;` (a declaration has no body).
        let mut depth = 0usize;
        let mut opened = false;
        'scan: for (m, l) in lines.iter().enumerate().skip(n) {
            for c in l.chars() {
                match c {
                    ';' if !opened => break 'scan,
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' if opened => {
                        depth -= 1;
                        if depth == 0 {
                            found.push((name.clone(), n + 1, m - n + 1));
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_150_lines() {
    let files = project_sources();
    assert!(files.len() > 30, "the project's sources were found");
    let mut too_long = Vec::new();
    let mut longest = (String::new(), 0);
    let mut counted = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (name, line, len) in functions(&text) {
            counted += 1;
            if len > longest.1 {
                longest = (format!("{}:{line} {name}", f.display()), len);
            }
            if len > LIMIT {
                too_long.push(format!("{}:{line}: fn {name} is {len} lines", f.display()));
            }
        }
    }
    assert!(counted > 300, "functions were found ({counted})");
    println!(
        "{counted} functions; the longest: {} ({} lines)",
        longest.0, longest.1
    );
    assert!(too_long.is_empty(), "{}", too_long.join("\n"));
}

#[test]
fn the_measure_counts_a_function_and_ignores_braces_in_strings_and_comments() {
    let text = "pub fn a() {\n    let s = \"{{{\";\n    // }\n    let r = r#\"}\"#;\n    let c = '{';\n}\n\nfn b(x: &'static str) -> u8;\n\nimpl X {\n    pub(crate) fn c() {\n    }\n    pub(super) fn d() {}\n}\n";
    assert_eq!(
        functions(text),
        vec![
            ("a".to_string(), 1, 6),
            ("c".to_string(), 11, 2),
            ("d".to_string(), 13, 1)
        ]
    );
}

#[test]
fn only_the_html_macro_makes_safe_html_from_a_template() {
    // `SafeHtml::from_template` is public only so that `html!` can call it from other crates;
    // anywhere else it would be a way round the escaping.
    let root = root();
    let files = project_sources();
    let calls: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("core/src/safe.rs"))
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .contains("from_template(")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert_eq!(calls, Vec::<String>::new());
    let safe = std::fs::read_to_string(root.join("crates/core/src/safe.rs")).unwrap();
    assert_eq!(
        safe.matches("from_template(").count(),
        2,
        "its definition and the macro's one call"
    );
}
