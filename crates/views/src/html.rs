//! Escaping and small helpers shared by every view.

use std::fmt::Write;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    let num = |range: std::ops::Range<usize>| iso.get(range).and_then(|s| s.parse::<usize>().ok());
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return iso.to_string();
    };
    let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m)) else {
        return iso.to_string();
    };
    match (iso.get(10..11), iso.get(11..16)) {
        (Some("T"), Some(time)) => format!("{day} {name} {year}, {time}"),
        _ => format!("{day} {name} {year}"),
    }
}

/// A list of items as `<li>` elements (already HTML).
pub fn items(out: &mut String, class: &str, items: impl IntoIterator<Item = String>) {
    let mut any = false;
    for item in items {
        if !any {
            let _ = write!(out, "<ul class=\"{class}\">");
            any = true;
        }
        let _ = write!(out, "<li>{item}</li>");
    }
    if any {
        out.push_str("</ul>");
    }
}
