//! Small shared pieces: sanitised Markdown, grade badges, focus handling.

use leptos::prelude::*;
use thresholds_core::model::Grade;
use wasm_bindgen::JsCast;

/// A scenario body. Bundled cases are compiled by `build.rs`, which renders their Markdown with
/// the core's sanitiser (raw HTML shown as text, unsafe links and images removed), so the text
/// here is already safe HTML; only that build step ever produces what reaches `inner_html`.
#[component]
pub fn Body(#[prop(into)] html: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <div class=format!("prose {class}") inner_html=html></div> }
}

/// A grade as a symbol and words, never colour alone.
#[component]
pub fn GradeBadge(grade: Grade) -> impl IntoView {
    let symbol = match grade {
        Grade::Good => "✓",
        Grade::Mixed => "◐",
        Grade::Poor => "✗",
    };
    view! {
        <span class=format!("grade grade-{}", grade.as_str())>
            <span aria-hidden="true" class="grade-symbol">{symbol}</span>
            " "{grade.label()}
        </span>
    }
}

/// Moves keyboard and screen-reader focus to an element once the DOM has been updated.
pub fn focus_after_render(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
