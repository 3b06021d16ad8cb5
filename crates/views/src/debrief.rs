//! The debrief at the end of a case, which is also the printed record. It reads as a report:
//! a summary first (who, which case and run, the scores, where the threshold was met and where
//! the trainee acted, the biggest miss, and what to do with the record), then sections that can
//! be opened: every decision with its grade and reason, the scores mark by mark, each
//! service's level at each decision, who knew what and when, the timeline, the reflections, an
//! experienced practitioner's path by decision number, and the sources, each listed once.

use thresholds_core::engine::{LogEntry, Source};
use thresholds_core::model::{Basis, Grade};
use thresholds_core::score::{expert_path, levels_by_turn, Scores};
use thresholds_core::Action;

use crate::case::{grade_badge, heading, CaseView};
use crate::feedback::decision_marks;
use crate::html::{decision_count, esc, html, markup, push_html, strip_tags, uk_date, SafeHtml};
use crate::ui::UiAction;

/// Sources cited across the report, each listed once and referred to by number.
#[derive(Default)]
struct Sources(Vec<String>);

impl Sources {
    /// A reference to `source`, as "[n]" linked to its entry in the list.
    fn cite(&mut self, source: &str) -> SafeHtml {
        if source.is_empty() {
            return SafeHtml::default();
        }
        let n = match self.0.iter().position(|s| s == source) {
            Some(i) => i + 1,
            None => {
                self.0.push(source.to_string());
                self.0.len()
            }
        };
        // A button, not an anchor: the address hash holds the route.
        html!(
            " <button type=\"button\" class=\"link cite\" {} data-source=\"{}\" aria-label=\"source {}\">[{}]</button>",
            UiAction::ShowSource.attr(),
            n,
            n,
            n
        )
    }
}

/// The summary at the top of the debrief, with the name for the printed record (kept on this
/// device only) and what to do with the record.
pub fn debrief_summary_html(v: &CaseView, name: &str) -> SafeHtml {
    if !v.session.run.is_ended(v.scenario) {
        return SafeHtml::default();
    }
    let scores = v.scores();
    let mut h = SafeHtml::from_static("<section class=\"debrief-summary\" aria-labelledby=\"debrief-heading\"><h2 id=\"debrief-heading\">Your record of this case</h2>");
    record_meta_html(v, name, &mut h);
    h.push_static("<h3>At a glance</h3><table class=\"glance\"><caption class=\"visually-hidden\">Scores</caption><tbody>");
    for d in &scores.dimensions {
        let figure = if d.achievable > 0 {
            html!(
                "<strong>{}%</strong> ({} of {} points)",
                d.percent(),
                d.points(),
                d.achievable
            )
        } else {
            markup("not applicable on this path")
        };
        push_html!(
            h,
            "<tr class=\"score\" data-rubric=\"{}\" data-percent=\"{}\" data-achievable=\"{}\"><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(&d.rubric),
            d.percent(),
            d.achievable,
            esc(rubric_name(v, &d.rubric)),
            figure
        );
    }
    h.push_static("</tbody></table>");
    push_html!(
        h,
        "<p data-testid=\"tally\">{}</p><p class=\"timeliness\"><strong>When you acted:</strong> {}</p><p class=\"biggest-miss\"><strong>The biggest miss:</strong> {}</p>",
        tally(v),
        esc(&timeliness_line(&scores)),
        biggest_miss(v, &scores)
    );
    push_html!(
        h,
        "<div class=\"actions no-print\"><button type=\"button\" class=\"button primary\" {}>Print your record</button><button type=\"button\" class=\"button\" {}>Download the record (JSON)</button><button type=\"button\" class=\"button\" {}>Download the decisions (CSV)</button><button type=\"button\" class=\"button\" {}>Play again with the same seed</button><button type=\"button\" class=\"button\" {}>Play with a new seed</button><a class=\"button\" href=\"#/\">Back to all cases</a></div></section>",
        UiAction::Print.attr(),
        UiAction::ExportJson.attr(),
        UiAction::ExportCsv.attr(),
        UiAction::RestartSame.attr(),
        UiAction::RestartNew.attr()
    );
    h
}

fn record_meta_html(v: &CaseView, name: &str, h: &mut SafeHtml) {
    let (s, session) = (v.scenario, v.session);
    push_html!(
        h,
        "<p class=\"no-print name-field\"><label for=\"learner-name\">Your name, for the printed record (kept on this device only)</label><input id=\"learner-name\" autocomplete=\"name\" value=\"{}\"></p><dl class=\"record-meta\" data-testid=\"record-meta\"><div class=\"print-only\"><dt>Name</dt><dd id=\"name-print\">{}</dd></div><div><dt>Case</dt><dd>{}, version {}</dd></div><div><dt>Mode</dt><dd>{}</dd></div><div><dt>Seed</dt><dd>{}</dd></div><div><dt>Started</dt><dd>{}</dd></div><div><dt>Decisions</dt><dd>{}</dd></div><div><dt>Law and guidance</dt><dd>{}</dd></div><div><dt>Area</dt><dd>{} ({})</dd></div></dl>",
        esc(name),
        esc(name),
        esc(&s.title),
        s.version,
        esc(session.mode.label()),
        session.run.seed(),
        esc(&if session.started.is_empty() {
            "not recorded".to_string()
        } else {
            uk_date(&session.started)
        }),
        decision_count(session.run.turn()),
        esc(&s.nation),
        esc(&v.area.framework.title),
        esc(&v.area.framework.nation)
    );
}

fn rubric_name<'a>(v: &'a CaseView, id: &'a str) -> &'a str {
    v.rubrics
        .rubrics
        .iter()
        .find(|r| r.id == id)
        .map_or(id, |r| r.name.as_str())
}

fn tally(v: &CaseView) -> String {
    let grades: Vec<Grade> = v
        .session
        .run
        .decisions()
        .into_iter()
        .filter_map(|(st, c)| v.scenario.choice(st, c).map(|c| c.grade))
        .collect();
    let count = |g: Grade| grades.iter().filter(|x| **x == g).count();
    format!(
        "{} good, {} partly good and {} poor decisions out of {}.",
        count(Grade::Good),
        count(Grade::Mixed),
        count(Grade::Poor),
        grades.len()
    )
}

fn timeliness_line(scores: &Scores) -> String {
    if !scores.levels_apply {
        return "does not apply: this area uses no fixed levels, so there is no referral level to act at, and the marks for acting at it and for how soon each service knew what bears on its level are not given.".to_string();
    }
    let t = &scores.timeliness;
    match (t.threshold_met_at, t.referred_at) {
        (Some(m), Some(r)) => format!(
            "your service held what put it at the referral level at decision {m}; you told children's social care at decision {r}."
        ),
        (Some(m), None) => format!(
            "your service held what put it at the referral level at decision {m}; children's social care was not told after that."
        ),
        (None, _) => match t.referral_level_at {
            Some(a) => format!("what the services knew between them reached the referral level at decision {a}; your own service never did."),
            None => "what the services knew between them never reached the referral level on this path.".to_string(),
        },
    }
}

/// The mark that cost the most, with what good practice looks like; else the first poor
/// decision; else none.
fn biggest_miss(v: &CaseView, scores: &Scores) -> SafeHtml {
    let worst = scores
        .dimensions
        .iter()
        .flat_map(|d| &d.marks)
        .filter(|m| m.points < 0)
        .min_by_key(|m| m.points);
    if let Some(m) = worst {
        let (name, good) = v
            .rubrics
            .item(&m.item)
            .map_or((m.item.as_str(), ""), |(_, i)| {
                (i.name.as_str(), i.good.as_str())
            });
        let when = if m.turn > 0 {
            html!(" at decision {}", m.turn)
        } else {
            SafeHtml::default()
        };
        return html!(
            "{}{} ({}). {}",
            name,
            when,
            &m.why,
            if good.is_empty() {
                SafeHtml::default()
            } else {
                html!("Good practice: {}", good)
            }
        );
    }
    let poor = (1..).zip(v.session.run.decisions()).find(|(_, (st, c))| {
        v.scenario
            .choice(st, c)
            .is_some_and(|c| c.grade == Grade::Poor)
    });
    match poor {
        Some((n, (st, c))) => html!("decision {}, {} (poor practice).", n, v.choice_label(st, c)),
        None => markup("none on this path: no mark was lost."),
    }
}

/// The debrief's sections, each one that can be opened (all open when printed).
pub fn debrief_html(v: &CaseView) -> SafeHtml {
    if !v.session.run.is_ended(v.scenario) {
        return SafeHtml::default();
    }
    let scores = v.scores();
    let mut sources = Sources::default();
    let mut h = SafeHtml::from_static("<div class=\"debrief\">");
    section(
        &mut h,
        "decisions",
        "Your decisions, with the reasons",
        true,
        &mut |h| decisions_html(v, &scores, &mut sources, h),
    );
    section(
        &mut h,
        "marks",
        "Your scores, mark by mark",
        false,
        &mut |h| marks_html(v, &scores, &mut sources, h),
    );
    section(
        &mut h,
        "chart",
        "Each service's level at each decision",
        false,
        &mut |h| chart_html(v, h),
    );
    section(&mut h, "grid", "Who knew what, when", false, &mut |h| {
        grid_html(v, h)
    });
    section(&mut h, "timeline", "Timeline", false, &mut |h| {
        timeline_html(v, h)
    });
    section(&mut h, "reflections", "Your reflections", true, &mut |h| {
        reflections_html(v, h)
    });
    section(
        &mut h,
        "expert",
        "What an experienced practitioner would do",
        false,
        &mut |h| expert_html(v, &mut sources, h),
    );
    section(&mut h, "sources", "Sources", false, &mut |h| {
        h.push_static("<ol class=\"source-list\">");
        for (i, s) in sources.0.iter().enumerate() {
            push_html!(
                h,
                "<li id=\"source-{}\" tabindex=\"-1\">{}</li>",
                i + 1,
                esc(s)
            );
        }
        h.push_static("</ol>");
    });
    h.push_static("</div>");
    h
}

/// The report's sections, by id, in order.
pub const SECTIONS: [&str; 8] = [
    "decisions",
    "marks",
    "chart",
    "grid",
    "timeline",
    "reflections",
    "expert",
    "sources",
];

/// A section of the report: a heading whose button shows or hides the body (the disclosure
/// pattern: the heading stays a heading for screen-reader navigation, which a `<summary>`
/// would hide). Printing shows every body.
fn section(
    h: &mut SafeHtml,
    id: &str,
    title: &str,
    open: bool,
    body: &mut dyn FnMut(&mut SafeHtml),
) {
    push_html!(
        h,
        "<section class=\"report-section\" id=\"section-{}\"><h3 class=\"section-heading\"><button type=\"button\" class=\"section-toggle\" id=\"section-{}-toggle\" {} aria-expanded=\"{}\" aria-controls=\"section-{}-body\">{}</button></h3><div class=\"section-body\" id=\"section-{}-body\"{}>",
        id,
        id,
        UiAction::ToggleSection.attr(),
        open,
        id,
        title,
        id,
        markup(if open { "" } else { " hidden" })
    );
    body(h);
    h.push_static("</div></section>");
}

/// Every decision by number: the step, the choice, its grade and reason, the room's votes, the
/// marks it earned or lost; then the shares made through the form.
fn decisions_html(v: &CaseView, scores: &Scores, sources: &mut Sources, h: &mut SafeHtml) {
    let (s, session) = (v.scenario, v.session);
    h.push_static("<ol class=\"decisions\">");
    for (n, (step, choice)) in (1..).zip(session.run.decisions()) {
        let Some(c) = s.choice(step, choice) else {
            continue;
        };
        let title = s.step(step).map_or_else(String::new, heading);
        let cites: SafeHtml = c.notes.iter().map(|n| sources.cite(n)).collect();
        push_html!(
            h,
            "<li class=\"decision\" id=\"decision-{}\" tabindex=\"-1\" value=\"{}\"><h4>Decision {}: {}</h4><p class=\"decision-choice\">{} {}</p><div class=\"prose reason\">{}</div><p class=\"cites\">{}</p>{}",
            n,
            n,
            n,
            esc(&title),
            esc(&c.label),
            grade_badge(c.grade),
            c.feedback,
            cites,
            room_votes(v, n, step, choice)
        );
        let marks = decision_marks(v, scores, n, &mut |source| sources.cite(source));
        crate::html::items(h, "rubric-marks", marks);
        h.push_static("</li>");
    }
    h.push_static("</ol>");
    let shares: Vec<SafeHtml> = session
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Share(share) => Some(html!(
                "With {} ({}; {}): {}",
                v.service(&share.to),
                share.basis.label(),
                if share.parent_told {
                    "parent told"
                } else {
                    "parent not told"
                },
                share
                    .facts
                    .iter()
                    .map(|f| v.fact(f))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Action::Choose { .. } => None,
        })
        .collect();
    if !shares.is_empty() {
        h.push_static("<h4>Information you shared</h4>");
        crate::html::items(h, "shares", shares);
    }
}

fn room_votes(v: &CaseView, n: u32, step: &str, choice: &str) -> SafeHtml {
    let Some(vote) = v.session.votes_for(n) else {
        return SafeHtml::default();
    };
    let total: u32 = vote.counts.iter().map(|(_, c)| c).sum();
    let this = vote
        .counts
        .iter()
        .find(|(id, _)| id == choice)
        .map_or(0, |(_, c)| *c);
    let all = vote
        .counts
        .iter()
        .map(|(id, c)| format!("{}: {c}", v.choice_label(step, id)))
        .collect::<Vec<_>>()
        .join("; ");
    html!(
        "<p class=\"room-votes\">The room: {} of {} voted for this. All votes: {}.</p>",
        this,
        total,
        all
    )
}

/// A link from a mark to its decision. A button, not an anchor: the address hash holds the route.
fn to_decision(n: u32) -> SafeHtml {
    html!(
        "<button type=\"button\" class=\"link\" {} data-decision=\"{}\">decision {}</button>",
        UiAction::ShowDecision.attr(),
        n,
        n
    )
}

fn marks_html(v: &CaseView, scores: &Scores, sources: &mut Sources, h: &mut SafeHtml) {
    h.push_static("<p class=\"hint\">Each score is out of the most this case allowed, on your path or an experienced practitioner's with the same seed.</p><ul class=\"scores\">");
    for d in &scores.dimensions {
        push_html!(
            h,
            "<li><strong>{}: {}% ({} of {} points)</strong><ul>",
            esc(rubric_name(v, &d.rubric)),
            d.percent(),
            d.points(),
            d.achievable
        );
        for m in &d.marks {
            let (item, source, good) = v
                .rubrics
                .item(&m.item)
                .map_or((m.item.as_str(), "", ""), |(_, i)| {
                    (i.name.as_str(), i.source.as_str(), i.good.as_str())
                });
            let sign = match m.points {
                p if p > 0 => html!("<span aria-hidden=\"true\">✓</span> earned {}", p),
                0 => markup("<span aria-hidden=\"true\">○</span> no points"),
                p => html!("<span aria-hidden=\"true\">✗</span> lost {}", -p),
            };
            let when = if m.turn > 0 {
                html!(", {}", to_decision(m.turn))
            } else {
                SafeHtml::default()
            };
            let good = if m.points <= 0 && !good.is_empty() {
                html!(" <span class=\"good\">Good practice: {}</span>", good)
            } else {
                SafeHtml::default()
            };
            push_html!(
                h,
                "<li>{}: <strong>{}</strong>{}: <span class=\"why\">{}</span>.{}{}</li>",
                sign,
                item,
                when,
                &m.why,
                sources.cite(source),
                good
            );
        }
        h.push_static("</ul></li>");
    }
    h.push_static("</ul>");
}

fn level_cell(v: &CaseView, rank: usize, below: bool, label: &str) -> SafeHtml {
    let levels = &v.area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let marker = if below {
        "<span class=\"below-mark\" aria-hidden=\"true\">↓</span><span class=\"visually-hidden\"> below the full picture</span>"
    } else {
        ""
    };
    html!(
        "<td class=\"level-cell level-{}{}\" data-label=\"{}\"><span class=\"bar\" aria-hidden=\"true\"></span><span class=\"level-short\">{}</span>{}<span class=\"visually-hidden\"> {}</span></td>",
        rank,
        if below { " below" } else { "" },
        label,
        &level.short,
        markup(marker),
        &level.name
    )
}

fn chart_html(v: &CaseView, h: &mut SafeHtml) {
    if v.area.framework.no_fixed_levels {
        h.push_static("<p>This area uses no fixed levels, so there is no level chart. The timeline and who knew what, when, show how the picture grew.</p>");
        return;
    }
    let s = v.scenario;
    let rows = levels_by_turn(v.area, s, &v.session.run);
    let key: Vec<String> = v
        .area
        .framework
        .levels
        .iter()
        .map(|l| format!("{} {}", l.short, l.name))
        .collect();
    push_html!(
        h,
        "<p class=\"hint\">Bars and numbers show each level ({}). ↓ marks a service below the full picture: a weak link in the chain.</p>",
        esc(&key.join(", "))
    );
    let turn_label = |turn: usize| {
        if turn == 0 {
            "Start".to_string()
        } else {
            format!("Decision {turn}")
        }
    };
    let short = |turn: usize| {
        if turn == 0 {
            "Start".to_string()
        } else {
            turn.to_string()
        }
    };
    h.push_static("<div class=\"table-scroll\" role=\"region\" aria-label=\"Each service's level at each decision\" tabindex=\"0\"><table class=\"level-chart\"><thead><tr><th scope=\"col\">Service</th>");
    for turn in 0..rows.len() {
        push_html!(
            h,
            "<th scope=\"col\"><span class=\"visually-hidden\">{}</span><span aria-hidden=\"true\">{}</span></th>",
            turn_label(turn),
            short(turn)
        );
    }
    h.push_static("</tr></thead><tbody><tr class=\"full-row\"><th scope=\"row\">Full picture</th>");
    for (turn, (full, _)) in rows.iter().enumerate() {
        h.push(&level_cell(v, *full, false, &short(turn)));
    }
    h.push_static("</tr>");
    for (i, svc) in s.services.iter().enumerate() {
        push_html!(
            h,
            "<tr data-service=\"{}\"><th scope=\"row\">{}</th>",
            esc(&svc.id),
            esc(&svc.name)
        );
        for (turn, (full, ranks)) in rows.iter().enumerate() {
            let rank = ranks.get(i).copied().unwrap_or(0);
            h.push(&level_cell(v, rank, rank < *full, &short(turn)));
        }
        h.push_static("</tr>");
    }
    h.push_static("</tbody></table></div>");
}

fn grid_html(v: &CaseView, h: &mut SafeHtml) {
    let (s, run) = (v.scenario, &v.session.run);
    h.push_static("<p class=\"hint\">How each service came to know each fact: from the start, found out, or told by another service, and at which decision. A dash: it never knew.</p><div class=\"table-scroll\" role=\"region\" aria-label=\"Who knew what, when\" tabindex=\"0\"><table class=\"knowledge-grid\"><thead><tr><th scope=\"col\">Fact</th>");
    for svc in &s.services {
        push_html!(h, "<th scope=\"col\">{}</th>", esc(&svc.name));
    }
    h.push_static("</tr></thead><tbody>");
    for fact in s
        .facts
        .iter()
        .filter(|f| run.knowledge().values().any(|k| k.contains_key(&f.id)))
    {
        push_html!(
            h,
            "<tr data-fact=\"{}\"><th scope=\"row\">{}</th>",
            esc(&fact.id),
            esc(&fact.label)
        );
        for svc in &s.services {
            let label = esc(&svc.name);
            match run.knowledge().get(&svc.id).and_then(|k| k.get(&fact.id)) {
                None => {
                    push_html!(h, "<td class=\"unknown\" data-label=\"{}\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">did not know</span></td>", label);
                }
                Some(k) => {
                    let how = match &k.source {
                        Source::AtStart => "start".to_string(),
                        Source::Discovered => format!("found, {}", k.since),
                        Source::SharedBy { service } => {
                            format!("told by {}, {}", v.service(service), k.since)
                        }
                    };
                    push_html!(
                        h,
                        "<td class=\"known\" data-label=\"{}\">{}</td>",
                        label,
                        how
                    );
                }
            }
        }
        h.push_static("</tr>");
    }
    h.push_static("</tbody></table></div>");
}

fn timeline_html(v: &CaseView, h: &mut SafeHtml) {
    let s = v.scenario;
    h.push_static("<ol class=\"timeline\">");
    for entry in v.session.run.log() {
        let line = match entry {
            LogEntry::Chose { turn, step, choice } => {
                let grade = s
                    .choice(step, choice)
                    .map(|c| c.grade.label())
                    .unwrap_or_default();
                html!(
                    "<strong>Decision {}:</strong> {} <span class=\"grade-text\">({})</span>",
                    turn,
                    v.choice_label(step, choice),
                    grade
                )
            }
            LogEntry::EventHappened { step, event, .. } => {
                let text = s
                    .step(step)
                    .and_then(|st| st.events().iter().find(|e| &e.id == event))
                    .map(|e| strip_tags(e.text.text()))
                    .unwrap_or_default();
                html!("<strong>Something happened:</strong> {}", esc(&text))
            }
            LogEntry::Shared {
                fact,
                from,
                to,
                basis,
                ..
            } => html!(
                "{} told {}: {} <span class=\"basis\">({})</span>",
                esc(&v.service(from)),
                esc(&v.service(to)),
                esc(&v.fact(fact)),
                basis.map_or("", Basis::label)
            ),
            LogEntry::Revealed { fact, service, .. } => html!(
                "{} found out: {}",
                esc(&v.service(service)),
                esc(&v.fact(fact))
            ),
            LogEntry::Ended { ending, .. } => html!(
                "<strong>Ending:</strong> {}",
                esc(s.step(ending).map_or("", |st| st.title.as_str()))
            ),
            _ => continue,
        };
        push_html!(h, "<li>{}</li>", line);
    }
    h.push_static("</ol>");
}

/// The reflections written during the case, under the steps they were written at (the one on
/// the case is with its box, above: see `case::reflection_html`).
fn reflections_html(v: &CaseView, h: &mut SafeHtml) {
    let (s, session) = (v.scenario, v.session);
    let ending_turn = session.run.turn();
    let mut any = false;
    for r in session
        .reflections
        .iter()
        .filter(|r| r.decision < ending_turn)
    {
        any = true;
        let at = s
            .step(&r.step)
            .map_or_else(|| r.step.clone(), |st| st.title.clone());
        let when = if r.decision == 0 {
            "before your first decision".to_string()
        } else {
            format!("after decision {}", r.decision)
        };
        push_html!(
            h,
            "<h4>{} ({})</h4><p class=\"reflection-text\">{}</p>",
            &at,
            when,
            &r.text
        );
    }
    if !any {
        h.push_static("<p>You wrote no reflections during the case.</p>");
    }
}

/// The expert path by decision number, each beside what the trainee chose at that step.
fn expert_html(v: &CaseView, sources: &mut Sources, h: &mut SafeHtml) {
    let s = v.scenario;
    let made = v.session.run.decisions();
    h.push_static("<p class=\"hint\">The best-judged choice at each step, played with the same seed, and why.</p><ol class=\"expert\">");
    for (n, (step_id, choice_id)) in (1..).zip(expert_path(s, v.session.run.seed())) {
        let Some(step) = s.step(&step_id) else {
            continue;
        };
        let Some(choice) = step.choices().iter().find(|c| c.id == choice_id) else {
            continue;
        };
        let yours = (1..)
            .zip(&made)
            .find(|(_, (st, _))| *st == step_id)
            .map(|(k, (_, c))| {
                if *c == choice_id {
                    html!(
                        " <span class=\"same-note\">(your choice too, at decision {})</span>",
                        k
                    )
                } else {
                    html!(
                        " <span class=\"yours\">(you chose: {}, at decision {})</span>",
                        v.choice_label(&step_id, c),
                        k
                    )
                }
            })
            .unwrap_or_default();
        // Where the trainee chose the same, its reason is already under their decision.
        let same = made.iter().any(|(st, c)| *st == step_id && *c == choice_id);
        let reason = if same {
            SafeHtml::default()
        } else {
            let cites: SafeHtml = choice.notes.iter().map(|x| sources.cite(x)).collect();
            html!(
                "<div class=\"prose\">{}</div><p class=\"cites\">{}</p>",
                choice.feedback,
                cites
            )
        };
        push_html!(
            h,
            "<li value=\"{}\"><strong>Decision {}, {}:</strong> {}{}{}</li>",
            n,
            n,
            heading(step),
            &choice.label,
            yours,
            reason
        );
    }
    h.push_static("</ol>");
}
