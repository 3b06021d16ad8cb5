//! What the views tests share: the bundled area, rubrics and Imran's case, compiled as the
//! build compiles them, a view of a session, and a good path to play.
#![allow(dead_code)]

use std::path::Path;

use thresholds_core::area::{load_area, Area};
use thresholds_core::score::{load_rubrics, Rubrics};
use thresholds_core::{load, Mode, Scenario, Session};
use thresholds_views::CaseView;

pub fn read(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap()
}

/// A case as the browser has it: compiled by the build (Markdown rendered by the sanitiser, the
/// binary form) and decoded.
pub fn compiled(s: Scenario) -> Scenario {
    use thresholds_core::codec::{decode_case, encode_case};
    let bytes = encode_case(&s, &thresholds_core::markdown::to_safe_html);
    decode_case(&s.file, &bytes).expect("a compiled case decodes")
}

pub fn setup() -> (Area, Rubrics, Scenario) {
    let area = load_area(
        ("f", &read("scenarios/area/framework.md")),
        ("s", &read("scenarios/area/services.md")),
    )
    .unwrap();
    let rubrics = load_rubrics("r", &read("scenarios/guidance/rubrics.md")).unwrap();
    (
        area,
        rubrics,
        compiled(load("imran.md", &read("scenarios/imran.md")).unwrap()),
    )
}

/// Plays the wanted choices wherever one is available, else the first.
pub fn play(s: &Scenario, mode: Mode, seed: u64, wanted: &[&str]) -> Session {
    let mut session = Session::start(s, mode, seed, "2026-11-23T10:00:00.000Z").unwrap();
    while !session.run.is_ended(s) {
        let available: Vec<String> = session
            .run
            .available_choices(s)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let id = wanted
            .iter()
            .find(|w| available.iter().any(|a| a == *w))
            .map(|w| w.to_string())
            .unwrap_or_else(|| available[0].clone());
        session.choose(s, &id).unwrap();
    }
    session
}

pub fn view<'a>(
    area: &'a Area,
    rubrics: &'a Rubrics,
    s: &'a Scenario,
    session: &'a Session,
) -> CaseView<'a> {
    CaseView {
        area,
        rubrics,
        scenario: s,
        session,
        prompts_open: false,
    }
}

pub const GOOD: &[&str] = &[
    "ask-children",
    "secure-and-refer",
    "day-in-the-life",
    "assessment-request",
    "support-assessment",
    "contribute-assessment",
    "visit-together",
    "review-and-tell",
    "whole-family",
    "contribute",
    "call-999",
];
