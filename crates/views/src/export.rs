//! A run's exports. JSON: a list of xAPI 1.0.3 statements that a learning record store takes as
//! they are (checked against a real one, Ralph, in the browser tests). No personal data: the
//! actor is an account named "trainee" on this device. Ids are IRIs under `urn:thresholds:`
//! made of the case's, steps', choices' and facts' stable ids, and each statement's id is a
//! UUID derived from the run and its place in it, so exporting the same run twice gives the
//! same statements, which a store keeps once.
//! CSV: one row per decision, share and reflection, for a spreadsheet.

use std::fmt::Write;

use thresholds_core::engine::LogEntry;
use thresholds_core::session::Action;

use crate::case::CaseView;
use crate::html::{csv_cell, json_str};

/// The IRIs: ADL's verbs; this app's activities and extensions.
const ADL: &str = "http://adlnet.gov/expapi/verbs/";
const EXT: &str = "urn:thresholds:xapi:";

/// A UUID (version 4 form) from text, by two FNV-1a hashes: the same run and place give the
/// same id.
pub(crate) fn uuid(text: &str) -> String {
    let hash = |seed: u64| {
        text.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

fn verb(name: &str) -> String {
    format!(
        "{{\"id\":{},\"display\":{{\"en-GB\":{}}}}}",
        json_str(&format!("{ADL}{name}")),
        json_str(name)
    )
}

fn activity(id: &str, name: &str, kind: &str, extra: &str) -> String {
    format!(
        "{{\"objectType\":\"Activity\",\"id\":{},\"definition\":{{\"name\":{{\"en-GB\":{}}},\"type\":{}{extra}}}}}",
        json_str(id),
        json_str(if name.is_empty() { id } else { name }),
        json_str(kind)
    )
}

/// What every statement of the run adds to its context: the case as parent, and the case's
/// version, mode, seed, nation and area as extensions (a JSON object without a registration,
/// which the export or the launching LMS gives).
pub(crate) fn run_context(v: &CaseView, turn: u32) -> String {
    let (s, session) = (v.scenario, v.session);
    format!(
        "{{\"contextActivities\":{{\"parent\":[{{\"objectType\":\"Activity\",\"id\":{}}}]}},\"extensions\":{{\"{EXT}version\":{},\"{EXT}mode\":{},\"{EXT}seed\":{},\"{EXT}nation\":{},\"{EXT}area\":{},\"{EXT}started\":{},\"{EXT}decision\":{turn}}}}}",
        json_str(&format!("urn:thresholds:case:{}", s.id)),
        s.version,
        json_str(session.mode.as_str()),
        session.run.seed(),
        json_str(&s.nation),
        json_str(&v.area.framework.title),
        json_str(&session.started)
    )
}

/// The run's own context in the export: its registration (this run) and [`run_context`].
fn context(v: &CaseView, turn: u32) -> String {
    let (s, session) = (v.scenario, v.session);
    format!(
        "{{\"registration\":{},{}",
        json_str(&uuid(&format!(
            "{}|{}|{}",
            s.id,
            session.run.seed(),
            session.started
        ))),
        &run_context(v, turn)[1..]
    )
}

/// One statement of a run before it is addressed: `key` names its place in the run and what
/// it says (the same run gives the same keys, and a different statement a different key);
/// `body` is its verb, object and result, the inside of a JSON object.
pub(crate) struct Body {
    pub key: String,
    pub turn: u32,
    pub body: String,
    /// The run's ending (its "completed" statement about the case).
    pub ends_run: bool,
}

/// The run's statements in order: each decision (answered, with the grade and any room
/// votes), each share (with whom, on what basis, whether the family was told), the ending
/// (completed, with the score), then each reflection (commented).
pub(crate) fn statement_bodies(v: &CaseView) -> Vec<Body> {
    let (s, session) = (v.scenario, v.session);
    let case = format!("urn:thresholds:case:{}", s.id);
    let step_iri = |step: &str| format!("{case}:step:{step}");
    let mut out: Vec<Body> = Vec::new();
    for (i, entry) in session.run.log().iter().enumerate() {
        let ends_run = matches!(entry, LogEntry::Ended { .. });
        let mut push = |turn: &u32, key: String, body: String| {
            out.push(Body {
                key: format!("log{i}|{key}"),
                turn: *turn,
                body,
                ends_run,
            })
        };
        match entry {
            LogEntry::Chose { turn, step, choice } => {
                let grade = s.choice(step, choice).map_or("", |c| c.grade.as_str());
                let choices: Vec<String> = s
                    .step(step)
                    .map(|st| {
                        st.choices()
                            .iter()
                            .map(|c| {
                                format!(
                                    "{{\"id\":{},\"description\":{{\"en-GB\":{}}}}}",
                                    json_str(&c.id),
                                    json_str(&v.choice_label(step, &c.id))
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let votes = session
                    .votes_for(*turn)
                    .map(|vote| {
                        let counts: Vec<String> = vote
                            .counts
                            .iter()
                            .map(|(id, n)| format!("{}:{n}", json_str(id)))
                            .collect();
                        format!(",\"{EXT}room-votes\":{{{}}}", counts.join(","))
                    })
                    .unwrap_or_default();
                let title = s.step(step).map_or("", |st| st.title.as_str());
                push(
                    turn,
                    format!("answered|{step}|{choice}|{votes}"),
                    format!(
                        "\"verb\":{},\"object\":{},\"result\":{{\"response\":{},\"extensions\":{{\"{EXT}grade\":{}{votes}}}}}",
                        verb("answered"),
                        activity(
                            &step_iri(step),
                            title,
                            "http://adlnet.gov/expapi/activities/cmi.interaction",
                            &format!(",\"interactionType\":\"choice\",\"choices\":[{}]", choices.join(","))
                        ),
                        json_str(choice),
                        json_str(grade)
                    ),
                );
            }
            LogEntry::Shared {
                turn,
                fact,
                from,
                to,
                basis,
                parent_told,
            } => push(
                turn,
                format!("shared|{fact}|{from}|{to}|{basis:?}|{parent_told:?}"),
                format!(
                    "\"verb\":{},\"object\":{},\"result\":{{\"extensions\":{{\"{EXT}from\":{},\"{EXT}with\":{},\"{EXT}basis\":{},\"{EXT}parent-told\":{}}}}}",
                    verb("shared"),
                    activity(
                        &format!("{case}:fact:{fact}"),
                        &v.fact(fact),
                        "http://adlnet.gov/expapi/activities/media",
                        ""
                    ),
                    json_str(from),
                    json_str(to),
                    basis.map_or("\"none given\"".to_string(), |b| json_str(b.as_str())),
                    parent_told.map_or("\"not said\"".to_string(), |t| json_str(if t { "told" } else { "not told" }))
                ),
            ),
            LogEntry::Ended { turn, ending } => {
                let scores = v.scores();
                let overall = thresholds_core::lms::overall(&scores);
                let rubrics: Vec<String> = scores
                    .dimensions
                    .iter()
                    .map(|d| format!("{}:{}", json_str(&d.rubric), d.percent()))
                    .collect();
                push(
                    turn,
                    format!("completed|{ending}|{overall}"),
                    format!(
                        "\"verb\":{},\"object\":{},\"result\":{{\"completion\":true,\"score\":{{\"scaled\":{},\"raw\":{overall},\"min\":0,\"max\":100}},\"response\":{},\"extensions\":{{\"{EXT}rubrics\":{{{}}}}}}}",
                        verb("completed"),
                        activity(&case, &s.title, "http://adlnet.gov/expapi/activities/simulation", ""),
                        f64::from(overall) / 100.0,
                        json_str(ending),
                        rubrics.join(",")
                    ),
                );
            }
            _ => {}
        }
    }
    for r in &session.reflections {
        let title = s.step(&r.step).map_or("", |st| st.title.as_str());
        out.push(Body {
            key: format!("commented|{}|{}|{}", r.decision, r.step, r.text),
            turn: r.decision,
            ends_run: false,
            body: format!(
                "\"verb\":{},\"object\":{},\"result\":{{\"response\":{}}}",
                verb("commented"),
                activity(
                    &step_iri(&r.step),
                    title,
                    "http://adlnet.gov/expapi/activities/interaction",
                    ""
                ),
                json_str(&r.text)
            ),
        });
    }
    out
}

/// The whole run as a JSON list of xAPI statements; `exported` is when (ISO 8601, with its
/// offset), each statement's timestamp (the run keeps no time for each decision).
pub fn json(v: &CaseView, exported: &str) -> String {
    let (s, session) = (v.scenario, v.session);
    let statements: Vec<String> = statement_bodies(v)
        .into_iter()
        .enumerate()
        .map(|(i, Body { turn, body, .. })| {
            format!(
                "{{\"id\":{},\"timestamp\":{},\"actor\":{{\"objectType\":\"Agent\",\"account\":{{\"homePage\":\"urn:thresholds:device\",\"name\":\"trainee\"}}}},{body},\"context\":{}}}",
                json_str(&uuid(&format!("{}|{}|{}|{i}", s.id, session.run.seed(), session.started))),
                json_str(exported),
                context(v, turn)
            )
        })
        .collect();
    format!("[{}]", statements.join(","))
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
