//! The case screen's parts: the current step with its choices (or the ending and the debrief),
//! the feedback on a decision, the share form and its result, and the replay tools. What each
//! mode shows comes from `core::session::Mode`.

use std::fmt::Write;

use thresholds_core::area::Area;
use thresholds_core::engine::Outcome;
use thresholds_core::model::{Basis, Grade, Scenario, Step};
use thresholds_core::score::{
    openness_fault, score, telling_parent_unsafe, OpennessFault, Rubrics, Scores,
};
use thresholds_core::thresholds::{not_needed, panel};
use thresholds_core::{Mode, Session};

use crate::debrief::debrief_html;
use crate::html::{esc, items};

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
}

/// A grade as a symbol and words, never colour alone.
pub(crate) fn grade_badge(grade: Grade) -> String {
    let symbol = match grade {
        Grade::Good => "✓",
        Grade::Mixed => "◐",
        Grade::Poor => "✗",
    };
    format!(
        "<span class=\"grade grade-{}\"><span aria-hidden=\"true\" class=\"grade-symbol\">{symbol}</span> {}</span>",
        grade.as_str(),
        grade.label()
    )
}

fn heading(step: &Step) -> String {
    match (step.is_ending(), step.time.is_empty()) {
        (true, _) => format!("Ending: {}", step.title),
        (false, true) => step.title.clone(),
        (false, false) => format!("{}: {}", step.time, step.title),
    }
}

/// The current step: what happened on arriving, the narrative, then the choices (with the
/// room's votes and prompts in facilitator mode), or the ending with its debrief.
pub fn step_html(v: &CaseView) -> String {
    let (s, session) = (v.scenario, v.session);
    let run = &session.run;
    let Some(step) = run.current(s) else {
        return format!(
            "<p role=\"alert\">This case has no step called {}.</p>",
            esc(&run.step)
        );
    };
    let mut h = String::new();
    if run.turn == 0 && !s.intro.is_empty() {
        let _ = write!(h, "<div class=\"prose intro\">{}</div>", s.intro);
    }
    let _ = write!(
        h,
        "<section class=\"step\" aria-labelledby=\"step-heading\" data-step=\"{}\"><h2 id=\"step-heading\" tabindex=\"-1\">{}</h2>",
        esc(&step.id),
        esc(&heading(step))
    );
    for (step_id, event_id) in &run.arrived_by {
        if let Some(e) = s
            .step(step_id)
            .and_then(|st| st.events().iter().find(|e| &e.id == event_id))
        {
            let _ = write!(h, "<div class=\"event\"><p class=\"event-label\"><span aria-hidden=\"true\">⚡ </span>Something happened</p><div class=\"prose\">{}</div>", e.text);
            for n in &e.notes {
                let _ = write!(h, "<p class=\"source\">Source: {}</p>", esc(n));
            }
            h.push_str("</div>");
        }
    }
    let _ = write!(h, "<div class=\"prose\">{}</div>", step.body);
    match step.outcome() {
        Some(outcome) => ending(outcome, &mut h),
        None => {
            choices(v, step, &mut h);
            h.push_str("</section>");
        }
    }
    h
}

fn choices(v: &CaseView, step: &Step, h: &mut String) {
    let (s, session) = (v.scenario, v.session);
    let facilitator = session.mode == Mode::Facilitator;
    if facilitator && !step.prompts.is_empty() {
        let _ = write!(
            h,
            "<section class=\"prompts\" aria-labelledby=\"prompts-heading\"><h3 id=\"prompts-heading\">Discussion prompts</h3><button type=\"button\" class=\"button small\" data-action=\"toggle-prompts\" aria-expanded=\"{}\" aria-controls=\"prompt-list\">{} the prompts<span class=\"key-hint\"> (P)</span></button>",
            v.prompts_open,
            if v.prompts_open { "Hide" } else { "Show" }
        );
        let _ = write!(
            h,
            "<ul id=\"prompt-list\" class=\"prompt-list\"{}>",
            if v.prompts_open { "" } else { " hidden" }
        );
        for p in &step.prompts {
            let _ = write!(h, "<li>{}</li>", esc(p));
        }
        h.push_str("</ul>");
        h.push_str("</section>");
    }
    let available = session.run.available_choices(s);
    let votes = session.votes_for(session.run.turn + 1);
    let hint = if facilitator {
        "The room chooses; press its number (1 to 9), or use the buttons."
    } else {
        "Choose with the buttons, or press the number keys."
    };
    let _ = write!(h, "<h3 class=\"choices-heading\">What do you do?</h3><p class=\"hint\">{hint}</p><ol class=\"choices\">");
    for (i, c) in available.iter().enumerate() {
        let count = votes
            .and_then(|v| v.counts.iter().find(|(id, _)| *id == c.id))
            .map(|(_, n)| {
                format!(
                    "<span class=\"vote-count\">{n} vote{}</span>",
                    if *n == 1 { "" } else { "s" }
                )
            })
            .unwrap_or_default();
        let _ = write!(
            h,
            "<li><button type=\"button\" class=\"choice\" data-action=\"choose\" data-choice=\"{}\"><span class=\"key\" aria-hidden=\"true\">{}</span><span class=\"choice-label\">{}</span>{count}</button></li>",
            esc(&c.id),
            i + 1,
            esc(&c.label)
        );
    }
    h.push_str("</ol>");
    if facilitator {
        h.push_str("<details class=\"votes-form\"><summary>Enter how the room voted</summary><form data-form=\"votes\"><p class=\"hint\">How many people chose each option. The debrief shows the votes beside the choice made.</p><ul class=\"plain\">");
        for (i, c) in available.iter().enumerate() {
            let n = votes
                .and_then(|v| v.counts.iter().find(|(id, _)| *id == c.id))
                .map_or(String::new(), |(_, n)| n.to_string());
            let _ = write!(
                h,
                "<li><label for=\"vote-{id}\">{}. {}</label><input type=\"number\" min=\"0\" max=\"999\" inputmode=\"numeric\" id=\"vote-{id}\" name=\"{id}\" value=\"{n}\"></li>",
                i + 1,
                esc(&c.label),
                id = esc(&c.id)
            );
        }
        h.push_str("</ul><button type=\"submit\" class=\"button\">Record the votes</button></form></details>");
    }
}

fn ending(outcome: &str, h: &mut String) {
    let _ = write!(
        h,
        "<p class=\"outcome\"><strong>For the children: </strong>{}</p></section>",
        esc(outcome)
    );
}

/// At an ending: the debrief and what to do with it (print, download, play again). A region of
/// its own, so the ending shows at once and the debrief, a long document, follows it.
pub fn debrief_region_html(v: &CaseView) -> String {
    if !v.session.run.is_ended(v.scenario) {
        return String::new();
    }
    let mut h = debrief_html(v);
    h.push_str("<div class=\"actions no-print\"><button type=\"button\" class=\"button primary\" data-action=\"print\">Print your record</button><button type=\"button\" class=\"button\" data-action=\"export-json\">Download the record (JSON)</button><button type=\"button\" class=\"button\" data-action=\"export-csv\">Download the decisions (CSV)</button><button type=\"button\" class=\"button\" data-action=\"restart-same\">Play again with the same seed</button><button type=\"button\" class=\"button\" data-action=\"restart-new\">Play with a new seed</button><a class=\"button\" href=\"#/\">Back to all cases</a></div>");
    h
}

/// What the last decision meant for the children, which rubric items it touched, what changed,
/// and the sources.
pub fn feedback_html(v: &CaseView, outcome: &Outcome) -> String {
    let s = v.scenario;
    let Some(choice) = s.choice(&outcome.step, &outcome.choice) else {
        return String::new();
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"feedback\" aria-labelledby=\"feedback-heading\"><h2 id=\"feedback-heading\" class=\"feedback-heading\" tabindex=\"-1\">Your decision: {}</h2><p>{}</p><div class=\"prose\">{}</div>",
        esc(&choice.label),
        grade_badge(choice.grade),
        choice.feedback
    );
    h.push_str(&for_the_children(v));
    let mut changes: Vec<String> = Vec::new();
    for (f, to) in &outcome.revealed {
        changes.push(format!(
            "{} found out: {}.",
            esc(&v.service(to)),
            esc(&v.fact(f))
        ));
    }
    for (f, from, to) in &outcome.shared {
        changes.push(format!(
            "{} told {}: {}.",
            esc(&v.service(from)),
            esc(&v.service(to)),
            esc(&v.fact(f))
        ));
    }
    if !changes.is_empty() {
        h.push_str("<h3>What changed</h3>");
        items(&mut h, "changes", changes);
    }
    let scores = v.scores();
    let marks = rubric_marks(v, &scores, v.session.run.turn);
    if !marks.is_empty() {
        h.push_str("<h3>Rubric</h3>");
        items(&mut h, "rubric-marks", marks);
    }
    // The guidance behind this decision: the step's notes, then the choice's.
    let step_notes = s.step(&outcome.step).map_or(&[][..], |st| &st.notes[..]);
    if !step_notes.is_empty() || !choice.notes.is_empty() {
        h.push_str("<h3>Sources</h3>");
        items(
            &mut h,
            "sources",
            step_notes.iter().chain(&choice.notes).map(|n| esc(n)),
        );
    }
    h.push_str("</section>");
    h
}

/// The rubric items touched at one decision, each with its source.
pub(crate) fn rubric_marks(v: &CaseView, scores: &Scores, turn: u32) -> Vec<String> {
    scores
        .at_decision(turn)
        .into_iter()
        .filter_map(|(rubric, m)| {
            let (r, item) = v.rubrics.item(&m.item)?;
            let _ = rubric;
            let (mark, verb) = if m.points > 0 {
                ("✓", "Shows")
            } else {
                ("✗", "Falls short on")
            };
            let why = if m.decision.is_some() {
                String::new()
            } else {
                format!(": {}", esc(&m.why))
            };
            Some(format!(
                "<span aria-hidden=\"true\">{mark}</span> {verb} <strong>{}</strong> ({}){why}. <span class=\"source\">Source: {}</span>",
                esc(&item.name),
                esc(&r.name),
                esc(&item.source)
            ))
        })
        .collect()
}

/// One line on where the children stand: the full picture, and how many services sit below it.
fn for_the_children(v: &CaseView) -> String {
    let p = panel(v.area, v.scenario, &v.session.run);
    let levels = &v.area.framework.levels;
    let Some(level) = levels.get(p.full.rank) else {
        return String::new();
    };
    let below: Vec<String> = p
        .services
        .iter()
        .filter(|r| !r.missing.is_empty())
        .map(|r| v.service(&r.service))
        .collect();
    let gap = match below.len() {
        0 => "Every service involved would respond at that level.".to_string(),
        1 => format!(
            "{} would respond below it, because it is missing what others know.",
            below[0]
        ),
        n => format!(
            "{n} services would respond below it, because they are missing what others know."
        ),
    };
    format!(
        "<p class=\"for-children\"><strong>For the children:</strong> what the services know between them now calls for {} ({}). {}</p>",
        esc(&level.name),
        esc(&level.short),
        esc(&gap)
    )
}

/// In assessment mode: the decision is recorded and its feedback kept for the debrief.
pub fn recorded_html(v: &CaseView, outcome: &Outcome) -> String {
    format!(
        "<section class=\"feedback\" aria-labelledby=\"feedback-heading\"><h2 id=\"feedback-heading\" class=\"feedback-heading\" tabindex=\"-1\">Decision recorded: {}</h2><p>Feedback on your decisions is kept for the debrief at the end.</p></section>",
        esc(&v.choice_label(&outcome.step, &outcome.choice))
    )
}

/// The share form: which facts (what the trainee's service knows), with whom, on what basis,
/// and whether the parent was told. Read once on submit by the UI.
pub fn share_form_html(v: &CaseView) -> String {
    let s = v.scenario;
    let Some(trainee) = s.trainee_service() else {
        return String::new();
    };
    let mut h = String::from("<details class=\"share-form\"><summary>Share information with another service</summary><form data-form=\"share\"><fieldset><legend>What to share (what your service knows)</legend><ul class=\"plain\">");
    for f in v.session.run.facts_known_by(s, &trainee.id) {
        let _ = write!(
            h,
            "<li><input type=\"checkbox\" name=\"fact\" value=\"{id}\" id=\"share-fact-{id}\"><label for=\"share-fact-{id}\">{}</label></li>",
            esc(&f.label),
            id = esc(&f.id)
        );
    }
    h.push_str("</ul></fieldset><label for=\"share-to\">With which service</label><select id=\"share-to\" name=\"to\"><option value=\"\">Choose a service</option>");
    for other in s.services.iter().filter(|x| !x.trainee) {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            esc(&other.id),
            esc(&other.name)
        );
    }
    h.push_str("</select><fieldset><legend>The lawful basis for sharing</legend><p class=\"hint\">Consent is rarely the right lawful basis for sharing to safeguard a child; being open with the family is a separate duty (Information sharing advice, HM Government, May 2024, golden rules 2 and 3).</p><ul class=\"plain\">");
    for b in Basis::ALL {
        let _ = write!(
            h,
            "<li><input type=\"radio\" name=\"basis\" value=\"{id}\" id=\"basis-{id}\"><label for=\"basis-{id}\">{}</label></li>",
            b.label(),
            id = b.as_str()
        );
    }
    h.push_str("</ul></fieldset><p><input type=\"checkbox\" id=\"share-told\" name=\"told\" value=\"yes\"><label for=\"share-told\">I have told the parent what I am sharing, with whom and why, and heard their view (leave this unticked only if telling them would put a child at greater risk)</label></p><p class=\"error\" role=\"alert\" id=\"share-error\"></p><button type=\"submit\" class=\"button primary\">Share</button></form></details>");
    h
}

/// What a share did: who now knows what, and (outside assessment mode) what was more than the
/// recipient needed, the basis, and whether telling the parent was right.
pub fn share_result_html(
    v: &CaseView,
    outcome: &Outcome,
    facts: &[String],
    to: &str,
    basis: Basis,
    parent_told: bool,
) -> String {
    let name = v.service(to);
    let mut lines = vec![format!(
        "You shared with {name}; lawful basis: {}{}.",
        basis.label(),
        if parent_told {
            ", and told the parent"
        } else {
            ", without telling the parent"
        }
    )];
    lines.extend(
        outcome
            .shared
            .iter()
            .map(|(f, _, _)| format!("{name} now knows: {}.", v.fact(f))),
    );
    if outcome.shared.is_empty() {
        lines.push(format!("{name} already knew all of that."));
    }
    if v.session.mode.feedback_now() {
        let extra: Vec<String> = not_needed(v.area, v.scenario, to, facts)
            .into_iter()
            .map(|f| f.label.clone())
            .collect();
        if !extra.is_empty() {
            lines.push(format!(
                "More than {name} needs (over-sharing): {}.",
                extra.join("; ")
            ));
        }
        lines.extend(basis.caution().map(String::from));
        let unsafe_to_tell = telling_parent_unsafe(v.area, v.scenario, &v.session.run, to);
        match openness_fault(parent_told, unsafe_to_tell) {
            Some(OpennessFault::NotToldThoughSafe) => lines.push("Telling the parent was safe here: be open about what you share and why unless that would put a child at risk (Information sharing advice, May 2024, golden rule 2).".to_string()),
            Some(OpennessFault::ToldThoughUnsafe) => lines.push("What your service knows makes telling the parent unsafe for a child: share without telling them, and record why (Information sharing advice, May 2024, golden rule 2).".to_string()),
            None => {}
        }
    } else {
        lines.push("Feedback on this share is kept for the debrief.".to_string());
    }
    let mut h = String::from("<section class=\"feedback\" aria-labelledby=\"share-result-heading\"><h2 id=\"share-result-heading\" class=\"feedback-heading\" tabindex=\"-1\">Information shared</h2>");
    items(&mut h, "changes", lines.iter().map(|l| esc(l)));
    h.push_str("</section>");
    h
}

/// Replay tools: the seed (restart from the beginning), and in facilitator mode, going back to
/// before any decision made so far.
pub fn tools_html(v: &CaseView) -> String {
    let session = v.session;
    let mut h = String::from("<details class=\"seed-form\"><summary>Replay or restart</summary>");
    let _ = write!(
        h,
        "<form data-form=\"seed\"><label for=\"seed-input\">Seed (a whole number; the same seed and the same choices give the same run)</label><input id=\"seed-input\" name=\"seed\" inputmode=\"numeric\" value=\"{}\" aria-describedby=\"seed-error\"><p id=\"seed-error\" class=\"error\" role=\"alert\"></p><button type=\"submit\" class=\"button\">Restart from the beginning</button></form>",
        session.run.seed
    );
    if session.mode == Mode::Facilitator && session.run.turn > 0 {
        h.push_str("<h3>Go back to an earlier step</h3><ol class=\"restart-list\">");
        let mut n = 0;
        for (step, _) in session.run.decisions() {
            n += 1;
            let title = v
                .scenario
                .step(step)
                .map_or_else(|| step.to_string(), heading);
            let _ = write!(
                h,
                "<li><button type=\"button\" class=\"button small\" data-action=\"restart-before\" data-decision=\"{n}\">Before decision {n}: {}</button></li>",
                esc(&title)
            );
        }
        h.push_str("</ol>");
    }
    h.push_str("</details>");
    h
}

/// Facilitator mode, after a decision: the room discusses the feedback (and reveals the panel)
/// before the next step is shown.
pub fn next_html(v: &CaseView) -> String {
    let ended = v.session.run.is_ended(v.scenario);
    format!(
        "<div class=\"next-panel\"><p>Discuss the feedback above with the room, then reveal how each service would now respond (T).</p><button type=\"button\" class=\"button primary\" id=\"next-button\" data-action=\"next\">{}<span class=\"key-hint\"> (N or →)</span></button></div>",
        if ended { "Show the ending" } else { "Next step" }
    )
}

/// The case screen's header: who the trainee is, the mode, the seed and the decisions so far.
pub fn header_html(v: &CaseView) -> String {
    let (s, session) = (v.scenario, v.session);
    let keys = if session.mode == Mode::Facilitator {
        "<p class=\"keys-help no-print\">Keys: 1 to 9 choose · N or → next · B or ← back one step · T threshold panel · P discussion prompts</p>"
    } else {
        ""
    };
    format!(
        "<p class=\"no-print\"><a href=\"#/\"><span aria-hidden=\"true\">← </span>All cases</a></p><h1>{}</h1><p class=\"meta\">You are {}. Law and guidance: {} (<a href=\"#/law\" class=\"no-print\">about the law in each nation</a>). Mode: <strong data-testid=\"mode\">{}</strong> · Seed <strong data-testid=\"seed\">{}</strong> · Decisions made: <span data-testid=\"turn\">{}</span></p>{keys}",
        esc(&s.title),
        esc(&s.role),
        esc(&s.nation),
        session.mode.label(),
        session.run.seed,
        session.run.turn
    )
}

/// A box for the trainee's reflection at this point (self-paced and assessment modes). Its text
/// is read as it is typed; `reflection-print` carries it into the printed record.
pub fn reflection_html(v: &CaseView) -> String {
    let session = v.session;
    if session.mode == Mode::Facilitator {
        return String::new();
    }
    let text = session
        .reflection_now()
        .map(|r| esc(&r.text))
        .unwrap_or_default();
    let label = if session.run.is_ended(v.scenario) {
        "Your reflection on the case (it goes into your record)"
    } else {
        "Your reflection on this step (optional; it goes into your record)"
    };
    format!(
        "<div class=\"reflection\"><label for=\"reflection\">{label}</label><textarea id=\"reflection\" rows=\"3\">{text}</textarea><p class=\"hint no-print\">Saved as you type.</p><p class=\"print-only reflection-print\" id=\"reflection-print\">{text}</p></div>"
    )
}
