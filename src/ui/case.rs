//! The case screen: the narrative of the current step, its choices, the feedback on the last
//! decision (in a live region), and the ending with the decisions that led there.

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::engine::Outcome;
use thresholds_core::model::{Grade, Scenario};
use thresholds_core::Run;
use wasm_bindgen::JsCast;

use super::panel::{ShareForm, ThresholdPanel};
use super::widgets::{focus_after_render, Body, GradeBadge};
use super::{fresh_seed, AppState};

#[component]
pub fn CaseScreen(scenario: Arc<Scenario>, seed: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    let start = Run::start(&scenario, seed);
    let error = RwSignal::new(
        start
            .as_ref()
            .err()
            .map(|e| format!("This case could not start: {e}.")),
    );
    let run = RwSignal::new(start.unwrap_or_else(|_| Run {
        case_id: scenario.id.clone(),
        case_version: scenario.version,
        seed,
        step: scenario.start.value.clone(),
        turn: 0,
        knowledge: Default::default(),
        flags: Default::default(),
        log: Vec::new(),
        arrived_by: Vec::new(),
    }));
    let last = RwSignal::new(None::<Outcome>);
    // What the last share did, for the live region (a share does not move the story on).
    let shared = RwSignal::new(Vec::<String>::new());
    let sc = StoredValue::new(scenario.clone());

    let choose = move |choice_id: String| {
        let mut next = run.get_untracked();
        match sc.with_value(|s| next.choose(s, &choice_id)) {
            Ok(outcome) => {
                run.set(next);
                last.set(Some(outcome));
                shared.set(Vec::new());
                error.set(None);
                focus_after_render("step-heading");
            }
            Err(e) => error.set(Some(format!("That did not work: {e}."))),
        }
    };

    // Number keys 1–9 take the matching choice, so a facilitator needs no mouse.
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() || typing_in_a_field(&ev) {
            return;
        }
        let Some(n) = ev
            .key()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=9).contains(n))
        else {
            return;
        };
        let id = sc.with_value(|s| {
            run.with_untracked(|r| r.available_choices(s).get(n - 1).map(|c| c.id.clone()))
        });
        if let Some(id) = id {
            ev.prevent_default();
            choose(id);
        }
    });
    on_cleanup(move || keys.remove());
    focus_after_render("step-heading");

    let restart = move |seed: u64| {
        let route = state.route.get_untracked().with_seed(seed);
        if route == state.route.get_untracked() {
            if let Ok(fresh) = sc.with_value(|s| Run::start(s, seed)) {
                run.set(fresh);
                last.set(None);
                shared.set(Vec::new());
                focus_after_render("step-heading");
            }
        } else {
            state.go(route);
        }
    };

    let area = state.area.with_value(|a| a.as_ref().ok().cloned());
    let title = scenario.title.clone();
    let role = scenario.role.clone();
    let nation = scenario.nation.clone();
    let intro = scenario.intro.clone();
    view! {
        <header class="case-header">
            <p><a href="#/"><span aria-hidden="true">"← "</span>"All cases"</a></p>
            <h1>{title}</h1>
            <p class="meta">
                "You are " {role} ". Law and guidance: " {nation} ". "
                "Seed " <strong data-testid="seed">{seed}</strong>
                " · Decisions made: " <span data-testid="turn">{move || run.with(|r| r.turn)}</span>
            </p>
        </header>
        <div role="alert" class="error">{move || error.get()}</div>
        <div role="status" aria-live="polite" class="feedback-region" data-testid="feedback">
            {move || last.get().map(|o| sc.with_value(|s| view! { <Feedback scenario=s.clone() outcome=o/> }))}
            {move || {
                let lines = shared.get();
                (!lines.is_empty()).then(|| view! {
                    <section class="feedback" aria-labelledby="share-result-heading">
                        <h2 id="share-result-heading" class="feedback-heading">"Information shared"</h2>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </section>
                })
            }}
        </div>
        <div class="case-layout">
            <div class="story">
                {move || (run.with(|r| r.turn) == 0 && !intro.is_empty()).then(|| view! { <Body html=intro.clone() class="intro"/> })}
                {move || sc.with_value(|s| run.with(|r| view! { <StepView scenario=s.clone() run=r.clone() choose restart/> }))}
                {area.clone().map(|a| view! {
                    <ShareForm area=a scenario=scenario.clone() run on_shared=move |lines| { last.set(None); shared.set(lines); }/>
                })}
                <SeedForm seed restart/>
            </div>
            {area.clone().map(|a| view! { <ThresholdPanel area=a scenario=scenario.clone() run/> })}
        </div>
    }
}

fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// What the last decision meant, and what changed because of it.
#[component]
fn Feedback(scenario: Arc<Scenario>, outcome: Outcome) -> impl IntoView {
    let step = scenario.step(&outcome.step);
    let Some(choice) = step.and_then(|st| st.choices().iter().find(|c| c.id == outcome.choice))
    else {
        return ().into_any();
    };
    let fact = |id: &str| {
        scenario
            .fact(id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    };
    let service = |id: &str| {
        scenario
            .service(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let mut changes: Vec<String> = Vec::new();
    for (f, to) in &outcome.revealed {
        changes.push(format!("{} found out: {}.", service(to), fact(f)));
    }
    for (f, from, to) in &outcome.shared {
        changes.push(format!(
            "{} told {}: {}.",
            service(from),
            service(to),
            fact(f)
        ));
    }
    let notes = choice.notes.clone();
    view! {
        <section class="feedback" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading" class="feedback-heading">"Your decision: " {choice.label.clone()}</h2>
            <p><GradeBadge grade=choice.grade/></p>
            <Body html=choice.feedback.clone()/>
            {(!changes.is_empty()).then(|| view! {
                <h3>"What changed"</h3>
                <ul class="changes">{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            })}
            {(!notes.is_empty()).then(|| view! {
                <h3>"Sources"</h3>
                <ul class="sources">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn StepView(
    scenario: Arc<Scenario>,
    run: Run,
    choose: impl Fn(String) + Copy + Send + Sync + 'static,
    restart: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let Some(step) = run.current(&scenario) else {
        return view! { <p role="alert">"This case has no step called " {run.step.clone()} "."</p> }.into_any();
    };
    let heading = match (step.is_ending(), step.time.is_empty()) {
        (true, _) => format!("Ending: {}", step.title),
        (false, true) => step.title.clone(),
        (false, false) => format!("{}: {}", step.time, step.title),
    };
    let happened = run
        .arrived_by
        .iter()
        .filter_map(|(step_id, event_id)| scenario.step(step_id)?.events().iter().find(|e| &e.id == event_id))
        .map(|e| view! { <div class="event"><p class="event-label"><span aria-hidden="true">"⚡ "</span>"Something happened"</p><Body html=e.text.clone()/></div> })
        .collect_view();
    let body = step.body.clone();
    let rest = match step.outcome() {
        Some(outcome) => view! { <EndingView scenario=scenario.clone() run=run.clone() outcome=outcome.to_string() restart/> }.into_any(),
        None => {
            let choices = run
                .available_choices(&scenario)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let id = c.id.clone();
                    view! {
                        <li>
                            <button type="button" class="choice" data-choice=c.id.clone() on:click=move |_| choose(id.clone())>
                                <span class="key" aria-hidden="true">{i + 1}</span>
                                <span class="choice-label">{c.label.clone()}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3 class="choices-heading">"What do you do?"</h3>
                <p class="hint">"Choose with the buttons, or press the number keys."</p>
                <ol class="choices">{choices}</ol>
            }
            .into_any()
        }
    };
    view! {
        <section class="step" aria-labelledby="step-heading" data-step=step.id.clone()>
            <h2 id="step-heading" tabindex="-1">{heading}</h2>
            {happened}
            <Body html=body/>
            {rest}
        </section>
    }
    .into_any()
}

/// The ending: what happened to the children, and the decisions that led there.
#[component]
fn EndingView(
    scenario: Arc<Scenario>,
    run: Run,
    outcome: String,
    restart: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let seed = run.seed;
    let decisions = run
        .decisions()
        .into_iter()
        .filter_map(|(step_id, choice_id)| {
            let step = scenario.step(step_id)?;
            let choice = step.choices().iter().find(|c| c.id == choice_id)?;
            Some((step.title.clone(), choice.label.clone(), choice.grade))
        })
        .collect::<Vec<_>>();
    let count = |g: Grade| decisions.iter().filter(|d| d.2 == g).count();
    let tally = format!(
        "{} good, {} partly good and {} poor decisions out of {}.",
        count(Grade::Good),
        count(Grade::Mixed),
        count(Grade::Poor),
        decisions.len()
    );
    let items = decisions
        .into_iter()
        .map(|(step, label, grade)| view! { <li><span class="decision-step">{step}": "</span>{label}" "<GradeBadge grade/></li> })
        .collect_view();
    view! {
        <p class="outcome"><strong>"For the children: "</strong>{outcome}</p>
        <h3>"Your decisions"</h3>
        <p data-testid="tally">{tally}</p>
        <ol class="decisions">{items}</ol>
        <div class="actions">
            <button type="button" class="button" on:click=move |_| restart(seed)>"Play again with the same seed"</button>
            <button type="button" class="button" on:click=move |_| restart(fresh_seed())>"Play with a new seed"</button>
            <a class="button primary" href="#/">"Back to all cases"</a>
        </div>
    }
}

/// The seed is visible and can be set, so a trainer can prepare a run and replay it exactly.
#[component]
fn SeedForm(seed: u64, restart: impl Fn(u64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let value = RwSignal::new(seed.to_string());
    let invalid = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match value.get_untracked().trim().parse::<u64>() {
            Ok(seed) => {
                invalid.set(false);
                restart(seed);
            }
            Err(_) => invalid.set(true),
        }
    };
    view! {
        <details class="seed-form">
            <summary>"Replay or restart"</summary>
            <form on:submit=submit>
                <label for="seed-input">"Seed (a whole number; the same seed and the same choices give the same run)"</label>
                <input id="seed-input" inputmode="numeric" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || invalid.get().to_string() aria-describedby="seed-error"/>
                <p id="seed-error" class="error">{move || invalid.get().then_some("Enter a whole number, for example 2013.")}</p>
                <button type="submit" class="button">"Restart from the beginning"</button>
            </form>
        </details>
    }
}
