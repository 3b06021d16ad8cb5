//! The cmi5 program's requests: the token, the launch data, the preferences and statements.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{set, window};

pub(super) enum Failure {
    /// Offline, blocked or unreachable: worth trying again.
    Network,
    /// Refused, or an answer that cannot be used.
    Refused,
}

/// A request with the launch's token (as cmi5 says: `Authorization: Basic <token>`) and the
/// xAPI version; `keepalive` lets it outlive a closing page.
pub(super) fn request(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
    keepalive: bool,
) -> Result<web_sys::Request, JsValue> {
    let headers = web_sys::Headers::new()?;
    if let Some(t) = token {
        headers.append("Authorization", &format!("Basic {t}"))?;
        headers.append("X-Experience-API-Version", "1.0.3")?;
    }
    if body.is_some() {
        headers.append("Content-Type", "application/json")?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    // `keepalive` is not in web-sys's RequestInit; it is a plain property of the dictionary.
    set(&init, "keepalive", keepalive);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    web_sys::Request::new_with_str_and_init(url, &init)
}

/// A request: its status and text, or a network failure (offline, blocked, refused).
pub(super) async fn http(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<(u16, String), Failure> {
    let w = window().ok_or(Failure::Network)?;
    let r = request(method, url, token, body, false).map_err(|_| Failure::Refused)?;
    let response: web_sys::Response = JsFuture::from(w.fetch_with_request(&r))
        .await
        .map_err(|_| Failure::Network)?
        .unchecked_into();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Ok((response.status(), text.unwrap_or_default()))
}

pub(super) async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}
