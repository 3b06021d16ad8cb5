//! The case screen: the current step and its choices (or the ending and debrief), the feedback
//! on the last decision in a live region, the threshold panel, the share form and the replay
//! tools. One delegated listener per kind of event turns clicks, key presses and form
//! submissions into core calls; `thresholds_views` writes the markup, and `Mode` (in the core)
//! says what each way to train shows.

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::area::Area;
use thresholds_core::model::Basis;
use thresholds_core::session::{parse_path, path_text};
use thresholds_core::{Mode, Scenario, Session};
use thresholds_views::{
    csv, debrief_region_html, feedback_html, header_html, json, next_html, panel_html,
    panel_top_html, recorded_html, reflection_html, share_form_html, share_result_html, step_html,
    tools_html, CaseView,
};
use wasm_bindgen::JsCast;

use super::dom::{
    after_paint, closest_with, current_address, download, focus_after_render, focus_now, region,
    region_after_paint, replace_address, typing_in_a_field,
};

/// The case screen's regions, each filled by an effect (`dom::region`).
const SKELETON: &str = concat!(
    r#"<header class="case-header" id="case-header"></header>"#,
    r#"<div role="alert" class="error" id="case-error"></div>"#,
    r#"<div role="status" aria-live="polite" class="feedback-region" data-testid="feedback" id="feedback-region"></div>"#,
    r#"<div class="case-layout"><div class="story"><div id="story"></div><div id="debrief-region"></div>"#,
    r#"<div id="reflection-region"></div>"#,
    r#"<div class="no-print" id="share-region"></div><div class="no-print" id="tools-region"></div></div>"#,
    r#"<aside class="threshold-panel panel-region" aria-labelledby="panel-heading"><div id="panel-top"></div>"#,
    r#"<div id="panel-body"></div></aside></div>"#,
);
use super::{fresh_seed, AppState};
use crate::route::Route;
use crate::saves::{self, now};

/// What every region and handler reads besides the session: the case, the area, the rubrics.
#[derive(Clone, Copy)]
struct Ctx {
    scenario: StoredValue<Arc<Scenario>>,
    area: StoredValue<Arc<Area>>,
    rubrics: StoredValue<Arc<thresholds_core::score::Rubrics>>,
}

impl Ctx {
    /// Runs `f` on a view of `session`, which need not be the one in the signal yet.
    fn view<T>(self, session: &Session, prompts_open: bool, f: impl FnOnce(&CaseView) -> T) -> T {
        self.scenario.with_value(|s| {
            self.area.with_value(|a| {
                self.rubrics.with_value(|r| {
                    f(&CaseView {
                        area: a,
                        rubrics: r,
                        scenario: s,
                        session,
                        prompts_open,
                    })
                })
            })
        })
    }
}

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
    area: Arc<Area>,
    mode: Mode,
    seed: Option<u64>,
    path: Option<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (opened, problem) = opening_session(
        &scenario,
        mode,
        seed.unwrap_or_else(fresh_seed),
        path.as_deref(),
    );
    let initial = match opened {
        Ok(s) => s,
        Err(e) => {
            return view! { <h1>{scenario.title.clone()}</h1><p role="alert">"This case could not start: "{e}"."</p> }
                .into_any()
        }
    };
    let session = RwSignal::new(initial);
    let sc = StoredValue::new(scenario.clone());
    let ar = StoredValue::new(area.clone());
    let rb = StoredValue::new(state.rubrics.get_value());
    let ctx = Ctx {
        scenario: sc,
        area: ar,
        rubrics: rb,
    };
    let live = RwSignal::new(String::new());
    let error = RwSignal::new(problem.unwrap_or_default());
    let awaiting = RwSignal::new(false);
    let panel_shown = RwSignal::new(!mode.panel_hidden_until_revealed());
    let prompts_open = RwSignal::new(false);
    let ended = Memo::new(move |_| sc.with_value(|s| session.with(|x| x.run.is_ended(s))));

    // Writes a view of the session; tracked, so regions re-render when it changes.
    let render = move |f: fn(&CaseView) -> String| -> String {
        session.with(|x| ctx.view(x, prompts_open.get(), f))
    };
    // The address of this exact point: mode, seed and the path of actions so far. Read with
    // `try_`, as it is also used after a paint, when the screen may have gone.
    let address = move || {
        sc.try_with_value(|s| {
            session.try_with_untracked(|x| {
                Route::Case {
                    id: s.id.clone(),
                    mode,
                    seed: Some(x.run.seed),
                    path: Some(path_text(&x.actions)),
                }
                .to_hash()
            })
        })
        .flatten()
    };
    // After every action, once the feedback has been painted, the address is pointed at this
    // exact point and the save is written (both cost a frame if done before the paint). A
    // `pagehide` listener, and leaving the screen, write a save still pending at once.
    // The address is only replaced if it is still the one this screen last wrote: in those
    // few milliseconds the trainee may have followed a link or gone back, and that wins.
    let pending = StoredValue::new(false);
    let shown = StoredValue::new(String::new());
    let point_address_here = move || {
        let Some(hash) = address() else { return };
        if shown
            .try_get_value()
            .is_some_and(|s| s == current_address())
        {
            replace_address(&hash);
            shown.set_value(current_address());
        }
    };
    let save_now = move || {
        pending.try_set_value(false);
        let Some(saved) = sc
            .try_with_value(|s| session.try_with_untracked(|x| saves::write(s, x)))
            .flatten()
        else {
            return;
        };
        if let Err(notice) = saved {
            state.notify(notice);
        }
    };
    let persist = move || {
        pending.set_value(true);
        after_paint(move || {
            point_address_here();
            save_now();
        });
    };
    let save_if_pending = move || {
        if pending.try_get_value() == Some(true) {
            save_now();
        }
    };
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| save_if_pending());
    // Leaving the screen (a link, Back) before the paint: the save is written as it goes.
    on_cleanup(move || {
        leaving.remove();
        save_if_pending();
    });
    // A fresh address (no seed yet) becomes one that can be reloaded.
    shown.set_value(current_address());
    point_address_here();

    let choose = move |choice: String| {
        if awaiting.get_untracked() {
            return;
        }
        let mut next = session.get_untracked();
        let result = sc.with_value(|s| next.choose(s, &choice));
        match result {
            Ok(outcome) => {
                let html = ctx.view(&next, false, |v| {
                    if mode.feedback_now() {
                        feedback_html(v, &outcome)
                    } else {
                        recorded_html(v, &outcome)
                    }
                });
                live.set(html);
                prompts_open.set(false);
                error.set(String::new());
                if mode == Mode::Facilitator {
                    // The room discusses the feedback and predicts before the panel shows.
                    awaiting.set(true);
                    panel_shown.set(false);
                    focus_after_render("feedback-heading");
                } else {
                    focus_after_render("step-heading");
                }
                session.set(next);
                persist();
            }
            Err(e) => error.set(format!("That did not work: {e}.")),
        }
    };
    let go_next = move || {
        if awaiting.get_untracked() {
            awaiting.set(false);
            focus_after_render("step-heading");
        }
    };
    // Facilitator mode: back one step, or back to just before any decision.
    let go_back_to = move |decision: Option<u32>| {
        let mut next = session.get_untracked();
        let result = sc.with_value(|s| match decision {
            Some(n) => next.restart_before(s, n),
            None => next.back_one_step(s),
        });
        match result {
            Ok(()) => {
                live.set(String::new());
                awaiting.set(false);
                if mode.panel_hidden_until_revealed() {
                    // A step gone back to is predicted afresh, like a new one.
                    panel_shown.set(false);
                }
                session.set(next);
                persist();
                focus_after_render("step-heading");
            }
            Err(e) => error.set(format!("Could not go back: {e}.")),
        }
    };
    let restart = move |seed: u64| {
        let fresh = sc.with_value(|s| Session::start(s, mode, seed, &now()));
        if let Ok(fresh) = fresh {
            live.set(String::new());
            awaiting.set(false);
            error.set(String::new());
            panel_shown.set(!mode.panel_hidden_until_revealed());
            session.set(fresh);
            persist();
            focus_after_render("step-heading");
        }
    };
    let export = move |kind: &str| {
        let (name, mime, text) = session.with_untracked(|x| {
            ctx.view(x, false, |v| {
                let when = now();
                let stem = format!(
                    "thresholds-{}-{}",
                    v.scenario.id,
                    &when[..when.len().min(10)]
                );
                if kind == "json" {
                    (format!("{stem}.json"), "application/json", json(v, &when))
                } else {
                    (format!("{stem}.csv"), "text/csv", csv(v, &when))
                }
            })
        });
        if download(&name, mime, &text).is_err() {
            error.set("The file could not be made in this browser.".to_string());
        }
    };

    // Keys: 1–9 choose; in facilitator mode N or → next, B or ← back, P prompts; T the panel.
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() || typing_in_a_field(&ev) {
            return;
        }
        let key = ev.key();
        let facilitator = mode == Mode::Facilitator;
        if let Some(n) = key.parse::<usize>().ok().filter(|n| (1..=9).contains(n)) {
            let id = sc.with_value(|s| {
                session
                    .with_untracked(|x| x.run.available_choices(s).get(n - 1).map(|c| c.id.clone()))
            });
            if let Some(id) = id.filter(|_| !awaiting.get_untracked()) {
                ev.prevent_default();
                choose(id);
            }
            return;
        }
        let handled = match key.as_str() {
            "n" | "N" | "ArrowRight" if facilitator && awaiting.get_untracked() => {
                go_next();
                true
            }
            "b" | "B" | "ArrowLeft"
                if facilitator && session.with_untracked(|x| x.run.turn) > 0 =>
            {
                go_back_to(None);
                true
            }
            "t" | "T" if mode.panel_during_play() || ended.get_untracked() => {
                panel_shown.update(|s| *s = !*s);
                true
            }
            "p" | "P" if facilitator && !awaiting.get_untracked() => {
                prompts_open.update(|o| *o = !*o);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());

    // The presenter layout: larger type for a projector.
    if mode == Mode::Facilitator {
        let _ = document().body().map(|b| b.class_list().add_1("presenter"));
        on_cleanup(|| {
            let _ = document()
                .body()
                .map(|b| b.class_list().remove_1("presenter"));
        });
    }
    focus_after_render("step-heading");
    // While the trainee reads the first step, run a decision on a copy once: the browser
    // compiles WebAssembly functions when they are first called, and the first real decision
    // then renders its feedback as fast as the rest (measured: see ARCHITECTURE.md, "Speed").
    after_paint(move || {
        let _ = session.try_with_untracked(|x| {
            let mut copy = x.clone();
            let first =
                sc.with_value(|s| copy.run.available_choices(s).first().map(|c| c.id.clone()));
            let outcome = sc.with_value(|s| copy.choose(s, &first?).ok())?;
            Some(ctx.view(&copy, false, |v| {
                feedback_html(v, &outcome).len()
                    + step_html(v).len()
                    + panel_html(v.area, v.scenario, &copy.run).len()
            }))
        });
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((el, action)) = closest_with(&ev, "data-action") else {
            return;
        };
        let number = |attr: &str| {
            el.get_attribute(attr)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        match action.as_str() {
            "choose" => {
                if let Some(id) = el.get_attribute("data-choice") {
                    choose(id);
                }
            }
            "next" => go_next(),
            "toggle-prompts" => prompts_open.update(|o| *o = !*o),
            "toggle-panel" => {
                panel_shown.update(|o| *o = !*o);
                focus_after_render("panel-toggle");
            }
            "restart-before" => go_back_to(Some(number("data-decision"))),
            "print" => {
                let _ = window().print();
            }
            "export-json" => export("json"),
            "export-csv" => export("csv"),
            "restart-same" => restart(session.with_untracked(|x| x.run.seed)),
            "restart-new" => restart(fresh_seed()),
            "show-decision" => focus_now(&format!("decision-{}", number("data-decision"))),
            _ => {}
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Some(kind) = form.get_attribute("data-form") else {
            return;
        };
        ev.prevent_default();
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let text = |key: &str| data.get(key).as_string().unwrap_or_default();
        let say = |id: &str, message: &str| {
            if let Some(el) = document().get_element_by_id(id) {
                el.set_text_content(Some(message));
            }
        };
        match kind.as_str() {
            "share" => {
                let facts: Vec<String> = data
                    .get_all("fact")
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect();
                let (to, told) = (text("to"), !text("told").is_empty());
                let Some(basis) = Basis::parse(&text("basis")) else {
                    say("share-error", "Choose the basis you are sharing on.");
                    return;
                };
                if facts.is_empty() || to.is_empty() {
                    say(
                        "share-error",
                        "Choose at least one fact and a service to share with.",
                    );
                    return;
                }
                let mut next = session.get_untracked();
                let result = sc.with_value(|s| next.share(s, &facts, &to, basis, told));
                match result {
                    Ok(outcome) => {
                        let html = ctx.view(&next, false, |v| {
                            share_result_html(v, &outcome, &facts, &to, basis, told)
                        });
                        live.set(html);
                        session.set(next);
                        persist();
                        form.reset();
                        say("share-error", "");
                        focus_after_render("share-result-heading");
                    }
                    Err(e) => say("share-error", &format!("Not shared: {e}.")),
                }
            }
            "votes" => {
                let counts: Vec<(String, u32)> = sc.with_value(|s| {
                    session.with_untracked(|x| {
                        x.run
                            .available_choices(s)
                            .iter()
                            .map(|c| (c.id.clone(), text(&c.id).trim().parse().unwrap_or(0)))
                            .collect()
                    })
                });
                let total: u32 = counts.iter().map(|(_, n)| n).sum();
                session.update(|x| x.set_votes(counts));
                persist();
                live.set(format!(
                    "<p class=\"feedback\">Recorded the room's votes: {total} in all. Now enter the room's choice.</p>"
                ));
                focus_after_render("step-heading");
            }
            "seed" => match text("seed").trim().parse::<u64>() {
                Ok(seed) => restart(seed),
                Err(_) => say("seed-error", "Enter a whole number, for example 2013."),
            },
            _ => {}
        }
    };

    // A reflection is kept as it is typed; the page is not re-rendered for it.
    let on_input = move |ev: leptos::ev::Event| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .filter(|t| t.id() == "reflection")
        else {
            return;
        };
        let text = area.value();
        session.update_untracked(|x| x.set_reflection(&text));
        if let Some(copy) = document().get_element_by_id("reflection-print") {
            copy.set_text_content(Some(&text));
        }
        persist();
    };
    let reflection = Memo::new(move |_| {
        if awaiting.get() {
            String::new()
        } else {
            render(reflection_html)
        }
    });
    let story = move || {
        if awaiting.get() {
            render(next_html)
        } else {
            render(step_html)
        }
    };
    let share_form = move || {
        if ended.get() || awaiting.get() {
            String::new()
        } else {
            render(share_form_html)
        }
    };
    let tools = move || render(tools_html);
    let header = move || render(header_html);
    let withheld = move || !mode.panel_during_play() && !ended.get();
    let panel_top = move || ar.with_value(|a| panel_top_html(a, panel_shown.get(), withheld()));
    let panel_body = move || {
        if !panel_shown.get() || withheld() {
            return String::new();
        }
        ar.with_value(|a| sc.with_value(|s| session.with(|x| panel_html(a, s, &x.run))))
    };
    region("case-header", header);
    region("case-error", move || thresholds_views::esc(&error.get()));
    region("feedback-region", move || live.get());
    region("story", story);
    region("reflection-region", move || reflection.get());
    region("share-region", share_form);
    region("tools-region", tools);
    region("panel-top", panel_top);
    // The panel's body and the debrief follow the feedback by a frame (see dom::region_after_paint).
    region_after_paint("panel-body", panel_body);
    region_after_paint("debrief-region", move || render(debrief_region_html));
    view! { <div class="case-screen" on:click=on_click on:submit=on_submit on:input=on_input inner_html=SKELETON></div> }
    .into_any()
}
