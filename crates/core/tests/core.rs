//! The core's one integration-test binary (one binary keeps link times down). Tests are about
//! features, each through a small `check`-style helper, and data-driven where that reads better:
//! the negative fixtures live in `tests/fixtures/invalid/` at the repository root, each `*.md`
//! beside a `*.expected` that lists the `line: message` problems it must produce.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use thresholds_core::engine::{EngineError, LogEntry, Source};
use thresholds_core::markdown::to_safe_html;
use thresholds_core::model::{Grade, Scenario};
use thresholds_core::{load, write, Run};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ok(text: &str) -> Scenario {
    match load("test.md", text) {
        Ok(s) => s,
        Err(problems) => panic!("expected a valid scenario, got:\n{}", listing(&problems)),
    }
}

/// Problems one per line, for failure messages.
fn listing(problems: &[thresholds_core::Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn bundled() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md") && p.file_name().unwrap() != "README.md"
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no bundled scenarios found");
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// A small case used by the engine tests: a flag-gated choice, a share, and a 50% event.
const SMALL: &str = "# Small
id: small
role: a worker
summary: For engine tests.
start: one

## service you
name: You
trainee: yes
knows: known

## service csc
name: Children's social care

## fact known
label: Known from the start

## fact found
label: Found by asking

## step one
title: One

Text.

### choice ask
label: Ask
goto: two
grade: good
reveal: found
set: asked

Asked.

### choice skip
label: Skip
goto: two
grade: poor

Skipped.

## step two
title: Two

Text.

### choice share
label: Share what you know
goto: three
grade: good
if: asked
share: known, found with csc

Shared.

### choice share-nothing
label: Keep it
goto: three
grade: poor
clear: asked

Kept.

## step three
title: Three

Text.

### choice end
label: End
goto: end
grade: good

Ended.

### event coin
chance: 50%
goto: detour
set: detoured

A coin landed heads.

## step detour
title: Detour

Text.

### choice back
label: Back
goto: end
grade: mixed

Back.

## ending end
title: End
outcome: All done.

Done.
";

// ---------------------------------------------------------------- validator

/// Every fixture in tests/fixtures/invalid must fail with at least the problems it expects,
/// each at the expected line.
#[test]
fn validator_reports_each_kind_of_problem_with_file_and_line() {
    let dir = repo().join("tests/fixtures/invalid");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{name} has no .expected file"));
        let problems = load(&name, &text).expect_err(&format!("{name} should not validate"));
        let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            let want = format!("{name}:{line}");
            assert!(
                got.iter().any(|g| g.starts_with(&want)),
                "{name}: expected a problem starting\n  {want}\ngot:\n  {}",
                got.join("\n  ")
            );
            checked += 1;
        }
        for p in &problems {
            assert_eq!(p.file, name);
            assert!(p.line >= 1, "problem without a line: {p}");
            assert!(!p.hint.is_empty(), "problem without a hint: {p}");
        }
    }
    assert!(
        checked >= 30,
        "only {checked} expected problems were checked"
    );
}

#[test]
fn a_valid_scenario_has_no_problems() {
    let s = ok(SMALL);
    assert_eq!(s.steps.len(), 5);
    assert_eq!(s.trainee_service().unwrap().id, "you");
}

#[test]
fn an_empty_file_is_reported_not_accepted() {
    let problems = load("empty.md", "").unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("empty.md:1: no '# Title' line")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("the case has no ending")),
        "{text:?}"
    );
}

// ---------------------------------------------------------------- engine

fn start(s: &Scenario, seed: u64) -> Run {
    Run::start(s, seed).expect("the run starts")
}

/// Plays the choices by id and returns the run.
fn play(s: &Scenario, seed: u64, choices: &[&str]) -> Run {
    let mut run = start(s, seed);
    for c in choices {
        run.choose(s, c)
            .unwrap_or_else(|e| panic!("choice {c}: {e}"));
    }
    run
}

#[test]
fn conditions_decide_which_choices_are_available() {
    let s = ok(SMALL);
    let ids = |run: &Run| {
        run.available_choices(&s)
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&play(&s, 1, &["ask"])), ["share", "share-nothing"]);
    assert_eq!(ids(&play(&s, 1, &["skip"])), ["share-nothing"]);
    let mut run = play(&s, 1, &["skip"]);
    assert_eq!(
        run.choose(&s, "share"),
        Err(EngineError::NotAvailable {
            choice: "share".into()
        })
    );
    assert_eq!(
        run.choose(&s, "no-such-choice"),
        Err(EngineError::NotAvailable {
            choice: "no-such-choice".into()
        })
    );
}

#[test]
fn reveal_and_share_move_facts_between_services() {
    let s = ok(SMALL);
    let mut run = start(&s, 1);
    assert!(run.knows("you", "known"));
    assert!(!run.knows("you", "found"));
    let outcome = run.choose(&s, "ask").unwrap();
    assert_eq!(outcome.revealed, [("found".to_string(), "you".to_string())]);
    assert_eq!(run.knowledge["you"]["found"].source, Source::Discovered);
    assert_eq!(run.knowledge["you"]["found"].since, 1);
    assert!(
        !run.knows("csc", "found"),
        "children's social care has not been told"
    );
    let outcome = run.choose(&s, "share").unwrap();
    assert_eq!(outcome.shared.len(), 2);
    assert_eq!(
        run.knowledge["csc"]["found"].source,
        Source::SharedBy {
            service: "you".into()
        }
    );
    assert_eq!(run.knowledge["csc"]["found"].since, 2);
}

#[test]
fn a_service_only_shares_what_it_holds() {
    let text = SMALL.replace(
        "share: known, found with csc",
        "share: known, found with csc\nset: shared",
    );
    let s = ok(&text);
    // Reach "share" without having found "found": only possible by setting the flag another way,
    // so build the run by hand through the public API instead.
    let mut run = play(&s, 1, &["ask"]);
    run.knowledge.get_mut("you").unwrap().remove("found");
    let outcome = run.choose(&s, "share").unwrap();
    assert_eq!(
        outcome.shared,
        [("known".to_string(), "you".to_string(), "csc".to_string())]
    );
    assert!(!run.knows("csc", "found"));
}

#[test]
fn flags_are_set_and_cleared_and_logged_in_order() {
    let s = ok(SMALL);
    let run = play(&s, 1, &["ask", "share-nothing"]);
    assert!(!run.flags.contains("asked"));
    let kinds: Vec<&str> = run
        .log
        .iter()
        .map(|e| match e {
            LogEntry::Started { .. } => "started",
            LogEntry::Chose { .. } => "chose",
            LogEntry::Revealed { .. } => "revealed",
            LogEntry::Shared { .. } => "shared",
            LogEntry::FlagSet { .. } => "set",
            LogEntry::FlagCleared { .. } => "cleared",
            LogEntry::EventHappened { .. } => "event",
            LogEntry::Entered { .. } => "entered",
            LogEntry::Ended { .. } => "ended",
        })
        .collect();
    assert_eq!(
        &kinds[..8],
        ["started", "entered", "chose", "revealed", "set", "entered", "chose", "cleared"]
    );
    assert_eq!(run.decisions(), [("one", "ask"), ("two", "share-nothing")]);
}

#[test]
fn an_ended_run_refuses_further_choices() {
    let s = ok(SMALL);
    // Find a seed where the coin does not redirect, then end.
    let mut run = play(&s, 1, &["skip", "share-nothing"]);
    if run.step == "detour" {
        run.choose(&s, "back").unwrap();
    } else {
        run.choose(&s, "end").unwrap();
    }
    assert!(run.is_ended(&s));
    assert!(matches!(run.log.last(), Some(LogEntry::Ended { ending, .. }) if ending == "end"));
    assert_eq!(run.choose(&s, "end"), Err(EngineError::Ended));
}

#[test]
fn random_events_are_reproducible_for_a_seed_and_vary_across_seeds() {
    let s = ok(SMALL);
    let mut detoured = 0;
    for seed in 0..400u64 {
        let a = play(&s, seed, &["ask", "share"]);
        let b = play(&s, seed, &["ask", "share"]);
        assert_eq!(a, b, "seed {seed} gave two different runs");
        if a.step == "detour" {
            detoured += 1;
            assert!(a.flags.contains("detoured"));
            assert_eq!(a.arrived_by, [("three".to_string(), "coin".to_string())]);
        }
    }
    // A 50% event over 400 seeds: far outside 120..280 would mean the roll is broken.
    assert!(
        (120..=280).contains(&detoured),
        "the 50% event happened {detoured} times in 400"
    );
}

// ---------------------------------------------------------------- markdown

fn check_html(markdown: &str, must: &[&str], must_not: &[&str]) {
    let html = to_safe_html(markdown);
    for m in must {
        assert!(html.contains(m), "expected {m:?} in {html:?}");
    }
    for m in must_not {
        assert!(
            !html.to_ascii_lowercase().contains(&m.to_ascii_lowercase()),
            "unexpected {m:?} in {html:?}"
        );
    }
}

#[test]
fn raw_html_is_shown_as_text() {
    check_html(
        "<script>alert(1)</script>",
        &["&lt;script&gt;"],
        &["<script"],
    );
    check_html(
        "Hi <img src=x onerror=alert(1)> there",
        &["&lt;img"],
        &["<img"],
    );
    check_html(
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        &["&lt;iframe"],
        &["<iframe"],
    );
}

#[test]
fn only_safe_link_schemes_survive() {
    check_html(
        "[a](javascript:alert(1))",
        &["a"],
        &["href=\"javascript", "<a "],
    );
    check_html(
        "[a](JaVaScRiPt:alert(1))",
        &[],
        &["href=\"javascript", "<a "],
    );
    check_html("[a](data:text/html,hi)", &[], &["href=\"data", "<a "]);
    check_html("[a](vbscript:x)", &[], &["<a "]);
    check_html("<javascript:alert(1)>", &[], &["<a "]);
    check_html(
        "[guidance](https://www.gov.uk/x)",
        &["<a href=\"https://www.gov.uk/x\">guidance</a>"],
        &[],
    );
    check_html(
        "[mail](mailto:team@example.org)",
        &["href=\"mailto:team@example.org\""],
        &[],
    );
    check_html(
        "[below](#notes) and [page](notes/a:b)",
        &["href=\"#notes\"", "href=\"notes/a:b\""],
        &[],
    );
}

#[test]
fn images_are_dropped_but_their_words_stay_and_headings_sit_below_the_screen_heading() {
    check_html(
        "![a tracker](https://example.org/t.png)",
        &["a tracker"],
        &["<img"],
    );
    check_html(
        "# Big\n\n## Bigger",
        &["<h3>Big</h3>", "<h3>Bigger</h3>"],
        &["<h1", "<h2"],
    );
    check_html(
        "**bold** and *soft*",
        &["<strong>bold</strong>", "<em>soft</em>"],
        &[],
    );
}

// ---------------------------------------------------------------- bundled scenarios

#[test]
fn every_bundled_scenario_validates() {
    for (name, text) in bundled() {
        if let Err(problems) = load(&name, &text) {
            panic!("{name}:\n{}", listing(&problems));
        }
    }
}

#[test]
fn the_authoring_guide_example_validates() {
    let guide = std::fs::read_to_string(repo().join("scenarios/README.md")).unwrap();
    let section = guide
        .find("## A complete small example")
        .expect("the guide has a complete example");
    let start = section
        + guide[section..]
            .find("```text\n")
            .expect("the example is a ```text block")
        + "```text\n".len();
    let end = start + guide[start..].find("\n```").unwrap();
    let s = ok(&guide[start..end]);
    assert!(s.endings().count() >= 1);
}

/// Longest path counted in decision steps, over choices and event redirects (the cases are
/// acyclic; a cycle would make this loop forever, so it is bounded by the step count).
fn longest_decisions(
    s: &Scenario,
    from: &str,
    memo: &mut BTreeMap<String, usize>,
    depth: usize,
) -> usize {
    if let Some(n) = memo.get(from) {
        return *n;
    }
    let step = s.step(from).unwrap();
    if step.is_ending() || depth > s.steps.len() {
        return 0;
    }
    let next: BTreeSet<&str> = step
        .choices()
        .iter()
        .map(|c| c.goto.value.as_str())
        .chain(
            step.events()
                .iter()
                .filter_map(|e| e.goto.as_ref().map(|g| g.value.as_str())),
        )
        .collect();
    let best = next
        .into_iter()
        .map(|n| longest_decisions(s, n, memo, depth + 1))
        .max()
        .unwrap_or(0);
    memo.insert(from.to_string(), best + 1);
    best + 1
}

#[test]
fn imran_is_a_case_in_depth() {
    let text = std::fs::read_to_string(repo().join("scenarios/imran.md")).unwrap();
    let s = ok(&text);
    let longest = longest_decisions(&s, &s.start.value, &mut BTreeMap::new(), 0);
    assert!(longest >= 10, "longest path has {longest} decision steps");
    let outcomes: BTreeSet<&str> = s.endings().filter_map(|e| e.outcome()).collect();
    assert!(
        outcomes.len() >= 3,
        "endings must differ in what happens to the children: {outcomes:?}"
    );
    let events: Vec<_> = s
        .steps
        .iter()
        .flat_map(|st| st.events())
        .filter(|e| e.chance < 100)
        .collect();
    assert!(
        events.iter().any(|e| e.goto.is_some()),
        "a random event should change what follows"
    );
    for step in &s.steps {
        for c in step.choices() {
            assert!(
                c.feedback.split_whitespace().count() >= 12,
                "choice {} has thin feedback",
                c.id
            );
        }
        let grades: BTreeSet<Grade> = step.choices().iter().map(|c| c.grade).collect();
        assert!(
            step.choices().len() < 2 || grades.len() >= 2,
            "step {} has only one grade of choice",
            step.id
        );
    }
    assert_eq!(s.nation, "England");
    assert!(!s.notes.is_empty());
}

/// Random walks through every bundled case: many seeds, random choices; every walk must reach
/// an ending, with no engine error, within a bound.
#[test]
fn random_walks_through_every_bundled_case_always_end() {
    for (name, text) in bundled() {
        let s = load(&name, &text).unwrap();
        let mut endings: BTreeSet<String> = BTreeSet::new();
        for seed in 0..600u64 {
            let mut pick = StdRng::seed_from_u64(seed.wrapping_mul(7919));
            let mut run = Run::start(&s, seed).unwrap();
            let mut turns = 0;
            while !run.is_ended(&s) {
                let choices = run.available_choices(&s);
                assert!(
                    !choices.is_empty(),
                    "{name}: stuck at {} (seed {seed})",
                    run.step
                );
                let id = choices[pick.random_range(0..choices.len())].id.clone();
                run.choose(&s, &id)
                    .unwrap_or_else(|e| panic!("{name}: {e} (seed {seed})"));
                turns += 1;
                assert!(
                    turns < 200,
                    "{name}: no ending after 200 decisions (seed {seed})"
                );
            }
            endings.insert(run.step.clone());
        }
        let all: BTreeSet<String> = s.endings().map(|e| e.id.clone()).collect();
        assert_eq!(
            endings, all,
            "{name}: random walks should reach every ending"
        );
    }
}

#[test]
fn a_written_scenario_reads_back_the_same() {
    for (name, text) in bundled() {
        let s = load(&name, &text).unwrap();
        let written = write::write(&s, &|body| body.to_string());
        let back = load(&name, &written).unwrap_or_else(|p| {
            panic!(
                "{name} round trip: {:?}",
                p.iter().map(|p| p.to_string()).collect::<Vec<_>>()
            )
        });
        assert_eq!(back.steps.len(), s.steps.len());
        for (a, b) in s.steps.iter().zip(&back.steps) {
            assert_eq!(
                (&a.id, &a.title, &a.body, a.outcome()),
                (&b.id, &b.title, &b.body, b.outcome())
            );
            let ids = |st: &thresholds_core::model::Step| {
                st.choices()
                    .iter()
                    .map(|c| {
                        (
                            c.id.clone(),
                            c.goto.value.clone(),
                            c.grade,
                            c.effects.len(),
                            c.condition.tests.len(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(a), ids(b));
            assert_eq!(a.events().len(), b.events().len());
        }
        // The same seed and choices play the same in both.
        let mut r1 = Run::start(&s, 99).unwrap();
        let mut r2 = Run::start(&back, 99).unwrap();
        while !r1.is_ended(&s) {
            let id = r1.available_choices(&s).last().unwrap().id.clone();
            r1.choose(&s, &id).unwrap();
            r2.choose(&back, &id).unwrap();
        }
        assert_eq!(r1, r2);
    }
}

#[test]
fn compiled_bodies_cannot_start_a_block() {
    // A body that renders to a line starting with '#' (e.g. inside a code block) must not be
    // read back as a heading of the format.
    let s = ok(SMALL);
    let render = |body: &str| format!("{body}\n## step injected\n### choice injected");
    let written = write::write(&s, &render);
    let back = ok(&written);
    assert_eq!(back.steps.len(), s.steps.len(), "a body line became a step");
    assert!(back.steps[0].choices()[0]
        .feedback
        .contains("&#35;# step injected"));
}

// ---------------------------------------------------------------- tidy

/// The simulation core must stay free of web dependencies, so it tests natively and any
/// safeguarding rule lives where it can be tested.
#[test]
fn tidy_the_core_imports_nothing_from_the_web_layer() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap();
    for forbidden in ["leptos", "web-sys", "wasm-bindgen", "js-sys", "gloo"] {
        assert!(
            !deps.contains(forbidden),
            "crates/core depends on {forbidden}"
        );
    }
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for forbidden in [
            "leptos::",
            "use leptos",
            "web_sys::",
            "wasm_bindgen::",
            "js_sys::",
            "gloo",
            "localStorage",
        ] {
            assert!(
                !src.contains(forbidden),
                "{} mentions {forbidden}",
                path.display()
            );
        }
    }
}
