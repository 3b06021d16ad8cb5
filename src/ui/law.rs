//! The "About the law" screen: its opening names the framework in use; its body is a page the
//! build writes to its own file (so its text is no part of the first load), fetched and
//! decoded when the screen opens.

use leptos::prelude::*;
use thresholds_core::html;
use thresholds_views::{law_intro_html, markup, SafeHtml};

use super::dom::{focus_after_render, region};
use super::{AppState, SettingState};
use crate::catalogue;

#[component]
pub fn Law() -> impl IntoView {
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
        (Some(Err(why)), _) => Some(Err(why)),
        (Some(Ok(body)), _) => {
            let (name, nation) = framework();
            Some(Ok(law_intro_html(&name, &nation) + &body))
        }
    });
    region("law", move || {
        match shown.get() {
        None => markup("<h1 id=\"law-heading\" class=\"screen-heading\" tabindex=\"-1\">About the law</h1><p role=\"status\">Loading the page…</p>"),
        Some(Ok(page)) => page,
        Some(Err(why)) => html!(
            "<h1 id=\"law-heading\" class=\"screen-heading\" tabindex=\"-1\">About the law</h1><p role=\"alert\">{}</p><p><a href=\"#/\">Back to all cases</a></p>",
            why
        ),
    }
    });
    Effect::new(move |_| {
        shown.track();
        focus_after_render("law-heading");
    });
    view! { <div class="law" id="law"></div> }
}
