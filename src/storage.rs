//! The only module that touches the browser's storage. Every call returns a `Result` with a
//! message a trainee can read: storage can be missing (blocked by policy, some private modes),
//! refuse writes (full, or read-only), or throw on any access. Nothing here panics.

use wasm_bindgen::JsValue;
use web_sys::Storage;

fn reason(e: JsValue) -> String {
    // A DOMException's name says what went wrong (QuotaExceededError, SecurityError, ...).
    js_sys::Reflect::get(&e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "an unknown error".to_string())
}

fn store() -> Result<Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser offers no storage".to_string()),
        Err(e) => Err(reason(e)),
    }
}

pub fn get(key: &str) -> Result<Option<String>, String> {
    store()?.get_item(key).map_err(reason)
}

pub fn set(key: &str, value: &str) -> Result<(), String> {
    store()?.set_item(key, value).map_err(reason)
}

pub fn remove(key: &str) -> Result<(), String> {
    store()?.remove_item(key).map_err(reason)
}

/// Every key that starts with `prefix`.
pub fn keys(prefix: &str) -> Result<Vec<String>, String> {
    let s = store()?;
    let n = s.length().map_err(reason)?;
    let mut out = Vec::new();
    for i in 0..n {
        if let Some(k) = s.key(i).map_err(reason)? {
            if k.starts_with(prefix) {
                out.push(k);
            }
        }
    }
    Ok(out)
}
