//! A run's exports. JSON: statements shaped actor, verb, object, with result and context, so a
//! learning record store could take them later (no personal data: the actor is "trainee").
//! CSV: one row per decision, share and reflection, for a spreadsheet.

use std::fmt::Write;

use thresholds_core::engine::LogEntry;
use thresholds_core::session::Action;

use crate::case::CaseView;
use crate::html::{csv_cell, json_str};

fn context(v: &CaseView) -> String {
    let (s, session) = (v.scenario, v.session);
    format!(
        "\"context\":{{\"case\":{},\"version\":{},\"seed\":{},\"mode\":{},\"nation\":{},\"area\":{},\"started\":{}}}",
        json_str(&s.id),
        s.version,
        session.run.seed(),
        json_str(session.mode.as_str()),
        json_str(&s.nation),
        json_str(&v.area.framework.title),
        json_str(&session.started)
    )
}

/// The whole run as JSON statements; `exported` is when (ISO 8601).
pub fn json(v: &CaseView, exported: &str) -> String {
    let (s, session) = (v.scenario, v.session);
    let context = context(v);
    let mut statements: Vec<String> = Vec::new();
    for entry in session.run.log() {
        match entry {
            LogEntry::Chose { turn, step, choice } => {
                let grade = s.choice(step, choice).map_or("", |c| c.grade.as_str());
                let votes = session
                    .votes_for(*turn)
                    .map(|vote| {
                        let counts: Vec<String> = vote
                            .counts
                            .iter()
                            .map(|(id, n)| format!("{}:{n}", json_str(id)))
                            .collect();
                        format!(",\"roomVotes\":{{{}}}", counts.join(","))
                    })
                    .unwrap_or_default();
                statements.push(format!(
                    "{{\"actor\":{{\"name\":\"trainee\"}},\"verb\":\"chose\",\"object\":{{\"id\":{},\"step\":{},\"name\":{}}},\"result\":{{\"grade\":{}{votes}}},\"turn\":{turn},{context}}}",
                    json_str(&format!("{}/{}/{}", s.id, step, choice)),
                    json_str(step),
                    json_str(&v.choice_label(step, choice)),
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
                    json_str(&v.fact(fact)),
                    json_str(to),
                    basis.map_or("null".to_string(), |b| json_str(b.as_str())),
                    parent_told.map_or("null".to_string(), |t| t.to_string())
                ));
            }
            LogEntry::Ended { turn, ending } => {
                let scores: Vec<String> = v
                    .scores()
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
                    json_str(s.step(ending).map_or("", |e| e.title.as_str())),
                    scores.join(",")
                ));
            }
            _ => {}
        }
    }
    for r in &session.reflections {
        statements.push(format!(
            "{{\"actor\":{{\"name\":\"trainee\"}},\"verb\":\"reflected\",\"object\":{{\"id\":{},\"step\":{}}},\"result\":{{\"response\":{}}},\"turn\":{},{context}}}",
            json_str(&format!("{}/{}", s.id, r.step)),
            json_str(&r.step),
            json_str(&r.text),
            r.decision
        ));
    }
    format!(
        "{{\"exported\":{},\"case\":{},\"version\":{},\"area\":{},\"mode\":{},\"seed\":{},\"started\":{},\"statements\":[{}]}}",
        json_str(exported),
        json_str(&s.id),
        s.version,
        json_str(&v.area.framework.title),
        json_str(session.mode.as_str()),
        session.run.seed(),
        json_str(&session.started),
        statements.join(",")
    )
}

/// One row per decision, share and reflection, after a row that says what the record is.
pub fn csv(v: &CaseView, exported: &str) -> String {
    let (s, session) = (v.scenario, v.session);
    // The byte-order mark tells Excel on Windows the file is UTF-8, so "—" and "½" survive.
    let mut out =
        String::from("\u{feff}decision,kind,step,id,label,grade,with,basis,parent_told,detail\n");
    let mut row = |cells: [&str; 10]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        let _ = writeln!(out, "{}", cells.join(","));
    };
    let record = format!(
        "{} version {}; area {}; mode {}; seed {}; started {}; exported {}",
        s.id,
        s.version,
        v.area.framework.title,
        session.mode.as_str(),
        session.run.seed(),
        session.started,
        exported
    );
    row(["0", "record", "", &s.id, &s.title, "", "", "", "", &record]);
    // Steps come from the run's log, which records where each choice was made (random events
    // can move the story between choices).
    let made = session.run.decisions();
    let mut turn = 0;
    for action in &session.actions {
        match action {
            Action::Choose { choice, .. } => {
                turn += 1;
                let step = made.get(turn as usize - 1).map_or("", |(st, _)| *st);
                let grade = s.choice(step, choice).map_or("", |c| c.grade.as_str());
                let votes = session
                    .votes_for(turn)
                    .map(|vote| {
                        vote.counts
                            .iter()
                            .map(|(id, n)| format!("{id}={n}"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .map(|v| format!("room votes: {v}"))
                    .unwrap_or_default();
                row([
                    &turn.to_string(),
                    "decision",
                    step,
                    choice,
                    &v.choice_label(step, choice),
                    grade,
                    "",
                    "",
                    "",
                    &votes,
                ]);
            }
            Action::Share(share) => {
                let labels: Vec<String> = share.facts.iter().map(|f| v.fact(f)).collect();
                row([
                    &turn.to_string(),
                    "share",
                    "",
                    &share.facts.join(" "),
                    &labels.join("; "),
                    "",
                    &share.to,
                    share.basis.as_str(),
                    if share.parent_told { "true" } else { "false" },
                    "",
                ]);
            }
        }
    }
    for r in &session.reflections {
        row([
            &r.decision.to_string(),
            "reflection",
            &r.step,
            "",
            "",
            "",
            "",
            "",
            "",
            &r.text,
        ]);
    }
    out
}
