//! Small DOM helpers the screens share: finding the action a click or key press means, moving
//! focus after a render, downloading an export, and updating the address without a reload.

use leptos::prelude::*;
use thresholds_views::SafeHtml;
use wasm_bindgen::{JsCast, JsValue};

pub use thresholds::page::{closest_with, focus_now};

/// Moves keyboard and screen-reader focus to an element once the DOM has been updated.
pub fn focus_after_render(id: &'static str) {
    request_animation_frame(move || focus_now(id));
}

/// Moves focus to an element once the DOM has been updated, and scrolls it to the top of the
/// window, so what follows it (the grade under the feedback's heading, the choices under the
/// step's) is on screen too.
pub fn focus_and_show(id: &'static str) {
    request_animation_frame(move || {
        focus_now(id);
        if let Some(el) = document().get_element_by_id(id) {
            el.scroll_into_view_with_bool(true);
        }
    });
}

/// Whether a key press is someone typing in a form field (shortcuts must not fire then).
pub fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Offers `text` as a file to download. Nothing leaves the device: the file is made in the page.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

/// The address's `#…` part as the browser holds it now.
pub fn current_address() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the address (no new history entry, no hashchange), so a reload returns here.
pub fn replace_address(hash: &str) {
    let _ = window()
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(hash)));
}

/// Keeps the element with this id filled with `html()`: an effect that re-renders when what
/// `html` reads changes, and only touches the DOM when the markup differs. Each screen is a
/// static skeleton of such regions (see ARCHITECTURE.md, "Size": view code per element costs
/// far more of the download than one effect per region).
pub fn region(id: &'static str, html: impl Fn() -> SafeHtml + 'static) {
    fill(id, Box::new(html), false);
}

/// Runs `f` once the next frame has been painted: work the trainee does not need to see first
/// (saving, the address, the panel's body, the debrief) waits until the decision's feedback is
/// on screen. The 40 ms matter on a two-core machine: main-thread work straight after a frame
/// competes with the threads still painting it (measured: 88 to 100 of 105 decisions painted
/// within a frame, against 70 to 93 with no wait; see ARCHITECTURE.md, "Speed").
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::from_millis(40)));
}

/// Like [`region`], but the new markup goes in once the next frame has been painted: for
/// regions the trainee does not need first (the threshold panel's body, the debrief), so a
/// decision's feedback reaches the screen within a frame.
pub fn region_after_paint(id: &'static str, html: impl Fn() -> SafeHtml + 'static) {
    fill(id, Box::new(html), true);
}

/// Not generic: one copy of the effect serves every region (measured: 6 KB less download than
/// a copy per region; see ARCHITECTURE.md, "Size").
fn fill(id: &'static str, html: Box<dyn Fn() -> SafeHtml>, later: bool) {
    // A region the screen's skeleton lacks is a programming error: loud while developing (a
    // deferred fill may find the screen already gone, which is not), and in a release build
    // the rest of the screen still works.
    let put = move |markup: &SafeHtml, deferred: bool| match document().get_element_by_id(id) {
        Some(el) => refill_keeping_focus(&el, markup),
        None if cfg!(debug_assertions) && !deferred => {
            panic!("no region with the id '{id}' on this screen")
        }
        None => {}
    };
    Effect::new(move |previous: Option<SafeHtml>| {
        let markup = html();
        if previous.as_ref() != Some(&markup) {
            if later {
                let deferred = markup.clone();
                after_paint(move || put(&deferred, true));
            } else {
                put(&markup, false);
            }
        }
        markup
    });
}

/// Fills an element; if keyboard focus was on a control inside it, the same control in the new
/// markup (by its id, or by what it asks for: its `data-action` and what it acts on) gets focus
/// back, so a region redrawn while the trainee is on one of its buttons does not drop them at
/// the top of the page.
fn refill_keeping_focus(el: &web_sys::Element, markup: &SafeHtml) {
    let selector = document()
        .active_element()
        .filter(|a| el.contains(Some(a)) && !a.is_same_node(Some(el)))
        .and_then(|a| {
            let id = a.id();
            if !id.is_empty() {
                return Some(format!("#{}", css_escape(&id)));
            }
            let action = a.get_attribute("data-action")?;
            let mut sel = format!("[data-action=\"{}\"]", css_escape(&action));
            for key in [
                "data-file",
                "data-key",
                "data-case",
                "data-mode",
                "data-line",
            ] {
                if let Some(v) = a.get_attribute(key) {
                    sel.push_str(&format!("[{key}=\"{}\"]", css_escape(&v)));
                }
            }
            Some(sel)
        });
    el.set_inner_html(markup);
    if let Some(found) = selector
        .and_then(|sel| el.query_selector(&sel).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = found.focus();
    }
}

/// A value made safe inside a CSS attribute selector's quotes (or an id).
fn css_escape(v: &str) -> String {
    v.chars()
        .flat_map(|c| match c {
            '"' | '\\' | '#' | '.' | ':' | '[' | ']' | '(' | ')' | ' ' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// Adds a stylesheet of the app to the page's head; `loaded` runs when it has loaded, or has
/// failed to (the screen then still works, plainly styled).
pub fn add_stylesheet(id: &str, href: &str, loaded: impl Fn() + 'static) -> Result<(), JsValue> {
    let link = document().create_element("link")?;
    link.set_attribute("id", id)?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", href)?;
    let done = wasm_bindgen::closure::Closure::<dyn Fn()>::new(loaded).into_js_value();
    let target: &web_sys::EventTarget = link.as_ref();
    target.add_event_listener_with_callback("load", done.unchecked_ref())?;
    target.add_event_listener_with_callback("error", done.unchecked_ref())?;
    document()
        .head()
        .ok_or_else(|| JsValue::from_str("no head"))?
        .append_child(&link)?;
    Ok(())
}
