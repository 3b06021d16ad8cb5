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
            // Lines count from 1: a problem with the file as a whole is at its first line.
            line: line.max(1),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    /// `file:line: message (hint)`, the shape compilers use, so editors can jump to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, visible(&self.message))?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", visible(&self.hint))?;
        }
        Ok(())
    }
}

/// Text quoted from a file, with control characters shown as escapes: a problem line echoed to a
/// terminal must not be able to move the cursor or change its colours.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A file's bytes as text, or a problem at the line of the first byte that is not UTF-8.
pub fn text_of(file: &str, bytes: &[u8]) -> Result<String, Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            Err(Problem::new(
                file,
                line,
                format!(
                    "the file is not UTF-8 text (byte {} cannot be read)",
                    e.valid_up_to() + 1
                ),
                "save the file as UTF-8 in your text editor",
            ))
        }
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
