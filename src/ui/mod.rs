//! The UI layer: one file per screen, shared pieces beside them. Components hold state in
//! signals, call the core on every click or key press, and insert what `thresholds_views`
//! writes; no safeguarding rule is decided here.

mod case;
mod dom;
mod home;
mod law;

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::area::Area;
use thresholds_core::score::Rubrics;
use thresholds_core::Scenario;

use crate::catalogue::{self, CaseFile};
use crate::route::Route;
use crate::saves;

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub route: RwSignal<Route>,
    pub cases: StoredValue<Vec<CaseFile>>,
    /// The area's thresholds, or the problems in its files.
    pub area: StoredValue<Result<Arc<Area>, Vec<String>>>,
    pub rubrics: StoredValue<Arc<Rubrics>>,
    /// Plain-language notices about this device's storage, shown on every screen.
    pub notices: RwSignal<Vec<String>>,
}

impl AppState {
    pub fn notify(&self, notice: String) {
        self.notices.update(|n| {
            if !n.contains(&notice) {
                n.push(notice);
            }
        });
    }

    fn case_by_id(&self, id: &str) -> Option<Arc<Scenario>> {
        self.cases.with_value(|cases| {
            cases.iter().find_map(|c| match c {
                CaseFile::Ready(s) if s.id == id => Some(s.clone()),
                _ => None,
            })
        })
    }
}

/// A seed the trainee did not choose: short, so it can be read out to a room.
pub fn fresh_seed() -> u64 {
    (js_sys::Math::random() * 900_000.0) as u64 + 100_000
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        route: RwSignal::new(Route::parse(
            &window().location().hash().unwrap_or_default(),
        )),
        cases: StoredValue::new(catalogue::bundled()),
        area: StoredValue::new(catalogue::area()),
        rubrics: StoredValue::new(catalogue::rubrics()),
        notices: RwSignal::new(Vec::new()),
    };
    provide_context(state);
    // Storage is checked once at start: the app runs whatever it finds.
    if let Err(notice) = saves::probe() {
        state.notify(notice);
    }
    for notice in saves::load_all().1 {
        state.notify(notice);
    }
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let route = Route::parse(&window().location().hash().unwrap_or_default());
        if route != state.route.get_untracked() {
            state.route.set(route);
        }
    });
    on_cleanup(move || listener.remove());

    let screen = move || match state.route.get() {
        Route::Home => home::Home().into_any(),
        Route::Law => law::Law().into_any(),
        Route::Case {
            id,
            mode,
            seed,
            path,
        } => match (
            state.case_by_id(&id),
            state.area.with_value(|a| a.as_ref().ok().cloned()),
        ) {
            (Some(scenario), Some(area)) => {
                view! { <case::CaseScreen scenario area mode seed path/> }.into_any()
            }
            _ => view! { <NotFound/> }.into_any(),
        },
    };
    // The static opening in index.html belongs to the home screen only.
    Effect::new(move |_| {
        let home = state.route.get() == Route::Home;
        if let Some(shell) = document().get_element_by_id("shell") {
            let _ = if home {
                shell.remove_attribute("hidden")
            } else {
                shell.set_attribute("hidden", "")
            };
        }
    });
    dom::region("notices", move || {
        let list = state.notices.get();
        if list.is_empty() {
            return String::new();
        }
        let items: String = list
            .iter()
            .map(|n| format!("<li>{}</li>", thresholds_views::esc(n)))
            .collect();
        format!("<ul>{items}</ul>")
    });
    view! {
        <div class="notices" role="status" data-testid="notices" id="notices"></div>
        {screen}
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1 tabindex="-1" class="screen-heading">"Case not found"</h1>
        <p>"This link points to a case that is not on this device. Check the address, or go back to the list of cases."</p>
        <p><a href="#/">"Back to all cases"</a></p>
    }
}
