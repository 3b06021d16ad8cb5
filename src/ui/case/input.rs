//! What the trainee does on the case screen, turned into controller calls: one delegated
//! listener per kind of event (clicks, form submissions, typing) and the keyboard shortcuts.

use leptos::prelude::*;
use thresholds_core::model::{Basis, Share};
use thresholds_core::Mode;
use thresholds_views::ui::element::*;
use thresholds_views::ui::{UiAction, UiForm};
use wasm_bindgen::JsCast;

use super::super::dom::{
    after_paint, closest_with, focus_after_render, focus_and_show, focus_now, typing_in_a_field,
};
use super::controller::Ctrl;
use super::regions::NAME_KEY;
use crate::storage;

pub fn on_click(c: Ctrl) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |ev| {
        let Some((el, action)) = closest_with(&ev, "data-action") else {
            return;
        };
        let number = |attr: &str| {
            el.get_attribute(attr)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        match UiAction::parse(&action) {
            Some(UiAction::Choose) => {
                if let Some(id) = el.get_attribute("data-choice") {
                    c.choose(&id);
                }
            }
            Some(UiAction::Next) => c.go_next(),
            Some(UiAction::TogglePrompts) => c.prompts_open.update(|o| *o = !*o),
            Some(UiAction::TogglePanel) => {
                // A disclosure button keeps the focus (it is written again, so it is found again).
                c.toggle_panel();
                focus_after_render(PANEL_TOGGLE);
            }
            Some(UiAction::RestartBefore) => c.go_back_to(Some(number("data-decision"))),
            Some(UiAction::Print) => print(),
            Some(UiAction::ExportJson) => c.export("json"),
            Some(UiAction::ExportCsv) => c.export("csv"),
            Some(UiAction::RestartSame) => c.restart(c.session.with_untracked(|x| x.run.seed())),
            Some(UiAction::RestartNew) => c.restart_new(),
            Some(UiAction::ShowDecision) => {
                open_section("decisions");
                focus_now(&format!("{DECISION_PREFIX}{}", number("data-decision")));
            }
            Some(UiAction::ShowSource) => {
                open_section("sources");
                focus_now(&format!("{SOURCE_PREFIX}{}", number("data-source")));
            }
            Some(UiAction::ToggleSection) => {
                let open = el.get_attribute("aria-expanded").as_deref() != Some("true");
                set_section_open(&el, open);
            }
            _ => {}
        }
    }
}

/// Opens every section of the report, so the printed record holds all of it, and prints.
pub fn print() {
    open_sections();
    let _ = window().print();
}

/// Opens every section of the report (to print it all).
pub fn open_sections() {
    for name in thresholds_views::SECTIONS {
        open_section(name);
    }
}

fn open_section(name: &str) {
    if let Some(button) = document().get_element_by_id(&format!("{SECTION_PREFIX}{name}-toggle")) {
        set_section_open(&button, true);
    }
}

/// Shows or hides a report section's body, and says so on its button. The DOM is changed in
/// place: re-rendering the report would lose the trainee's place in it.
fn set_section_open(button: &web_sys::Element, open: bool) {
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    let body = button
        .get_attribute("aria-controls")
        .and_then(|id| document().get_element_by_id(&id));
    if let Some(body) = body {
        let _ = if open {
            body.remove_attribute("hidden")
        } else {
            body.set_attribute("hidden", "")
        };
    }
}

/// After T: the panel's heading when it opens (once its body, which follows a paint, is in,
/// so the whole panel can be scrolled into view), the step (or the way on) when it closes.
fn show_panel_or_story(c: Ctrl) {
    if c.panel_shown.get_untracked() {
        after_paint(|| after_paint(|| focus_and_show(PANEL_HEADING)));
    } else if c.awaiting.get_untracked() {
        focus_and_show(NEXT_BUTTON);
    } else {
        focus_and_show(STEP_HEADING);
    }
}

pub fn on_submit(c: Ctrl) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev| {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Some(kind) = form
            .get_attribute("data-form")
            .and_then(|k| UiForm::parse(&k))
        else {
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
        match kind {
            UiForm::Share => {
                let facts: Vec<String> = data
                    .get_all("fact")
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect();
                let Some(basis) = Basis::parse(&text("basis")) else {
                    say(SHARE_ERROR, "Choose the basis you are sharing on.");
                    return;
                };
                let to = text("to");
                if facts.is_empty() || to.is_empty() {
                    say(
                        "share-error",
                        "Choose at least one fact and a service to share with.",
                    );
                    return;
                }
                let share = Share {
                    facts,
                    to,
                    basis,
                    parent_told: !text("told").is_empty(),
                };
                match c.share(share) {
                    Ok(()) => {
                        form.reset();
                        say(SHARE_ERROR, "");
                    }
                    Err(why) => say(SHARE_ERROR, &why),
                }
            }
            UiForm::Votes => {
                let counts = c
                    .choice_ids()
                    .into_iter()
                    .map(|id| {
                        let n = text(&id).trim().parse().unwrap_or(0);
                        (id, n)
                    })
                    .collect();
                c.record_votes(counts);
            }
            UiForm::Seed => match text("seed").trim().parse::<u64>() {
                Ok(seed) => c.restart(seed),
                Err(_) => say(SEED_ERROR, "Enter a whole number, for example 2013."),
            },
        }
    }
}

/// Typing that is kept as it is typed, without re-rendering the field: a reflection, the
/// learner's name for the printed record, and vote counts not yet recorded.
pub fn on_input(c: Ctrl) -> impl Fn(leptos::ev::Event) + 'static {
    move |ev| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let value = |el: &web_sys::Element| {
            el.clone()
                .dyn_into::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|el| {
                    el.dyn_into::<web_sys::HtmlInputElement>()
                        .map(|i| i.value())
                })
                .unwrap_or_default()
        };
        let id = el.id();
        if id == REFLECTION {
            let text = value(&el);
            c.reflect(&text);
            if let Some(copy) = document().get_element_by_id(REFLECTION_PRINT) {
                copy.set_text_content(Some(&text));
            }
        } else if id == LEARNER_NAME {
            let name = value(&el);
            let _ = storage::set(NAME_KEY, &name);
            if let Some(copy) = document().get_element_by_id(NAME_PRINT) {
                copy.set_text_content(Some(&name));
            }
        } else if let Some(choice) = id.strip_prefix(VOTE_PREFIX) {
            c.draft_vote(choice.to_string(), value(&el));
        }
    }
}

/// Keys: 1–9 choose; N or → on from the feedback; T the panel; in facilitator mode B or ← back
/// one step and P the prompts.
pub fn listen_for_keys(c: Ctrl) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() || typing_in_a_field(&ev) {
            return;
        }
        let key = ev.key();
        // In a box that scrolls (the step's text, a table), the arrow keys scroll it.
        if key.starts_with("Arrow") && in_a_scroll_box(&ev) {
            return;
        }
        let facilitator = c.mode == Mode::Facilitator;
        let awaiting = c.awaiting.get_untracked();
        if let Some(n) = key.parse::<usize>().ok().filter(|n| (1..=9).contains(n)) {
            if let Some(id) = c.choice_ids().get(n - 1).filter(|_| !awaiting) {
                ev.prevent_default();
                c.choose(id);
            }
            return;
        }
        let handled = match key.as_str() {
            "n" | "N" | "ArrowRight" if awaiting => {
                c.go_next();
                true
            }
            "b" | "B" | "ArrowLeft"
                if facilitator && c.session.with_untracked(|x| x.run.turn()) > 0 =>
            {
                c.go_back_to(None);
                true
            }
            "t" | "T" if c.mode.panel_during_play() || c.ended.get_untracked() => {
                c.toggle_panel();
                show_panel_or_story(c);
                true
            }
            "p" | "P" if facilitator && !awaiting => {
                c.prompts_open.update(|o| *o = !*o);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());
}

fn in_a_scroll_box(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".table-scroll, .step-text").ok().flatten())
        .is_some()
}

/// Printing from the browser's own menu also opens every section of the report.
pub fn open_sections_before_print() {
    let listener = window_event_listener(leptos::ev::beforeprint, |_| open_sections());
    on_cleanup(move || listener.remove());
}
