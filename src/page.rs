//! Small DOM helpers both programs use, without a UI framework.

use wasm_bindgen::JsCast;

/// The page's element with this id.
pub fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The nearest element at or above the event's target that carries `attr`, and its value.
pub fn closest_with(ev: &web_sys::Event, attr: &str) -> Option<(web_sys::Element, String)> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let el = target.closest(&format!("[{attr}]")).ok()??;
    let value = el.get_attribute(attr)?;
    Some((el, value))
}

/// Moves keyboard and screen-reader focus to an element now.
pub fn focus_now(id: &str) {
    if let Some(el) = element(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
