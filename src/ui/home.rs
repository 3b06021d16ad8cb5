//! The home screen: the bundled case studies, the ones still to come, and opening a case file
//! from this device (for trainers writing their own).

use leptos::prelude::*;

use super::widgets::focus_after_render;
use super::AppState;
use crate::catalogue::{CaseFile, COMING};
use crate::route::Route;

#[component]
pub fn Home() -> impl IntoView {
    let state = expect_context::<AppState>();
    focus_after_render("screen-heading");
    let cards = state
        .cases
        .with_value(|cases| cases.iter().map(case_card).collect_view());
    let coming = COMING
        .iter()
        .map(|(title, summary)| {
            view! {
                <li class="case-card coming">
                    <h3>{*title}</h3>
                    <p>{*summary}</p>
                    <p class="status"><span aria-hidden="true">"⏳ "</span>"Coming soon: not playable yet."</p>
                </li>
            }
        })
        .collect_view();
    view! {
        // The h1, lede and privacy line are static in index.html (see ARCHITECTURE.md).
        {state.area.with_value(|a| a.as_ref().err().cloned()).map(|problems| view! {
            <section class="case-card broken" aria-labelledby="area-heading">
                <h2 id="area-heading">"The area's threshold files have problems"</h2>
                <p>"Cases can be played, but no threshold panel is shown until these are fixed:"</p>
                <ProblemList problems/>
            </section>
        })}
        <section aria-labelledby="cases-heading">
            <h2 id="cases-heading">"Case studies"</h2>
            <ul class="case-list">{cards}{coming}</ul>
        </section>
        <p class="authoring">"Trainers can write their own case in a text editor: see the authoring guide, "<code>"scenarios/README.md"</code>"."</p>
    }
}

fn case_card(case: &CaseFile) -> AnyView {
    match case {
        CaseFile::Ready(s) => {
            let href = Route::Case { id: s.id.clone(), seed: None }.to_hash();
            let note = (!s.content_note.is_empty()).then(|| view! { <p class="content-note"><strong>"Content note: "</strong>{s.content_note.clone()}</p> });
            view! {
                <li class="case-card">
                    <h3>{s.title.clone()}</h3>
                    <p>{s.summary.clone()}</p>
                    <p class="meta">"You are: "{s.role.clone()}" · Law and guidance: "{s.nation.clone()}</p>
                    {note}
                    <a class="button primary" href=href>"Start "<span class="visually-hidden">{s.title.clone()}</span><span aria-hidden="true">"case"</span></a>
                </li>
            }
            .into_any()
        }
        CaseFile::Broken { file, problems } => view! {
            <li class="case-card broken">
                <h3>{file.clone()}</h3>
                <p><span aria-hidden="true">"⚠ "</span>"This case file has problems, so it cannot start:"</p>
                <ProblemList problems=problems.clone()/>
            </li>
        }
        .into_any(),
    }
}

#[component]
pub fn ProblemList(problems: Vec<String>) -> impl IntoView {
    let items = problems
        .into_iter()
        .map(|p| view! { <li><code>{p}</code></li> })
        .collect_view();
    view! { <ul class="problems">{items}</ul> }
}
