//! The threshold panel beside the story: every involved service's level, what it would do and
//! (on demand) what it knows, against the full picture; and the form for sharing information.
//! Levels, reasons and over-sharing all come from `core::thresholds`; this file only shows them.

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::area::Area;
use thresholds_core::model::{Basis, Scenario};
use thresholds_core::thresholds::not_needed;
use thresholds_core::Run;
use wasm_bindgen::JsCast;

#[component]
pub fn ThresholdPanel(
    area: Arc<Area>,
    scenario: Arc<Scenario>,
    run: RwSignal<Run>,
) -> impl IntoView {
    let shown = RwSignal::new(true);
    let title = area.framework.title.clone();
    // Read-only, recomputed on every change to the run: written as escaped HTML by
    // crates/report, which measured far smaller than the same markup as view code.
    let body = move || run.with(|r| thresholds_report::panel_html(&area, &scenario, r));
    view! {
        <aside class="threshold-panel" aria-labelledby="panel-heading">
            <div class="panel-top">
                <h2 id="panel-heading">"How each service would respond"</h2>
                <button type="button" class="button small" aria-expanded=move || shown.get().to_string() aria-controls="panel-body"
                    on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "Hide" } else { "Show" }}<span class="visually-hidden">" the threshold panel"</span>
                </button>
            </div>
            <p class="panel-note">"A service responds to what it knows, not to the truth. Levels: "{title}"."</p>
            <div id="panel-body" hidden=move || !shown.get() inner_html=body></div>
        </aside>
    }
}

/// Sharing as an action: which facts, with whom, on what basis, and whether the parent knows.
/// The form is uncontrolled and read once on submit: per-input reactive state cost 13 KB gzip.
#[component]
pub fn ShareForm(
    area: Arc<Area>,
    scenario: Arc<Scenario>,
    run: RwSignal<Run>,
    on_shared: impl Fn(Vec<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let Some(trainee) = scenario.trainee_service().map(|t| t.id.clone()) else {
        return ().into_any();
    };
    let error = RwSignal::new(String::new());
    let sc = scenario.clone();
    let facts = move || {
        run.with(|r| {
            r.facts_known_by(&sc, &trainee)
                .into_iter()
                .map(|f| {
                    let input_id = format!("share-fact-{}", f.id);
                    view! { <li><input type="checkbox" name="fact" value=f.id.clone() id=input_id.clone()/><label for=input_id>{f.label.clone()}</label></li> }
                })
                .collect_view()
        })
    };
    let recipients = scenario
        .services
        .iter()
        .filter(|s| !s.trainee)
        .map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> })
        .collect_view();
    let bases = [Basis::Consent, Basis::ChildAtRisk, Basis::None]
        .into_iter()
        .map(|b| {
            let id = format!("basis-{}", b.as_str());
            view! { <li><input type="radio" name="basis" value=b.as_str() id=id.clone()/><label for=id>{b.label()}</label></li> }
        })
        .collect_view();
    let sc = scenario.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let text = |key: &str| data.get(key).as_string().unwrap_or_default();
        let facts: Vec<String> = data
            .get_all("fact")
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        let (recipient, told) = (text("to"), !text("told").is_empty());
        let Some(b) = Basis::parse(&text("basis")) else {
            error.set("Choose the basis you are sharing on.".into());
            return;
        };
        if facts.is_empty() || recipient.is_empty() {
            error.set("Choose at least one fact and a service to share with.".into());
            return;
        }
        let mut next = run.get_untracked();
        match next.share(&sc, &facts, &recipient, b, told) {
            Ok(outcome) => {
                let name = sc
                    .service(&recipient)
                    .map_or_else(|| recipient.clone(), |s| s.name.clone());
                let label = |id: &str| {
                    sc.fact(id)
                        .map_or_else(|| id.to_string(), |f| f.label.clone())
                };
                let mut lines = vec![format!(
                    "You shared with {name} {}{}.",
                    b.label(),
                    if told {
                        ", and told the parent"
                    } else {
                        ", without telling the parent"
                    }
                )];
                lines.extend(
                    outcome
                        .shared
                        .iter()
                        .map(|(f, _, _)| format!("{name} now knows: {}.", label(f))),
                );
                if outcome.shared.is_empty() {
                    lines.push(format!("{name} already knew all of that."));
                }
                let extra: Vec<String> = not_needed(&area, &sc, &recipient, &facts)
                    .into_iter()
                    .map(|f| f.label.clone())
                    .collect();
                if !extra.is_empty() {
                    lines.push(format!(
                        "More than {name} needs (over-sharing): {}.",
                        extra.join("; ")
                    ));
                }
                // The judgement lives with the basis, in the core.
                lines.extend(b.caution().map(String::from));
                run.set(next);
                form.reset();
                error.set(String::new());
                on_shared(lines);
            }
            Err(e) => error.set(format!("Not shared: {e}.")),
        }
    };
    view! {
        <details class="share-form">
            <summary>"Share information with another service"</summary>
            <form on:submit=submit>
                <fieldset>
                    <legend>"What to share (what your service knows)"</legend>
                    <ul class="plain">{facts}</ul>
                </fieldset>
                <label for="share-to">"With which service"</label>
                <select id="share-to" name="to">
                    <option value="">"Choose a service"</option>
                    {recipients}
                </select>
                <fieldset>
                    <legend>"On what basis"</legend>
                    <ul class="plain">{bases}</ul>
                </fieldset>
                <p><input type="checkbox" id="share-told" name="told" value="yes"/><label for="share-told">"I have told the parent what I am sharing and why"</label></p>
                <p class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button primary">"Share"</button>
            </form>
        </details>
    }
    .into_any()
}
