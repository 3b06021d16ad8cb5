//! The debrief documents: content, escaping, and exports that parse.

use std::path::Path;

use thresholds_core::area::{load_area, Area};
use thresholds_core::score::{load_rubrics, score, Rubrics};
use thresholds_core::{load, Run, Scenario};
use thresholds_report::{decision_rubric_html, esc, Debrief};

fn read(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap()
}

fn setup() -> (Area, Rubrics, Scenario) {
    let area = load_area(
        ("f", &read("scenarios/area/framework.md")),
        ("s", &read("scenarios/area/services.md")),
    )
    .unwrap();
    let rubrics = load_rubrics("r", &read("scenarios/guidance/rubrics.md")).unwrap();
    (
        area,
        rubrics,
        load("imran.md", &read("scenarios/imran.md")).unwrap(),
    )
}

fn play(s: &Scenario, seed: u64, wanted: &[&str]) -> Run {
    let mut run = Run::start(s, seed).unwrap();
    while !run.is_ended(s) {
        let available: Vec<String> = run
            .available_choices(s)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let id = wanted
            .iter()
            .find(|w| available.iter().any(|a| a == *w))
            .map(|w| w.to_string())
            .unwrap_or_else(|| available[0].clone());
        run.choose(s, &id).unwrap();
    }
    run
}

const GOOD: &[&str] = &[
    "ask-children",
    "lockbox",
    "day-in-the-life",
    "seek-agreement",
    "share-with-hv",
    "joint-visit",
    "prescriber-review",
    "consult-lead",
    "share-relevant",
    "refer",
    "contribute",
    "whole-family",
    "call-999",
];

/// Counts non-overlapping occurrences.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_debrief_has_scores_chart_grid_timeline_and_expert_path() {
    let (area, rubrics, s) = setup();
    let run = play(&s, 2013, GOOD);
    let scores = score(&area, &rubrics, &s, &run);
    let html = Debrief {
        area: &area,
        rubrics: &rubrics,
        scenario: &s,
        run: &run,
        scores: &scores,
    }
    .html();
    for rubric in ["information-sharing", "child-focus", "threshold-judgement"] {
        assert!(
            html.contains(&format!("data-rubric=\"{rubric}\"")),
            "{rubric}"
        );
    }
    let chart = &html[html.find("class=\"level-chart\"").unwrap()
        ..html.find("class=\"knowledge-grid\"").unwrap()];
    assert_eq!(
        count(chart, "<tr"),
        1 + 1 + s.services.len(),
        "header, full picture, one row per service"
    );
    assert_eq!(
        count(chart, "class=\"level-cell"),
        (run.turn as usize + 1) * (s.services.len() + 1)
    );
    let grid = &html[html.find("class=\"knowledge-grid\"").unwrap()..];
    let in_play = s
        .facts
        .iter()
        .filter(|f| run.knowledge.values().any(|k| k.contains_key(&f.id)))
        .count();
    assert_eq!(
        count(&grid[..grid.find("</table>").unwrap()], "<tr data-fact="),
        in_play
    );
    assert_eq!(
        count(&html, "<strong>Decision "),
        run.turn as usize,
        "every decision in the timeline"
    );
    assert!(html.contains("class=\"expert\""));
    assert!(html.contains(&format!("seed {}", run.seed)) && html.contains("version 1"));
}

#[test]
fn case_text_is_escaped_in_the_debrief() {
    assert_eq!(esc("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
    let (area, rubrics, _) = setup();
    let text = read("scenarios/imran.md").replace(
        "label: Ask about David and Misha",
        "label: <img src=x onerror=alert(1)> Ask about David and Misha",
    );
    let s = load("imran.md", &text).unwrap();
    let run = play(&s, 1, GOOD);
    let scores = score(&area, &rubrics, &s, &run);
    let html = Debrief {
        area: &area,
        rubrics: &rubrics,
        scenario: &s,
        run: &run,
        scores: &scores,
    }
    .html();
    assert!(
        !html.contains("<img"),
        "raw HTML from a label reached the debrief"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn the_json_export_parses_and_lists_every_decision_and_share() {
    let (area, rubrics, s) = setup();
    let run = play(&s, 7, GOOD);
    let scores = score(&area, &rubrics, &s, &run);
    let json = Debrief {
        area: &area,
        rubrics: &rubrics,
        scenario: &s,
        run: &run,
        scores: &scores,
    }
    .json("self-paced", "2026-11-23T10:00:00Z");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let statements = v["statements"].as_array().unwrap();
    let chose: Vec<&serde_json::Value> =
        statements.iter().filter(|s| s["verb"] == "chose").collect();
    assert_eq!(chose.len(), run.decisions().len());
    for (st, (step, choice)) in chose.iter().zip(run.decisions()) {
        assert_eq!(st["object"]["id"], format!("imran/{step}/{choice}"));
        assert_eq!(st["context"]["seed"], 7);
        assert_eq!(st["context"]["mode"], "self-paced");
    }
    let shares = run
        .log
        .iter()
        .filter(|e| matches!(e, thresholds_core::LogEntry::Shared { .. }))
        .count();
    assert_eq!(
        statements.iter().filter(|s| s["verb"] == "shared").count(),
        shares
    );
    let done = statements
        .iter()
        .find(|s| s["verb"] == "completed")
        .unwrap();
    assert!(
        done["result"]["scores"]["child-focus"]["percent"]
            .as_u64()
            .unwrap()
            <= 100
    );
}

#[test]
fn the_csv_export_has_a_row_per_decision_and_share_and_defuses_formulas() {
    let (area, rubrics, _) = setup();
    let text = read("scenarios/imran.md").replace(
        "label: Ask about David and Misha",
        "label: =HYPERLINK(\"x\") Ask about David and Misha",
    );
    let s2 = load("imran.md", &text).unwrap();
    let run = play(&s2, 3, GOOD);
    let scores = score(&area, &rubrics, &s2, &run);
    let csv = Debrief {
        area: &area,
        rubrics: &rubrics,
        scenario: &s2,
        run: &run,
        scores: &scores,
    }
    .csv();
    let shares = run
        .log
        .iter()
        .filter(|e| matches!(e, thresholds_core::LogEntry::Shared { .. }))
        .count();
    assert_eq!(csv.lines().count(), 1 + run.decisions().len() + shares);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\") Ask about David and Misha"),
        "{}",
        csv.lines().nth(1).unwrap()
    );
}

#[test]
fn feedback_names_the_rubric_items_a_decision_touched_with_sources() {
    let (_, rubrics, s) = setup();
    let good = decision_rubric_html(&rubrics, &s, "review", "ask-children");
    assert!(
        good.contains("Ask about every child")
            && good.contains("Shows")
            && good.contains("Source: Anderson")
    );
    let poor = decision_rubric_html(&rubrics, &s, "review", "recovery-only");
    assert!(
        poor.contains("Falls short on")
            && poor.contains("Treatment compliance is not child safety")
    );
    assert_eq!(
        decision_rubric_html(&rubrics, &s, "storage", "move-it-high"),
        "",
        "an untagged choice shows no rubric list"
    );
}

#[test]
fn the_panel_html_shows_levels_reasons_and_missing_information_escaped() {
    let (area, _, s) = setup();
    let mut run = Run::start(&s, 1).unwrap();
    let html = thresholds_report::panel_html(&area, &s, &run);
    assert_eq!(count(&html, "<li class=\"service-row\""), s.services.len());
    assert!(html.contains("<div class=\"full-picture\" data-level=\"child-in-need\">"));
    assert!(html.contains("data-service=\"childrens-social-care\" data-level=\"universal\""));
    run.choose(&s, "ask-children").unwrap();
    let html = thresholds_report::panel_html(&area, &s, &run);
    let hv = &html[html.find("data-service=\"health-visiting\"").unwrap()..];
    let hv = &hv[..hv.find("</li>").unwrap()];
    assert!(
        hv.contains("Missing information") && hv.contains("kitchen fridge"),
        "{hv}"
    );
    assert!(html.contains("<span class=\"level-name\">Child protection: section 47 enquiry</span>"));
    // Case text is escaped.
    let text = read("scenarios/imran.md").replace(
        "label: The methadone is kept",
        "label: <b>The</b> methadone is kept",
    );
    let s2 = load("imran.md", &text).unwrap();
    let mut run2 = Run::start(&s2, 1).unwrap();
    run2.choose(&s2, "ask-children").unwrap();
    let html = thresholds_report::panel_html(&area, &s2, &run2);
    assert!(html.contains("&lt;b&gt;The&lt;/b&gt; methadone") && !html.contains("<b>The</b>"));
}
