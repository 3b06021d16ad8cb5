//! The case screen's parts that the trainee plays: the header, the current step and its
//! choices (or the ending), the discussion prompts and the room's votes, the pause after a
//! decision, the replay tools and the reflection box. Each is one region of the screen
//! (`ui::region`). What each mode shows comes from `core::session::Mode`.

use thresholds_core::area::Area;
use thresholds_core::model::{Grade, Scenario, Step};
use thresholds_core::score::{score, Rubrics, Scores};
use thresholds_core::{Mode, Session};

use crate::html::{esc, html, markup, push_html, uk_date, SafeHtml};
use crate::ui::{UiAction, UiForm};

/// Everything the case screen reads.
pub struct CaseView<'a> {
    pub area: &'a Area,
    pub rubrics: &'a Rubrics,
    pub scenario: &'a Scenario,
    pub session: &'a Session,
    /// Facilitator mode: the room can see the discussion prompts.
    pub prompts_open: bool,
}

impl CaseView<'_> {
    pub(crate) fn scores(&self) -> Scores {
        score(self.area, self.rubrics, self.scenario, &self.session.run)
    }

    pub(crate) fn fact(&self, id: &str) -> String {
        self.scenario
            .fact(id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    }

    pub(crate) fn service(&self, id: &str) -> String {
        self.scenario
            .service(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    pub(crate) fn choice_label(&self, step: &str, choice: &str) -> String {
        self.scenario
            .choice(step, choice)
            .map_or_else(|| choice.to_string(), |c| c.label.clone())
    }

    pub(crate) fn facilitator(&self) -> bool {
        self.session.mode == Mode::Facilitator
    }
}

/// A grade as a symbol and words, never colour alone.
pub(crate) fn grade_badge(grade: Grade) -> SafeHtml {
    let symbol = match grade {
        Grade::Good => "✓",
        Grade::Mixed => "◐",
        Grade::Poor => "✗",
    };
    html!(
        "<span class=\"grade grade-{}\"><span aria-hidden=\"true\" class=\"grade-symbol\">{}</span> {}</span>",
        grade.as_str(),
        symbol,
        grade.label()
    )
}

pub(crate) fn heading(step: &Step) -> String {
    match (step.is_ending(), step.time.is_empty()) {
        (true, _) => format!("Ending: {}", step.title),
        (false, true) => step.title.clone(),
        (false, false) => format!("{}: {}", step.time, step.title),
    }
}

/// The current step: what happened on arriving, the narrative, then the choices, or the
/// ending. The text sits in its own box, so on a projector the choices stay on screen however
/// long the text is.
pub fn step_html(v: &CaseView) -> SafeHtml {
    let (s, run) = (v.scenario, &v.session.run);
    let Some(step) = run.current(s) else {
        return html!(
            "<p role=\"alert\">This case has no step called {}.</p>",
            esc(run.step())
        );
    };
    let mut h = SafeHtml::default();
    push_html!(
        h,
        "<section class=\"step\" aria-labelledby=\"step-heading\" data-step=\"{}\"><h2 id=\"step-heading\" tabindex=\"-1\">{}</h2><div class=\"step-text\"{}>",
        esc(&step.id),
        esc(&heading(step)),
        // On a projector the text scrolls in its own box, so it must be reachable by keyboard.
        markup(if v.facilitator() {
            " tabindex=\"0\" role=\"region\" aria-label=\"The step's text\""
        } else {
            ""
        })
    );
    if run.turn() == 0 && !s.intro.is_blank() {
        // The role is in the header; the rest of the background opens on demand, so the first
        // step's choices are on screen on a laptop.
        push_html!(
            h,
            "<details class=\"intro\"><summary>About your role in this case</summary><div class=\"prose\">{}</div></details>",
            s.intro
        );
    }
    events_html(v, &mut h);
    push_html!(h, "<div class=\"prose\">{}</div></div>", step.body);
    match step.outcome() {
        Some(outcome) => {
            push_html!(
                h,
                "<p class=\"outcome\"><strong>For the children: </strong>{}</p>",
                esc(outcome)
            );
        }
        None => choices_html(v, &mut h),
    }
    h.push_static("</section>");
    h
}

/// The random events that happened on arriving at this step.
fn events_html(v: &CaseView, h: &mut SafeHtml) {
    let s = v.scenario;
    for (step_id, event_id) in v.session.run.arrived_by() {
        let Some(e) = s
            .step(step_id)
            .and_then(|st| st.events().iter().find(|e| &e.id == event_id))
        else {
            continue;
        };
        push_html!(h, "<div class=\"event\"><p class=\"event-label\"><span aria-hidden=\"true\">⚡ </span>Something happened</p><div class=\"prose\">{}</div>", e.text);
        for n in &e.notes {
            push_html!(h, "<p class=\"source\">Source: {}</p>", esc(n));
        }
        h.push_static("</div>");
    }
}

/// The choices open now, each a button with its number (and the room's votes, once entered).
fn choices_html(v: &CaseView, h: &mut SafeHtml) {
    let session = v.session;
    let available = session.run.available_choices(v.scenario);
    let votes = session.votes_for(session.run.turn() + 1);
    let hint = if v.facilitator() {
        "The room chooses<span class=\"keys-only\">: press its number, or use the buttons</span>."
    } else {
        "Choose one<span class=\"keys-only\">, with the buttons or its number key</span>."
    };
    push_html!(h, "<div class=\"step-choices\"><h3 class=\"choices-heading\">What do you do?</h3><p class=\"hint\">{}</p><ol class=\"choices\">", markup(hint));
    for (i, c) in available.iter().enumerate() {
        let count = votes
            .and_then(|v| v.counts.iter().find(|(id, _)| *id == c.id))
            .map(|(_, n)| html!("<span class=\"vote-count\">{}</span>", votes_text(*n)))
            .unwrap_or_default();
        push_html!(
            h,
            "<li><button type=\"button\" class=\"choice\" {} data-choice=\"{}\"><span class=\"key\" aria-hidden=\"true\">{}</span><span class=\"choice-label\">{}</span>{}</button></li>",
            UiAction::Choose.attr(),
            esc(&c.id),
            i + 1,
            esc(&c.label),
            count
        );
    }
    h.push_static("</ol></div>");
}

fn votes_text(n: u32) -> String {
    format!("{n} vote{}", if n == 1 { "" } else { "s" })
}

/// Facilitator mode: the step's discussion prompts, shown and hidden with P. A region of its
/// own, so showing them never re-writes the votes being typed.
pub fn prompts_html(v: &CaseView) -> SafeHtml {
    let Some(step) = v.session.run.current(v.scenario) else {
        return SafeHtml::default();
    };
    if !v.facilitator() || step.prompts.is_empty() || step.is_ending() {
        return SafeHtml::default();
    }
    let mut h = SafeHtml::default();
    push_html!(
        h,
        "<section class=\"prompts\" aria-labelledby=\"prompts-heading\"><h3 id=\"prompts-heading\">Discussion prompts</h3><button type=\"button\" class=\"button small\" {} aria-expanded=\"{}\" aria-controls=\"prompt-list\">{} the prompts<span class=\"key-hint\"> (P)</span></button><ul id=\"prompt-list\" class=\"prompt-list\"{}>",
        UiAction::TogglePrompts.attr(),
        v.prompts_open,
        if v.prompts_open { "Hide" } else { "Show" },
        if v.prompts_open { "" } else { " hidden" }
    );
    for p in &step.prompts {
        push_html!(h, "<li>{}</li>", esc(p));
    }
    h.push_static("</ul></section>");
    h
}

/// Facilitator mode: how many in the room chose each option, entered before the room's choice.
/// `drafts` are counts typed but not yet recorded, by choice id: they are written back, so a
/// re-render never loses them.
pub fn votes_html(v: &CaseView, drafts: &[(String, String)]) -> SafeHtml {
    let session = v.session;
    if !v.facilitator() || session.run.is_ended(v.scenario) {
        return SafeHtml::default();
    }
    let available = session.run.available_choices(v.scenario);
    let votes = session.votes_for(session.run.turn() + 1);
    let open = !drafts.is_empty();
    let mut h = html!(
        "<details class=\"votes-form\"{}><summary>Enter how the room voted</summary><form {}><p class=\"hint\">How many people chose each option. They show beside the choices, and beside the room's choice when it is revealed.</p><ul class=\"plain\">",
        if open { " open" } else { "" },
        UiForm::Votes.attr()
    );
    for (i, c) in available.iter().enumerate() {
        let value = drafts
            .iter()
            .find(|(id, _)| *id == c.id)
            .map(|(_, typed)| typed.clone())
            .or_else(|| {
                votes
                    .and_then(|v| v.counts.iter().find(|(id, _)| *id == c.id))
                    .map(|(_, n)| n.to_string())
            })
            .unwrap_or_default();
        push_html!(
            h,
            "<li><label for=\"vote-{}\">{}. {}</label><input type=\"number\" min=\"0\" max=\"999\" inputmode=\"numeric\" id=\"vote-{}\" name=\"{}\" value=\"{}\"></li>",
            &c.id,
            i + 1,
            &c.label,
            &c.id,
            &c.id,
            &value
        );
    }
    h.push_static(
        "</ul><button type=\"submit\" class=\"button\">Record the votes</button></form></details>",
    );
    h
}

/// After a decision, before the next step: the trainee reads the feedback above first (self-
/// paced), or the room discusses it and sees the panel (facilitator, with the room's votes
/// beside its choice). Then the next step, when they are ready.
pub fn next_html(v: &CaseView) -> SafeHtml {
    let ended = v.session.run.is_ended(v.scenario);
    let label = if ended {
        "Show the ending"
    } else {
        "Go to the next step"
    };
    let lead = if v.facilitator() {
        "Discuss the feedback with the room, then reveal how each service would now respond (T)."
    } else {
        "Read the feedback above, then go on when you are ready."
    };
    html!(
        "<div class=\"next-panel\">{}<p>{}</p><button type=\"button\" class=\"button primary\" id=\"next-button\" {}>{}<span class=\"key-hint\"> (N)</span></button></div>",
        room_vote_html(v),
        lead,
        UiAction::Next.attr(),
        label
    )
}

/// The room's votes at the decision just made, beside the choice it made.
fn room_vote_html(v: &CaseView) -> SafeHtml {
    let session = v.session;
    let turn = session.run.turn();
    let (Some(vote), Some((step, made))) = (
        session.votes_for(turn),
        session.run.decisions().last().copied(),
    ) else {
        return SafeHtml::default();
    };
    let total: u32 = vote.counts.iter().map(|(_, n)| n).sum();
    let mut h = html!(
        "<h3>How the room voted</h3><p>{} votes in all.</p><ul class=\"room-vote\">",
        total
    );
    for (id, n) in &vote.counts {
        let chosen = id == made;
        push_html!(
            h,
            "<li{}><span class=\"vote-count\">{}</span> {}{}</li>",
            markup(if chosen { " class=\"chosen\"" } else { "" }),
            votes_text(*n),
            esc(&v.choice_label(step, id)),
            markup(if chosen {
                " <strong>(the room's choice)</strong>"
            } else {
                ""
            })
        );
    }
    h.push_static("</ul>");
    h
}

/// Replay tools: the seed (restart from the beginning), and in facilitator mode, going back to
/// before any decision made so far.
pub fn tools_html(v: &CaseView) -> SafeHtml {
    let session = v.session;
    let mut h =
        SafeHtml::from_static("<details class=\"seed-form\"><summary>Replay or restart</summary>");
    push_html!(
        h,
        "<form {}><label for=\"seed-input\">Seed (a whole number; the same seed and the same choices give the same run)</label><input id=\"seed-input\" name=\"seed\" inputmode=\"numeric\" value=\"{}\" aria-describedby=\"seed-error\"><p id=\"seed-error\" class=\"error\" role=\"alert\"></p><button type=\"submit\" class=\"button\">Restart from the beginning</button></form>",
        UiForm::Seed.attr(),
        session.run.seed()
    );
    if v.facilitator() && session.run.turn() > 0 {
        h.push_static("<h3>Go back to an earlier step</h3><ol class=\"restart-list\">");
        for (n, (step, _)) in (1..).zip(session.run.decisions()) {
            let title = v
                .scenario
                .step(step)
                .map_or_else(|| step.to_string(), heading);
            push_html!(
                h,
                "<li><button type=\"button\" class=\"button small\" {} data-decision=\"{}\">Before decision {}: {}</button></li>",
                UiAction::RestartBefore.attr(),
                n,
                n,
                &title
            );
        }
        h.push_static("</ol>");
    }
    h.push_static("</details>");
    h
}

/// The case screen's header: who the trainee is, the mode, the seed and the decisions so far.
pub fn header_html(v: &CaseView) -> SafeHtml {
    let (s, session) = (v.scenario, v.session);
    let keys = if v.facilitator() {
        "<p class=\"keys-help keys-only no-print\">Keys: 1 to 9 choose · N next · B back one step · T threshold panel · P discussion prompts</p>"
    } else {
        ""
    };
    html!(
        "<p class=\"no-print back\"><a href=\"#/\"><span aria-hidden=\"true\">← </span>All cases</a></p><h1>{}</h1><p class=\"meta\">You are {}. Law and guidance: {} (<a href=\"#/law\" class=\"no-print\">about the law in each nation</a>). <span class=\"run-meta\">Mode: <strong data-testid=\"mode\">{}</strong> · Seed <strong data-testid=\"seed\">{}</strong> · Decisions made: <span data-testid=\"turn\">{}</span>{}</span></p>{}",
        esc(&s.title),
        esc(&s.role),
        esc(&s.nation),
        session.mode.label(),
        session.run.seed(),
        session.run.turn(),
        if session.started.is_empty() {
            SafeHtml::default()
        } else {
            html!(" · Started {}", uk_date(&session.started))
        },
        markup(keys)
    )
}

/// A still of the case screen as a run starts (issue 13): the screen's skeleton with its header
/// and first step, as the player draws them, for the page to show on a deep link while the
/// player loads, so the step's text paints as soon as this small file and the case's styles
/// arrive. Nothing in it works: the page shows it inert, and the player replaces it whole.
/// `build.rs` writes one for each case and mode.
pub fn still_html(v: &CaseView) -> SafeHtml {
    let skeleton = crate::ui::CASE_SKELETON;
    let Some((head, rest)) = skeleton.split_once("</header>") else {
        return markup(skeleton);
    };
    let Some((middle, tail)) = rest.split_once("<div id=\"story\">") else {
        return markup(skeleton);
    };
    // The layout's class as the player sets it at the start (the panel shown or not), so the
    // step has the same size in both.
    let middle = if v.session.mode.panel_hidden_until_revealed() {
        markup(middle)
    } else {
        match middle.split_once("class=\"case-layout\"") {
            Some((a, b)) => markup(a) + &markup("class=\"case-layout panel-open\"") + &markup(b),
            None => markup(middle),
        }
    };
    markup(head)
        + &header_html(v)
        + &markup("</header>")
        + &middle
        + &markup("<div id=\"story\">")
        + &step_html(v)
        + &markup(tail)
}

/// A box for the trainee's reflection at this point (self-paced and assessment modes). Its text
/// is read as it is typed; `reflection-print` carries it into the printed record.
pub fn reflection_html(v: &CaseView) -> SafeHtml {
    let session = v.session;
    if v.facilitator() {
        return SafeHtml::default();
    }
    let text = session
        .reflection_now()
        .map(|r| esc(&r.text))
        .unwrap_or_default();
    let ended = session.run.is_ended(v.scenario);
    let (heading, label) = if ended {
        (
            "Your reflection on the case",
            "What you would do the same or differently in practice (it goes into your printed record)",
        )
    } else {
        (
            "Your reflection",
            "Your thoughts at this step (optional; they go into your printed record)",
        )
    };
    // At the ending the printed record carries this reflection as it is typed
    // (`reflection-print`, kept up to date by the UI).
    let printed = if ended {
        html!("<div class=\"print-only\"><h3>Your reflection on the case</h3><p class=\"reflection-text\" id=\"reflection-print\">{}</p></div>", text)
    } else {
        SafeHtml::default()
    };
    html!(
        "<section class=\"reflection\" aria-labelledby=\"reflection-heading\"><div class=\"no-print\"><h2 id=\"reflection-heading\" class=\"small-heading\">{}</h2><label for=\"reflection\">{}</label><textarea id=\"reflection\" rows=\"3\">{}</textarea><p class=\"hint\">Saved on this device as you type.</p></div>{}</section>",
        heading,
        label,
        text,
        printed
    )
}
