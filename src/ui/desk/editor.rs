//! The editor and the open files: what it shows, its line numbers, typing (checked once it
//! pauses), going to a line, and files from the picker or dropped on the screen.

use leptos::prelude::*;
use thresholds_core::desk::MAX_FILE_BYTES;
use thresholds_views::ui::desk as id;
use thresholds_views::{gutter_text, line_span};
use wasm_bindgen::JsCast;

use super::worker::check_now;
use super::Desk;

fn editor() -> Option<web_sys::HtmlTextAreaElement> {
    document()
        .get_element_by_id(id::EDITOR)
        .and_then(|e| e.dyn_into().ok())
}

/// Puts the file being edited into the editor, with its line numbers and its name.
pub(super) fn show_file(desk: Desk) {
    let i = desk.editing.get_untracked();
    let (name, text) = desk.files.with_untracked(|f| {
        f.get(i)
            .map(|(n, b)| (n.clone(), String::from_utf8_lossy(b).into_owned()))
            .unwrap_or_default()
    });
    if let Some(ed) = editor() {
        ed.set_value(&text);
        fit_editor(&ed, &text);
    }
    if let Some(label) = document().get_element_by_id(id::EDITOR_LABEL) {
        label.set_text_content(Some(&format!("Case file text: {name}")));
    }
}

/// The editor grows with its text (the box around it scrolls), so its line numbers, in the
/// gutter beside it, always line up with its lines.
fn fit_editor(ed: &web_sys::HtmlTextAreaElement, text: &str) {
    let gutter = gutter_text(text);
    let lines = gutter.lines().count().max(1) as u32;
    ed.set_rows(lines.max(22) + 1);
    if let Some(g) = document().get_element_by_id(id::GUTTER) {
        g.set_text_content(Some(&gutter));
    }
}

/// Typing: the file follows the editor, and is checked once typing pauses.
pub(super) fn on_input(desk: Desk, ev: &web_sys::Event) {
    let Some(ed) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let text = ed.value();
    fit_editor(&ed, &text);
    desk.said.set(None);
    let i = desk.editing.get_untracked();
    desk.files.update(|f| {
        if let Some(file) = f.get_mut(i) {
            file.1 = text.into_bytes();
        }
    });
    let typed = desk.sent.get_value() + 1;
    desk.sent.set_value(typed);
    set_timeout(
        move || {
            if desk.sent.try_get_value() == Some(typed) {
                check_now(desk);
            }
        },
        std::time::Duration::from_millis(300),
    );
}

/// The file picker.
pub(super) fn on_change(desk: Desk, ev: &web_sys::Event) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|i| i.id() == id::FILE_INPUT)
    else {
        return;
    };
    if let Some(list) = input.files() {
        open_files(desk, list);
    }
    input.set_value("");
}

pub(super) fn on_drop(desk: Desk, ev: web_sys::DragEvent) {
    ev.prevent_default();
    if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
        open_files(desk, list);
    }
}

/// Reads the chosen or dropped files (no more of each than a case file can be, so a huge file
/// is refused with a message rather than read whole) and puts the first in the editor.
fn open_files(desk: Desk, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let mut opened = Vec::new();
        for file in files {
            let part = file
                .slice_with_f64_and_f64(0.0, (MAX_FILE_BYTES + 1) as f64)
                .map(|b| b.array_buffer());
            let bytes = match part {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
                    .await
                    .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            opened.push((file.name(), bytes));
        }
        if !desk.alive() {
            return;
        }
        let mut first = None;
        for (name, bytes) in opened {
            let at = desk.open(name, bytes);
            first.get_or_insert(at);
        }
        let first = first.unwrap_or(0);
        desk.editing.set(first);
        desk.answer.set(None);
        show_file(desk);
        check_now(desk);
    });
}

/// Puts the cursor on a line, selects it, and scrolls it into the middle of the editor's box.
pub(super) fn go_to_line(line: u32) {
    let Some(ed) = editor() else { return };
    let (start, end) = line_span(&ed.value(), line);
    // The browser's own scrolling on focus would bring the top of the (tall) editor into view;
    // the box is scrolled to the line instead, and then brought into the window.
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = ed.focus_with_options(&options);
    let _ = ed.set_selection_range(start, end);
    if let Some(scroller) = ed.parent_element() {
        let per_line = f64::from(ed.client_height()) / f64::from(ed.rows().max(1));
        let top = per_line * f64::from(line.saturating_sub(1))
            - f64::from(scroller.client_height()) / 3.0;
        scroller.set_scroll_top(top.max(0.0) as i32);
        scroller.scroll_into_view_with_bool(false);
    }
}
