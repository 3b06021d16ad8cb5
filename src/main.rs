//! Thresholds in the browser: wires the simulation core (`thresholds_core`) to a Leptos UI.
//! Everything about safeguarding lives in the core; this crate only renders it and turns key
//! presses and clicks into core calls.

mod catalogue;
mod route;
mod ui;

fn main() {
    console_error_panic_hook::set_once();
    // index.html holds the page frame and the home screen's static opening; the app mounts
    // below it in #app (falling back to <body> if the page was changed).
    use wasm_bindgen::JsCast;
    match leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(app) => leptos::mount::mount_to(app, ui::App).forget(),
        None => leptos::mount::mount_to_body(ui::App),
    }
}
