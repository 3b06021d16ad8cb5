//! Turns scenario Markdown into HTML that is safe to insert into the page.
//!
//! Scenario files come from trainers' text editors and may be shared between areas, so they are
//! untrusted. `pulldown_cmark::html::push_html` copies raw HTML through unchanged and does not
//! filter link schemes, so before rendering: raw HTML becomes visible text, links keep only
//! http, https, mailto and same-page/relative targets, and images are dropped in favour of their
//! alt text (an image would fetch from elsewhere, and nothing may leave the device unasked).

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub fn to_safe_html(markdown: &str) -> crate::safe::SafeHtml {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    );
    // A stack telling, for each open link, whether it was kept, so its end matches its start.
    let mut kept_links: Vec<bool> = Vec::new();
    let events = parser.filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // The alt text inside an image stays, as plain text.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_safe_url(&dest_url);
            kept_links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            let keep = kept_links.pop().unwrap_or(false);
            keep.then_some(Event::End(TagEnd::Link))
        }
        // Narrative headings sit under the screen's own h1 and step h2.
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    crate::safe::SafeHtml::trusted(out)
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H3,
        other => other,
    }
}

/// Allow-list of link targets. Browsers ignore tabs, newlines and leading spaces inside a scheme
/// (`java\tscript:`), so those are removed before the scheme is read.
pub fn is_safe_url(url: &CowStr) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    // `//host/x` (protocol-relative, and `\\host` which browsers read the same) leaves the site.
    if cleaned.starts_with("//") || cleaned.starts_with("\\\\") || cleaned.starts_with("/\\") {
        return false;
    }
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        // No scheme at all, or a colon only after the path starts: a relative link.
        (None, _) => true,
        (Some(colon), Some(path)) if path < colon => true,
        (Some(colon), _) => matches!(&cleaned[..colon], "http" | "https" | "mailto"),
    }
}
