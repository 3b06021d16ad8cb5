//! The block format shared by case files and the area's threshold files: a `# Title` line,
//! header fields, then `## kind id` and `### kind id` blocks, each with `key: value` field lines
//! and, after a blank line, a Markdown body. The reader never stops at the first problem.

use crate::problem::Problem;

/// The kinds of block one file format allows.
pub trait Kind: Copy + PartialEq + std::fmt::Debug + 'static {
    /// The `# Title` block.
    const HEADER: Self;
    /// Kinds allowed after `## `.
    const OUTER: &'static [(&'static str, Self)];
    /// Kinds allowed after `### `.
    const INNER: &'static [(&'static str, Self)];
    fn name(self) -> &'static str;
    /// Field names this kind accepts, and whether each may repeat.
    fn fields(self) -> &'static [(&'static str, bool)];
}

#[derive(Debug)]
pub struct Block<K> {
    pub kind: K,
    pub id: String,
    pub line: u32,
    pub fields: Vec<Field>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// `[a-z0-9]` then `[a-z0-9._-]*`: stable, URL- and file-safe, and never positional.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

pub fn field_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key_ok = !key.is_empty()
        && key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    key_ok.then(|| (key, value.trim()))
}

/// Reads blocks and collects problems for one file.
pub struct Reader<'a> {
    pub file: &'a str,
    pub problems: Vec<Problem>,
}

impl Reader<'_> {
    pub fn problem(&mut self, line: u32, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Problem::new(self.file, line, message, hint));
    }

    /// Splits the text into blocks at structural headings.
    pub fn blocks<K: Kind>(&mut self, text: &str) -> Vec<Block<K>> {
        let mut blocks: Vec<Block<K>> = Vec::new();
        let mut current: Option<(Block<K>, Vec<(u32, String)>)> = None;
        let mut seen_title = false;
        for (i, raw) in text.lines().enumerate() {
            let n = i as u32 + 1;
            let line = raw.trim_end();
            let heading = if let Some(rest) = line.strip_prefix("# ") {
                if seen_title {
                    self.problem(
                        n,
                        "a second '# ' title line",
                        "a file has one title; use '####' for headings inside narrative",
                    );
                    None
                } else {
                    seen_title = true;
                    Some((K::HEADER, rest.trim().to_string(), n))
                }
            } else if let Some(rest) = line.strip_prefix("### ") {
                self.heading(n, rest, K::INNER)
            } else if let Some(rest) = line.strip_prefix("## ") {
                self.heading(n, rest, K::OUTER)
            } else {
                None
            };
            match heading {
                Some((kind, id, line_no)) => {
                    if let Some((block, lines)) = current.take() {
                        blocks.push(self.finish(block, lines));
                    }
                    current = Some((
                        Block {
                            kind,
                            id,
                            line: line_no,
                            fields: Vec::new(),
                            body: String::new(),
                        },
                        Vec::new(),
                    ));
                }
                None => match current.as_mut() {
                    Some((_, lines)) => lines.push((n, line.to_string())),
                    None => {
                        if !line.trim().is_empty()
                            && !line.starts_with("## ")
                            && !line.starts_with("### ")
                        {
                            self.problem(
                                n,
                                "text before the '# Title' line",
                                "the file starts with '# ' and its title",
                            );
                        }
                    }
                },
            }
        }
        if let Some((block, lines)) = current.take() {
            blocks.push(self.finish(block, lines));
        }
        if !seen_title {
            self.problem(
                1,
                "no '# Title' line",
                "start the file with '# ' and its title",
            );
        }
        blocks
    }

    /// Reads `kind id` after a `##`/`###`; reports an unknown kind or a bad id.
    fn heading<K: Kind>(
        &mut self,
        n: u32,
        rest: &str,
        kinds: &[(&str, K)],
    ) -> Option<(K, String, u32)> {
        let mut words = rest.split_whitespace();
        let word = words.next().unwrap_or("");
        let id = words.next().unwrap_or("").to_string();
        let extra = words.next().is_some();
        let Some(&(_, kind)) = kinds.iter().find(|(name, _)| *name == word) else {
            let names: Vec<&str> = kinds.iter().map(|(name, _)| *name).collect();
            self.problem(
                n,
                format!("unknown block kind '{word}'"),
                format!(
                    "expected one of: {}; use '####' for headings inside narrative",
                    names.join(", ")
                ),
            );
            return None;
        };
        if id.is_empty() || extra || !is_valid_id(&id) {
            self.problem(
                n,
                format!(
                    "'{}' needs one id made of a-z, 0-9, '-', '_' or '.', got '{}'",
                    word,
                    rest[word.len()..].trim()
                ),
                "for example '## step first-visit'",
            );
        }
        Some((kind, id, n))
    }

    /// Separates a block's field lines from its Markdown body.
    fn finish<K: Kind>(&mut self, mut block: Block<K>, lines: Vec<(u32, String)>) -> Block<K> {
        let mut in_fields = true;
        let mut body: Vec<&str> = Vec::new();
        for (n, line) in &lines {
            if in_fields {
                if line.trim().is_empty() {
                    in_fields = false;
                    continue;
                }
                if let Some((key, value)) = field_line(line) {
                    block.fields.push(Field {
                        key: key.to_string(),
                        value: value.to_string(),
                        line: *n,
                    });
                    continue;
                }
                in_fields = false;
            }
            body.push(line);
        }
        while body.first().is_some_and(|l| l.trim().is_empty()) {
            body.remove(0);
        }
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        block.body = body.join("\n");
        self.check_fields(&block);
        block
    }

    fn check_fields<K: Kind>(&mut self, block: &Block<K>) {
        let allowed = block.kind.fields();
        let mut seen: Vec<&str> = Vec::new();
        for f in &block.fields {
            match allowed.iter().find(|(k, _)| *k == f.key) {
                None => {
                    let names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                    self.problem(
                        f.line,
                        format!("unknown field '{}' in a {}", f.key, block.kind.name()),
                        format!("a {} takes: {}", block.kind.name(), names.join(", ")),
                    );
                }
                Some((_, repeatable)) => {
                    if !repeatable && seen.contains(&f.key.as_str()) {
                        self.problem(
                            f.line,
                            format!("field '{}' given twice", f.key),
                            "keep one of them",
                        );
                    }
                    seen.push(&f.key);
                }
            }
        }
    }

    pub fn first<'b, K>(&self, block: &'b Block<K>, key: &str) -> Option<&'b Field> {
        block.fields.iter().find(|f| f.key == key)
    }

    pub fn all<'b, K>(&self, block: &'b Block<K>, key: &str) -> Vec<&'b Field> {
        block.fields.iter().filter(|f| f.key == key).collect()
    }

    pub fn line_of<K>(&self, block: &Block<K>, key: &str) -> u32 {
        self.first(block, key).map_or(block.line, |f| f.line)
    }

    pub fn optional<K>(&self, block: &Block<K>, key: &str) -> String {
        self.first(block, key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    pub fn required<K: Kind>(&mut self, block: &Block<K>, key: &str) -> String {
        match self.first(block, key) {
            Some(f) if !f.value.is_empty() => f.value.clone(),
            Some(f) => {
                let line = f.line;
                self.problem(
                    line,
                    format!("'{key}' is empty"),
                    format!("give the {} a {key}", block.kind.name()),
                );
                String::new()
            }
            None => {
                self.problem(
                    block.line,
                    format!("{} '{}' has no '{key}'", block.kind.name(), block.id),
                    format!("add a '{key}: ...' line under the heading"),
                );
                String::new()
            }
        }
    }

    pub fn notes<K>(&self, block: &Block<K>) -> Vec<String> {
        self.all(block, "note")
            .into_iter()
            .map(|f| f.value.clone())
            .collect()
    }
}
