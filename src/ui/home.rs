//! The home screen: how the trainee is using Thresholds, the case studies with any saved
//! progress (resumable or not, and why), broken case files, and clearing this device's data.
//! The markup comes from `thresholds_views`; this wires it to saves and clicks.

use leptos::prelude::*;
use thresholds_core::save::resume;
use thresholds_core::session::path_text;
use thresholds_core::Mode;
use thresholds_views::ui::UiAction;
use thresholds_views::{cases_html, modes_html, Broken, CaseCard, SaveStatus};

use super::dom::{closest_with, focus_after_render, focus_now, region};
use super::{AppState, Loaded};
use crate::catalogue::{self, CaseFile};
use crate::route::Route;
use crate::saves;

#[component]
pub fn Home() -> impl IntoView {
    let state = expect_context::<AppState>();
    let mode = RwSignal::new(saves::mode());
    // Bumped when saves change under the screen (removed, cleared).
    let refresh = RwSignal::new(0u32);
    let confirming = RwSignal::new(false);
    focus_after_render("screen-heading");

    let cases = move || {
        refresh.track();
        cases_markup(state, mode.get(), confirming.get())
    };
    let on_click = on_click(state, mode, refresh, confirming);
    let on_change = move |ev: leptos::ev::Event| {
        if let Some((el, _)) = closest_with(&ev, "data-input") {
            if let Some(m) = el.get_attribute("value").and_then(|v| Mode::parse(&v)) {
                saves::set_mode(m);
                mode.set(m);
            }
        }
    };
    let modes = modes_html(mode.get_untracked());
    region("home-cases", cases);
    // The h1, lede and privacy line are static in index.html (see ARCHITECTURE.md).
    view! {
        <div class="home" on:click=on_click on:change=on_change
            inner_html=thresholds_core::html!("<div>{}</div><div id=\"home-cases\"></div>", modes).into_string()></div>
    }
}

/// The case cards, with each case's saves checked against the case itself (fetched for the
/// purpose), broken files, saves of cases not on this device, and the data controls.
fn cases_markup(state: AppState, mode: Mode, confirming: bool) -> thresholds_views::SafeHtml {
    let (saved, _) = saves::load_all();
    state.cases.with_value(|cases| {
        let mut cards = Vec::new();
        let mut broken = Vec::new();
        for case in cases {
            match case {
                CaseFile::Listed(entry) => {
                    let s = &entry.header;
                    let mine: Vec<_> = saved.iter().filter(|x| x.case == s.id).collect();
                    // A save is checked against the case itself, fetched for the purpose.
                    let full = if mine.is_empty() {
                        None
                    } else {
                        state.load(entry, false);
                        state.status(&s.id)
                    };
                    let saves = mine
                        .into_iter()
                        .map(|x| {
                            let href = Route::Case {
                                id: s.id.clone(),
                                mode: x.mode,
                                seed: Some(x.seed),
                                path: Some(path_text(&x.actions)),
                            }
                            .to_hash();
                            match &full {
                                Some(Loaded::Ready(full)) => match resume(full, x) {
                                    Ok(r) => SaveStatus::Resumable {
                                        mode: x.mode,
                                        decisions: r.session.run.turn(),
                                        saved: x.saved.clone(),
                                        href,
                                        note: r.note,
                                    },
                                    Err(why) => SaveStatus::Refused { mode: x.mode, why },
                                },
                                Some(Loaded::Failed(why)) => SaveStatus::Refused {
                                    mode: x.mode,
                                    why: why.clone(),
                                },
                                _ => SaveStatus::Resumable {
                                    mode: x.mode,
                                    decisions: x.decisions(),
                                    saved: x.saved.clone(),
                                    href,
                                    note: None,
                                },
                            }
                        })
                        .collect();
                    // A case that failed to load says so on its card (the save lines above
                    // already say it for a saved run).
                    let unavailable = match (&full, state.status(&s.id)) {
                        (None, Some(Loaded::Failed(why))) => Some(why),
                        _ => None,
                    };
                    cards.push(CaseCard {
                        scenario: s.as_ref(),
                        saves,
                        decisions: entry.decisions,
                        unavailable,
                    });
                }
                CaseFile::Broken { file, problems } => broken.push(Broken { file, problems }),
            }
        }
        let orphans: Vec<(&str, Mode, &str)> = saved
            .iter()
            .filter(|x| {
                !cases
                    .iter()
                    .any(|c| matches!(c, CaseFile::Listed(e) if e.header.id == x.case))
            })
            .map(|x| (x.case.as_str(), x.mode, x.saved.as_str()))
            .collect();
        let area_problems = catalogue::setting_problems();
        cases_html(mode, &cards, &broken, &orphans, &area_problems, confirming)
    })
}

/// Removing a save that cannot resume, and clearing this device's data (after asking).
fn on_click(
    state: AppState,
    mode: RwSignal<Mode>,
    refresh: RwSignal<u32>,
    confirming: RwSignal<bool>,
) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |ev| {
        let Some((el, action)) = closest_with(&ev, "data-action") else {
            return;
        };
        match UiAction::parse(&action) {
            Some(UiAction::DiscardSave) => {
                let case = el.get_attribute("data-case").unwrap_or_default();
                let m = el
                    .get_attribute("data-mode")
                    .and_then(|m| Mode::parse(&m))
                    .unwrap_or_default();
                match saves::discard(&case, m) {
                    Ok(()) => {
                        state.notify(format!("Removed the saved {} run of '{case}'.", m.lower()))
                    }
                    Err(e) => state.notify(format!("The save could not be removed ({e}).")),
                }
                refresh.update(|n| *n += 1);
                focus_after_render("cases-heading");
            }
            Some(UiAction::ClearData) => {
                confirming.set(true);
                focus_after_render("clear-confirm");
            }
            Some(UiAction::ClearDataCancel) => {
                confirming.set(false);
                focus_after_render("clear-data");
            }
            Some(UiAction::ClearDataConfirm) => {
                confirming.set(false);
                state.notices.set(Vec::new());
                state.notify(match saves::clear_all() {
                    Ok(n) => format!("Cleared your data on this device ({n} saved items)."),
                    Err(e) => format!("Your data could not be cleared ({e})."),
                });
                mode.set(Mode::default());
                if let Some(radio) = document()
                    .get_element_by_id("mode-self-paced")
                    .and_then(|e| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok()
                    })
                {
                    radio.set_checked(true);
                }
                refresh.update(|n| *n += 1);
                request_animation_frame(|| focus_now("data-heading"));
            }
            _ => {}
        }
    }
}
