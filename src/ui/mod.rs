//! The UI layer: one file per screen, shared widgets beside them. Components read core state
//! and call core functions; no safeguarding rule is decided here.

mod case;
mod home;
mod panel;
mod widgets;

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::area::Area;
use thresholds_core::Scenario;

use crate::catalogue::{self, CaseFile};
use crate::route::Route;

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub route: RwSignal<Route>,
    pub cases: StoredValue<Vec<CaseFile>>,
    /// The area's thresholds, or the problems in its files.
    pub area: StoredValue<Result<Arc<Area>, Vec<String>>>,
}

impl AppState {
    /// Changes the route and the address bar together.
    pub fn go(&self, route: Route) {
        let hash = route.to_hash();
        if window().location().hash().unwrap_or_default() != hash {
            let _ = window().location().set_hash(&hash);
        }
        self.route.set(route);
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
fn fresh_seed() -> u64 {
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
    };
    provide_context(state);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let route = Route::parse(&window().location().hash().unwrap_or_default());
        if route != state.route.get_untracked() {
            state.route.set(route);
        }
    });
    on_cleanup(move || listener.remove());

    let screen = move || {
        let route = state.route.get();
        // A case without a seed gets one now, written into the URL so a reload replays it.
        let (scenario, seed, with_seed) = match &route {
            Route::Home => return home::Home().into_any(),
            Route::Case { id, seed } => {
                let seed = seed.unwrap_or_else(fresh_seed);
                (
                    state.case_by_id(id),
                    seed,
                    Route::Case {
                        id: id.clone(),
                        seed: Some(seed),
                    },
                )
            }
        };
        if with_seed != route {
            let hash = with_seed.to_hash();
            let _ = window().history().and_then(|h| {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
            });
        }
        match scenario {
            Some(scenario) => view! { <case::CaseScreen scenario seed/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }
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
    view! { {screen} }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1 tabindex="-1" class="screen-heading">"Case not found"</h1>
        <p>"This link points to a case that is not on this device. Check the address, or go back to the list of cases."</p>
        <p><a href="#/">"Back to all cases"</a></p>
    }
}
