//! The case screen: a controller over the session (`controller`), the regions that show it
//! (`regions`, each filled by one view function from `thresholds_views`), and the listeners
//! that turn what the trainee does into controller calls (`input`). `Mode` (in the core) says
//! what each way to train shows; the layout for each setting (a laptop, a projector, a phone)
//! is the stylesheet's.

mod controller;
mod input;
mod regions;

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::session::parse_path;
use thresholds_core::{Mode, Scenario, Session};
use thresholds_views::ui::element::STEP_HEADING;
use thresholds_views::ui::CASE_SKELETON;

use super::dom::{focus_after_render, focus_and_show};
use super::fresh_seed;
use crate::catalogue::Setting;
use crate::saves::{self, now};
use controller::Ctrl;

/// The session the address asks for: its path replayed with its seed, with the votes and
/// reflections this device saved for the same run. A path that no longer fits the case starts
/// it again, and says why.
fn opening_session(
    s: &Scenario,
    mode: Mode,
    seed: u64,
    path: Option<&str>,
) -> (Result<Session, String>, Option<String>) {
    let fresh = || Session::start(s, mode, seed, &now()).map_err(|e| e.to_string());
    let actions = match path.map(parse_path) {
        None => return (fresh(), None),
        Some(Err(e)) => {
            return (
                fresh(),
                Some(format!(
                    "This address could not be read ({e}), so the case starts from the beginning."
                )),
            )
        }
        Some(Ok(actions)) => actions,
    };
    let saved = saves::read(&s.id, mode).filter(|x| x.seed == seed);
    let started = saved.as_ref().map_or_else(now, |x| x.started.clone());
    match Session::replay(s, mode, seed, &actions, &started) {
        Ok(mut session) => {
            if let Some(saved) = saved {
                session.keep_notes_from(&saved.actions, &saved.votes, &saved.reflections);
            }
            (Ok(session), None)
        }
        Err(e) => (
            fresh(),
            Some(format!("The steps in this address no longer fit the case ({e}), so it starts from the beginning.")),
        ),
    }
}

#[component]
pub fn CaseScreen(
    scenario: Arc<Scenario>,
    setting: Setting,
    mode: Mode,
    seed: Option<u64>,
    path: Option<String>,
) -> impl IntoView {
    let (opened, problem) = opening_session(
        &scenario,
        mode,
        seed.unwrap_or_else(fresh_seed),
        path.as_deref(),
    );
    let session = match opened {
        Ok(s) => s,
        Err(e) => {
            return super::message(thresholds_core::html!(
                "<h1>{}</h1><p role=\"alert\">This case could not start: {}.</p>",
                &scenario.title,
                e
            ))
        }
    };
    let c = Ctrl::new(scenario, setting, session, problem.unwrap_or_default());
    c.follow_the_session();
    input::listen_for_keys(c);
    input::open_sections_before_print();
    presenter_layout(mode);
    regions::fill_all(c);
    if mode == Mode::Facilitator {
        // On a projector the step, its text box and its choices fill the window.
        focus_and_show(STEP_HEADING);
    } else {
        focus_after_render(STEP_HEADING);
    }
    c.warm_up();
    view! {
        <div
            class="case-screen"
            on:click=input::on_click(c)
            on:submit=input::on_submit(c)
            on:input=input::on_input(c)
            inner_html=CASE_SKELETON
        ></div>
    }
    .into_any()
}

/// Facilitator mode: the presenter layout, for a projector.
fn presenter_layout(mode: Mode) {
    if mode == Mode::Facilitator {
        let _ = document().body().map(|b| b.class_list().add_1("presenter"));
        on_cleanup(|| {
            let _ = document()
                .body()
                .map(|b| b.class_list().remove_1("presenter"));
        });
    }
}
