//! The authoring screen ("Your cases"): open or write a case file, see every problem as
//! `file:line: message (hint)` with a button that takes the cursor to its line, and the case's
//! summary, all checked by the authoring desk (`thresholds_core::desk`) in a worker.

use thresholds_core::desk::{AreaReport, DeskReport, Finding};

use crate::html::{esc, html, push_html, uk_date, SafeHtml};
use crate::ui::UiAction;

/// The screen's static skeleton; its regions are `ui::desk`'s.
pub const DESK_SKELETON: &str = concat!(
    r#"<h1 id="desk-heading" class="screen-heading" tabindex="-1">Your cases</h1>"#,
    r#"<p class="lede">Check a case file you have written: every problem with its line, and what the case holds. Everything stays on this device: nothing you open or type is sent anywhere.</p>"#,
    r#"<section aria-labelledby="desk-open-heading"><h2 id="desk-open-heading">Open case files</h2>"#,
    r#"<p><label for="desk-file-input">Choose one or more case files (Markdown, ending .md)</label><br><input type="file" id="desk-file-input" accept=".md,.txt,text/markdown,text/plain" multiple></p>"#,
    r#"<div class="drop-zone" id="desk-drop"><p>Or drop case files anywhere in this box.</p><div id="desk-files"></div></div></section>"#,
    r#"<section aria-labelledby="desk-editor-heading"><h2 id="desk-editor-heading">Edit</h2>"#,
    r#"<p><label for="desk-editor" id="desk-editor-label">Case file text</label></p>"#,
    r#"<div class="editor"><pre class="gutter" id="desk-gutter" aria-hidden="true">1</pre>"#,
    r#"<textarea id="desk-editor" spellcheck="false" autocapitalize="off" wrap="off" rows="22" aria-describedby="desk-status"></textarea></div>"#,
    r#"<p role="status" class="desk-status" id="desk-status" data-testid="desk-status"></p><div id="desk-play"></div></section>"#,
    r#"<section aria-labelledby="desk-problems-heading"><h2 id="desk-problems-heading">Problems</h2><div id="desk-problems"></div></section>"#,
    r#"<section aria-labelledby="desk-summary-heading"><h2 id="desk-summary-heading">Summary</h2><div id="desk-summary"></div></section>"#,
    r#"<section aria-labelledby="desk-area-heading"><h2 id="desk-area-heading" tabindex="-1">Your area</h2><div id="desk-area"></div><div id="desk-area-trial"></div></section>"#,
    r#"<section aria-labelledby="desk-kept-heading"><h2 id="desk-kept-heading" tabindex="-1">Kept on this device</h2><div id="desk-kept"></div></section>"#,
    r##"<p><a href="#/">Back to all cases</a></p>"##,
);

/// The files open on the desk, each with its problem count; the one being edited is marked,
/// the others have a button to edit them.
pub fn desk_files_html(files: &[(&str, Option<usize>)], editing: usize) -> SafeHtml {
    if files.is_empty() {
        return SafeHtml::default();
    }
    let mut h = SafeHtml::from_static("<ul class=\"desk-files\">");
    for (i, (name, problems)) in files.iter().enumerate() {
        let count = match problems {
            None => "not checked yet".to_string(),
            Some(0) => "no problems".to_string(),
            Some(1) => "1 problem".to_string(),
            Some(n) => format!("{n} problems"),
        };
        if i == editing {
            push_html!(
                h,
                "<li aria-current=\"true\"><strong>{}</strong> ({}), being edited</li>",
                esc(name),
                count
            );
        } else {
            push_html!(
                h,
                "<li>{} ({}) <button type=\"button\" class=\"button small\" {} data-file=\"{}\">Edit {}</button></li>",
                esc(name),
                count,
                UiAction::EditFile.attr(),
                i,
                esc(name)
            );
        }
    }
    h.push_static("</ul>");
    h
}

/// Every problem and warning: the area's files' first (when a trainer is trying an area), then
/// each open case file's, each a button that takes the cursor to its line in its file.
pub fn desk_problems_html(
    reports: &[DeskReport],
    area: Option<&AreaReport>,
    trouble: Option<&str>,
) -> SafeHtml {
    if let Some(t) = trouble {
        return html!("<p role=\"alert\">{}</p>", t);
    }
    let mut lists: Vec<(&str, &[Finding])> = Vec::new();
    if let Some(a) = area {
        lists.push(("problem", &a.problems));
    }
    for r in reports {
        lists.push(("problem", &r.problems));
        lists.push(("warning", &r.warnings));
    }
    let mut h = SafeHtml::default();
    for (kind, f) in lists
        .iter()
        .flat_map(|(k, l)| l.iter().map(move |f| (*k, f)))
    {
        if h.is_empty() {
            h.push_static("<ul class=\"problems desk-problems\">");
        }
        push_html!(
            h,
            "<li class=\"{}\"><button type=\"button\" class=\"link-button\" {} data-file=\"{}\" data-line=\"{}\"><span class=\"visually-hidden\">{}: </span><code>{}</code></button></li>",
            kind,
            UiAction::GoToLine.attr(),
            esc(&f.file),
            f.line,
            kind,
            esc(&f.text)
        );
    }
    if !h.is_empty() {
        h.push_static("</ul>");
        h
    } else if reports.is_empty() && area.is_none() {
        SafeHtml::from_static("<p>Open or type a case file to check it.</p>")
    } else {
        SafeHtml::from_static("<p>No problems.</p>")
    }
}

/// The area in use and the frameworks a trainer can try.
pub struct AreaView<'a> {
    /// The framework in use: its title and nation, and whether a trainer chose it on this
    /// device (rather than the built-in one).
    pub in_use: (&'a str, &'a str, bool),
    /// An area was chosen on this device, but this version cannot read it.
    pub unreadable: bool,
    /// Frameworks that ship with the app: (key, label), the built-in one first.
    pub choices: &'a [(&'a str, &'a str)],
}

pub fn desk_area_html(v: &AreaView) -> SafeHtml {
    let (title, nation, local) = v.in_use;
    let mut h = html!(
        "<p>In use on this device: <strong>{}</strong> ({}){}.</p>",
        title,
        nation,
        if local { ", chosen here" } else { ", built in" }
    );
    if v.unreadable {
        h.push_static("<p role=\"alert\">The area chosen on this device cannot be read by this version of Thresholds, so the built-in area applies. Open its files, or choose a framework, and use it again.</p>");
    }
    if local || v.unreadable {
        push_html!(h, "<p><button type=\"button\" class=\"button\" {}>Go back to the built-in area</button></p>", UiAction::BuiltInArea.attr());
    }
    h.push_static("<p>Try a framework: ");
    for (i, (key, label)) in v.choices.iter().enumerate() {
        push_html!(
            h,
            "<button type=\"button\" class=\"button small\" {} data-key=\"{}\">{}{}</button> ",
            UiAction::TryFramework.attr(),
            esc(key),
            esc(label),
            if i == 0 { " (built in)" } else { "" }
        );
    }
    h.push_static("</p><p class=\"hint\">Or open your area's own <code>framework.md</code> and <code>services.md</code> above, named so; the built-in file stands in for one you do not open. The case text still describes England's law; the panel uses the area's levels and rules.</p>");
    h
}

/// While an area's files are open: whether they load (`None` while they are being checked),
/// and every case re-checked against them.
pub fn desk_area_trial_html(report: Option<&AreaReport>, references: &[DeskReport]) -> SafeHtml {
    let mut h = SafeHtml::default();
    area_trial(&mut h, report, references);
    h
}

fn area_trial(h: &mut SafeHtml, report: Option<&AreaReport>, references: &[DeskReport]) {
    let Some(a) = report else {
        h.push_static("<p>Checking the area…</p>");
        return;
    };
    if !a.problems.is_empty() {
        push_html!(h, "<p>The area's files have {} (listed under Problems). Every case is re-checked once they are fixed.</p>", problem_count(a.problems.len()));
        return;
    }
    push_html!(h, "<p><strong>{}</strong> ({}) loads with no problems. Every case, re-checked against it:</p><ul class=\"rechecked\">", a.title.as_str(), a.nation.as_str());
    for r in references {
        if r.problems.is_empty() {
            push_html!(h, "<li>{}: every level statement holds.</li>", esc(&r.name));
        } else {
            push_html!(
                h,
                "<li>{}: {} under this area:<ul>",
                esc(&r.name),
                problem_count(r.problems.len())
            );
            for f in &r.problems {
                push_html!(h, "<li><code>{}</code></li>", esc(&f.text));
            }
            h.push_static("</ul></li>");
        }
    }
    push_html!(h, "</ul><p><button type=\"button\" class=\"button primary\" {}>Use this area for every case on this device</button></p>", UiAction::UseArea.attr());
}

fn problem_count(n: usize) -> String {
    match n {
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    }
}

/// The summary of the file being edited, as the authoring check prints it.
pub fn desk_summary_html(report: Option<&DeskReport>) -> SafeHtml {
    match report {
        Some(r) if !r.summary.is_empty() => {
            html!("<pre class=\"desk-summary\">{}</pre>", r.summary.as_str())
        }
        _ => SafeHtml::from_static("<p>The summary shows once the file can be read.</p>"),
    }
}

/// What the live region says after a check: short, so it is not a burden to hear each time.
pub fn desk_status_text(report: Option<&DeskReport>, checking: bool) -> String {
    if checking {
        return "Checking…".to_string();
    }
    match report {
        None => String::new(),
        Some(r) => match r.problems.len() {
            0 => format!("{}: no problems.", r.name),
            1 => format!("{}: 1 problem.", r.name),
            n => format!("{}: {n} problems.", r.name),
        },
    }
}

/// Line numbers for the editor's gutter, one per line of `text`.
pub fn gutter_text(text: &str) -> String {
    let lines = text.split('\n').count();
    let mut out = String::with_capacity(lines * 4);
    for n in 1..=lines {
        if n > 1 {
            out.push('\n');
        }
        out.push_str(&n.to_string());
    }
    out
}

/// Where line `line` (from 1) starts and ends in `text`, in UTF-16 code units as a textarea
/// counts them, to put the cursor there.
pub fn line_span(text: &str, line: u32) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line as usize {
            return (start, start + len);
        }
        start += len + 1;
    }
    (start.saturating_sub(1), start.saturating_sub(1))
}

/// For the file being edited: play it in any of the three ways (only a case with no problems,
/// which is then kept on this device), and export it as a file whatever its state.
pub fn desk_play_html(report: Option<&DeskReport>, name: &str) -> SafeHtml {
    let mut h = SafeHtml::default();
    if let Some(r) = report.filter(|r| r.compiled.is_some()) {
        h.push_static("<p class=\"desk-actions\">Play it, and keep it on this device: ");
        for mode in thresholds_core::Mode::ALL {
            push_html!(
                h,
                "<button type=\"button\" class=\"button\" {} data-mode=\"{}\">{}<span class=\"visually-hidden\"> ({})</span></button> ",
                UiAction::PlayOwn.attr(),
                mode.as_str(),
                mode.label(),
                esc(&r.title)
            );
        }
        h.push_static("</p>");
    } else if report.is_some_and(|r| !r.problems.is_empty()) {
        h.push_static("<p>Once it has no problems, you can play it here.</p>");
    }
    push_html!(
        h,
        "<p><button type=\"button\" class=\"button small\" {}>Export {} as a file</button></p>",
        UiAction::ExportFile.attr(),
        esc(name)
    );
    h
}

/// A trainer's own case kept on this device, as the authoring screen lists it.
pub struct KeptCase<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub version: u32,
    pub file: &'a str,
    /// When it was kept (ISO 8601).
    pub saved: &'a str,
}

/// The trainer's own cases kept on this device: edit, export or remove each.
pub fn desk_kept_html(kept: &[KeptCase]) -> SafeHtml {
    if kept.is_empty() {
        return SafeHtml::from_static("<p>None yet. Play a case with no problems to keep it here; it then shows on the home screen under your cases.</p>");
    }
    let mut h = SafeHtml::from_static("<ul class=\"desk-kept\">");
    for k in kept {
        push_html!(
            h,
            "<li><strong>{}</strong> (version {}, {}, kept {}) <button type=\"button\" class=\"button small\" {} data-case=\"{}\">Edit<span class=\"visually-hidden\"> {}</span></button> <button type=\"button\" class=\"button small\" {} data-case=\"{}\">Export<span class=\"visually-hidden\"> {}</span></button> <button type=\"button\" class=\"button small\" {} data-case=\"{}\">Remove<span class=\"visually-hidden\"> {}</span></button></li>",
            esc(k.title),
            k.version,
            esc(k.file),
            esc(&uk_date(k.saved)),
            UiAction::EditOwn.attr(),
            esc(k.id),
            esc(k.title),
            UiAction::ExportOwn.attr(),
            esc(k.id),
            esc(k.title),
            UiAction::RemoveOwn.attr(),
            esc(k.id),
            esc(k.title)
        );
    }
    h.push_static("</ul>");
    h
}
