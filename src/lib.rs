//! What Thresholds' two browser programs share. The page loads one of them first:
//! - `home` (src/bin/home.rs): the home screen, plain DOM over `thresholds_views`, small enough
//!   that the first load stays under 100 KB however many cases there are;
//! - `thresholds` (src/main.rs): the case player, "About the law" and "Your cases" (the
//!   authoring screen), a Leptos app, fetched when one of them is opened (at once, for a deep
//!   link);
//! - `desk` (src/bin/desk.rs): the authoring desk, a Web Worker the authoring screen starts.
//!
//! Each owns its part of the page (`#home`, `#app`) and follows the address itself; the page's
//! loader (scripts/post-build.mjs) starts whichever the address needs. Both read the same
//! catalogue, saves and storage through the modules here.

pub mod catalogue;
pub mod desk_wire;
pub mod handover;
pub mod home;
pub mod lms;
pub mod local_area;
pub mod own;
pub mod page;
pub mod route;
pub mod saves;
pub mod storage;

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// No panic should ever happen; if one does, say so plainly instead of leaving a dead page.
/// Progress up to the last decision is already saved, and the address holds the run.
pub fn say_so_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            main.set_inner_html("<h1>Something went wrong</h1><p role=\"alert\">Thresholds stopped unexpectedly. Your progress up to your last decision is saved on this device: reload the page to carry on.</p>");
        }
    }));
}
