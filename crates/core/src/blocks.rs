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

/// One block of a file: its kind (the format's own enum) and everything else, which does not
/// depend on the format. Keeping the reader's helpers free of the kind's type means the browser
/// build carries one copy of them, not one per file format.
#[derive(Debug)]
pub struct Block<K> {
    pub kind: K,
    pub info: BlockInfo,
}

#[derive(Debug)]
pub struct BlockInfo {
    pub id: String,
    pub line: u32,
    pub fields: Vec<Field>,
    pub body: String,
    /// The kind's name, for messages ("step", "choice").
    pub name: &'static str,
}

impl<K> std::ops::Deref for Block<K> {
    type Target = BlockInfo;

    fn deref(&self) -> &BlockInfo {
        &self.info
    }
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

/// Where a heading sits: the title, or the n-th kind after `##` or `###`.
#[derive(Clone, Copy, Debug)]
enum Position {
    Header,
    Outer(usize),
    Inner(usize),
}

/// A block being read: where it sits, what is known so far, and its lines.
type Open = (Position, BlockInfo, Vec<(u32, String)>);

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
        let outer: Vec<&str> = K::OUTER.iter().map(|(n, _)| *n).collect();
        let inner: Vec<&str> = K::INNER.iter().map(|(n, _)| *n).collect();
        let mut blocks = Vec::new();
        for (at, info) in self.split(text, &outer, &inner) {
            let kind = match at {
                Position::Header => K::HEADER,
                Position::Outer(i) => K::OUTER[i].1,
                Position::Inner(i) => K::INNER[i].1,
            };
            let mut info = info;
            info.name = kind.name();
            self.check_fields(&info, kind.fields());
            blocks.push(Block { kind, info });
        }
        blocks
    }

    /// The format-independent part of [`Reader::blocks`]: where each block starts, what kind of
    /// heading it has (by position in the lists of names), its fields and its body.
    fn split(&mut self, text: &str, outer: &[&str], inner: &[&str]) -> Vec<(Position, BlockInfo)> {
        let mut blocks: Vec<(Position, BlockInfo)> = Vec::new();
        let mut current: Option<Open> = None;
        let mut seen_title = false;
        // What Windows Notepad writes at the start of a file; CRLF line ends are read by lines().
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut in_fence = false;
        let mut fence_opened = 0;
        for (i, raw) in text.lines().enumerate() {
            let n = i as u32 + 1;
            let line = raw.trim_end();
            // Inside a code fence every line is text, '#' lines included.
            let fence =
                line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
            if fence {
                in_fence = !in_fence;
                fence_opened = n;
            }
            if !in_fence && !fence {
                self.misformed_heading(n, line, outer, inner);
            }
            let heading = if in_fence || fence {
                None
            } else if let Some(rest) = line.strip_prefix("# ") {
                if seen_title {
                    self.problem(
                        n,
                        "a second '# ' title line",
                        "a file has one title; use '####' for headings inside narrative",
                    );
                    None
                } else {
                    seen_title = true;
                    Some((Position::Header, rest.trim().to_string()))
                }
            } else if let Some(rest) = line.strip_prefix("### ") {
                self.heading(n, rest, inner)
                    .map(|(i, id)| (Position::Inner(i), id))
            } else if let Some(rest) = line.strip_prefix("## ") {
                self.heading(n, rest, outer)
                    .map(|(i, id)| (Position::Outer(i), id))
            } else {
                None
            };
            match heading {
                Some((at, id)) => {
                    if let Some((at, info, lines)) = current.take() {
                        blocks.push((at, self.finish(info, lines)));
                    }
                    current = Some((
                        at,
                        BlockInfo {
                            id,
                            line: n,
                            fields: Vec::new(),
                            body: String::new(),
                            name: "",
                        },
                        Vec::new(),
                    ));
                }
                None => match current.as_mut() {
                    Some((_, _, lines)) => lines.push((n, line.to_string())),
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
        if let Some((at, info, lines)) = current.take() {
            blocks.push((at, self.finish(info, lines)));
        }
        if in_fence {
            self.problem(
                fence_opened,
                "a code fence opened here is never closed, so the rest of the file is read as its text",
                "close it with a line of three backticks (```)",
            );
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

    /// A line that looks like a block heading but is not one (`#### choice x`, `###\tchoice x`,
    /// an indented `  ## step x`, `###choice x`) would otherwise be read as narrative, silently
    /// losing the block: it is a problem, with the heading it should be.
    fn misformed_heading(&mut self, n: u32, line: &str, outer: &[&str], inner: &[&str]) {
        let trimmed = line.trim_start();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if hashes == 0 {
            return;
        }
        let rest = &trimmed[hashes..];
        let word = rest.split_whitespace().next().unwrap_or("");
        let want = if outer.contains(&word) {
            2
        } else if inner.contains(&word) {
            3
        } else {
            return;
        };
        let well_formed = line.len() == trimmed.len()
            && hashes == want
            && rest.starts_with(' ')
            && !rest.starts_with("  ");
        if !well_formed {
            let words: Vec<&str> = rest.split_whitespace().collect();
            self.problem(
                n,
                format!("'{}' looks like a heading but is not read as one", line.trim()),
                format!(
                    "did you mean '{} {}'? A heading starts at the line's start, with {want} '#' and one space",
                    "#".repeat(want),
                    words.join(" ")
                ),
            );
        }
    }

    /// Reads `kind id` after a `##`/`###`; reports an unknown kind or a bad id.
    fn heading(&mut self, n: u32, rest: &str, kinds: &[&str]) -> Option<(usize, String)> {
        let mut words = rest.split_whitespace();
        let word = words.next().unwrap_or("");
        let id = words.next().unwrap_or("").to_string();
        let extra = words.next().is_some();
        let Some(index) = kinds.iter().position(|name| *name == word) else {
            self.problem(
                n,
                format!("unknown block kind '{word}'"),
                format!(
                    "expected one of: {}; use '####' for headings inside narrative",
                    kinds.join(", ")
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
        Some((index, id))
    }

    /// Separates a block's field lines from its Markdown body.
    fn finish(&mut self, mut block: BlockInfo, lines: Vec<(u32, String)>) -> BlockInfo {
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
        block
    }

    fn check_fields(&mut self, block: &BlockInfo, allowed: &[(&str, bool)]) {
        let mut seen: Vec<&str> = Vec::new();
        for f in &block.fields {
            match allowed.iter().find(|(k, _)| *k == f.key) {
                None => {
                    let names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                    self.problem(
                        f.line,
                        format!("unknown field '{}' in a {}", f.key, block.name),
                        format!("a {} takes: {}", block.name, names.join(", ")),
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

    pub fn first<'b>(&self, block: &'b BlockInfo, key: &str) -> Option<&'b Field> {
        block.fields.iter().find(|f| f.key == key)
    }

    pub fn all<'b>(&self, block: &'b BlockInfo, key: &str) -> Vec<&'b Field> {
        block.fields.iter().filter(|f| f.key == key).collect()
    }

    pub fn line_of(&self, block: &BlockInfo, key: &str) -> u32 {
        self.first(block, key).map_or(block.line, |f| f.line)
    }

    /// A yes/no field: absent is no; anything but `yes` or `no` is a problem, since a mistyped
    /// `true` would otherwise silently mean no. `hint` says what the field is for.
    pub fn yes_no(&mut self, block: &BlockInfo, key: &str, hint: &str) -> bool {
        match self.first(block, key).map(|f| (f.value.clone(), f.line)) {
            None => false,
            Some((v, _)) if v == "yes" => true,
            Some((v, _)) if v == "no" => false,
            Some((v, line)) => {
                self.problem(line, format!("'{key}: {v}' should be yes or no"), hint);
                false
            }
        }
    }

    pub fn optional(&self, block: &BlockInfo, key: &str) -> String {
        self.first(block, key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    pub fn required(&mut self, block: &BlockInfo, key: &str) -> String {
        match self.first(block, key) {
            Some(f) if !f.value.is_empty() => f.value.clone(),
            Some(f) => {
                let line = f.line;
                self.problem(
                    line,
                    format!("'{key}' is empty"),
                    format!("give the {} a {key}", block.name),
                );
                String::new()
            }
            None => {
                self.problem(
                    block.line,
                    format!("{} '{}' has no '{key}'", block.name, block.id),
                    format!("add a '{key}: ...' line under the heading"),
                );
                String::new()
            }
        }
    }

    pub fn notes(&self, block: &BlockInfo) -> Vec<String> {
        self.all(block, "note")
            .into_iter()
            .map(|f| f.value.clone())
            .collect()
    }
}
