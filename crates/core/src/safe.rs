//! HTML that is safe to put into the page, as a type. A `SafeHtml` is made only by:
//!
//! - escaping text ([`SafeHtml::escape`], or any `&str`/`String` passed to [`html!`]);
//! - the Markdown sanitiser (`markdown::to_safe_html`, at build time);
//! - decoding a compiled case (`codec`), whose bodies that sanitiser wrote;
//! - joining those with markup the program itself writes: [`html!`] takes its template only
//!   as a string literal, refuses (at compile time) a template that names a variable instead
//!   of taking it as an argument, and passes every argument through [`Render`], which escapes
//!   text and keeps `SafeHtml` as it is.
//!
//! So whether a string holds Markdown, text or safe HTML is a type, not a convention: the
//! screens take and return `SafeHtml`, and the UI inserts nothing else.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Text, escaped for element content and double-quoted attributes.
    pub fn escape(text: &str) -> SafeHtml {
        SafeHtml(escape(text))
    }

    /// Markup the program writes, fixed at compile time.
    pub fn from_static(markup: &'static str) -> SafeHtml {
        SafeHtml(markup.to_string())
    }

    /// The sanitiser's output and a decoded compiled case's bodies: only this crate makes them.
    pub(crate) fn trusted(html: String) -> SafeHtml {
        SafeHtml(html)
    }

    /// Only for [`html!`], which builds the string from a literal template and escaped or
    /// already-safe arguments. Not for any other use.
    #[doc(hidden)]
    pub fn from_template(html: String) -> SafeHtml {
        SafeHtml(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends more safe HTML.
    pub fn push(&mut self, more: &SafeHtml) {
        self.0.push_str(&more.0);
    }

    /// Appends markup the program writes.
    pub fn push_static(&mut self, markup: &'static str) {
        self.0.push_str(markup);
    }

    /// Appends text, escaped.
    pub fn push_text(&mut self, text: &str) {
        use std::fmt::Write as _;
        let _ = write!(self.0, "{}", Show(&text));
    }
}

/// Read as text (to search it, measure it, or hand it to the page): reading cannot make it
/// unsafe.
impl std::ops::Deref for SafeHtml {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Safe HTML followed by more safe HTML.
impl std::ops::Add<&SafeHtml> for SafeHtml {
    type Output = SafeHtml;

    fn add(mut self, more: &SafeHtml) -> SafeHtml {
        self.push(more);
        self
    }
}

impl fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromIterator<SafeHtml> for SafeHtml {
    fn from_iter<I: IntoIterator<Item = SafeHtml>>(iter: I) -> SafeHtml {
        let mut out = SafeHtml::default();
        for h in iter {
            out.push(&h);
        }
        out
    }
}

/// Text escaped for element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    Show(&text).to_string()
}

/// How an argument of [`html!`] goes into the page: text escaped, safe HTML as it is, numbers
/// as digits. Written straight into the formatter, so an argument costs no allocation.
pub trait Render {
    fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl Render for str {
    fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self, out)
    }
}

impl Render for String {
    fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self, out)
    }
}

impl Render for SafeHtml {
    fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.0)
    }
}

impl<T: Render + ?Sized> Render for &T {
    fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).render(out)
    }
}

macro_rules! render_numbers {
    ($($t:ty),*) => {$(
        impl Render for $t {
            fn render(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, out)
            }
        }
    )*};
}
render_numbers!(u8, u16, u32, u64, usize, i32, i64, bool);

fn write_escaped(text: &str, out: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// One argument of [`html!`], shown through [`Render`]. Not generic, so every argument of every
/// template shares one piece of code.
#[doc(hidden)]
pub struct Show<'a>(pub &'a dyn Render);

impl fmt::Display for Show<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render(out)
    }
}

/// Whether every `{…}` in a template takes an argument by position (`{}` or `{:…}`), never a
/// variable by name (`{name}`), which would go into the page unescaped. Checked at compile time
/// by [`html!`].
pub const fn holes_are_positional(template: &str) -> bool {
    let b = template.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if i + 1 < b.len() && b[i + 1] == b'{' {
                i += 2;
                continue;
            }
            if i + 1 >= b.len() || (b[i + 1] != b'}' && b[i + 1] != b':') {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// Safe HTML from a literal template: `html!("<li class=\"x\">{}</li>", label)` escapes
/// `label` if it is text and keeps it if it is `SafeHtml`. Holes are `{}` only.
#[macro_export]
macro_rules! html {
    ($template:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = assert!(
            $crate::safe::holes_are_positional($template),
            "an html! template takes each value as an argument, never by name, so that it is escaped"
        );
        $crate::safe::SafeHtml::from_template(format!(
            $template $(, $crate::safe::Show(&$arg))*
        ))
    }};
}

/// Appends `html!(…)` to a `SafeHtml`.
#[macro_export]
macro_rules! push_html {
    ($out:expr, $template:literal $(, $arg:expr)* $(,)?) => {
        $out.push(&$crate::html!($template $(, $arg)*))
    };
}
