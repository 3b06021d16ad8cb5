//! The debrief as documents: HTML for the screen and the printed record, JSON statements and
//! CSV for export. Everything here is computed by the core (`score`, `thresholds`, the run's
//! log); this crate only writes it out. Every piece of case text is escaped, except feedback,
//! which `build.rs` already sanitised from Markdown.
//!
//! Why strings and not Leptos views: the debrief is a read-only document, and the same HTML is
//! the printed record. Generic view code for these tables would cost many kilobytes of the
//! 180 KB first-load budget; string formatting costs a fraction (see ARCHITECTURE.md, "Size").

use std::fmt::Write;

use thresholds_core::area::Area;
use thresholds_core::engine::{LogEntry, Run, Source};
use thresholds_core::model::{Basis, Scenario};
use thresholds_core::score::{expert_path, levels_by_turn, Rubrics, Scores};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Everything the debrief reads.
pub struct Debrief<'a> {
    pub area: &'a Area,
    pub rubrics: &'a Rubrics,
    pub scenario: &'a Scenario,
    pub run: &'a Run,
    pub scores: &'a Scores,
}

impl Debrief<'_> {
    fn choice_label(&self, step: &str, choice: &str) -> String {
        self.scenario
            .step(step)
            .and_then(|s| s.choices().iter().find(|c| c.id == choice))
            .map_or_else(|| choice.to_string(), |c| c.label.clone())
    }

    fn fact(&self, id: &str) -> String {
        self.scenario
            .fact(id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    }

    fn service(&self, id: &str) -> String {
        self.scenario
            .service(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    fn level_cell(&self, rank: usize, below: bool) -> String {
        let levels = &self.area.framework.levels;
        let level = &levels[rank.min(levels.len().saturating_sub(1))];
        let marker = if below {
            "<span aria-hidden=\"true\">↓</span><span class=\"visually-hidden\"> below the full picture</span>"
        } else {
            ""
        };
        format!(
            "<td class=\"level-cell level-{rank}{}\"><span class=\"level-short\">{}</span>{marker}<span class=\"visually-hidden\"> {}</span></td>",
            if below { " below" } else { "" },
            esc(&level.short),
            esc(&level.name)
        )
    }

    /// The debrief section shown under the ending, and printed.
    pub fn html(&self) -> String {
        let mut h = String::new();
        let _ = write!(h, "<section class=\"debrief\" aria-labelledby=\"debrief-heading\"><h2 id=\"debrief-heading\">Debrief</h2>");
        let _ = write!(
            h,
            "<p class=\"record-meta\">{} · version {} · seed {} · {} decisions · law and guidance: {}</p>",
            esc(&self.scenario.title),
            self.scenario.version,
            self.run.seed,
            self.run.turn,
            esc(&self.scenario.nation)
        );
        self.scores_html(&mut h);
        self.chart_html(&mut h);
        self.grid_html(&mut h);
        self.timeline_html(&mut h);
        self.expert_html(&mut h);
        h.push_str("</section>");
        h
    }

    fn scores_html(&self, h: &mut String) {
        h.push_str("<h3>Scores</h3><ul class=\"scores\">");
        for d in &self.scores.dimensions {
            let name = self
                .rubrics
                .rubrics
                .iter()
                .find(|r| r.id == d.rubric)
                .map_or(d.rubric.as_str(), |r| r.name.as_str());
            let figure = if d.achievable > 0 {
                format!("{}% ({} of {} points)", d.percent(), d.earned, d.achievable)
            } else {
                "not applicable on this path".to_string()
            };
            let _ = write!(h, "<li class=\"score\" data-rubric=\"{}\" data-percent=\"{}\"><strong>{}: {}</strong><ul>", esc(&d.rubric), d.percent(), esc(name), figure);
            for m in &d.marks {
                let (item, source) = self
                    .rubrics
                    .item(&m.item)
                    .map_or((m.item.clone(), String::new()), |(_, i)| {
                        (i.name.clone(), i.source.clone())
                    });
                let sign = match m.points {
                    p if p > 0 => format!("<span aria-hidden=\"true\">✓</span> +{p}"),
                    0 => "<span aria-hidden=\"true\">○</span> 0".to_string(),
                    p => format!("<span aria-hidden=\"true\">✗</span> {p}"),
                };
                let when = match &m.decision {
                    Some((step, choice)) => format!(
                        "decision {}: {}",
                        m.turn,
                        esc(&self.choice_label(step, choice))
                    ),
                    None => esc(&m.why),
                };
                let _ = write!(h, "<li>{sign} <strong>{}</strong>, {when}. <span class=\"source\">Source: {}</span></li>", esc(&item), esc(&source));
            }
            h.push_str("</ul></li>");
        }
        h.push_str("</ul>");
        let t = &self.scores.timeliness;
        let line = match (t.referral_level_at, t.front_door_at) {
            (Some(a), Some(b)) => format!("The full picture reached the referral level at decision {a}; children's social care reached it at decision {b}, {} later.", plural(b.saturating_sub(a))),
            (Some(a), None) => format!("The full picture reached the referral level at decision {a}; children's social care never did."),
            _ => "The full picture never reached the referral level on this path.".to_string(),
        };
        let _ = write!(
            h,
            "<p class=\"timeliness\"><strong>Timeliness:</strong> {}</p>",
            esc(&line)
        );
    }

    fn chart_html(&self, h: &mut String) {
        let rows = levels_by_turn(self.area, self.scenario, self.run);
        h.push_str("<h3 id=\"chart-heading\">Each service's level at each decision</h3>");
        h.push_str("<p class=\"hint\">Each cell shows the level's number; ↓ marks a service below the full picture: the weakest link.</p>");
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
        h.push_str(
            "</tr></thead><tbody><tr class=\"full-row\"><th scope=\"row\">Full picture</th>",
        );
        for (full, _) in &rows {
            h.push_str(&self.level_cell(*full, false));
        }
        h.push_str("</tr>");
        for (i, svc) in self.scenario.services.iter().enumerate() {
            let _ = write!(
                h,
                "<tr data-service=\"{}\"><th scope=\"row\">{}</th>",
                esc(&svc.id),
                esc(&svc.name)
            );
            for (full, ranks) in &rows {
                h.push_str(&self.level_cell(ranks[i], ranks[i] < *full));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    }

    fn grid_html(&self, h: &mut String) {
        h.push_str("<h3 id=\"grid-heading\">Who knew what, when</h3><div class=\"table-scroll\" role=\"region\" aria-labelledby=\"grid-heading\" tabindex=\"0\"><table class=\"knowledge-grid\"><thead><tr><th scope=\"col\">Fact</th>");
        for svc in &self.scenario.services {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&svc.name));
        }
        h.push_str("</tr></thead><tbody>");
        let in_play = self
            .scenario
            .facts
            .iter()
            .filter(|f| self.run.knowledge.values().any(|k| k.contains_key(&f.id)));
        for fact in in_play {
            let _ = write!(
                h,
                "<tr data-fact=\"{}\"><th scope=\"row\">{}</th>",
                esc(&fact.id),
                esc(&fact.label)
            );
            for svc in &self.scenario.services {
                let cell = match self.run.knowledge.get(&svc.id).and_then(|k| k.get(&fact.id)) {
                    None => "<td class=\"unknown\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">did not know</span></td>".to_string(),
                    Some(k) => {
                        let how = match &k.source {
                            Source::AtStart => "from the start".to_string(),
                            Source::Discovered => format!("found out, decision {}", k.since),
                            Source::SharedBy { service } => format!("told by {}, decision {}", esc(&self.service(service)), k.since),
                        };
                        format!("<td class=\"known\">{how}</td>")
                    }
                };
                h.push_str(&cell);
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    }

    fn timeline_html(&self, h: &mut String) {
        h.push_str("<h3>Timeline</h3><ol class=\"timeline\">");
        for entry in &self.run.log {
            let line = match entry {
                LogEntry::Chose { turn, step, choice } => {
                    let grade = self
                        .scenario
                        .step(step)
                        .and_then(|s| s.choices().iter().find(|c| &c.id == choice))
                        .map(|c| c.grade.label())
                        .unwrap_or_default();
                    format!("<strong>Decision {turn}:</strong> {} <span class=\"grade-text\">({grade})</span>", esc(&self.choice_label(step, choice)))
                }
                LogEntry::EventHappened { step, event, .. } => {
                    let text = self
                        .scenario
                        .step(step)
                        .and_then(|s| s.events().iter().find(|e| &e.id == event))
                        .map(|e| e.text.clone())
                        .unwrap_or_default();
                    format!("<strong>Something happened:</strong> {}", strip_tags(&text))
                }
                LogEntry::Shared {
                    fact,
                    from,
                    to,
                    basis,
                    ..
                } => {
                    let basis = basis.map_or("", Basis::label);
                    format!(
                        "{} told {}: {} <span class=\"basis\">({basis})</span>",
                        esc(&self.service(from)),
                        esc(&self.service(to)),
                        esc(&self.fact(fact))
                    )
                }
                LogEntry::Revealed { fact, service, .. } => format!(
                    "{} found out: {}",
                    esc(&self.service(service)),
                    esc(&self.fact(fact))
                ),
                LogEntry::Ended { ending, .. } => format!(
                    "<strong>Ending:</strong> {}",
                    esc(&self
                        .scenario
                        .step(ending)
                        .map_or_else(String::new, |s| s.title.clone()))
                ),
                _ => continue,
            };
            let _ = write!(h, "<li>{line}</li>");
        }
        h.push_str("</ol>");
    }

    fn expert_html(&self, h: &mut String) {
        h.push_str("<h3>What an experienced practitioner would do</h3><p class=\"hint\">The best-judged choice at each step, played with the same seed, and why.</p><ol class=\"expert\">");
        for (step_id, choice_id) in expert_path(self.scenario, self.run.seed) {
            let Some(step) = self.scenario.step(&step_id) else {
                continue;
            };
            let Some(choice) = step.choices().iter().find(|c| c.id == choice_id) else {
                continue;
            };
            let _ = write!(
                h,
                "<li><strong>{}:</strong> {}<div class=\"prose\">{}</div></li>",
                esc(&step.title),
                esc(&choice.label),
                choice.feedback
            );
        }
        h.push_str("</ol>");
    }

    /// The run as statements shaped actor, verb, object, with result and context, so a
    /// learning record store could take them later. No personal data: the actor is "trainee".
    pub fn json(&self, mode: &str, when: &str) -> String {
        let s = self.scenario;
        let context = format!(
            "\"context\":{{\"case\":{},\"version\":{},\"seed\":{},\"mode\":{},\"nation\":{}}}",
            json_str(&s.id),
            s.version,
            self.run.seed,
            json_str(mode),
            json_str(&s.nation)
        );
        let mut statements: Vec<String> = Vec::new();
        for entry in &self.run.log {
            match entry {
                LogEntry::Chose { turn, step, choice } => {
                    let c = s
                        .step(step)
                        .and_then(|st| st.choices().iter().find(|c| &c.id == choice));
                    let grade = c.map_or("", |c| c.grade.as_str());
                    statements.push(format!(
                        "{{\"actor\":{{\"name\":\"trainee\"}},\"verb\":\"chose\",\"object\":{{\"id\":{},\"name\":{}}},\"result\":{{\"grade\":{}}},\"turn\":{turn},{context}}}",
                        json_str(&format!("{}/{}/{}", s.id, step, choice)),
                        json_str(&self.choice_label(step, choice)),
                        json_str(grade)
                    ));
                }
                LogEntry::Shared {
                    turn,
                    fact,
                    from,
                    to,
                    basis,
                    parent_told,
                } => {
                    statements.push(format!(
                        "{{\"actor\":{{\"name\":{}}},\"verb\":\"shared\",\"object\":{{\"id\":{},\"name\":{}}},\"result\":{{\"with\":{},\"basis\":{},\"parentTold\":{}}},\"turn\":{turn},{context}}}",
                        json_str(from),
                        json_str(&format!("{}/fact/{}", s.id, fact)),
                        json_str(&self.fact(fact)),
                        json_str(to),
                        basis.map_or("null".to_string(), |b| json_str(b.as_str())),
                        parent_told.map_or("null".to_string(), |t| t.to_string())
                    ));
                }
                LogEntry::Ended { turn, ending } => {
                    let scores: Vec<String> = self
                        .scores
                        .dimensions
                        .iter()
                        .map(|d| {
                            format!(
                                "{}:{{\"earned\":{},\"achievable\":{},\"percent\":{}}}",
                                json_str(&d.rubric),
                                d.earned,
                                d.achievable,
                                d.percent()
                            )
                        })
                        .collect();
                    statements.push(format!(
                        "{{\"actor\":{{\"name\":\"trainee\"}},\"verb\":\"completed\",\"object\":{{\"id\":{},\"name\":{}}},\"result\":{{\"scores\":{{{}}}}},\"turn\":{turn},{context}}}",
                        json_str(&format!("{}/{}", s.id, ending)),
                        json_str(&s.step(ending).map_or_else(String::new, |e| e.title.clone())),
                        scores.join(",")
                    ));
                }
                _ => {}
            }
        }
        format!(
            "{{\"exported\":{},\"statements\":[{}]}}",
            json_str(when),
            statements.join(",")
        )
    }

    /// One row per decision and share, for a spreadsheet.
    pub fn csv(&self) -> String {
        let mut out = String::from("turn,kind,step,id,label,grade,with,basis,parent_told\n");
        for entry in &self.run.log {
            let row = match entry {
                LogEntry::Chose { turn, step, choice } => {
                    let grade = self
                        .scenario
                        .step(step)
                        .and_then(|st| st.choices().iter().find(|c| &c.id == choice))
                        .map_or("", |c| c.grade.as_str());
                    [
                        turn.to_string(),
                        "decision".into(),
                        step.clone(),
                        choice.clone(),
                        self.choice_label(step, choice),
                        grade.into(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]
                }
                LogEntry::Shared {
                    turn,
                    fact,
                    to,
                    basis,
                    parent_told,
                    ..
                } => [
                    turn.to_string(),
                    "share".into(),
                    self.run.step.clone(),
                    fact.clone(),
                    self.fact(fact),
                    String::new(),
                    to.clone(),
                    basis.map_or(String::new(), |b| b.as_str().to_string()),
                    parent_told.map_or(String::new(), |t| t.to_string()),
                ],
                _ => continue,
            };
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// The rubric items a decision touched, with their sources, for the feedback after it.
pub fn decision_rubric_html(
    rubrics: &Rubrics,
    scenario: &Scenario,
    step: &str,
    choice: &str,
) -> String {
    let Some(c) = scenario
        .step(step)
        .and_then(|s| s.choices().iter().find(|c| c.id == choice))
    else {
        return String::new();
    };
    let mut h = String::new();
    for (tag, good) in c
        .credits
        .iter()
        .map(|t| (t, true))
        .chain(c.errors.iter().map(|t| (t, false)))
    {
        if let Some((rubric, item)) = rubrics.item(&tag.value) {
            let mark = if good {
                "<span aria-hidden=\"true\">✓</span> Shows"
            } else {
                "<span aria-hidden=\"true\">✗</span> Falls short on"
            };
            let _ = write!(h, "<li>{mark} <strong>{}</strong> ({}). <span class=\"source\">Source: {}</span></li>", esc(&item.name), esc(&rubric.name), esc(&item.source));
        }
    }
    if h.is_empty() {
        return h;
    }
    format!("<h3>Rubric</h3><ul class=\"rubric-marks\">{h}</ul>")
}

fn plural(n: u32) -> String {
    if n == 1 {
        "1 decision".to_string()
    } else {
        format!("{n} decisions")
    }
}

/// Event text is compiled HTML; the timeline shows it as plain words.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Quotes a CSV cell, and neutralises cells a spreadsheet would run as a formula.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A level as a bar mark, a short code and its name (never colour alone).
pub fn level_badge(area: &Area, rank: usize) -> String {
    let levels = &area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let steps = levels.iter().filter(|l| !l.emergency).count();
    let mark = if level.emergency {
        "⚠".to_string()
    } else {
        format!(
            "{}{}",
            "▮".repeat(rank + 1),
            "▯".repeat(steps.saturating_sub(rank + 1))
        )
    };
    format!(
        "<span class=\"level level-{rank}\" title=\"{}\"><span class=\"level-mark\" aria-hidden=\"true\">{mark}</span><span class=\"level-short\">{}</span><span class=\"level-name\">{}</span></span>",
        esc(&level.law),
        esc(&level.short),
        esc(&level.name)
    )
}

/// The threshold panel's body: the full picture, then each involved service's level, action,
/// reasons, missing information and (on demand) what it knows. Read-only, so it is written as
/// HTML rather than as view code (see ARCHITECTURE.md, "Size").
pub fn panel_html(area: &Area, s: &Scenario, run: &Run) -> String {
    let p = thresholds_core::thresholds::panel(area, s, run);
    let label = |id: &String| s.fact(id).map_or_else(|| id.clone(), |f| f.label.clone());
    let reasons = |ids: &[String]| esc(&ids.iter().map(label).collect::<Vec<_>>().join("; "));
    let mut h = String::new();
    let _ = write!(
        h,
        "<div class=\"full-picture\" data-level=\"{}\"><p><strong>Full picture</strong> (everything any service knows): {}</p>",
        esc(&p.full.level),
        level_badge(area, p.full.rank)
    );
    if !p.full.because.is_empty() {
        let _ = write!(
            h,
            "<p class=\"why\">Because: {}</p>",
            reasons(&p.full.because)
        );
    }
    h.push_str("</div><ul class=\"service-list\">");
    for row in &p.services {
        let name = s
            .service(&row.service)
            .map_or_else(String::new, |x| x.name.clone());
        let held = run.facts_known_by(s, &row.service);
        let _ = write!(
            h,
            "<li class=\"service-row\" data-service=\"{}\" data-level=\"{}\"><h3 class=\"service-name\">{}</h3>{}<p class=\"does\">{}</p>",
            esc(&row.service),
            esc(&row.response.level),
            esc(&name),
            level_badge(area, row.response.rank),
            esc(&row.response.does)
        );
        if !row.response.because.is_empty() {
            let _ = write!(
                h,
                "<p class=\"why\">Because it knows: {}</p>",
                reasons(&row.response.because)
            );
        }
        if !row.missing.is_empty() {
            let _ = write!(h, "<p class=\"missing\"><span aria-hidden=\"true\">⚠ </span><strong>Missing information: </strong>{}</p>", reasons(&row.missing));
        }
        let _ = write!(
            h,
            "<details class=\"held\"><summary>What it knows ({})</summary><ul>",
            held.len()
        );
        for f in held {
            let _ = write!(h, "<li>{}</li>", esc(&f.label));
        }
        h.push_str("</ul></details></li>");
    }
    h.push_str("</ul>");
    h
}
