//! The "About the law" screen: a page the build writes to its own file (so its text is no part
//! of the first load), fetched and decoded when the screen opens; the framework in use goes
//! into its two places as text.

use leptos::prelude::*;
use thresholds_core::html;
use thresholds_views::{markup, SafeHtml};

use super::dom::{focus_now, region};
use super::{AppState, SettingState};
use crate::catalogue;

#[component]
pub fn Law() -> AnyView {
    let state = expect_context::<AppState>();
    // The framework in use comes with the area's file, fetched with the page.
    let framework = move || match state.setting.get() {
        Some(SettingState::Ready(s)) => (
            s.area.framework.title.clone(),
            s.area.framework.nation.clone(),
        ),
        Some(SettingState::Failed(_)) => (
            "not known (the area's file could not be loaded)".to_string(),
            String::new(),
        ),
        _ => ("loading…".to_string(), String::new()),
    };
    let page: RwSignal<Option<Result<SafeHtml, String>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let fetched = catalogue::fetch_law().await;
        let _ = page.try_set(Some(fetched));
    });
    // One change from "loading" to the page, once both the page and the area have arrived (or
    // failed): focus then moves to the page's heading, which is not replaced again.
    let shown = Memo::new(move |_| match (page.get(), state.setting.get()) {
        (None, _) | (_, None | Some(SettingState::Loading)) => None,
        (Some(result), _) => Some(result),
    });
    region("law", move || {
        match shown.get() {
        None => markup("<h1 class=\"screen-heading\">About the law</h1><p role=\"status\">Loading…</p>"),
        Some(Ok(page)) => page,
        Some(Err(why)) => html!(
            "<h1 id=\"law-heading\" class=\"screen-heading\" tabindex=\"-1\">About the law</h1><p role=\"alert\">{}</p><p><a href=\"#/\">Back to all cases</a></p>",
            why
        ),
    }
    });
    // Once the page is in: the framework in use, as text, in its two places; then focus.
    Effect::new(move |_| {
        if shown.get().is_none() {
            return;
        }
        let (name, nation) = framework();
        request_animation_frame(move || {
            for (id, text) in [("law-framework", name), ("law-nation", nation)] {
                if let Some(el) = document().get_element_by_id(id) {
                    el.set_text_content(Some(&text));
                }
            }
            focus_now("law-heading");
        });
    });
    super::host("law", SafeHtml::default())
}
