//! Thresholds in the browser: wires the simulation core (`thresholds_core`) and its screens as
//! HTML (`thresholds_views`) to a Leptos UI. Everything about safeguarding lives in the core;
//! this crate holds state, turns key presses and clicks into core calls, and keeps progress.

mod catalogue;
mod route;
mod saves;
mod storage;
mod ui;

use wasm_bindgen::JsCast;

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // No panic should ever happen; if one does, say so plainly instead of leaving a dead page.
    // Progress up to the last decision is already saved, and the address holds the run.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            main.set_inner_html("<h1>Something went wrong</h1><p role=\"alert\">Thresholds stopped unexpectedly. Your progress up to your last decision is saved on this device: reload the page to carry on.</p>");
        }
    }));
    // index.html holds the page frame and the home screen's static opening; the app mounts
    // below it in #app (falling back to <body> if the page was changed).
    match leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(app) => leptos::mount::mount_to(app, ui::App).forget(),
        None => leptos::mount::mount_to_body(ui::App),
    }
}
