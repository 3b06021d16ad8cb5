//! What the cmi5 program says to the learner: its own region at the top of the page (before
//! the screens, so neither of the other programs redraws it), a live region so each notice is
//! announced, and the "Finish and return to your course" button when the LMS gave a return
//! address.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::net::sleep;
use super::queue::flush;
use super::{child, current, flag, set, state, terminate, text, window};

fn status_region() -> Option<web_sys::Element> {
    let doc = window()?.document()?;
    if let Some(el) = doc.get_element_by_id("lms-status") {
        return Some(el);
    }
    let region = doc.create_element("section").ok()?;
    region.set_id("lms-status");
    region.set_class_name("notices lms-status");
    let _ = region.set_attribute("aria-label", "Your learning management system");
    region.set_inner_html("<div role=\"status\" id=\"lms-status-text\"></div>");
    let main = doc.get_element_by_id("main")?;
    let _ = main.insert_before(&region, main.first_child().as_ref());
    Some(region)
}

/// Says a notice of this kind once (until it is taken back).
pub(super) fn notify_once(kind: &str, message: &str) {
    let Some(state) = state() else { return };
    let said = child(&state, "said");
    if flag(&said, kind) {
        return;
    }
    set(&said, kind, true);
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let Some(live) = status_region().and(doc.get_element_by_id("lms-status-text")) else {
        return;
    };
    let list = match live.query_selector("ul") {
        Ok(Some(l)) => l,
        _ => match doc.create_element("ul") {
            Ok(l) => {
                let _ = live.append_child(&l);
                l
            }
            Err(_) => return,
        },
    };
    if let Ok(item) = doc.create_element("li") {
        item.set_id(&format!("lms-notice-{kind}"));
        item.set_text_content(Some(message));
        let _ = list.append_child(&item);
    }
}

/// Takes back a notice that no longer holds (the connection returned), so it can be said again.
pub(super) fn clear_notice(kind: &str) {
    let Some(state) = state() else { return };
    set(&child(&state, "said"), kind, false);
    if let Some(item) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("lms-notice-{kind}")))
    {
        item.remove();
    }
}

/// The LMS gave a return address: a button to finish there (cmi5: after "terminated", go to it).
pub(super) fn exit_button() {
    let Some(region) = status_region() else {
        return;
    };
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("lms-exit").is_some() {
        return;
    }
    let Ok(button) = doc.create_element("button") else {
        return;
    };
    button.set_id("lms-exit");
    let _ = button.set_attribute("type", "button");
    button.set_class_name("button");
    button.set_text_content(Some("Finish and return to your course"));
    let click =
        Closure::<dyn Fn()>::new(|| wasm_bindgen_futures::spawn_local(exit())).into_js_value();
    let _ = button.add_event_listener_with_callback("click", click.unchecked_ref());
    let _ = region.append_child(&button);
}

/// "Terminated" sent (waiting for the store's answer, unlike at a closing page), then the
/// LMS's return address.
async fn exit() {
    terminate();
    // A send under way finishes first; then one more takes "terminated".
    for _ in 0..50 {
        if !state().is_some_and(|s| flag(&s, "sending")) {
            break;
        }
        sleep(100).await;
    }
    flush().await;
    let url = current().and_then(|h| text(&h, "returnURL"));
    if let (Some(w), Some(url)) = (window(), url) {
        let _ = w.location().assign(&url);
    }
}
