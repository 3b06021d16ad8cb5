//! What one of the page's two programs tells the other. A case that the player could not load
//! (offline before it was kept, damaged, out of date) is said on its card when the trainee goes
//! back to the home screen, which is the other program: the reason is kept on the page's
//! `window`, the one object both can see, for as long as the page is open.

use wasm_bindgen::JsValue;

const KEY: &str = "thresholdsUnavailable";

fn table() -> Option<js_sys::Object> {
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str(KEY);
    match js_sys::Reflect::get(&window, &key) {
        Ok(t) if t.is_object() => Some(t.into()),
        _ => {
            let t = js_sys::Object::new();
            js_sys::Reflect::set(&window, &key, &t).ok()?;
            Some(t)
        }
    }
}

/// Records why a case could not be loaded (`None`: it has loaded since).
pub fn set_unavailable(id: &str, why: Option<&str>) {
    if let Some(t) = table() {
        let value = why.map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
        let _ = js_sys::Reflect::set(&t, &JsValue::from_str(id), &value);
    }
}

/// Why a case could not be loaded, if the player said so.
pub fn unavailable(id: &str) -> Option<String> {
    js_sys::Reflect::get(&table()?.into(), &JsValue::from_str(id))
        .ok()
        .and_then(|v| v.as_string())
}
