//! A problem found in a scenario file: where it is, what is wrong, and what would fix it.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: u32,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(file: &str, line: u32, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    /// `file:line: message (hint)`, the shape compilers use, so editors can jump to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

/// Orders problems by file, then line, keeping the order of problems on the same line. An
/// insertion sort: lists are short, and it costs the browser build a fraction of the standard
/// library's sort.
pub fn sort(problems: &mut [Problem]) {
    for i in 1..problems.len() {
        let mut j = i;
        while j > 0
            && (&problems[j - 1].file, problems[j - 1].line) > (&problems[j].file, problems[j].line)
        {
            problems.swap(j - 1, j);
            j -= 1;
        }
    }
}
