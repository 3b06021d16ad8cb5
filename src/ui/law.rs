//! The "About the law" screen: static text from `thresholds_views::law_html`, with the name of
//! the threshold framework in use.

use leptos::prelude::*;
use thresholds_views::law_html;

use super::dom::focus_after_render;
use super::AppState;

#[component]
pub fn Law() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (framework, nation) = state.area.with_value(|a| match a {
        Ok(area) => (area.framework.title.clone(), area.framework.nation.clone()),
        Err(_) => (
            "none (the area's files have problems)".to_string(),
            String::new(),
        ),
    });
    focus_after_render("law-heading");
    view! { <div class="law" inner_html=law_html(&framework, &nation)></div> }
}
