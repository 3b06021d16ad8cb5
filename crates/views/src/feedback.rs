//! What the trainee learns from an action, in the live region: the feedback on a decision (its
//! grade and reason, what it means for the children, what changed, including every level that
//! moved and why, what the decision showed, and the sources), the same for a share, and the
//! share form itself.

use thresholds_core::engine::Outcome;
use thresholds_core::model::{Basis, Share};
use thresholds_core::score::{openness_fault, telling_parent_unsafe, OpennessFault, Scores};
use thresholds_core::thresholds::{level_changes, not_needed, panel, LevelChange};

use crate::case::{grade_badge, CaseView};
use crate::html::{esc, html, items, markup, push_html, SafeHtml};
use crate::ui::UiForm;

/// The feedback on the last decision.
pub fn feedback_html(v: &CaseView, outcome: &Outcome) -> SafeHtml {
    let s = v.scenario;
    let Some(choice) = s.choice(&outcome.step, &outcome.choice) else {
        return SafeHtml::default();
    };
    let mut h = SafeHtml::default();
    push_html!(
        h,
        "<section class=\"feedback\" aria-labelledby=\"feedback-heading\"><h2 id=\"feedback-heading\" class=\"feedback-heading\" tabindex=\"-1\">Your decision: {}</h2><p class=\"grade-line\">{}</p><div class=\"prose\">{}</div>",
        esc(&choice.label),
        grade_badge(choice.grade),
        choice.feedback
    );
    h.push(&for_the_children(v));
    let mut changes: Vec<SafeHtml> = Vec::new();
    for (f, to) in &outcome.revealed {
        changes.push(html!("{} found out: {}.", v.service(to), v.fact(f)));
    }
    for (f, from, to) in &outcome.shared {
        changes.push(html!(
            "{} told {}: {}.",
            v.service(from),
            v.service(to),
            v.fact(f)
        ));
    }
    changes.extend(level_change_lines(v));
    if !changes.is_empty() {
        h.push_static("<h3>What changed</h3>");
        items(&mut h, "changes", changes);
    }
    let marks = decision_marks(v, &v.scores(), v.session.run.turn(), &mut |source| {
        html!(" <span class=\"source\">Source: {}</span>", source)
    });
    if !marks.is_empty() {
        h.push_static("<h3>What this decision shows</h3>");
        items(&mut h, "rubric-marks", marks);
    }
    // The guidance behind this decision: the step's notes, then the choice's.
    let step_notes = s.step(&outcome.step).map_or(&[][..], |st| &st.notes[..]);
    if !step_notes.is_empty() || !choice.notes.is_empty() {
        h.push_static("<h3>Sources</h3>");
        items(
            &mut h,
            "sources",
            step_notes.iter().chain(&choice.notes).map(|n| esc(n)),
        );
    }
    h.push_static("</section>");
    h
}

/// Each level the last action moved, as "was → now" and why, for the feedback and the share
/// result (the live region announces them). Empty in assessment mode, where the panel is
/// withheld until the debrief.
pub(crate) fn level_change_lines(v: &CaseView) -> Vec<SafeHtml> {
    if !v.session.mode.panel_during_play() {
        return Vec::new();
    }
    changes(v)
        .iter()
        .map(|c| {
            let who = c
                .service
                .as_deref()
                .map_or_else(|| "The full picture".to_string(), |id| v.service(id));
            if v.area.framework.no_fixed_levels {
                html!(
                    "<span class=\"level-change\">{}: its response changed</span>{}.",
                    esc(&who),
                    because(v, c)
                )
            } else {
                html!(
                    "<span class=\"level-change\">{}: was {}, now {}</span>{}.",
                    esc(&who),
                    level_words(v, c.was),
                    level_words(v, c.now),
                    because(v, c)
                )
            }
        })
        .collect()
}

/// The levels the session's last action moved (none before any action).
pub(crate) fn changes(v: &CaseView) -> Vec<LevelChange> {
    v.session
        .before_last(v.scenario)
        .map(|before| level_changes(v.area, v.scenario, &before, &v.session.run))
        .unwrap_or_default()
}

pub(crate) fn level_words(v: &CaseView, rank: usize) -> SafeHtml {
    v.area
        .framework
        .levels
        .get(rank)
        .map_or_else(SafeHtml::default, |l| html!("{} ({})", &l.short, &l.name))
}

/// Why a level moved: the facts that came with the action.
pub(crate) fn because(v: &CaseView, c: &LevelChange) -> SafeHtml {
    if c.learned.is_empty() {
        return SafeHtml::default();
    }
    let facts: Vec<String> = c.learned.iter().map(|f| v.fact(f)).collect();
    let verb = if c.service.is_some() {
        "it learned"
    } else {
        "now known"
    };
    html!(", because {}: {}", verb, facts.join("; "))
}

/// The marks touched at one decision, each with its source as `cite` writes it (in full in the
/// feedback; by number in the debrief, which lists each source once).
pub(crate) fn decision_marks(
    v: &CaseView,
    scores: &Scores,
    turn: u32,
    cite: &mut dyn FnMut(&str) -> SafeHtml,
) -> Vec<SafeHtml> {
    scores
        .at_decision(turn)
        .into_iter()
        .filter_map(|(_, m)| {
            let (r, item) = v.rubrics.item(&m.item)?;
            let (mark, verb) = if m.points > 0 {
                ("✓", "Shows")
            } else {
                ("✗", "Falls short on")
            };
            let why = if m.decision.is_some() {
                SafeHtml::default()
            } else {
                html!(": {}", &m.why)
            };
            Some(html!(
                "<span aria-hidden=\"true\">{}</span> {} <strong>{}</strong> ({}){}.{}",
                mark,
                verb,
                &item.name,
                &r.name,
                why,
                cite(&item.source)
            ))
        })
        .collect()
}

/// One line on where the children stand: the full picture, and how many services sit below it.
fn for_the_children(v: &CaseView) -> SafeHtml {
    let p = panel(v.area, v.scenario, &v.session.run);
    let Some(level) = v.area.framework.levels.get(p.full.rank) else {
        return SafeHtml::default();
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
    html!(
        "<p class=\"for-children\"><strong>For the children:</strong> what the services know between them now calls for {} ({}). {}</p>",
        esc(&level.name),
        esc(&level.short),
        esc(&gap)
    )
}

/// In assessment mode: the decision is recorded and its feedback kept for the debrief.
pub fn recorded_html(v: &CaseView, outcome: &Outcome) -> SafeHtml {
    html!(
        "<section class=\"feedback\" aria-labelledby=\"feedback-heading\"><h2 id=\"feedback-heading\" class=\"feedback-heading\" tabindex=\"-1\">Decision recorded: {}</h2><p>Feedback on your decisions is kept for the debrief at the end.</p></section>",
        esc(&v.choice_label(&outcome.step, &outcome.choice))
    )
}

/// The share form: which facts (what the trainee's service knows), with whom, on what basis,
/// and whether the parent was told. Read once on submit by the UI.
pub fn share_form_html(v: &CaseView) -> SafeHtml {
    let s = v.scenario;
    let Some(trainee) = s.trainee_service() else {
        return SafeHtml::default();
    };
    let mut h = html!("<details class=\"share-form\"><summary>Share information with another service</summary><p class=\"hint\">Outside the choices above, you can share what your service knows at any point.</p><form {}><fieldset><legend>What to share (what your service knows)</legend><ul class=\"plain\">", UiForm::Share.attr());
    for f in v.session.run.facts_known_by(s, &trainee.id) {
        push_html!(
            h,
            "<li><input type=\"checkbox\" name=\"fact\" value=\"{}\" id=\"share-fact-{}\"><label for=\"share-fact-{}\">{}</label></li>",
            &f.id,
            &f.id,
            &f.id,
            &f.label
        );
    }
    h.push_static("</ul></fieldset><label for=\"share-to\">With which service</label><select id=\"share-to\" name=\"to\"><option value=\"\">Choose a service</option>");
    for other in s.services.iter().filter(|x| !x.trainee) {
        push_html!(
            h,
            "<option value=\"{}\">{}</option>",
            esc(&other.id),
            esc(&other.name)
        );
    }
    h.push_static("</select><fieldset><legend>The lawful basis for sharing</legend><p class=\"hint\">Consent is rarely the right lawful basis for sharing to safeguard a child; being open with the family is a separate duty (Information sharing advice, HM Government, May 2024, golden rules 2 and 3).</p><ul class=\"plain\">");
    for b in Basis::ALL {
        push_html!(
            h,
            "<li><input type=\"radio\" name=\"basis\" value=\"{}\" id=\"basis-{}\"><label for=\"basis-{}\">{}</label></li>",
            b.as_str(),
            b.as_str(),
            b.as_str(),
            b.label()
        );
    }
    h.push_static("</ul></fieldset><p class=\"told\"><input type=\"checkbox\" id=\"share-told\" name=\"told\" value=\"yes\"><label for=\"share-told\">I have told the parent what I am sharing, with whom and why, and heard their view (leave this unticked only if telling them would put a child at greater risk)</label></p><p class=\"error\" role=\"alert\" id=\"share-error\"></p><button type=\"submit\" class=\"button primary\">Share</button></form></details>");
    h
}

/// What a share did: who now knows what, which levels moved, and (outside assessment mode)
/// what was more than the recipient needed, the basis, and whether telling the parent was right.
pub fn share_result_html(v: &CaseView, outcome: &Outcome, share: &Share) -> SafeHtml {
    let name = v.service(&share.to);
    let mut lines = vec![esc(&format!(
        "You shared with {name}; lawful basis: {}{}.",
        share.basis.label(),
        if share.parent_told {
            ", and told the parent"
        } else {
            ", without telling the parent"
        }
    ))];
    lines.extend(
        outcome
            .shared
            .iter()
            .map(|(f, _, _)| esc(&format!("{name} now knows: {}.", v.fact(f)))),
    );
    if outcome.shared.is_empty() {
        lines.push(esc(&format!("{name} already knew all of that.")));
    }
    lines.extend(level_change_lines(v));
    if v.session.mode.feedback_now() {
        lines.extend(share_advice(v, share).iter().map(|l| esc(l)));
    } else {
        lines.push(markup("Feedback on this share is kept for the debrief."));
    }
    let mut h = SafeHtml::from_static("<section class=\"feedback\" aria-labelledby=\"share-result-heading\"><h2 id=\"share-result-heading\" class=\"feedback-heading\" tabindex=\"-1\">Information shared</h2>");
    items(&mut h, "changes", lines);
    h.push_static("</section>");
    h
}

/// What the trainee should know straight away about a share: over-sharing, the basis, and
/// whether telling the parent was right.
fn share_advice(v: &CaseView, share: &Share) -> Vec<String> {
    let name = v.service(&share.to);
    let mut lines = Vec::new();
    let extra: Vec<String> = not_needed(v.area, v.scenario, &share.to, &share.facts)
        .into_iter()
        .map(|f| f.label.clone())
        .collect();
    if !extra.is_empty() {
        lines.push(format!(
            "More than {name} needs (over-sharing): {}.",
            extra.join("; ")
        ));
    }
    lines.extend(share.basis.caution().map(String::from));
    let unsafe_to_tell = telling_parent_unsafe(v.area, v.scenario, &v.session.run, &share.to);
    match openness_fault(share.parent_told, unsafe_to_tell) {
        Some(OpennessFault::NotToldThoughSafe) => lines.push("Telling the parent was safe here: be open about what you share and why unless that would put a child at risk (Information sharing advice, May 2024, golden rule 2).".to_string()),
        Some(OpennessFault::ToldThoughUnsafe) => lines.push("What your service knows makes telling the parent unsafe for a child: share without telling them, and record why (Information sharing advice, May 2024, golden rule 2).".to_string()),
        None => {}
    }
    lines
}
