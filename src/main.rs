//! The case player: wires the simulation core (`thresholds_core`) and its screens as HTML
//! (`thresholds_views`) to a Leptos UI, for the case screen and "About the law". Everything
//! about safeguarding lives in the core; this holds state, turns key presses and clicks into
//! core calls, and keeps progress. The home screen is a program of its own (src/bin/home.rs),
//! so the first load does not carry this one (see src/lib.rs).

mod ui;

// The shared modules, by the paths the UI has always used.
use thresholds::{catalogue, route, saves, storage};

use wasm_bindgen::JsCast;

fn main() {
    thresholds::say_so_on_panic();
    // index.html holds the page frame and the home screen; the player mounts in #app
    // (falling back to <body> if the page was changed).
    match leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(app) => {
            // The loader's "Opening…" gives way to the player.
            app.set_inner_html("");
            leptos::mount::mount_to(app, ui::App).forget()
        }
        None => leptos::mount::mount_to_body(ui::App),
    }
}
