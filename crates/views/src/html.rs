//! Escaping and small helpers shared by every view.

use std::fmt::Write;

pub use thresholds_core::safe::SafeHtml;
pub use thresholds_core::{html, push_html};

/// Markup the program writes, as safe HTML (a literal only).
pub fn markup(s: &'static str) -> SafeHtml {
    SafeHtml::from_static(s)
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> SafeHtml {
    SafeHtml::escape(text)
}

/// Compiled HTML (event text) as plain words, for lists and exports.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(out.trim())
}

/// The entities `core::markdown` writes, back to characters (the text is escaped again when it
/// is written out).
fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Quotes a CSV cell, and neutralises cells a spreadsheet would run as a formula.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub use thresholds_core::score::decision_count;

/// An ISO 8601 time as people in the UK write it: "30 November 2026, 07:15". The time is as
/// recorded (the app records the device's local time); text that is not such a time is shown
/// as it is.
pub fn uk_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let b = iso.as_bytes();
    let digits = |from: usize, to: usize| -> Option<usize> {
        let part = b.get(from..to)?;
        part.iter().try_fold(0usize, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + usize::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 7), digits(8, 10)) else {
        return iso.to_string();
    };
    let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m)) else {
        return iso.to_string();
    };
    match (b.get(10), iso.get(11..16)) {
        (Some(b'T'), Some(time)) => format!("{day} {name} {year}, {time}"),
        _ => format!("{day} {name} {year}"),
    }
}

/// A list of items as `<li>` elements.
pub fn items(out: &mut SafeHtml, class: &'static str, items: impl IntoIterator<Item = SafeHtml>) {
    let mut any = false;
    for item in items {
        if !any {
            push_html!(out, "<ul class=\"{}\">", class);
            any = true;
        }
        push_html!(out, "<li>{}</li>", item);
    }
    if any {
        out.push_static("</ul>");
    }
}
