//! The debrief at the end of a case, which is also the printed record: scores with the marks
//! behind them (each linked to its decision in the timeline), the decisions with the room's
//! votes, each service's level at each decision against the full picture, who knew what and
//! when, the timeline, the trainee's reflections, and an experienced practitioner's path.

use std::fmt::Write;

use thresholds_core::engine::{LogEntry, Source};
use thresholds_core::model::{Basis, Grade};
use thresholds_core::score::{expert_path, levels_by_turn, Scores};

use crate::case::{grade_badge, CaseView};
use crate::html::{decision_count, esc, strip_tags};

pub fn debrief_html(v: &CaseView) -> String {
    let scores = v.scores();
    let (s, session) = (v.scenario, v.session);
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"debrief\" aria-labelledby=\"debrief-heading\"><h2 id=\"debrief-heading\">Debrief</h2><p class=\"record-meta\" data-testid=\"record-meta\">{} · version {} · {} · seed {} · started {} · {} · law and guidance: {}</p>",
        esc(&s.title),
        s.version,
        esc(session.mode.label()),
        session.run.seed,
        esc(if session.started.is_empty() { "not recorded" } else { &session.started }),
        decision_count(session.run.turn),
        esc(&s.nation)
    );
    scores_html(v, &scores, &mut h);
    decisions_html(v, &mut h);
    chart_html(v, &mut h);
    // The grid and the timeline are for the screen; the printed record keeps to one or two
    // pages (the decisions, shares, scores, chart, reflections and expert path).
    h.push_str("<div class=\"no-print\">");
    grid_html(v, &mut h);
    timeline_html(v, &mut h);
    h.push_str("</div>");
    reflections_html(v, &mut h);
    expert_html(v, &mut h);
    h.push_str("</section>");
    h
}

/// A link from a mark to its decision in the timeline. A button, not an anchor: the address
/// hash holds the route.
fn to_decision(n: u32) -> String {
    format!("<button type=\"button\" class=\"link\" data-action=\"show-decision\" data-decision=\"{n}\">decision {n}</button>")
}

fn scores_html(v: &CaseView, scores: &Scores, h: &mut String) {
    h.push_str("<h3>Scores</h3><p class=\"hint\">Each score is out of the most this case allowed, on your path or an experienced practitioner's; the points are shown beside it.</p><ul class=\"scores\">");
    for d in &scores.dimensions {
        let name = v
            .rubrics
            .rubrics
            .iter()
            .find(|r| r.id == d.rubric)
            .map_or(d.rubric.as_str(), |r| r.name.as_str());
        let figure = if d.achievable > 0 {
            format!(
                "{}% ({} of {} points)",
                d.percent(),
                d.points(),
                d.achievable
            )
        } else {
            "not applicable on this path".to_string()
        };
        let _ = write!(
            h,
            "<li class=\"score\" data-rubric=\"{}\" data-percent=\"{}\" data-achievable=\"{}\"><strong>{}: {}</strong><ul>",
            esc(&d.rubric),
            d.percent(),
            d.achievable,
            esc(name),
            figure
        );
        for m in &d.marks {
            let (item, source, good) = v
                .rubrics
                .item(&m.item)
                .map_or((m.item.as_str(), "", ""), |(_, i)| {
                    (i.name.as_str(), i.source.as_str(), i.good.as_str())
                });
            // Where a mark fell short, say what good practice looks like.
            let good = if m.points <= 0 && !good.is_empty() {
                format!(" <span class=\"good\">Good practice: {}</span>", esc(good))
            } else {
                String::new()
            };
            let sign = match m.points {
                p if p > 0 => format!("<span aria-hidden=\"true\">✓</span> +{p}"),
                0 => "<span aria-hidden=\"true\">○</span> 0".to_string(),
                p => format!("<span aria-hidden=\"true\">✗</span> {p}"),
            };
            // A tag's decision is listed under "Your decisions"; the link is enough here.
            let when = match &m.decision {
                Some(_) => to_decision(m.turn),
                None if m.turn > 0 => format!(
                    "{}<span class=\"why\">: {}</span>",
                    to_decision(m.turn),
                    esc(&m.why)
                ),
                None => format!("<span class=\"why\">{}</span>", esc(&m.why)),
            };
            let why = match &m.decision {
                Some(_) if m.item == "finds-out" => {
                    format!(" <span class=\"why\">({})</span>", esc(&m.why))
                }
                _ => String::new(),
            };
            let _ = write!(
                h,
                "<li>{sign} <strong>{}</strong>, {when}{why}.{good} <span class=\"source\">Source: {}</span></li>",
                esc(item),
                esc(source)
            );
        }
        h.push_str("</ul></li>");
    }
    h.push_str("</ul>");
    let t = &scores.timeliness;
    let line = match (t.threshold_met_at, t.referred_at) {
        (Some(m), Some(r)) => format!(
            "Your service held what put it at the referral level at decision {m}; you told children's social care at decision {r}."
        ),
        (Some(m), None) => format!(
            "Your service held what put it at the referral level at decision {m}; children's social care was not told after that."
        ),
        (None, _) => match t.referral_level_at {
            Some(a) => format!("What the services knew between them reached the referral level at decision {a}; your own service never did."),
            None => "What the services knew between them never reached the referral level on this path.".to_string(),
        },
    };
    let _ = write!(
        h,
        "<p class=\"timeliness\"><strong>Timeliness:</strong> {}</p>",
        esc(&line)
    );
}

fn decisions_html(v: &CaseView, h: &mut String) {
    let (s, session) = (v.scenario, v.session);
    let made: Vec<(u32, &str, &str, Grade)> = session
        .run
        .decisions()
        .into_iter()
        .zip(1..)
        .filter_map(|((step, choice), n)| {
            let c = s.choice(step, choice)?;
            Some((n, step, choice, c.grade))
        })
        .collect();
    let count = |g: Grade| made.iter().filter(|d| d.3 == g).count();
    let _ = write!(
        h,
        "<h3>Your decisions</h3><p data-testid=\"tally\">{} good, {} partly good and {} poor decisions out of {}.</p><ol class=\"decisions\">",
        count(Grade::Good),
        count(Grade::Mixed),
        count(Grade::Poor),
        made.len()
    );
    for (n, step, choice, grade) in made {
        let title = s.step(step).map_or("", |st| st.title.as_str());
        let votes = session
            .votes_for(n)
            .map(|vote| {
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
            })
            .unwrap_or_default();
        let _ = write!(
            h,
            "<li><span class=\"decision-step\">{}: </span>{} {}{votes}</li>",
            esc(title),
            esc(&v.choice_label(step, choice)),
            grade_badge(grade)
        );
    }
    h.push_str("</ol>");
    // Shares made through the share form are decisions too.
    let shares: Vec<String> = session
        .actions
        .iter()
        .filter_map(|a| match a {
            thresholds_core::Action::Share {
                facts,
                to,
                basis,
                parent_told,
            } => Some(format!(
                "With {} ({}; {}): {}",
                esc(&v.service(to)),
                basis.label(),
                if *parent_told {
                    "parent told"
                } else {
                    "parent not told"
                },
                esc(&facts
                    .iter()
                    .map(|f| v.fact(f))
                    .collect::<Vec<_>>()
                    .join("; "))
            )),
            thresholds_core::Action::Choose { .. } => None,
        })
        .collect();
    if !shares.is_empty() {
        h.push_str("<h3>Information you shared</h3>");
        crate::html::items(h, "shares", shares);
    }
}

fn level_cell(v: &CaseView, rank: usize, below: bool) -> String {
    let levels = &v.area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let marker = if below {
        "<span class=\"below-mark\" aria-hidden=\"true\">↓</span><span class=\"visually-hidden\"> below the full picture</span>"
    } else {
        ""
    };
    format!(
        "<td class=\"level-cell level-{rank}{}\"><span class=\"bar\" aria-hidden=\"true\"></span><span class=\"level-short\">{}</span>{marker}<span class=\"visually-hidden\"> {}</span></td>",
        if below { " below" } else { "" },
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
        "<h3 id=\"chart-heading\">Each service's level at each decision</h3><p class=\"hint\">Bars and numbers show each level ({}). ↓ marks a service below the full picture: a weak link in the chain.</p>",
        esc(&key.join(", "))
    );
    h.push_str("<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"chart-heading\" tabindex=\"0\"><table class=\"level-chart\"><thead><tr><th scope=\"col\">Service</th>");
    for turn in 0..rows.len() {
        let _ = write!(
            h,
            "<th scope=\"col\">{}</th>",
            if turn == 0 {
                "Start".to_string()
            } else {
                turn.to_string()
            }
        );
    }
    h.push_str("</tr></thead><tbody><tr class=\"full-row\"><th scope=\"row\">Full picture</th>");
    for (full, _) in &rows {
        h.push_str(&level_cell(v, *full, false));
    }
    h.push_str("</tr>");
    for (i, svc) in s.services.iter().enumerate() {
        let _ = write!(
            h,
            "<tr data-service=\"{}\"><th scope=\"row\">{}</th>",
            esc(&svc.id),
            esc(&svc.name)
        );
        for (full, ranks) in &rows {
            let rank = ranks.get(i).copied().unwrap_or(0);
            h.push_str(&level_cell(v, rank, rank < *full));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn grid_html(v: &CaseView, h: &mut String) {
    let (s, run) = (v.scenario, &v.session.run);
    h.push_str("<h3 id=\"grid-heading\">Who knew what, when</h3><div class=\"table-scroll\" role=\"region\" aria-labelledby=\"grid-heading\" tabindex=\"0\"><table class=\"knowledge-grid\"><thead><tr><th scope=\"col\">Fact</th>");
    for svc in &s.services {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&svc.name));
    }
    h.push_str("</tr></thead><tbody>");
    for fact in s
        .facts
        .iter()
        .filter(|f| run.knowledge.values().any(|k| k.contains_key(&f.id)))
    {
        let _ = write!(
            h,
            "<tr data-fact=\"{}\"><th scope=\"row\">{}</th>",
            esc(&fact.id),
            esc(&fact.label)
        );
        for svc in &s.services {
            match run.knowledge.get(&svc.id).and_then(|k| k.get(&fact.id)) {
                None => h.push_str("<td class=\"unknown\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">did not know</span></td>"),
                Some(k) => {
                    let how = match &k.source {
                        Source::AtStart => "from the start".to_string(),
                        Source::Discovered => format!("found out, decision {}", k.since),
                        Source::SharedBy { service } => {
                            format!("told by {}, decision {}", esc(&v.service(service)), k.since)
                        }
                    };
                    let _ = write!(h, "<td class=\"known\">{how}</td>");
                }
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn timeline_html(v: &CaseView, h: &mut String) {
    let s = v.scenario;
    h.push_str("<h3>Timeline</h3><ol class=\"timeline\">");
    for entry in &v.session.run.log {
        let line = match entry {
            LogEntry::Chose { turn, step, choice } => {
                let grade = s
                    .choice(step, choice)
                    .map(|c| c.grade.label())
                    .unwrap_or_default();
                let _ = write!(
                    h,
                    "<li id=\"decision-{turn}\" tabindex=\"-1\"><strong>Decision {turn}:</strong> {} <span class=\"grade-text\">({grade})</span></li>",
                    esc(&v.choice_label(step, choice))
                );
                continue;
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

fn reflections_html(v: &CaseView, h: &mut String) {
    let reflections = &v.session.reflections;
    if reflections.is_empty() {
        return;
    }
    h.push_str("<h3>Your reflections</h3><ul class=\"reflections\">");
    for r in reflections {
        let at = v
            .scenario
            .step(&r.step)
            .map_or_else(|| r.step.clone(), |st| st.title.clone());
        let _ = write!(
            h,
            "<li><strong>{} (after {}):</strong> <span class=\"reflection-text\">{}</span></li>",
            esc(&at),
            decision_count(r.decision),
            esc(&r.text)
        );
    }
    h.push_str("</ul>");
}

fn expert_html(v: &CaseView, h: &mut String) {
    let s = v.scenario;
    let made = v.session.run.decisions();
    h.push_str("<h3>What an experienced practitioner would do</h3><p class=\"hint\">The best-judged choice at each step, played with the same seed, and why. Where you chose the same, it says so; the printed record lists only where you chose differently.</p><ol class=\"expert\">");
    for (step_id, choice_id) in expert_path(s, v.session.run.seed) {
        let Some(step) = s.step(&step_id) else {
            continue;
        };
        let Some(choice) = step.choices().iter().find(|c| c.id == choice_id) else {
            continue;
        };
        let same = made.iter().any(|(st, c)| *st == step_id && *c == choice_id);
        let _ = write!(
            h,
            "<li{}><strong>{}:</strong> {}{}<div class=\"prose\">{}</div></li>",
            if same { " class=\"same\"" } else { "" },
            esc(&step.title),
            esc(&choice.label),
            if same {
                " <span class=\"same-note\">(your choice too)</span>"
            } else {
                ""
            },
            choice.feedback
        );
    }
    h.push_str("</ol>");
}
