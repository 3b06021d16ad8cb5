//! The authoring desk's worker (issue 14): the text parser, the validators, the summary, the
//! Markdown sanitiser and the compiler, in a Web Worker of their own. The authoring screen
//! starts it when it opens, so none of this is in the first load, and a long check never
//! freezes the page. The message handling is `thresholds_core::desk::respond`, tested
//! natively; the messages' shape is src/desk_wire.rs.

use thresholds::desk_wire::{answer_to_js, request_from_js, seq};
use thresholds_core::desk::respond;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let answer = respond(&request_from_js(&data));
            let _ = reply.post_message(&answer_to_js(seq(&data), &answer));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Says it is ready: the page waits for this before its first request.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
