//! Thresholds in the browser: wires the simulation core (`thresholds_core`) to a Leptos UI.
//! Everything about safeguarding lives in the core; this crate only renders it and turns key
//! presses and clicks into core calls.

mod catalogue;
mod route;
mod ui;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ui::App);
}
