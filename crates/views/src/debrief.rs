//! The debrief at the end of a case, which is also the printed record. It reads as a report:
//! a summary first (who, which case and run, the scores, where the threshold was met and where
//! the trainee acted, the biggest miss, and what to do with the record), then sections that can
//! be opened: every decision with its grade and reason, the scores mark by mark, each
//! service's level at each decision, who knew what and when, the timeline, the reflections, an
//! experienced practitioner's path by decision number, and the sources, each listed once.

use std::fmt::Write;

use thresholds_core::engine::{LogEntry, Source};
use thresholds_core::model::{Basis, Grade};
use thresholds_core::score::{expert_path, levels_by_turn, Scores};
use thresholds_core::Action;

use crate::case::{grade_badge, heading, CaseView};
use crate::feedback::decision_marks;
use crate::html::{decision_count, esc, strip_tags, uk_date};
use crate::ui::UiAction;

/// Sources cited across the report, each listed once and referred to by number.
#[derive(Default)]
struct Sources(Vec<String>);

impl Sources {
    /// A reference to `source`, as "[n]" linked to its entry in the list.
    fn cite(&mut self, source: &str) -> String {
        if source.is_empty() {
            return String::new();
        }
        let n = match self.0.iter().position(|s| s == source) {
            Some(i) => i + 1,
            None => {
                self.0.push(source.to_string());
                self.0.len()
            }
        };
        format!(" <a class=\"cite\" href=\"#source-{n}\" aria-label=\"source {n}\">[{n}]</a>")
    }
}

/// The summary at the top of the debrief, with the name for the printed record (kept on this
/// device only) and what to do with the record.
pub fn debrief_summary_html(v: &CaseView, name: &str) -> String {
    if !v.session.run.is_ended(v.scenario) {
        return String::new();
    }
    let scores = v.scores();
    let mut h = String::from("<section class=\"debrief-summary\" aria-labelledby=\"debrief-heading\"><h2 id=\"debrief-heading\">Your record of this case</h2>");
    record_meta_html(v, name, &mut h);
    h.push_str("<h3>At a glance</h3><table class=\"glance\"><caption class=\"visually-hidden\">Scores</caption><tbody>");
    for d in &scores.dimensions {
        let figure = if d.achievable > 0 {
            format!(
                "<strong>{}%</strong> ({} of {} points)",
                d.percent(),
                d.points(),
                d.achievable
            )
        } else {
            "not applicable on this path".to_string()
        };
        let _ = write!(
            h,
            "<tr class=\"score\" data-rubric=\"{}\" data-percent=\"{}\" data-achievable=\"{}\"><th scope=\"row\">{}</th><td>{figure}</td></tr>",
            esc(&d.rubric),
            d.percent(),
            d.achievable,
            esc(rubric_name(v, &d.rubric))
        );
    }
    h.push_str("</tbody></table>");
    let _ = write!(
        h,
        "<p data-testid=\"tally\">{}</p><p class=\"timeliness\"><strong>When you acted:</strong> {}</p><p class=\"biggest-miss\"><strong>The biggest miss:</strong> {}</p>",
        tally(v),
        esc(&timeliness_line(&scores)),
        biggest_miss(v, &scores)
    );
    let _ = write!(
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

fn record_meta_html(v: &CaseView, name: &str, h: &mut String) {
    let (s, session) = (v.scenario, v.session);
    let _ = write!(
        h,
        "<p class=\"no-print name-field\"><label for=\"learner-name\">Your name, for the printed record (kept on this device only)</label><input id=\"learner-name\" autocomplete=\"name\" value=\"{}\"></p><dl class=\"record-meta\" data-testid=\"record-meta\"><div class=\"print-only\"><dt>Name</dt><dd id=\"name-print\">{}</dd></div><div><dt>Case</dt><dd>{}, version {}</dd></div><div><dt>Mode</dt><dd>{}</dd></div><div><dt>Seed</dt><dd>{}</dd></div><div><dt>Started</dt><dd>{}</dd></div><div><dt>Decisions</dt><dd>{}</dd></div><div><dt>Law and guidance</dt><dd>{}</dd></div></dl>",
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
        esc(&s.nation)
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
fn biggest_miss(v: &CaseView, scores: &Scores) -> String {
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
            format!(" at decision {}", m.turn)
        } else {
            String::new()
        };
        return format!(
            "{}{when} ({}). {}",
            esc(name),
            esc(&m.why),
            if good.is_empty() {
                String::new()
            } else {
                format!("Good practice: {}", esc(good))
            }
        );
    }
    let poor = (1..).zip(v.session.run.decisions()).find(|(_, (st, c))| {
        v.scenario
            .choice(st, c)
            .is_some_and(|c| c.grade == Grade::Poor)
    });
    match poor {
        Some((n, (st, c))) => format!(
            "decision {n}, {} (poor practice).",
            esc(&v.choice_label(st, c))
        ),
        None => "none on this path: no mark was lost.".to_string(),
    }
}

/// The debrief's sections, each one that can be opened (all open when printed).
pub fn debrief_html(v: &CaseView) -> String {
    if !v.session.run.is_ended(v.scenario) {
        return String::new();
    }
    let scores = v.scores();
    let mut sources = Sources::default();
    let mut h = String::from("<div class=\"debrief\">");
    section(
        &mut h,
        "decisions",
        "Your decisions, with the reasons",
        true,
        |h| decisions_html(v, &scores, &mut sources, h),
    );
    section(&mut h, "marks", "Your scores, mark by mark", false, |h| {
        marks_html(v, &scores, &mut sources, h)
    });
    section(
        &mut h,
        "chart",
        "Each service's level at each decision",
        false,
        |h| chart_html(v, h),
    );
    section(&mut h, "grid", "Who knew what, when", false, |h| {
        grid_html(v, h)
    });
    section(&mut h, "timeline", "Timeline", false, |h| {
        timeline_html(v, h)
    });
    section(&mut h, "reflections", "Your reflections", true, |h| {
        reflections_html(v, h)
    });
    section(
        &mut h,
        "expert",
        "What an experienced practitioner would do",
        false,
        |h| expert_html(v, &mut sources, h),
    );
    section(&mut h, "sources", "Sources", false, |h| {
        h.push_str("<ol class=\"source-list\">");
        for (i, s) in sources.0.iter().enumerate() {
            let _ = write!(h, "<li id=\"source-{}\">{}</li>", i + 1, esc(s));
        }
        h.push_str("</ol>");
    });
    h.push_str("</div>");
    h
}

fn section(h: &mut String, id: &str, title: &str, open: bool, body: impl FnOnce(&mut String)) {
    let _ = write!(
        h,
        "<details class=\"report-section\" id=\"section-{id}\"{}><summary><h3>{title}</h3></summary>",
        if open { " open" } else { "" }
    );
    body(h);
    h.push_str("</details>");
}

/// Every decision by number: the step, the choice, its grade and reason, the room's votes, the
/// marks it earned or lost; then the shares made through the form.
fn decisions_html(v: &CaseView, scores: &Scores, sources: &mut Sources, h: &mut String) {
    let (s, session) = (v.scenario, v.session);
    h.push_str("<ol class=\"decisions\">");
    for (n, (step, choice)) in (1..).zip(session.run.decisions()) {
        let Some(c) = s.choice(step, choice) else {
            continue;
        };
        let title = s.step(step).map_or_else(String::new, heading);
        let cites: String = c.notes.iter().map(|n| sources.cite(n)).collect();
        let _ = write!(
            h,
            "<li class=\"decision\" id=\"decision-{n}\" tabindex=\"-1\" value=\"{n}\"><h4>Decision {n}: {}</h4><p class=\"decision-choice\">{} {}</p><div class=\"prose reason\">{}</div><p class=\"cites\">{cites}</p>{}",
            esc(&title),
            esc(&c.label),
            grade_badge(c.grade),
            c.feedback,
            room_votes(v, n, step, choice)
        );
        let marks = decision_marks(v, scores, n, &mut |source| sources.cite(source));
        crate::html::items(h, "rubric-marks", marks);
        h.push_str("</li>");
    }
    h.push_str("</ol>");
    let shares: Vec<String> = session
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Share(share) => Some(format!(
                "With {} ({}; {}): {}",
                esc(&v.service(&share.to)),
                share.basis.label(),
                if share.parent_told {
                    "parent told"
                } else {
                    "parent not told"
                },
                esc(&share
                    .facts
                    .iter()
                    .map(|f| v.fact(f))
                    .collect::<Vec<_>>()
                    .join("; "))
            )),
            Action::Choose { .. } => None,
        })
        .collect();
    if !shares.is_empty() {
        h.push_str("<h4>Information you shared</h4>");
        crate::html::items(h, "shares", shares);
    }
}

fn room_votes(v: &CaseView, n: u32, step: &str, choice: &str) -> String {
    let Some(vote) = v.session.votes_for(n) else {
        return String::new();
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
    format!(
        "<p class=\"room-votes\">The room: {this} of {total} voted for this. All votes: {}.</p>",
        esc(&all)
    )
}

/// A link from a mark to its decision. A button, not an anchor: the address hash holds the route.
fn to_decision(n: u32) -> String {
    format!(
        "<button type=\"button\" class=\"link\" {} data-decision=\"{n}\">decision {n}</button>",
        UiAction::ShowDecision.attr()
    )
}

fn marks_html(v: &CaseView, scores: &Scores, sources: &mut Sources, h: &mut String) {
    h.push_str("<p class=\"hint\">Each score is out of the most this case allowed, on your path or an experienced practitioner's with the same seed.</p><ul class=\"scores\">");
    for d in &scores.dimensions {
        let _ = write!(
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
                p if p > 0 => format!("<span aria-hidden=\"true\">✓</span> earned {p}"),
                0 => "<span aria-hidden=\"true\">○</span> no points".to_string(),
                p => format!("<span aria-hidden=\"true\">✗</span> lost {}", -p),
            };
            let when = if m.turn > 0 {
                format!(", {}", to_decision(m.turn))
            } else {
                String::new()
            };
            let good = if m.points <= 0 && !good.is_empty() {
                format!(" <span class=\"good\">Good practice: {}</span>", esc(good))
            } else {
                String::new()
            };
            let _ = write!(
                h,
                "<li>{sign}: <strong>{}</strong>{when}: <span class=\"why\">{}</span>.{}{good}</li>",
                esc(item),
                esc(&m.why),
                sources.cite(source)
            );
        }
        h.push_str("</ul></li>");
    }
    h.push_str("</ul>");
}

fn level_cell(v: &CaseView, rank: usize, below: bool, label: &str) -> String {
    let levels = &v.area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let marker = if below {
        "<span class=\"below-mark\" aria-hidden=\"true\">↓</span><span class=\"visually-hidden\"> below the full picture</span>"
    } else {
        ""
    };
    format!(
        "<td class=\"level-cell level-{rank}{}\" data-label=\"{}\"><span class=\"bar\" aria-hidden=\"true\"></span><span class=\"level-short\">{}</span>{marker}<span class=\"visually-hidden\"> {}</span></td>",
        if below { " below" } else { "" },
        esc(label),
        esc(&level.short),
        esc(&level.name)
    )
}

fn chart_html(v: &CaseView, h: &mut String) {
    let s = v.scenario;
    let rows = levels_by_turn(v.area, s, &v.session.run);
    let key: Vec<String> = v
        .area
        .framework
        .levels
        .iter()
        .map(|l| format!("{} {}", l.short, l.name))
        .collect();
    let _ = write!(
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
    h.push_str("<div class=\"table-scroll\" role=\"region\" aria-label=\"Each service's level at each decision\" tabindex=\"0\"><table class=\"level-chart\"><thead><tr><th scope=\"col\">Service</th>");
    for turn in 0..rows.len() {
        let _ = write!(
            h,
            "<th scope=\"col\"><span class=\"visually-hidden\">{}</span><span aria-hidden=\"true\">{}</span></th>",
            turn_label(turn),
            short(turn)
        );
    }
    h.push_str("</tr></thead><tbody><tr class=\"full-row\"><th scope=\"row\">Full picture</th>");
    for (turn, (full, _)) in rows.iter().enumerate() {
        h.push_str(&level_cell(v, *full, false, &short(turn)));
    }
    h.push_str("</tr>");
    for (i, svc) in s.services.iter().enumerate() {
        let _ = write!(
            h,
            "<tr data-service=\"{}\"><th scope=\"row\">{}</th>",
            esc(&svc.id),
            esc(&svc.name)
        );
        for (turn, (full, ranks)) in rows.iter().enumerate() {
            let rank = ranks.get(i).copied().unwrap_or(0);
            h.push_str(&level_cell(v, rank, rank < *full, &short(turn)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn grid_html(v: &CaseView, h: &mut String) {
    let (s, run) = (v.scenario, &v.session.run);
    h.push_str("<p class=\"hint\">How each service came to know each fact: from the start, found out, or told by another service, and at which decision. A dash: it never knew.</p><div class=\"table-scroll\" role=\"region\" aria-label=\"Who knew what, when\" tabindex=\"0\"><table class=\"knowledge-grid\"><thead><tr><th scope=\"col\">Fact</th>");
    for svc in &s.services {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&svc.name));
    }
    h.push_str("</tr></thead><tbody>");
    for fact in s
        .facts
        .iter()
        .filter(|f| run.knowledge().values().any(|k| k.contains_key(&f.id)))
    {
        let _ = write!(
            h,
            "<tr data-fact=\"{}\"><th scope=\"row\">{}</th>",
            esc(&fact.id),
            esc(&fact.label)
        );
        for svc in &s.services {
            let label = esc(&svc.name);
            match run.knowledge().get(&svc.id).and_then(|k| k.get(&fact.id)) {
                None => {
                    let _ = write!(h, "<td class=\"unknown\" data-label=\"{label}\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">did not know</span></td>");
                }
                Some(k) => {
                    let how = match &k.source {
                        Source::AtStart => "start".to_string(),
                        Source::Discovered => format!("found, {}", k.since),
                        Source::SharedBy { service } => {
                            format!("told by {}, {}", esc(&v.service(service)), k.since)
                        }
                    };
                    let _ = write!(h, "<td class=\"known\" data-label=\"{label}\">{how}</td>");
                }
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn timeline_html(v: &CaseView, h: &mut String) {
    let s = v.scenario;
    h.push_str("<ol class=\"timeline\">");
    for entry in v.session.run.log() {
        let line = match entry {
            LogEntry::Chose { turn, step, choice } => {
                let grade = s
                    .choice(step, choice)
                    .map(|c| c.grade.label())
                    .unwrap_or_default();
                format!(
                    "<strong>Decision {turn}:</strong> {} <span class=\"grade-text\">({grade})</span>",
                    esc(&v.choice_label(step, choice))
                )
            }
            LogEntry::EventHappened { step, event, .. } => {
                let text = s
                    .step(step)
                    .and_then(|st| st.events().iter().find(|e| &e.id == event))
                    .map(|e| strip_tags(&e.text))
                    .unwrap_or_default();
                format!("<strong>Something happened:</strong> {}", esc(&text))
            }
            LogEntry::Shared {
                fact,
                from,
                to,
                basis,
                ..
            } => format!(
                "{} told {}: {} <span class=\"basis\">({})</span>",
                esc(&v.service(from)),
                esc(&v.service(to)),
                esc(&v.fact(fact)),
                basis.map_or("", Basis::label)
            ),
            LogEntry::Revealed { fact, service, .. } => format!(
                "{} found out: {}",
                esc(&v.service(service)),
                esc(&v.fact(fact))
            ),
            LogEntry::Ended { ending, .. } => format!(
                "<strong>Ending:</strong> {}",
                esc(s.step(ending).map_or("", |st| st.title.as_str()))
            ),
            _ => continue,
        };
        let _ = write!(h, "<li>{line}</li>");
    }
    h.push_str("</ol>");
}

/// The reflections written during the case, under the steps they were written at (the one on
/// the case is with its box, above: see `case::reflection_html`).
fn reflections_html(v: &CaseView, h: &mut String) {
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
        let _ = write!(
            h,
            "<h4>{} ({when})</h4><p class=\"reflection-text\">{}</p>",
            esc(&at),
            esc(&r.text)
        );
    }
    if !any {
        h.push_str("<p>You wrote no reflections during the case.</p>");
    }
}

/// The expert path by decision number, each beside what the trainee chose at that step.
fn expert_html(v: &CaseView, sources: &mut Sources, h: &mut String) {
    let s = v.scenario;
    let made = v.session.run.decisions();
    h.push_str("<p class=\"hint\">The best-judged choice at each step, played with the same seed, and why.</p><ol class=\"expert\">");
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
                    format!(" <span class=\"same-note\">(your choice too, at decision {k})</span>")
                } else {
                    format!(
                        " <span class=\"yours\">(you chose: {}, at decision {k})</span>",
                        esc(&v.choice_label(&step_id, c))
                    )
                }
            })
            .unwrap_or_default();
        // Where the trainee chose the same, its reason is already under their decision.
        let same = made.iter().any(|(st, c)| *st == step_id && *c == choice_id);
        let reason = if same {
            String::new()
        } else {
            let cites: String = choice.notes.iter().map(|x| sources.cite(x)).collect();
            format!(
                "<div class=\"prose\">{}</div><p class=\"cites\">{cites}</p>",
                choice.feedback
            )
        };
        let _ = write!(
            h,
            "<li value=\"{n}\"><strong>Decision {n}, {}:</strong> {}{yours}{reason}</li>",
            esc(&heading(step)),
            esc(&choice.label)
        );
    }
    h.push_str("</ol>");
}
