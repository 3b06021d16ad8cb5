//! The core's one integration-test binary (one binary keeps link times down). Tests are about
//! features, each through a small `check`-style helper, and data-driven where that reads better:
//! the negative fixtures live in `tests/fixtures/invalid/` at the repository root, each `*.md`
//! beside a `*.expected` that lists the `line: message` problems it must produce.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use thresholds_core::engine::{EngineError, LogEntry, Source};
use thresholds_core::markdown::to_safe_html;
use thresholds_core::model::{Grade, Scenario, Share};
use thresholds_core::{load, Run};

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

/// The area's threshold files as text, then loaded.
fn area_text() -> (String, String) {
    let dir = repo().join("scenarios/area");
    (
        std::fs::read_to_string(dir.join("framework.md")).unwrap(),
        std::fs::read_to_string(dir.join("services.md")).unwrap(),
    )
}

fn area() -> thresholds_core::area::Area {
    let (fw, sv) = area_text();
    thresholds_core::area::load_area(("framework.md", &fw), ("services.md", &sv))
        .unwrap_or_else(|p| panic!("{}", listing(&p)))
}

/// The bundled rubrics, loaded.
fn rubric_file() -> thresholds_core::score::Rubrics {
    let text = std::fs::read_to_string(repo().join("scenarios/guidance/rubrics.md")).unwrap();
    thresholds_core::score::load_rubrics("rubrics.md", &text)
        .unwrap_or_else(|p| panic!("{}", listing(&p)))
}

fn imran() -> Scenario {
    ok(&std::fs::read_to_string(repo().join("scenarios/imran.md")).unwrap())
}

/// Plays the listed choices wherever one is available; elsewhere (a random detour, or a step
/// the list does not cover) takes the first choice.
fn play_path(s: &Scenario, seed: u64, wanted: &[&str]) -> Run {
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
share: known, found with csc basis consent parent told

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
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{name} has no .expected file"));
        // The whole authoring check, as scripts/check-case runs it: problems and warnings.
        let problems =
            match thresholds_core::problem::text_of(&name, &std::fs::read(&path).unwrap()) {
                Err(p) => vec![p],
                Ok(text) => {
                    let rubrics = thresholds_core::score::load_rubrics(
                        "rubrics.md",
                        &std::fs::read_to_string(repo().join("scenarios/guidance/rubrics.md"))
                            .unwrap(),
                    )
                    .unwrap();
                    let c = thresholds_core::authoring::check_case(&area(), &rubrics, &name, &text);
                    c.problems.into_iter().chain(c.warnings).collect()
                }
            };
        assert!(!problems.is_empty(), "{name} should not pass");
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
        checked >= 38,
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
    assert_eq!(run.knowledge()["you"]["found"].source, Source::Discovered);
    assert_eq!(run.knowledge()["you"]["found"].since, 1);
    assert!(
        !run.knows("csc", "found"),
        "children's social care has not been told"
    );
    let outcome = run.choose(&s, "share").unwrap();
    assert_eq!(outcome.shared.len(), 2);
    assert_eq!(
        run.knowledge()["csc"]["found"].source,
        Source::SharedBy {
            service: "you".into()
        }
    );
    assert_eq!(run.knowledge()["csc"]["found"].since, 2);
}

#[test]
fn a_service_only_shares_what_it_holds() {
    // The share is open without asking, so the trainee never found "found" out.
    let s = ok(&SMALL.replace("if: asked\n", ""));
    let mut run = play(&s, 1, &["skip"]);
    assert!(!run.knows("you", "found"));
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
    assert!(!run.has_flag("asked"));
    let kinds: Vec<&str> = run
        .log()
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
    if run.step() == "detour" {
        run.choose(&s, "back").unwrap();
    } else {
        run.choose(&s, "end").unwrap();
    }
    assert!(run.is_ended(&s));
    assert!(matches!(run.log().last(), Some(LogEntry::Ended { ending, .. }) if ending == "end"));
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
        if a.step() == "detour" {
            detoured += 1;
            assert!(a.has_flag("detoured"));
            assert_eq!(a.arrived_by(), [("three".to_string(), "coin".to_string())]);
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
    // The whole authoring check passes on it too, as scripts/check-case runs it.
    let rubrics = rubric_file();
    let c =
        thresholds_core::authoring::check_case(&area(), &rubrics, "example.md", &guide[start..end]);
    assert!(c.problems.is_empty(), "{}", listing(&c.problems));
    assert!(c.warnings.is_empty(), "{}", listing(&c.warnings));
}

#[test]
fn a_case_card_says_about_how_long_the_case_takes_alone_and_with_a_room() {
    use thresholds_core::summary::time_estimate;
    let t = time_estimate(8, 12);
    assert_eq!(
        t.alone,
        (25, 30),
        "2 minutes a decision and 5 for the debrief, to 5 minutes"
    );
    assert_eq!(
        t.room,
        (55, 75),
        "5 minutes a decision and 15 for the debrief"
    );
    let tom = thresholds_core::summary::summarise(&ok(&std::fs::read_to_string(
        repo().join("scenarios/tom.md"),
    )
    .unwrap()));
    let (short, long) = (tom.shortest.unwrap().0, tom.longest.unwrap().0);
    let t = time_estimate(short, long);
    assert!(t.alone.0 <= t.alone.1 && t.room.0 <= t.room.1 && t.alone.1 < t.room.1);
}

/// Longest path counted in decision steps, over choices and event redirects (the cases are
/// acyclic; a cycle would make this loop forever, so it is bounded by the step count).
/// Issue 5's bar for every bundled case: a longest path of at least 10 decisions, at least three
/// endings that differ for the children, a seeded event that changes what follows, feedback on
/// every choice, graded choices, England by default, sources, and what the home screen shows.
#[test]
fn every_bundled_case_is_a_case_in_depth() {
    use thresholds_core::summary::summarise;

    let cases = bundled();
    assert!(cases.len() >= 3, "Imran, Abby and Tom at least");
    for (name, text) in cases {
        let s = ok(&text);
        let summary = summarise(&s);
        let (longest, _) = summary.longest.clone().unwrap();
        assert!(
            longest >= 10,
            "{name}: longest path has {longest} decisions"
        );
        let outcomes: BTreeSet<&str> = s.endings().filter_map(|e| e.outcome()).collect();
        assert!(
            outcomes.len() >= 3,
            "{name}: endings must differ in what happens to the children: {outcomes:?}"
        );
        assert!(
            s.steps
                .iter()
                .flat_map(|st| st.events())
                .any(|e| e.chance < 100 && e.goto.is_some()),
            "{name}: a seeded random event should change what follows"
        );
        assert_eq!(summary.never_revealed, Vec::<String>::new(), "{name}");
        for step in &s.steps {
            for c in step.choices() {
                assert!(
                    c.feedback.text().split_whitespace().count() >= 12,
                    "{name}: choice {} has thin feedback",
                    c.id
                );
                // The feedback shows the choice's notes and its step's: one at least, so every
                // choice's feedback names a public source.
                assert!(
                    !c.notes.is_empty() || !step.notes.is_empty(),
                    "{name}: choice {} at {} cites no source",
                    c.id,
                    step.id
                );
            }
            let grades: BTreeSet<Grade> = step.choices().iter().map(|c| c.grade).collect();
            assert!(
                step.choices().len() < 2 || grades.len() >= 2,
                "{name}: step {} has only one grade of choice",
                step.id
            );
        }
        assert_eq!(s.nation, "England", "{name}");
        assert!(!s.notes.is_empty(), "{name}: cite the case's sources");
        assert!(
            !s.summary.is_empty() && !s.content_note.is_empty(),
            "{name}"
        );
        assert!(!s.key_services.is_empty(), "{name}: name the key services");
        assert!(
            thresholds_core::score::expert_path(&s, s.default_seed).len() >= 8,
            "{name}: the expert path should be a real path"
        );
    }
}

/// Random walks through every bundled case: 10,000 seeds per case, random choices; every walk
/// must reach an ending, with no engine error, within a bound, and every ending is reached.
#[test]
fn random_walks_through_every_bundled_case_always_end() {
    for (name, text) in bundled() {
        let s = load(&name, &text).unwrap();
        let mut endings: BTreeSet<String> = BTreeSet::new();
        for seed in 0..10_000u64 {
            let mut pick = StdRng::seed_from_u64(seed.wrapping_mul(7919));
            let mut run = Run::start(&s, seed).unwrap();
            let mut turns = 0;
            while !run.is_ended(&s) {
                let choices = run.available_choices(&s);
                assert!(
                    !choices.is_empty(),
                    "{name}: stuck at {} (seed {seed})",
                    run.step()
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
            endings.insert(run.step().to_string());
        }
        let all: BTreeSet<String> = s.endings().map(|e| e.id.clone()).collect();
        assert_eq!(
            endings, all,
            "{name}: random walks should reach every ending"
        );
    }
}

/// Clears what the compiled form does not keep (lines, the file name), so a decoded case can be
/// compared with the one the validator read.
/// The case as `codec` gives it back when the build's renderer is plain escaping: every body
/// compiled to safe HTML.
fn escaped_bodies(mut s: Scenario) -> Scenario {
    use thresholds_core::model::Prose;
    use thresholds_core::safe::SafeHtml;
    let compile = |p: &mut Prose| *p = Prose::Html(SafeHtml::escape(p.text()));
    compile(&mut s.intro);
    s.facts.iter_mut().for_each(|f| compile(&mut f.detail));
    for step in &mut s.steps {
        compile(&mut step.body);
        match &mut step.kind {
            thresholds_core::model::StepKind::Decision { choices, events } => {
                choices.iter_mut().for_each(|c| compile(&mut c.feedback));
                events.iter_mut().for_each(|e| compile(&mut e.text));
            }
            thresholds_core::model::StepKind::Ending { events, .. } => {
                events.iter_mut().for_each(|e| compile(&mut e.text));
            }
        }
    }
    s
}

fn without_lines(mut s: Scenario) -> Scenario {
    use thresholds_core::model::{Effect, Spanned, StepKind};
    fn span(x: &mut Spanned<String>) {
        x.line = 0;
    }
    fn effects(list: &mut [Effect]) {
        for e in list {
            match e {
                Effect::Reveal { facts, to } => {
                    facts.iter_mut().for_each(span);
                    span(to);
                }
                Effect::Share {
                    facts, from, to, ..
                } => {
                    facts.iter_mut().for_each(span);
                    span(from);
                    span(to);
                }
                Effect::SetFlag(f) | Effect::ClearFlag(f) => span(f),
            }
        }
    }
    s.file.clear();
    s.line = 0;
    span(&mut s.start);
    s.key_services.iter_mut().for_each(span);
    for x in &mut s.services {
        x.line = 0;
        x.knows_at_start.iter_mut().for_each(span);
    }
    for f in &mut s.facts {
        f.line = 0;
        f.resolves.iter_mut().for_each(span);
    }
    // Level statements are for the authoring check; the compiled form does not carry them.
    let event = |e: &mut thresholds_core::model::RandomEvent| {
        e.line = 0;
        e.statements.clear();
        e.goto.iter_mut().for_each(span);
        e.condition.tests.iter_mut().for_each(|t| t.line = 0);
        effects(&mut e.effects);
    };
    for st in &mut s.steps {
        st.line = 0;
        st.statements.clear();
        match &mut st.kind {
            StepKind::Decision { choices, events } => {
                for c in choices {
                    c.line = 0;
                    c.statements.clear();
                    span(&mut c.goto);
                    c.credits.iter_mut().for_each(span);
                    c.errors.iter_mut().for_each(span);
                    c.condition.tests.iter_mut().for_each(|t| t.line = 0);
                    effects(&mut c.effects);
                }
                events.iter_mut().for_each(event);
            }
            StepKind::Ending { events, .. } => events.iter_mut().for_each(event),
        }
    }
    s
}

/// What the build compiles is what the browser reads: every bundled case, the area and the
/// rubrics decode to what was encoded, and play the same.
#[test]
fn the_compiled_form_reads_back_the_same() {
    use thresholds_core::codec::*;
    for (name, text) in bundled() {
        let s = load(&name, &text).unwrap();
        let bytes = encode_case(&s, &|body| thresholds_core::safe::SafeHtml::escape(body));
        let back = decode_case("", &bytes).unwrap_or_else(|| panic!("{name} does not decode"));
        assert_eq!(back, escaped_bodies(without_lines(s.clone())), "{name}");
        let mut r1 = Run::start(&s, 99).unwrap();
        let mut r2 = Run::start(&back, 99).unwrap();
        while !r1.is_ended(&s) {
            let id = r1.available_choices(&s).last().unwrap().id.clone();
            r1.choose(&s, &id).unwrap();
            r2.choose(&back, &id).unwrap();
        }
        assert_eq!(r1, r2, "{name}");
        // Bodies go through the renderer the build passes in.
        let html = decode_case(
            "",
            &encode_case(&s, &|b| thresholds_core::html!("<p>{}</p>", b)),
        )
        .unwrap();
        assert_eq!(
            html.steps[0].body.text(),
            format!(
                "<p>{}</p>",
                thresholds_core::safe::escape(s.steps[0].body.text())
            )
        );
    }
    let a = area();
    let back = decode_area(&encode_area(&a)).unwrap();
    assert_eq!(back.services.len(), a.services.len());
    assert_eq!(back.framework.levels.len(), a.framework.levels.len());
    for (x, y) in a.services.iter().zip(&back.services) {
        assert_eq!(
            (&x.id, &x.name, x.front_door),
            (&y.id, &y.name, y.front_door)
        );
        for (l, m) in x.levels.iter().zip(&y.levels) {
            assert_eq!(
                (&l.level, &l.does, l.rules.len()),
                (&m.level, &m.does, m.rules.len())
            );
            for (r, q) in l.rules.iter().zip(&m.rules) {
                assert_eq!(r.all_of, q.all_of);
            }
        }
    }
    let text = std::fs::read_to_string(repo().join("scenarios/guidance/rubrics.md")).unwrap();
    let r = thresholds_core::score::load_rubrics("r", &text).unwrap();
    let back = decode_rubrics(&encode_rubrics(&r)).unwrap();
    assert_eq!(back.rubrics.len(), r.rubrics.len());
    for (x, y) in r
        .rubrics
        .iter()
        .flat_map(|x| &x.items)
        .zip(back.rubrics.iter().flat_map(|x| &x.items))
    {
        assert_eq!(
            (&x.id, &x.name, &x.good, &x.source),
            (&y.id, &y.name, &y.good, &y.source)
        );
    }
}

/// Damaged bytes never panic; truncated, extended or stale bytes are refused, so a build fault
/// cannot start a broken case.
#[test]
fn damaged_compiled_bytes_are_refused_not_misread() {
    use thresholds_core::codec::*;
    let s = imran();
    let bytes = encode_case(&s, &to_safe_html);
    assert!(
        decode_case("", &bytes[..bytes.len() - 1]).is_none(),
        "truncated"
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(decode_case("", &longer).is_none(), "trailing bytes");
    let mut stale = bytes.clone();
    stale[0] = stale[0].wrapping_add(1);
    assert!(decode_case("", &stale).is_none(), "another version");
    assert!(decode_case("", &[]).is_none());
    // Every single-byte truncation point, and a sweep of flipped bytes: no panic.
    let mut rng = StdRng::seed_from_u64(7);
    for cut in (0..bytes.len()).step_by(97) {
        let _ = decode_case("", &bytes[..cut]);
    }
    for _ in 0..2000 {
        let mut damaged = bytes.clone();
        let at = rng.random_range(0..damaged.len());
        let was = damaged[at];
        damaged[at] = rng.random_range(0..=255u8);
        // Issue 12: a checksum refuses any changed byte before anything is read from it.
        assert_eq!(
            decode_case("", &damaged).is_some(),
            damaged[at] == was,
            "byte {at} changed"
        );
        let _ = decode_area(&damaged);
        let _ = decode_rubrics(&damaged);
    }
    // Structural checks: an area with no levels, which the panel would index into, is refused
    // even when its bytes are whole.
    let mut empty = area();
    empty.framework.levels.clear();
    assert!(decode_area(&encode_area(&empty)).is_none());
    assert!(decode_area(&encode_area(&area())).is_some());
    // A case whose choice leads to a step it does not have is refused too.
    let mut lost = imran();
    if let thresholds_core::model::StepKind::Decision { choices, .. } = &mut lost.steps[0].kind {
        choices[0].goto.value = "nowhere".into();
    }
    assert!(decode_case("", &encode_case(&lost, &to_safe_html)).is_none());
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
    // Every source file, in subfolders too.
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("score/sharing.rs")));
    for path in files {
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

// ---------------------------------------------------------------- thresholds

mod thresholds {
    use super::*;
    use thresholds_core::area::{load_area, Area};
    use thresholds_core::model::{Basis, Fact};
    use thresholds_core::thresholds::{full_picture, not_needed, panel, respond};

    fn facts(indicator_sets: &[&str]) -> Vec<Fact> {
        indicator_sets
            .iter()
            .enumerate()
            .map(|(i, set)| Fact {
                id: format!("f{i}"),
                label: set.to_string(),
                indicators: set.split_whitespace().map(String::from).collect(),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn the_last_action_says_which_levels_moved_from_what_to_what_and_why() {
        use thresholds_core::thresholds::level_changes;
        use thresholds_core::{Mode, Session};
        let (a, s) = (super::area(), imran());
        let mut x = Session::start(&s, Mode::SelfPaced, 2013, "").unwrap();
        assert!(
            x.before_last(&s).is_none(),
            "nothing moved before any action"
        );
        x.choose(&s, "ask-children").unwrap();
        let before = x.before_last(&s).unwrap();
        assert_eq!(before.turn(), 0);
        let changes = level_changes(&a, &s, &before, &x.run);
        let rank = |id: &str| a.framework.levels.iter().position(|l| l.id == id).unwrap();
        let drug = changes
            .iter()
            .find(|c| c.service.as_deref() == Some("drug-service"))
            .expect("the drug service moved");
        assert_eq!(
            (drug.was, drug.now),
            (rank("early-help"), rank("child-protection"))
        );
        assert!(
            drug.learned.contains(&"methadone-in-fridge".to_string()),
            "{drug:?}"
        );
        let full = changes
            .iter()
            .find(|c| c.service.is_none())
            .expect("the full picture moved");
        assert_eq!(
            (full.was, full.now),
            (rank("child-in-need"), rank("child-protection"))
        );
        // A service that learned nothing did not move, and is not listed.
        assert!(changes
            .iter()
            .all(|c| c.service.as_deref() != Some("school")));
        // A share moves the recipient only.
        x.share(
            &s,
            &Share::new(
                &["methadone-in-fridge", "children-at-home"],
                "health-visiting",
                Basis::Safeguarding,
                true,
            ),
        )
        .unwrap();
        let moved: Vec<Option<String>> = level_changes(&a, &s, &x.before_last(&s).unwrap(), &x.run)
            .into_iter()
            .map(|c| c.service)
            .collect();
        assert_eq!(moved, vec![Some("health-visiting".to_string())]);
    }

    /// `check(service, indicators held, expected level)`: one line per rule worth pinning.
    fn check(area: &Area, service: &str, held: &[&str], expected: &str) {
        let facts = facts(held);
        let refs: Vec<&Fact> = facts.iter().collect();
        let got = respond(
            area,
            area.service(service)
                .unwrap_or_else(|| panic!("no service {service}")),
            &refs,
        );
        assert_eq!(got.level, expected, "{service} holding {held:?}");
        if got.rank > 0 {
            assert!(
                !got.because.is_empty(),
                "{service} at {expected} should say which facts put it there"
            );
        }
        assert!(
            !got.does.is_empty(),
            "{service} at {expected} should say what it would do"
        );
    }

    #[test]
    fn every_service_responds_at_each_level_to_what_it_holds() {
        let a = area();
        assert!(a.services.len() >= 12, "{} services", a.services.len());
        let kids = "child.lives_with_parent child.under_5";
        // Adult drug and alcohol treatment.
        check(&a, "drug-service", &[], "universal");
        check(
            &a,
            "drug-service",
            &["parent.substance_use", kids],
            "early-help",
        );
        check(
            &a,
            "drug-service",
            &["parent.relapse", kids],
            "child-in-need",
        );
        check(
            &a,
            "drug-service",
            &["storage.unsafe", kids],
            "child-protection",
        );
        check(&a, "drug-service", &["child.ingestion"], "emergency");
        // Children's social care: substance use alone is not a threshold.
        check(
            &a,
            "childrens-social-care",
            &["parent.substance_use"],
            "universal",
        );
        check(
            &a,
            "childrens-social-care",
            &["parent.substance_use", kids],
            "early-help",
        );
        check(
            &a,
            "childrens-social-care",
            &["child.school_absence", "parent.alcohol_misuse"],
            "child-in-need",
        );
        check(
            &a,
            "childrens-social-care",
            &["care.intoxicated_carer parent.alcohol_misuse", kids],
            "child-protection",
        );
        check(
            &a,
            "childrens-social-care",
            &["child.ingestion"],
            "emergency",
        );
        // Health visiting.
        check(&a, "health-visiting", &[kids], "universal");
        check(
            &a,
            "health-visiting",
            &["child.missed_health_appointments"],
            "early-help",
        );
        check(
            &a,
            "health-visiting",
            &["medication.take_home", kids],
            "child-in-need",
        );
        check(
            &a,
            "health-visiting",
            &["storage.unsafe", kids],
            "child-protection",
        );
        // School.
        check(&a, "school", &["child.school_absence"], "early-help");
        check(
            &a,
            "school",
            &["child.school_absence", "parent.alcohol_misuse"],
            "child-in-need",
        );
        // A carer incapable of caring: a referral for any child; child protection for a young one.
        check(&a, "school", &["care.intoxicated_carer"], "child-in-need");
        check(
            &a,
            "school",
            &["care.intoxicated_carer child.under_5"],
            "child-protection",
        );
        // Age matters: unsafe storage with an older child who visits (Tom's Danielle, 12) is
        // a child in need concern for the school, not child protection, which is kept for a
        // child under five (Imran's David). The pharmacy sees a child collecting take-home
        // doses; a new adult or stimulant visitors (Abby).
        check(
            &a,
            "school",
            &["storage.unsafe child.visits"],
            "child-in-need",
        );
        check(
            &a,
            "school",
            &["storage.unsafe child.visits child.under_5"],
            "child-protection",
        );
        check(
            &a,
            "pharmacy",
            &["child.caring_role medication.take_home"],
            "child-in-need",
        );
        check(&a, "pharmacy", &["parent.missed_doses"], "early-help");
        check(
            &a,
            "childrens-social-care",
            &["household.unsafe_visitors child.under_5"],
            "child-protection",
        );
        check(
            &a,
            "health-visiting",
            &["household.new_adult child.under_5"],
            "early-help",
        );
        check(
            &a,
            "kinship-support",
            &["family.kinship_strain"],
            "child-in-need",
        );
        // Others, one level each.
        check(&a, "gp", &["parent.relapse", kids], "child-in-need");
        check(
            &a,
            "midwifery",
            &["child.unborn parent.substance_use"],
            "child-in-need",
        );
        check(&a, "police", &["domestic_abuse.incident"], "early-help");
        check(
            &a,
            "police",
            &["domestic_abuse.incident parent.alcohol_misuse"],
            "child-in-need",
        );
        check(&a, "probation", &["parent.offending", kids], "early-help");
        check(
            &a,
            "adult-mental-health",
            &["parent.mental_ill_health", kids],
            "early-help",
        );
        check(
            &a,
            "domestic-abuse",
            &["domestic_abuse.serious"],
            "child-protection",
        );
        check(&a, "early-help", &["child.caring_role"], "child-in-need");
        check(
            &a,
            "kinship-support",
            &["family.kinship_care"],
            "early-help",
        );
        check(
            &a,
            "young-carers",
            &["child.caring_role", "parent.substance_use"],
            "child-in-need",
        );
    }

    #[test]
    fn combinations_matter_more_than_single_indicators() {
        let a = area();
        let alone = facts(&["parent.alcohol_misuse"]);
        let with_child = facts(&[
            "parent.alcohol_misuse",
            "child.lives_with_parent child.under_5",
            "care.intoxicated_carer",
        ]);
        assert_eq!(
            full_picture(&a, &alone.iter().collect::<Vec<_>>()).level,
            "universal"
        );
        let full = full_picture(&a, &with_child.iter().collect::<Vec<_>>());
        assert_eq!(full.level, "child-protection");
        assert!(
            full.because.contains(&"f2".to_string()) && full.because.contains(&"f1".to_string()),
            "{full:?}"
        );
    }

    #[test]
    fn the_framework_can_rename_and_reorder_levels_without_code_changes() {
        let (fw, sv) = area_text();
        // An area that calls level 2 "Targeted support" and puts child in need above child protection
        // (nonsense in practice, but it proves ranks come from the file, not the code).
        let renamed = fw.replace(
            "name: Early help: additional needs",
            "name: Targeted support",
        );
        let a = load_area(("framework.md", &renamed), ("services.md", &sv)).unwrap();
        assert_eq!(a.framework.levels[1].name, "Targeted support");
        let cin = fw.find("## level child-in-need").unwrap();
        let cp = fw.find("## level child-protection").unwrap();
        let em = fw.find("## level emergency").unwrap();
        let reordered = format!("{}{}{}{}", &fw[..cin], &fw[cp..em], &fw[cin..cp], &fw[em..]);
        let a = load_area(("framework.md", &reordered), ("services.md", &sv)).unwrap();
        assert_eq!(a.rank("child-in-need"), Some(3));
        assert_eq!(a.rank("child-protection"), Some(2));
        let both = facts(&["storage.unsafe child.under_5", "child.caring_role"]);
        assert_eq!(
            respond(
                &a,
                a.service("childrens-social-care").unwrap(),
                &both.iter().collect::<Vec<_>>()
            )
            .level,
            "child-in-need"
        );
    }

    #[test]
    fn area_files_with_mistakes_are_reported_with_file_and_line() {
        let (fw, sv) = area_text();
        let bad_sv = sv.replacen("### level early-help", "### level earlyhelp", 1);
        let problems = load_area(("framework.md", &fw), ("services.md", &bad_sv)).unwrap_err();
        let line = sv
            .lines()
            .position(|l| l == "### level early-help")
            .unwrap()
            + 1;
        assert!(
            listing(&problems).contains(&format!("services.md:{line}: unknown level 'earlyhelp'")),
            "{}",
            listing(&problems)
        );
        let bad_fw = fw.replace("when: child.ingestion", "when: child ingestion!");
        let problems = load_area(("framework.md", &bad_fw), ("services.md", &sv)).unwrap_err();
        assert!(
            listing(&problems).contains("is not an indicator name"),
            "{}",
            listing(&problems)
        );
    }

    #[test]
    fn every_bundled_case_uses_only_services_the_area_defines() {
        let a = area();
        for (name, text) in bundled() {
            let s = load(&name, &text).unwrap();
            assert_eq!(
                thresholds_core::thresholds::check_case(&a, &s),
                vec![],
                "{name}"
            );
        }
    }

    #[test]
    fn a_service_never_sees_a_fact_it_was_not_given() {
        let (a, s) = (area(), imran());
        for seed in 0..50 {
            let mut run = Run::start(&s, seed).unwrap();
            let mut pick = StdRng::seed_from_u64(seed);
            while !run.is_ended(&s) {
                let choices = run.available_choices(&s);
                let id = choices[pick.random_range(0..choices.len())].id.clone();
                run.choose(&s, &id).unwrap();
                let p = panel(&a, &s, &run);
                for row in &p.services {
                    for fact in &row.response.because {
                        assert!(
                            run.knows(&row.service, fact),
                            "{} reasons with {fact} it does not hold",
                            row.service
                        );
                    }
                    assert!(row.response.rank <= p.full.rank || row.missing.is_empty());
                }
            }
        }
    }

    #[test]
    fn imran_never_sharing_keeps_childrens_social_care_below_the_full_picture() {
        let (a, s) = (area(), imran());
        // The worker finds out everything but keeps it in the service.
        let quiet = [
            "ask-children",
            "trust-him",
            "day-in-the-life",
            "keep-it-in",
            "visit-after-school",
            "keep-prescription",
            "wait-for-more",
            "need-consent",
            "keep-monitoring",
            "agree-increase",
        ];
        for seed in [3, 11, 2013] {
            let mut run = Run::start(&s, seed).unwrap();
            let mut lowest_gap = usize::MAX;
            let mut i = 0;
            while !run.is_ended(&s) {
                let p = panel(&a, &s, &run);
                let csc = p
                    .services
                    .iter()
                    .find(|r| r.service == "childrens-social-care")
                    .unwrap();
                if run.turn() >= 2 {
                    lowest_gap = lowest_gap.min(p.full.rank.saturating_sub(csc.response.rank));
                    assert!(
                        csc.response.rank < p.full.rank,
                        "seed {seed}, step {}: CSC at {} while the full picture is {}",
                        run.step(),
                        csc.response.level,
                        p.full.level
                    );
                    assert!(!csc.missing.is_empty());
                }
                let available: Vec<String> = run
                    .available_choices(&s)
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                let next = quiet
                    .iter()
                    .skip(i)
                    .find(|q| available.iter().any(|a| a == *q));
                let id = next
                    .map(|q| q.to_string())
                    .unwrap_or_else(|| available[0].clone());
                if let Some(q) = next {
                    i = quiet.iter().position(|x| x == q).unwrap() + 1;
                }
                run.choose(&s, &id).unwrap();
            }
            assert!(lowest_gap >= 1);
        }
    }

    #[test]
    fn imran_named_points_show_the_expected_levels() {
        let (a, s) = (area(), imran());
        let level = |run: &Run, service: &str| {
            panel(&a, &s, run)
                .services
                .into_iter()
                .find(|r| r.service == service)
                .unwrap()
                .response
                .level
        };
        // At the start: the drug service sees a parent in treatment with children (early help);
        // children's social care knows nothing; the full picture already joins school absence
        // and parental substance use (child in need), though no single service holds both.
        let start = Run::start(&s, 1).unwrap();
        assert_eq!(level(&start, "drug-service"), "early-help");
        assert_eq!(level(&start, "childrens-social-care"), "universal");
        assert_eq!(panel(&a, &s, &start).full.level, "child-in-need");
        // Asking about the children reveals unsafe storage: the drug service and the full
        // picture reach child protection; the health visitor does not know.
        let mut asked = Run::start(&s, 1).unwrap();
        asked.choose(&s, "ask-children").unwrap();
        assert_eq!(level(&asked, "drug-service"), "child-protection");
        assert_eq!(panel(&a, &s, &asked).full.level, "child-protection");
        // (She already knows David missed his reviews: early help, below the full picture.)
        assert_eq!(level(&asked, "health-visiting"), "early-help");
        // Put right and referred the same day: the lockbox, seen in use, takes the drug service
        // and children's social care down to early help, and the panel says why.
        let mut secured = asked.clone();
        secured.choose(&s, "secure-and-refer").unwrap();
        assert_eq!(level(&secured, "drug-service"), "early-help");
        assert_eq!(level(&secured, "childrens-social-care"), "early-help");
        // Only giving the box leaves the risk in place for every service that heard of it.
        let mut boxed = asked.clone();
        boxed.choose(&s, "lockbox").unwrap();
        assert_eq!(level(&boxed, "drug-service"), "child-protection");
        // Drinking while the only adult with a three- and a five-year-old is child in need:
        // the referral that follows opens an s17 assessment, and the health visitor hears too.
        let mut referred = secured.clone();
        for c in ["day-in-the-life", "assessment-request"] {
            referred.choose(&s, c).unwrap();
        }
        assert_eq!(level(&referred, "drug-service"), "child-in-need");
        assert_eq!(level(&referred, "childrens-social-care"), "child-in-need");
        assert_eq!(level(&referred, "health-visiting"), "child-in-need");
        assert_eq!(referred.step(), "front-door");
        assert!(referred.log().iter().any(|e| matches!(e, LogEntry::Shared { to, basis: Some(Basis::Safeguarding), parent_told: Some(true), .. } if to == "health-visiting")));
        // Left in the fridge and referred later, the front door calls a strategy discussion.
        let mut late = Run::start(&s, 5).unwrap();
        for c in ["ask-children", "trust-him", "refer-fridge"] {
            late.choose(&s, c).unwrap();
        }
        assert_eq!(level(&late, "childrens-social-care"), "child-protection");
        assert_eq!(late.step(), "strategy-discussion");
    }

    #[test]
    fn shares_are_logged_with_their_basis_and_over_sharing_is_visible() {
        let (a, s) = (area(), imran());
        for (basis, told) in [
            (Basis::Consent, true),
            (Basis::Safeguarding, false),
            (Basis::None, false),
        ] {
            let mut run = Run::start(&s, 1).unwrap();
            let facts = vec!["jennifer-drinks".to_string(), "imran-hep-c".to_string()];
            let out = run
                .share(
                    &s,
                    &Share {
                        facts: facts.clone(),
                        to: "health-visiting".to_string(),
                        basis,
                        parent_told: told,
                    },
                )
                .unwrap();
            assert_eq!(out.shared.len(), 2);
            assert_eq!(run.turn(), 0, "a share does not move the story on");
            let logged: Vec<_> = run
                .log()
                .iter()
                .filter_map(|e| match e {
                    LogEntry::Shared {
                        fact,
                        basis,
                        parent_told,
                        ..
                    } => Some((fact.clone(), *basis, *parent_told)),
                    _ => None,
                })
                .collect();
            assert_eq!(
                logged,
                vec![
                    ("jennifer-drinks".into(), Some(basis), Some(told)),
                    ("imran-hep-c".into(), Some(basis), Some(told))
                ]
            );
            let extra: Vec<&str> = not_needed(&a, &s, "health-visiting", &facts)
                .iter()
                .map(|f| f.id.as_str())
                .collect();
            assert_eq!(
                extra,
                ["imran-hep-c"],
                "Imran's hepatitis C is not the health visitor's business"
            );
        }
        let mut run = Run::start(&s, 1).unwrap();
        assert!(matches!(
            run.share(
                &s,
                &Share {
                    facts: vec!["methadone-in-fridge".into()],
                    to: "school".to_string(),
                    basis: Basis::Safeguarding,
                    parent_told: true
                }
            ),
            Err(EngineError::NotHeld { .. })
        ));
        assert!(matches!(
            run.share(
                &s,
                &Share {
                    facts: vec!["jennifer-drinks".into()],
                    to: "nowhere".to_string(),
                    basis: Basis::Consent,
                    parent_told: true
                }
            ),
            Err(EngineError::UnknownService(_))
        ));
    }
}

/// Standing rule: every threshold rule cites where it comes from (or says it is typical practice).
#[test]
fn every_service_level_cites_its_source() {
    let area = area();
    for service in &area.services {
        for level in &service.levels {
            assert!(
                !level.notes.is_empty(),
                "services.md:{}: {} at {} has no note: cite the source",
                level.line,
                service.id,
                level.level
            );
        }
    }
    for level in &area.framework.levels {
        assert!(
            !level.law.is_empty(),
            "framework.md:{}: level {} has no 'law'",
            level.line,
            level.id
        );
    }
}

// ---------------------------------------------------------------- scoring

mod scoring {
    use super::*;
    use thresholds_core::model::Basis;
    use thresholds_core::score::{
        expert_path, levels_by_turn, load_rubrics, score, Rubrics, Scores,
    };

    fn rubrics() -> Rubrics {
        rubric_file()
    }

    fn scored(run: &Run) -> Scores {
        score(&area(), &rubrics(), &imran(), run)
    }

    /// A parent who uses drugs, a child at home, nothing else known: early help at most.
    const LOW_CASE: &str = "# Low\nid: low\nrole: a worker\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: uses, child\n\n## service childrens-social-care\nname: CSC\n\n## fact uses\nlabel: Uses drugs\nindicators: parent.substance_use\n\n## fact child\nlabel: A child at home\nindicators: child.lives_with_parent\n\n## step one\ntitle: One\n\nText.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nFeedback.\n\n## ending end\ntitle: End\noutcome: Fine.\n\nDone.\n";

    const GOOD: &[&str] = &[
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
    const POOR: &[&str] = &[
        "recovery-only",
        "not-my-client",
        "keep-it-in",
        "no-visit",
        "keep-prescription",
        "wait-for-more",
        "need-consent",
        "keep-monitoring",
        "agree-increase",
        "drive-over",
        "accept-decision",
        "parent-tasks",
    ];

    #[test]
    fn rubrics_load_and_every_case_tag_names_a_real_item() {
        let r = rubrics();
        for id in ["information-sharing", "child-focus", "threshold-judgement"] {
            assert!(
                r.rubrics.iter().any(|x| x.id == id && x.items.len() >= 2),
                "{id}"
            );
        }
        for item in r.rubrics.iter().flat_map(|x| &x.items) {
            assert!(
                !item.source.is_empty() && !item.good.is_empty() && !item.errors.is_empty(),
                "{}",
                item.id
            );
        }
        for (name, text) in bundled() {
            let s = load(&name, &text).unwrap();
            assert_eq!(thresholds_core::score::check_case(&r, &s), vec![], "{name}");
        }
        let bad = "# R\n\n## rubric a\nname: A\n\n### item x\nname: X\ngood: g\nerrors: e\nsource: s\n\n### item x\nname: X2\ngood: g\nerrors: e\nsource: s\n";
        assert!(listing(&load_rubrics("r.md", bad).unwrap_err())
            .contains("r.md:12: duplicate item id 'x'"));
    }

    #[test]
    fn a_good_path_outscores_a_poor_path_on_every_dimension() {
        for seed in [1, 2, 3, 2013] {
            let good = scored(&play_path(&imran(), seed, GOOD));
            let poor = scored(&play_path(&imran(), seed, POOR));
            for dim in [
                "information-sharing",
                "child-focus",
                "threshold-judgement",
                "timeliness",
            ] {
                let (g, p) = (good.dimension(dim).unwrap(), poor.dimension(dim).unwrap());
                assert!(
                    g.percent() > p.percent(),
                    "seed {seed} {dim}: good {}% ({}/{}) vs poor {}% ({}/{})",
                    g.percent(),
                    g.earned,
                    g.achievable,
                    p.percent(),
                    p.earned,
                    p.achievable
                );
            }
            assert!(
                good.dimension("child-focus").unwrap().percent() >= 70,
                "seed {seed}: {:?}",
                good.dimension("child-focus")
            );
        }
    }

    #[test]
    fn never_asking_about_the_children_scores_low_on_child_focus_whatever_else() {
        // Shares well and refers, but never asks about or sees the children.
        let run = play_path(
            &imran(),
            4,
            &[
                "recovery-only",
                "not-my-client",
                "share-quietly",
                "no-visit",
                "prescriber-review",
                "consult-lead",
                "share-relevant",
                "refer",
                "contribute",
                "treatment-only",
                "parent-tasks",
            ],
        );
        let cf = scored(&run).dimension("child-focus").unwrap().clone();
        assert!(
            cf.percent() <= 30,
            "{}% ({}/{}): {:?}",
            cf.percent(),
            cf.earned,
            cf.achievable,
            cf.marks
        );
    }

    #[test]
    fn over_sharing_late_sharing_and_no_lawful_basis_lose_points() {
        let (a, r, s) = (area(), rubrics(), imran());
        let late_path = [
            "lockbox",
            "not-my-client",
            "tell-hv-and-nurse",
            "wait-for-both",
            "no-visit",
            "keep-prescription",
            "record-and-review",
            "keep-monitoring",
        ];
        // A seed whose random events leave this path as it is written.
        let seed = (0..200)
            .find(|&seed| {
                let mut run = Run::start(&s, seed).unwrap();
                std::iter::once("ask-children")
                    .chain(late_path)
                    .all(|c| run.choose(&s, c).is_ok())
            })
            .unwrap();
        let mut base = Run::start(&s, seed).unwrap();
        base.choose(&s, "ask-children").unwrap();
        let mut prompt = base.clone();
        prompt
            .share(
                &s,
                &Share {
                    facts: vec!["methadone-in-fridge".into(), "children-at-home".into()],
                    to: "health-visiting".to_string(),
                    basis: Basis::Consent,
                    parent_told: true,
                },
            )
            .unwrap();
        let prompt_is = score(&a, &r, &s, &prompt)
            .dimension("timeliness")
            .unwrap()
            .clone();
        assert!(
            prompt_is
                .marks
                .iter()
                .any(|m| m.item == "timely" && m.points == 2),
            "{:?}",
            prompt_is.marks
        );

        // On this path the story first offers (in a choice that is not poor) to tell the health
        // visitor at decision 5 (imran-answers: share-both). The same share at that decision,
        // three decisions and four decisions after it: full points, fewer, then none.
        let after = |decisions: usize| {
            let mut run = base.clone();
            for c in late_path.iter().take(decisions) {
                run.choose(&s, c).unwrap();
            }
            run.share(
                &s,
                &Share {
                    facts: vec!["methadone-in-fridge".into()],
                    to: "health-visiting".to_string(),
                    basis: Basis::Safeguarding,
                    parent_told: true,
                },
            )
            .unwrap();
            score(&a, &r, &s, &run)
                .dimension("timeliness")
                .unwrap()
                .clone()
        };
        let timely = |d: &thresholds_core::score::DimensionScore| {
            d.marks
                .iter()
                .filter(|m| {
                    m.item == "timely"
                        && m.why.contains("kitchen fridge")
                        && m.why.contains("Health visiting")
                })
                .map(|m| m.points)
                .sum::<i32>()
        };
        // Shared before the story offered it: prompt.
        assert_eq!(timely(&prompt_is), 2, "{:?}", prompt_is.marks);
        for (decisions, points) in [(4, 2), (7, 1), (8, 0)] {
            let d = after(decisions);
            assert_eq!(
                timely(&d),
                points,
                "shared at turn {}: {:?}",
                decisions + 1,
                d.marks
            );
        }

        // Over-sharing and no lawful basis each cost a point.
        let mut over = base.clone();
        over.share(
            &s,
            &Share {
                facts: vec!["imran-hep-c".into()],
                to: "school".to_string(),
                basis: Basis::None,
                parent_told: false,
            },
        )
        .unwrap();
        let over_is = score(&a, &r, &s, &over)
            .dimension("information-sharing")
            .unwrap()
            .clone();
        let base_is = score(&a, &r, &s, &base)
            .dimension("information-sharing")
            .unwrap()
            .clone();
        // Over-sharing, no lawful basis and (telling Imran was safe) not telling him each cost
        // a point.
        assert_eq!(over_is.earned, base_is.earned - 3, "{:?}", over_is.marks);
        for item in ["proportionate", "lawful-basis", "be-open"] {
            assert!(
                over_is
                    .marks
                    .iter()
                    .any(|m| m.item == item && m.points == -1),
                "{item}: {:?}",
                over_is.marks
            );
        }
    }

    #[test]
    fn referring_once_the_threshold_is_met_earns_threshold_judgement() {
        let (a, r, s) = (area(), rubrics(), imran());
        let quiet = play_path(&s, 1, POOR);
        let referred = play_path(&s, 1, GOOD);
        let tj = |run: &Run| {
            score(&a, &r, &s, run)
                .dimension("threshold-judgement")
                .unwrap()
                .clone()
        };
        assert!(
            tj(&referred)
                .marks
                .iter()
                .any(|m| m.item == "refers-when-needed" && m.points > 0),
            "{:?}",
            tj(&referred).marks
        );
        let quiet_tj = tj(&quiet);
        assert!(
            quiet_tj
                .marks
                .iter()
                .all(|m| !(m.item == "refers-when-needed" && m.points > 0)),
            "{:?}",
            quiet_tj.marks
        );
        let t = score(&a, &r, &s, &referred).timeliness;
        assert!(
            t.referral_level_at.is_some()
                && t.front_door_at.is_some()
                && t.front_door_at >= t.referral_level_at,
            "{t:?}"
        );
        // A safeguarding referral while the picture shows no more than additional needs is an
        // over-reaction (Haringey [2013] EWHC 416 (Admin)).
        let low = ok(LOW_CASE);
        let mut early = Run::start(&low, 1).unwrap();
        early
            .share(
                &low,
                &Share {
                    facts: vec!["uses".into(), "child".into()],
                    to: "childrens-social-care".to_string(),
                    basis: Basis::Safeguarding,
                    parent_told: true,
                },
            )
            .unwrap();
        let marks = score(&a, &r, &low, &early)
            .dimension("threshold-judgement")
            .unwrap()
            .marks
            .clone();
        assert!(
            marks
                .iter()
                .any(|m| m.item == "proportionate-response" && m.points < 0),
            "{marks:?}"
        );
    }

    /// A small case built to exercise each inferred rubric item: the trainee's service can find
    /// unsafe storage (and a threat that makes telling the parent unsafe), tell the health
    /// visitor at decision 2, and refer at decision 5.
    const FIXTURE: &str = "# Scoring fixture\nid: fixture\nrole: a worker\nsummary: s\nstart: one\nkey-services: health-visiting\n\n## service drug-service\nname: You\ntrainee: yes\nknows: uses, child, hepc\n\n## service health-visiting\nname: HV\nknows: child\n\n## service childrens-social-care\nname: CSC\n\n## fact uses\nlabel: Uses drugs\nindicators: parent.substance_use\n\n## fact child\nlabel: A toddler at home\nindicators: child.lives_with_parent, child.under_5\n\n## fact fridge\nlabel: Methadone in the fridge\nindicators: storage.unsafe, child.under_5\n\n## fact hepc\nlabel: Hepatitis C\nindicators: parent.physical_health\n\n## fact threat\nlabel: He has threatened anyone who reports him\nindicators: safety.telling_parent_unsafe\n\n## step one\ntitle: One\n\nText.\n\n### choice ask\nlabel: Ask\ngoto: two\ngrade: good\nreveal: fridge\n\nF.\n\n### choice ask-all\nlabel: Ask about everything\ngoto: two\ngrade: good\nreveal: fridge, threat\n\nF.\n\n### choice skip\nlabel: Skip\ngoto: two\ngrade: poor\n\nF.\n\n## step two\ntitle: Two\n\nText.\n\n### choice tell-hv\nlabel: Tell HV\ngoto: four\ngrade: good\nshare: fridge with health-visiting basis consent parent told\n\nF.\n\n### choice wait\nlabel: Wait\ngoto: four\ngrade: poor\n\nF.\n\n## step four\ntitle: Four\n\nText.\n\n### choice go\nlabel: Go\ngoto: five\ngrade: good\n\nF.\n\n## step five\ntitle: Five\n\nText.\n\n### choice go\nlabel: Go\ngoto: three\ngrade: good\n\nF.\n\n## step three\ntitle: Three\n\nText.\n\n### choice refer\nlabel: Refer\ngoto: end\ngrade: good\nshare: child, fridge with childrens-social-care basis safeguarding parent told\n\nF.\n\n### choice hold\nlabel: Hold\ngoto: end\ngrade: poor\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";

    /// One step of a constructed run: a choice, or a share through the share form
    /// ("facts>to basis told|not-told").
    fn act(s: &Scenario, run: &mut Run, step: &str) {
        match step.split_once('>') {
            None => {
                run.choose(s, step)
                    .unwrap_or_else(|e| panic!("{step}: {e}"));
            }
            Some((facts, rest)) => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                let facts: Vec<String> = facts.split(',').map(String::from).collect();
                let basis = Basis::parse(words[1]).unwrap();
                run.share(
                    s,
                    &Share {
                        facts: facts.clone(),
                        to: words[0].to_string(),
                        basis,
                        parent_told: words[2] == "told",
                    },
                )
                .unwrap_or_else(|e| panic!("{step}: {e}"));
            }
        }
    }

    /// The points of every mark for `item` after playing `steps` through `case`.
    fn item_marks(case: &str, steps: &[&str], item: &str) -> Vec<i32> {
        let s = ok(case);
        let mut run = Run::start(&s, 1).unwrap();
        for step in steps {
            act(&s, &mut run, step);
        }
        let scores = score(&area(), &rubrics(), &s, &run);
        scores
            .dimensions
            .iter()
            .flat_map(|d| &d.marks)
            .filter(|m| m.item == item)
            .map(|m| m.points)
            .collect()
    }

    #[test]
    fn every_inferred_rubric_item_scores_a_constructed_run_as_expected() {
        let check = |steps: &[&str], item: &str, expected: &[i32]| {
            assert_eq!(
                item_marks(FIXTURE, steps, item),
                expected,
                "{item} after {steps:?}"
            );
        };
        // Finding out about the children: one fact findable at decision 1.
        check(&["ask", "wait", "go", "go", "hold"], "finds-out", &[1]);
        check(&["skip", "wait", "go", "go", "hold"], "finds-out", &[0]);
        // Only new facts about the children count: the threat "ask-all" also reveals is not one.
        check(&["ask-all", "wait", "go", "go", "hold"], "finds-out", &[1]);
        // More than the recipient needs; no lawful basis.
        check(
            &["skip", "hepc>health-visiting consent told"],
            "proportionate",
            &[-1],
        );
        check(
            &["skip", "uses>health-visiting consent told"],
            "proportionate",
            &[],
        );
        check(
            &["skip", "child>childrens-social-care none told"],
            "lawful-basis",
            &[-1],
        );
        // Consent is rarely the right lawful basis for a safeguarding share (May 2024 advice).
        check(
            &["skip", "child>childrens-social-care consent told"],
            "lawful-basis",
            &[-1],
        );
        check(
            &["skip", "child>childrens-social-care safeguarding told"],
            "lawful-basis",
            &[],
        );
        // Openness: not telling the parent when it was safe, or telling when it was not. Only
        // a referral (a share with the front door) can make telling unsafe.
        check(
            &["ask", "fridge>health-visiting safeguarding not-told"],
            "be-open",
            &[-1],
        );
        check(
            &["ask", "fridge>health-visiting safeguarding told"],
            "be-open",
            &[],
        );
        check(
            &[
                "ask-all",
                "child,fridge>childrens-social-care safeguarding told",
            ],
            "be-open",
            &[-1],
        );
        check(
            &[
                "ask-all",
                "child,fridge>childrens-social-care safeguarding not-told",
            ],
            "be-open",
            &[],
        );
        check(
            &["ask-all", "fridge>health-visiting safeguarding not-told"],
            "be-open",
            &[-1],
        );
        // Timely: the story offers to tell the health visitor at decision 2.
        check(&["ask", "tell-hv", "go", "go", "hold"], "timely", &[2]);
        check(
            &["ask", "fridge>health-visiting consent told", "wait"],
            "timely",
            &[2],
        );
        check(
            &["ask", "wait", "fridge>health-visiting consent told", "go"],
            "timely",
            &[2],
        );
        check(
            &[
                "ask",
                "wait",
                "go",
                "go",
                "fridge>health-visiting consent told",
            ],
            "timely",
            &[1],
        );
        check(&["ask", "wait", "go", "go", "hold"], "timely", &[0]);
        // Nothing to pass on if the trainee's service could never have known it.
        check(&["skip", "wait", "go", "go", "hold"], "timely", &[0]);
        // Referral once the full picture reaches child protection (decision 1 here).
        // Referred four decisions after the threshold was met: a referral, but a late
        // judgement, so half the mark; referred at once, the whole of it.
        check(
            &["ask", "wait", "go", "go", "refer"],
            "refers-when-needed",
            &[1],
        );
        check(
            &[
                "ask",
                "child,fridge>childrens-social-care safeguarding told",
            ],
            "refers-when-needed",
            &[2],
        );
        check(
            &["ask", "wait", "go", "go", "hold"],
            "refers-when-needed",
            &[0],
        );
        check(
            &["skip", "wait", "go", "go", "hold"],
            "refers-when-needed",
            &[],
        );
        // Timeliness counts from the decision at which the trainee's own service reached the
        // referral level (decision 1, "ask"), not from when the story offered a referral: the
        // story's referral at decision 5 is three decisions late and loses the mark.
        check(
            &["ask", "wait", "go", "go", "refer"],
            "front-door-timely",
            &[0],
        );
        check(
            &[
                "ask",
                "wait",
                "go",
                "child,fridge>childrens-social-care safeguarding told",
            ],
            "front-door-timely",
            &[1],
        );
        check(
            &[
                "ask",
                "child,fridge>childrens-social-care safeguarding told",
                "wait",
            ],
            "front-door-timely",
            &[2],
        );
        check(
            &["ask", "wait", "go", "go", "hold"],
            "front-door-timely",
            &[0],
        );
        // Three decisions after the threshold: still a referral in good time for the
        // threshold mark, half the timeliness mark.
        let four = [
            "ask",
            "wait",
            "go",
            "go",
            "child,fridge>childrens-social-care safeguarding told",
        ];
        check(&four, "refers-when-needed", &[2]);
        check(&four, "front-door-timely", &[1]);
        // A referral made before the threshold was met, which did not put children's social
        // care at the level, is not a referral of what was found later.
        let early = [
            "uses,child>childrens-social-care safeguarding told",
            "ask",
            "wait",
            "go",
            "go",
            "hold",
        ];
        check(&early, "refers-when-needed", &[0]);
        check(&early, "front-door-timely", &[0]);
        // A share with children's social care that leaves out what put the trainee's service
        // at the level (the fridge, the toddler) is not a referral of it.
        let thin = [
            "ask",
            "uses>childrens-social-care safeguarding told",
            "wait",
        ];
        check(&thin, "refers-when-needed", &[0]);
        check(&thin, "front-door-timely", &[0]);
        // Over-reaction: a safeguarding referral when the picture shows additional needs only.
        check(
            &["skip", "uses,child>childrens-social-care safeguarding told"],
            "proportionate-response",
            &[-1],
        );
        check(
            &[
                "ask",
                "child,fridge>childrens-social-care safeguarding told",
            ],
            "proportionate-response",
            &[],
        );
    }

    #[test]
    fn every_rubric_item_can_be_earned_and_lost_through_tags() {
        let r = rubrics();
        let items: Vec<(String, String)> = r
            .rubrics
            .iter()
            .flat_map(|rb| rb.items.iter().map(|i| (rb.id.clone(), i.id.clone())))
            .collect();
        assert!(items.len() >= 15, "{items:?}");
        for (rubric, item) in items {
            let case = format!("# Tags\nid: tags\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\n\n## step one\ntitle: One\n\nText.\n\n### choice good\nlabel: Good\ngoto: end\ngrade: good\ncredit: {item}\n\nF.\n\n### choice poor\nlabel: Poor\ngoto: end\ngrade: poor\nerror: {item}\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
            assert_eq!(item_marks(&case, &["good"], &item), [1], "{item}");
            assert_eq!(item_marks(&case, &["poor"], &item), [-1], "{item}");
            let s = ok(&case);
            for choice in ["good", "poor"] {
                let mut run = Run::start(&s, 1).unwrap();
                run.choose(&s, choice).unwrap();
                let d = score(&area(), &r, &s, &run)
                    .dimension(&rubric)
                    .unwrap()
                    .clone();
                // What the best choice allowed is what was achievable, whatever was chosen.
                assert_eq!(d.achievable, 1, "{item} {choice}: {d:?}");
                assert_eq!(
                    d.percent(),
                    if choice == "good" { 100 } else { 0 },
                    "{item}"
                );
            }
        }
    }

    const ABBY_GOOD: &[&str] = &[
        "ask-about-jada",
        "walk-through",
        "plan-and-refer",
        "assess-together",
        "share-with-hv",
        "two-way-report",
        "dash-and-refer",
        "clear-account",
        "support-carers",
        "reassess",
        "call-999",
    ];
    const ABBY_POOR: &[&str] = &[
        "order-first",
        "take-her-word",
        "rely-on-them",
        "leave-hv",
        "refuse-report",
        "no-visit",
        "recovery-only",
        "hes-changed",
        "keep-going",
        "wait-and-see",
        "go-round",
        "accept",
        "file-dump",
        "grandparents-supervise",
    ];
    const TOM_GOOD: &[&str] = &[
        "ask-danielle",
        "see-storage",
        "tom-tells",
        "hear-danielle",
        "work-with-pharmacy",
        "young-carers",
        "tell-prescriber",
        "explore-saturday",
        "school-with-agreement",
        "refer",
        "follow-up",
        "balanced-view",
        "safe-visits",
        "act-today",
    ];
    const TOM_POOR: &[&str] = &[
        "no-children",
        "sensible",
        "their-business",
        "adults-only",
        "cannot-discuss",
        "mature",
        "support-increase",
        "overslept",
        "not-school",
        "monitor",
        "tom-and-lisa",
        "wait-for-tom",
    ];

    fn case(file: &str) -> Scenario {
        ok(&std::fs::read_to_string(repo().join("scenarios").join(file)).unwrap())
    }

    #[test]
    fn each_case_scores_its_good_path_above_its_poor_path() {
        let (a, r) = (area(), rubrics());
        for (file, good, poor) in [
            ("imran.md", GOOD, POOR),
            ("abby.md", ABBY_GOOD, ABBY_POOR),
            ("tom.md", TOM_GOOD, TOM_POOR),
        ] {
            let s = case(file);
            for seed in 1..=8 {
                let g = score(&a, &r, &s, &play_path(&s, seed, good));
                let p = score(&a, &r, &s, &play_path(&s, seed, poor));
                for dim in ["information-sharing", "child-focus", "timeliness"] {
                    let (gd, pd) = (g.dimension(dim).unwrap(), p.dimension(dim).unwrap());
                    assert!(
                        gd.percent() > pd.percent(),
                        "{file} seed {seed} {dim}: good {}% ({}/{}) vs poor {}% ({}/{})",
                        gd.percent(),
                        gd.earned,
                        gd.achievable,
                        pd.percent(),
                        pd.earned,
                        pd.achievable
                    );
                }
                let tj = |x: &Scores| x.dimension("threshold-judgement").unwrap().percent();
                assert!(tj(&g) >= tj(&p), "{file} seed {seed}");
                assert!(
                    g.dimension("child-focus").unwrap().percent() >= 80,
                    "{file} seed {seed}: the good path is good for the children"
                );
            }
        }
    }

    /// Plays `choices` in order from the start and checks each named service's level (or the
    /// full picture's, as "full").
    fn check_levels(file: &str, choices: &[&str], expected: &[(&str, &str)]) {
        let (a, s) = (area(), case(file));
        let run = play(&s, 1, choices);
        let p = thresholds_core::thresholds::panel(&a, &s, &run);
        for (who, level) in expected {
            let got = if *who == "full" {
                p.full.level.clone()
            } else {
                p.services
                    .iter()
                    .find(|r| r.service == *who)
                    .unwrap_or_else(|| panic!("{file}: no service {who}"))
                    .response
                    .level
                    .clone()
            };
            assert_eq!(&got, level, "{file} after {choices:?}: {who}");
        }
    }

    #[test]
    fn each_case_shows_the_expected_levels_at_named_points() {
        // Imran: the drug service alone knows the fridge; the school's Mondays and the drug
        // service's knowledge together already make the full picture child in need.
        check_levels(
            "imran.md",
            &[],
            &[
                ("full", "child-in-need"),
                ("drug-service", "early-help"),
                ("childrens-social-care", "universal"),
            ],
        );
        check_levels(
            "imran.md",
            &["ask-children"],
            &[
                ("full", "child-protection"),
                ("drug-service", "child-protection"),
                ("health-visiting", "early-help"),
            ],
        );
        // Abby: probation holds James's conviction from the start, so the full picture is at
        // child protection while the drug service, which sees Abby weekly, is at early help.
        check_levels(
            "abby.md",
            &[],
            &[
                ("full", "child-protection"),
                ("probation", "child-protection"),
                ("drug-service", "early-help"),
                ("health-visiting", "early-help"),
                ("childrens-social-care", "universal"),
            ],
        );
        check_levels(
            "abby.md",
            &["ask-about-jada", "walk-through"],
            &[
                ("drug-service", "child-protection"),
                ("kinship-support", "universal"),
            ],
        );
        check_levels(
            "abby.md",
            &[
                "ask-about-jada",
                "walk-through",
                "plan-only",
                "assess-together",
                "share-with-hv",
            ],
            &[("health-visiting", "child-protection")],
        );
        // Tom: the record says no children, so the drug service sits at universal while the
        // pharmacy has seen Danielle collecting his methadone.
        check_levels(
            "tom.md",
            &[],
            &[
                ("full", "child-in-need"),
                ("drug-service", "universal"),
                ("pharmacy", "child-in-need"),
                ("school", "early-help"),
            ],
        );
        check_levels(
            "tom.md",
            &["ask-danielle"],
            &[("drug-service", "early-help")],
        );
        check_levels(
            "tom.md",
            &["ask-danielle", "see-storage"],
            &[("drug-service", "early-help"), ("full", "child-in-need")],
        );
    }

    #[test]
    fn a_run_rebuilt_from_its_address_scores_the_same_as_the_run_played() {
        // Scores follow from the seed and the actions alone: the run played, written into an
        // address (`path_text`), read back and replayed, scores exactly as it did.
        let s = imran();
        for seed in 0..20 {
            let live = play_path(&s, seed, GOOD);
            let actions: Vec<thresholds_core::Action> = live
                .decisions()
                .into_iter()
                .map(|(step, choice)| thresholds_core::Action::Choose {
                    step: step.to_string(),
                    choice: choice.to_string(),
                })
                .collect();
            let address = thresholds_core::session::path_text(&actions);
            let read = thresholds_core::session::parse_path(&address).unwrap();
            let replayed = thresholds_core::Session::replay(
                &s,
                thresholds_core::Mode::SelfPaced,
                seed,
                &read,
                "",
            )
            .unwrap();
            assert_eq!(replayed.run.decisions(), live.decisions(), "seed {seed}");
            assert_eq!(scored(&replayed.run), scored(&live), "seed {seed}");
        }
    }

    #[test]
    fn the_debrief_chart_and_expert_path() {
        let (a, s) = (area(), imran());
        let run = play_path(&s, 1, GOOD);
        let rows = levels_by_turn(&a, &s, &run);
        assert_eq!(rows.len() as u32, run.turn() + 1);
        assert!(rows
            .iter()
            .all(|(_, services)| services.len() == s.services.len()));
        let csc = s
            .services
            .iter()
            .position(|x| x.id == "childrens-social-care")
            .unwrap();
        assert_eq!(
            rows[0].1[csc], 0,
            "children's social care starts at universal"
        );
        assert_eq!(
            Some(rows.last().unwrap().1[csc]),
            a.rank("child-in-need"),
            "and is at child in need, assessing under s17, by the end of the good path"
        );
        let expert = expert_path(&s, 2013);
        assert!(expert.len() >= 9, "{expert:?}");
        for (step, choice) in &expert {
            let c = s
                .step(step)
                .unwrap()
                .choices()
                .iter()
                .find(|c| &c.id == choice)
                .unwrap();
            assert_eq!(c.grade, Grade::Good, "{step}/{choice}");
        }
    }
}

#[test]
fn sharing_on_consent_or_no_lawful_basis_carries_a_caution() {
    use thresholds_core::model::Basis;
    assert!(Basis::None
        .caution()
        .is_some_and(|c| c.contains("no lawful basis")));
    assert!(Basis::Consent
        .caution()
        .is_some_and(|c| c.contains("rarely the right lawful basis")));
    assert_eq!(Basis::Safeguarding.caution(), None);
    assert_eq!(Basis::Emergency.caution(), None);
    // Saves written before the May 2024 framing still read.
    assert_eq!(
        Basis::parse_saved("child-at-risk"),
        Some(Basis::Safeguarding)
    );
    assert_eq!(Basis::parse("child-at-risk"), None);
}

// ---------------------------------------------------------------- sessions and saves

mod saves {
    use super::*;
    use thresholds_core::model::Basis;
    use thresholds_core::save::{decode, encode, resume, SaveError, FORMAT};
    use thresholds_core::session::{parse_path, path_text, Action};
    use thresholds_core::{Mode, Session};

    fn session(s: &Scenario, mode: Mode, choices: &[&str]) -> Session {
        let mut x = Session::start(s, mode, 2013, "2026-11-23T10:00:00.000Z").unwrap();
        for c in choices {
            x.choose(s, c).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
        x
    }

    #[test]
    fn a_save_reads_back_and_resumes_at_the_same_step_with_the_same_knowledge() {
        let s = imran();
        let mut x = session(&s, Mode::Assessment, &["ask-children", "lockbox"]);
        x.share(
            &s,
            &Share {
                facts: vec!["methadone-in-fridge".into()],
                to: "health-visiting".to_string(),
                basis: Basis::Consent,
                parent_told: true,
            },
        )
        .unwrap();
        x.set_votes(vec![("day-in-the-life".into(), 7)]);
        x.set_reflection("Line one\nline two, with a \\ backslash");
        let text = encode(&s, &x, "2026-11-23T10:05:00.000Z");
        assert!(text.starts_with(&format!("thresholds-save {FORMAT}\n")));
        let saved = decode(&text).unwrap();
        assert_eq!(saved.mode, Mode::Assessment);
        assert_eq!(
            (saved.case.as_str(), saved.case_version, saved.seed),
            ("imran", 2, 2013)
        );
        assert_eq!(saved.saved, "2026-11-23T10:05:00.000Z");
        let back = resume(&s, &saved).unwrap();
        assert_eq!(back.note, None);
        assert_eq!(back.session, x, "the same run, votes and reflections");
    }

    #[test]
    fn a_format_1_save_is_migrated_and_resumes() {
        let s = imran();
        // Format 1: case and seed, then the choices (self-paced only, no steps recorded).
        let old = "thresholds-save 1\nimran 2013\nask-children lockbox day-in-the-life\n";
        let saved = decode(old).unwrap();
        assert_eq!(saved.format, 1);
        assert_eq!(saved.mode, Mode::SelfPaced);
        assert_eq!(saved.case_version, 0);
        let back = resume(&s, &saved).unwrap();
        assert_eq!(back.session.run.step(), "who-needs-to-know");
        assert_eq!(
            back.session.run,
            session(
                &s,
                Mode::SelfPaced,
                &["ask-children", "lockbox", "day-in-the-life"]
            )
            .run
        );
        // Written again, it is the current format.
        let again = encode(&s, &back.session, "now");
        assert_eq!(decode(&again).unwrap().format, FORMAT);
    }

    #[test]
    fn damaged_newer_and_foreign_saves_are_refused_with_a_reason() {
        let check = |text: &str, want: &str| match decode(text) {
            Ok(s) => panic!("{text:?} decoded to {s:?}"),
            Err(e) => assert!(e.to_string().contains(want), "{text:?}: {e}"),
        };
        check("", "not saved progress");
        check("{\"seed\": 1}", "not saved progress");
        check("thresholds-save 9\ncase: imran\n", "newer version");
        assert_eq!(decode("thresholds-save 9\n"), Err(SaveError::Newer(9)));
        check(
            "thresholds-save 2\ncase: imran\nseed: twelve\n",
            "line 3 is damaged",
        );
        check(
            "thresholds-save 2\ncase: imran\nseed: 1\naction: !nowhere\n",
            "line 4 is damaged",
        );
        check("thresholds-save 2\ncase: imran\n", "no seed");
        check("thresholds-save 1\nimran\n", "line 2 is damaged");
    }

    #[test]
    fn a_save_against_an_edited_case_resumes_or_says_why_not() {
        let s = imran();
        let x = session(
            &s,
            Mode::SelfPaced,
            &["ask-children", "lockbox", "day-in-the-life"],
        );
        let saved = decode(&encode(&s, &x, "t")).unwrap();
        let text = std::fs::read_to_string(repo().join("scenarios/imran.md")).unwrap();

        // Text changed, a choice added, the version raised: it still fits, and says so.
        let edited = text
            .replace("version: 2", "version: 3")
            .replace(
                "Imran comes in looking tired.",
                "Imran comes in looking tired and thin.",
            )
            .replace(
                "### choice not-my-client",
                "### choice new-choice\nlabel: A new option\ngoto: who-needs-to-know\ngrade: mixed\n\nA new option, added after the save, with feedback long enough to read.\n\n### choice not-my-client",
            );
        let edited = ok(&edited);
        let back = resume(&edited, &saved).unwrap();
        assert_eq!(back.session.run.step(), "who-needs-to-know");
        assert!(
            back.note
                .as_deref()
                .is_some_and(|n| n.contains("version 2, now 3")),
            "{:?}",
            back.note
        );

        // A choice taken in the save has gone: it cannot resume, and says which.
        let removed = text.replace("version: 2", "version: 4").replace(
            "### choice lockbox\nlabel:",
            "### choice lockbox-renamed\nlabel:",
        );
        let removed = ok(&removed);
        let why = resume(&removed, &saved).unwrap_err();
        assert!(
            why.contains("version 2, now 4")
                && why.contains("no longer offers the choice 'lockbox'"),
            "{why}"
        );
        // A save of another case is not resumed into this one.
        let tom = ok(&std::fs::read_to_string(repo().join("scenarios/tom.md")).unwrap());
        assert!(resume(&tom, &saved)
            .unwrap_err()
            .contains("belongs to the case 'imran'"));
    }

    #[test]
    fn a_path_in_an_address_replays_the_same_session() {
        let s = imran();
        let mut x = session(&s, Mode::Facilitator, &["ask-children", "lockbox"]);
        x.share(
            &s,
            &Share {
                facts: vec!["methadone-in-fridge".into(), "children-at-home".into()],
                to: "health-visiting".to_string(),
                basis: Basis::Safeguarding,
                parent_told: false,
            },
        )
        .unwrap();
        x.choose(&s, "day-in-the-life").unwrap();
        let path = path_text(&x.actions);
        assert_eq!(
            path,
            "review~ask-children,storage~lockbox,!health-visiting~safeguarding~not-told~methadone-in-fridge+children-at-home,care~day-in-the-life"
        );
        let actions = parse_path(&path).unwrap();
        let back = Session::replay(&s, Mode::Facilitator, 2013, &actions, "").unwrap();
        assert_eq!(back.run, x.run);
        for bad in [
            "review~",
            "!school~maybe~told~a",
            "!school~consent~told~",
            "Review~x",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
        // A step that no longer matches stops the replay with a reason.
        let wrong = vec![Action::Choose {
            step: "storage".into(),
            choice: "lockbox".into(),
        }];
        let e = Session::replay(&s, Mode::SelfPaced, 1, &wrong, "").unwrap_err();
        assert!(e.to_string().contains("made at step 'storage'"), "{e}");
    }

    #[test]
    fn notes_are_kept_only_for_the_decisions_two_runs_share() {
        let s = imran();
        // The saved run: votes before each of three decisions, a reflection after each.
        let mut saved = Session::start(&s, Mode::Facilitator, 2013, "").unwrap();
        for c in ["ask-children", "lockbox", "day-in-the-life"] {
            saved.set_votes(vec![(c.into(), 5)]);
            saved.choose(&s, c).unwrap();
            saved.set_reflection(&format!("after {c}"));
        }
        // An address that agrees on the first decision, then takes another choice.
        let mut other = session(&s, Mode::Facilitator, &["ask-children", "move-it-high"]);
        other.keep_notes_from(&saved.actions, &saved.votes, &saved.reflections);
        let decisions = |x: &Session| -> (Vec<u32>, Vec<u32>) {
            (
                x.votes.iter().map(|v| v.decision).collect(),
                x.reflections.iter().map(|r| r.decision).collect(),
            )
        };
        // The room's vote before decision 2 was cast at the same step, so it stands; the
        // reflection after the saved decision 2 was about another choice, so it goes.
        assert_eq!(decisions(&other), (vec![1, 2], vec![1]));
        // The same run, further on than the save: every note is kept.
        let mut further = saved.clone();
        further.votes.clear();
        further.reflections.clear();
        further.keep_notes_from(&saved.actions, &saved.votes, &saved.reflections);
        assert_eq!(decisions(&further), (vec![1, 2, 3], vec![1, 2, 3]));
        // A run that is only at decision 1 keeps notes up to there.
        let mut behind = session(&s, Mode::Facilitator, &["ask-children"]);
        behind.keep_notes_from(&saved.actions, &saved.votes, &saved.reflections);
        assert_eq!(decisions(&behind), (vec![1, 2], vec![1]));
    }

    #[test]
    fn going_back_replays_the_run_and_keeps_votes_and_reflections_up_to_there() {
        let s = imran();
        let mut x = Session::start(&s, Mode::Facilitator, 7, "").unwrap();
        x.set_votes(vec![("ask-children".into(), 10)]);
        x.choose(&s, "ask-children").unwrap();
        x.set_reflection("after one");
        x.set_votes(vec![("lockbox".into(), 4)]);
        x.choose(&s, "lockbox").unwrap();
        x.set_votes(vec![("day-in-the-life".into(), 2)]);
        x.choose(&s, "day-in-the-life").unwrap();
        let at_three = x.clone();

        x.back_one_step(&s).unwrap();
        assert_eq!(x.run.step(), "care");
        assert_eq!(x.run.turn(), 2);
        assert_eq!(
            x.votes.len(),
            3,
            "the vote at the step we are back at stays"
        );
        assert_eq!(
            x.run,
            session_like(&s, &["ask-children", "lockbox"], 7),
            "back one step is a replay, not an undo of the log"
        );
        x.restart_before(&s, 2).unwrap();
        assert_eq!(x.run.step(), "storage");
        assert_eq!(x.votes.len(), 2);
        assert_eq!(x.reflections.len(), 1);
        x.restart_before(&s, 1).unwrap();
        assert_eq!(
            (x.run.turn(), x.votes.len(), x.reflections.len()),
            (0, 1, 0)
        );
        // Nothing to undo at the start.
        x.back_one_step(&s).unwrap();
        assert_eq!(x.run.turn(), 0);
        assert_ne!(x, at_three);
    }

    fn session_like(s: &Scenario, choices: &[&str], seed: u64) -> Run {
        let mut run = Run::start(s, seed).unwrap();
        for c in choices {
            run.choose(s, c).unwrap();
        }
        run
    }

    #[test]
    fn modes_say_what_each_way_to_train_shows() {
        assert!(Mode::SelfPaced.feedback_now() && Mode::Facilitator.feedback_now());
        assert!(!Mode::Assessment.feedback_now());
        assert!(!Mode::Assessment.panel_during_play());
        assert!(Mode::Facilitator.panel_hidden_until_revealed());
        assert!(!Mode::SelfPaced.panel_hidden_until_revealed());
        for m in Mode::ALL {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("projector"), None);
    }
}

// ---------------------------------------------------------------- the calibrated model (issue 10)

mod calibrated {
    use super::*;
    use thresholds_core::area::load_area;
    use thresholds_core::paths::check_paths;

    /// A small case on the real area: the drug service finds methadone in the fridge with a
    /// toddler at home, can fit a lockbox and see it in use, and can refer.
    pub const CASE: &str = "# Calibration fixture\nid: calib\nrole: a drug worker\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: uses, child\n\n## service childrens-social-care\nname: CSC\n\n## fact uses\nlabel: Uses heroin\nindicators: parent.substance_use\n\n## fact child\nlabel: A toddler lives at home\nindicators: child.lives_with_parent, child.under_5\n\n## fact fridge\nlabel: Methadone in the fridge door\nindicators: storage.unsafe, child.under_5\n\n## fact lockbox\nlabel: A lockbox fitted and seen in use\nindicators: storage.safe\nresolves: fridge\n\n## step one\ntitle: One\nlevel: drug-service early-help\n\nText.\n\n### choice ask\nlabel: Ask where the methadone is kept\ngoto: two\ngrade: good\nreveal: fridge\nlevel: drug-service child-protection\n\nF.\n\n### choice skip\nlabel: Skip\ngoto: two\ngrade: poor\n\nF.\n\n## step two\ntitle: Two\n\nText.\n\n### choice fix-and-refer\nlabel: Fit a lockbox, see it in use, and refer\ngoto: end\ngrade: good\nreveal: lockbox\nshare: uses, child, fridge, lockbox with childrens-social-care basis safeguarding parent told\nlevel: childrens-social-care early-help\n\nF.\n\n### choice fix\nlabel: Fit a lockbox and see it in use\ngoto: end\ngrade: mixed\nreveal: lockbox\nlevel: drug-service early-help\n\nF.\n\n### choice leave\nlabel: Leave it\ngoto: end\ngrade: poor\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";

    fn level_of(s: &Scenario, run: &Run, service: &str) -> String {
        let p = thresholds_core::thresholds::panel(&area(), s, run);
        p.services
            .iter()
            .find(|r| r.service == service)
            .unwrap()
            .response
            .level
            .clone()
    }

    #[test]
    fn a_risk_put_right_lowers_the_level_of_a_service_that_knows_it_was() {
        let s = ok(CASE);
        let mut run = Run::start(&s, 1).unwrap();
        run.choose(&s, "ask").unwrap();
        assert_eq!(level_of(&s, &run, "drug-service"), "child-protection");
        run.choose(&s, "fix").unwrap();
        // The drug service saw the lockbox in use: its level falls, and the panel says why.
        assert_eq!(level_of(&s, &run, "drug-service"), "early-help");
        let p = thresholds_core::thresholds::panel(&area(), &s, &run);
        let you = p
            .services
            .iter()
            .find(|r| r.service == "drug-service")
            .unwrap();
        assert_eq!(
            you.response.put_right,
            vec![("fridge".to_string(), "lockbox".to_string())]
        );
        // A service told of the fridge but not of the lockbox still responds to the fridge.
        let mut told = Run::start(&s, 1).unwrap();
        told.choose(&s, "ask").unwrap();
        told.share(
            &s,
            &Share {
                facts: vec!["child".into(), "fridge".into()],
                to: "childrens-social-care".to_string(),
                basis: thresholds_core::model::Basis::Safeguarding,
                parent_told: true,
            },
        )
        .unwrap();
        assert_eq!(
            level_of(&s, &told, "childrens-social-care"),
            "child-protection"
        );
    }

    #[test]
    fn level_statements_that_hold_on_every_path_pass() {
        let report = check_paths(&area(), &ok(CASE));
        assert_eq!(report.problems, Vec::new(), "{}", listing(&report.problems));
        assert_eq!(report.statements, 4);
        assert_eq!(report.failing, 0);
        assert!(report.warnings.is_empty(), "{}", listing(&report.warnings));
    }

    #[test]
    fn a_level_statement_that_fails_on_some_path_is_reported_at_its_line() {
        // After "skip", the drug service never learned of the fridge: a statement that it is
        // at child protection at the ending fails on that path only.
        let text = CASE.replace(
            "## ending end\ntitle: End\n",
            "## ending end\ntitle: End\nlevel: drug-service child-protection\n",
        );
        let line = text
            .lines()
            .position(|l| l == "level: drug-service child-protection")
            .map(|i| i + 1)
            .unwrap();
        let line = text
            .lines()
            .skip(line)
            .position(|l| l == "level: drug-service child-protection")
            .unwrap()
            + line
            + 1;
        let report = check_paths(&area(), &ok(&text));
        assert_eq!(report.failing, 1, "{}", listing(&report.problems));
        let got = listing(&report.problems);
        assert!(
            got.contains(&format!("test.md:{line}: the story says drug-service is at child-protection here, but on the area's rules it is at")),
            "{got}"
        );
        // An unknown level is a problem too.
        let text = CASE.replace(
            "level: drug-service early-help\n\nText.",
            "level: drug-service level-nine\n\nText.",
        );
        let got = listing(&check_paths(&area(), &ok(&text)).problems);
        assert!(got.contains("unknown level 'level-nine'"), "{got}");
    }

    #[test]
    fn drift_is_a_warning_where_the_trainee_cannot_act_on_the_threshold() {
        // Without the referral choice, step two (reached at child protection after "ask")
        // offers no way to refer or seek advice.
        let text = CASE.replace(
            "share: uses, child, fridge, lockbox with childrens-social-care basis safeguarding parent told\nlevel: childrens-social-care early-help\n",
            "",
        );
        let report = check_paths(&area(), &ok(&text));
        let got = listing(&report.warnings);
        assert_eq!(report.warnings.len(), 1, "{got}");
        assert!(got.contains("warning: at step 'two' your service (drug-service) is at child-protection after one:ask"), "{got}");
        // Seeking advice is a way to act too.
        let advice = text.replace(
            "### choice fix\nlabel: Fit a lockbox and see it in use\ngoto: end\ngrade: mixed\n",
            "### choice fix\nlabel: Fit a lockbox and see it in use\ngoto: end\ngrade: mixed\ncredit: seek-advice\n",
        );
        assert!(check_paths(&area(), &ok(&advice)).warnings.is_empty());
    }

    #[test]
    fn every_bundled_case_passes_the_authoring_check_with_its_statements_holding() {
        let rubrics = rubric_file();
        for (file, text) in bundled() {
            let c = thresholds_core::authoring::check_case(&area(), &rubrics, &file, &text);
            assert!(c.problems.is_empty(), "{file}:\n{}", listing(&c.problems));
            assert!(
                c.warnings.is_empty(),
                "{file} drifts:\n{}",
                listing(&c.warnings)
            );
            let line = c.statements_line().unwrap();
            assert!(line.ends_with("all hold"), "{file}: {line}");
            let n = c.paths.as_ref().unwrap().statements;
            assert!(
                n >= 8,
                "{file}: {n} level statements; the story names levels in more places"
            );
        }
    }

    #[test]
    fn yes_no_fields_front_doors_and_referral_levels_are_checked_when_the_area_loads() {
        let (fw, sv) = area_text();
        let line_of =
            |text: &str, needle: &str| text.lines().position(|l| l == needle).unwrap() + 1;
        let bad = sv.replacen("front-door: yes", "front-door: true", 1);
        let got = listing(&load_area(("framework.md", &fw), ("services.md", &bad)).unwrap_err());
        assert!(
            got.contains(&format!(
                "services.md:{}: 'front-door: true' should be yes or no",
                line_of(&bad, "front-door: true")
            )),
            "{got}"
        );
        assert!(got.contains("no service is the front door"), "{got}");
        let two = sv.replacen(
            "name: Health visiting\n",
            "name: Health visiting\nfront-door: yes\n",
            1,
        );
        let got = listing(&load_area(("framework.md", &fw), ("services.md", &two)).unwrap_err());
        assert!(
            got.contains("'health-visiting' is a second front door"),
            "{got}"
        );
        let bad = fw.replace("emergency: yes", "emergency: true");
        let got = listing(&load_area(("framework.md", &bad), ("services.md", &sv)).unwrap_err());
        assert!(
            got.contains("'emergency: true' should be yes or no"),
            "{got}"
        );
        let none = fw.replace("action: refer\n", "");
        let got = listing(&load_area(("framework.md", &none), ("services.md", &sv)).unwrap_err());
        assert!(
            got.contains("no level says when to refer to children's social care"),
            "{got}"
        );
        let odd = fw.replacen("action: refer", "action: phone", 1);
        let got = listing(&load_area(("framework.md", &odd), ("services.md", &sv)).unwrap_err());
        assert!(got.contains("unknown action 'phone'"), "{got}");
        // The referral level comes from the data, not from rank.
        let a = area();
        assert_eq!(a.referral_rank(), a.rank("child-in-need"));
    }

    #[test]
    fn a_good_choice_that_shares_on_consent_is_a_problem() {
        let rubrics = rubric_file();
        let text = CASE.replace("basis safeguarding", "basis consent");
        let got = listing(&thresholds_core::score::check_case(&rubrics, &ok(&text)));
        assert!(
            got.contains("the good choice 'fix-and-refer' shares on consent as the lawful basis"),
            "{got}"
        );
        assert!(thresholds_core::score::check_case(&rubrics, &ok(CASE)).is_empty());
    }
}

// ---------------------------------------------------------------- scores a tutor can trust

mod trusted_scores {
    use super::*;
    use thresholds_core::score::{expert_run, score, Rubrics, Scores};

    fn rubrics() -> Rubrics {
        rubric_file()
    }

    fn cases() -> Vec<(String, Scenario)> {
        bundled()
            .into_iter()
            .map(|(f, t)| {
                let s = load(&f, &t).unwrap_or_else(|p| panic!("{}", listing(&p)));
                (f, s)
            })
            .collect()
    }

    fn describe(scores: &Scores) -> String {
        scores
            .dimensions
            .iter()
            .map(|d| {
                let all: Vec<String> = d
                    .marks
                    .iter()
                    .map(|m| format!("    {} {}: {}", m.item, m.points, m.why))
                    .collect();
                format!(
                    "  {} {} of {}\n{}",
                    d.rubric,
                    d.earned,
                    d.achievable,
                    all.join("\n")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_expert_path_scores_full_marks_on_every_dimension_for_every_seed() {
        let (a, r) = (area(), rubrics());
        for (file, s) in cases() {
            for seed in [s.default_seed, 1, 2, 3, 7, 42] {
                let run = expert_run(&s, seed).unwrap();
                let scores = score(&a, &r, &s, &run);
                for d in &scores.dimensions {
                    assert!(
                        d.achievable == 0 || d.percent() == 100,
                        "{file} seed {seed}: {} is {}%\n{}",
                        d.rubric,
                        d.percent(),
                        describe(&scores)
                    );
                }
            }
        }
    }

    #[test]
    fn the_expert_path_acts_as_soon_as_its_own_service_meets_the_threshold() {
        let (a, r) = (area(), rubrics());
        for (file, s) in cases() {
            for seed in [s.default_seed, 1, 2, 3, 7, 42] {
                let run = expert_run(&s, seed).unwrap();
                let t = score(&a, &r, &s, &run).timeliness;
                let met = t.threshold_met_at.unwrap_or_else(|| {
                    panic!("{file} seed {seed}: the expert path never meets the referral threshold")
                });
                let acted = t
                    .referred_at
                    .unwrap_or_else(|| panic!("{file} seed {seed}: the expert never refers"));
                assert!(
                    acted <= met + 1,
                    "{file} seed {seed}: threshold met at decision {met}, referral at {acted}"
                );
            }
        }
    }

    #[test]
    fn waiting_weeks_after_the_threshold_loses_the_timeliness_mark_and_scores_lower() {
        let (a, r) = (area(), rubrics());
        let s = imran();
        // The storage is found at decision 1; this path boxes it but refers only at the
        // week 8 decision, seven decisions later.
        // (A seed whose random events let the run reach the week 8 decision.)
        let (seed, late) = (0..100)
            .find_map(|seed| {
                let mut run = Run::start(&s, seed).unwrap();
                for c in [
                    "ask-children",
                    "trust-him",
                    "not-my-client",
                    "keep-it-in",
                    "no-visit",
                    "keep-prescription",
                    "record-and-review",
                ] {
                    run.choose(&s, c).ok()?;
                }
                (run.step() == "decide").then_some(())?;
                run.choose(&s, "refer-fridge").ok()?;
                Some((seed, run))
            })
            .expect("some seed reaches the week 8 decision");
        let scores = score(&a, &r, &s, &late);
        let t = &scores.timeliness;
        assert_eq!(t.threshold_met_at, Some(1));
        assert!(t.referred_at.is_some_and(|r| r >= 7), "{t:?}");
        let front = scores
            .dimension("timeliness")
            .unwrap()
            .marks
            .iter()
            .find(|m| m.item == "front-door-timely")
            .unwrap()
            .clone();
        assert_eq!(front.points, 0, "{front:?}");
        // The expert path, which refers the day the threshold is met, scores higher on
        // threshold judgement and timeliness.
        let expert = score(&a, &r, &s, &expert_run(&s, seed).unwrap());
        for dim in ["timeliness", "threshold-judgement"] {
            assert!(
                expert.dimension(dim).unwrap().percent() > scores.dimension(dim).unwrap().percent(),
                "{dim}: expert {} late {}",
                expert.dimension(dim).unwrap().percent(),
                scores.dimension(dim).unwrap().percent()
            );
        }
    }

    #[test]
    fn in_every_case_a_path_that_misses_the_threshold_scores_lower_than_the_expert() {
        let (a, r) = (area(), rubrics());
        for (file, s) in cases() {
            let seed = s.default_seed;
            let expert = score(&a, &r, &s, &expert_run(&s, seed).unwrap());
            // The path that takes the worst-graded choice at every step.
            let mut run = Run::start(&s, seed).unwrap();
            while !run.is_ended(&s) {
                let choices = run.available_choices(&s);
                let worst = choices
                    .iter()
                    .max_by_key(|c| c.grade)
                    .map(|c| c.id.clone())
                    .unwrap();
                run.choose(&s, &worst).unwrap();
            }
            let missed = score(&a, &r, &s, &run);
            assert!(
                missed.timeliness.referred_at.is_none()
                    || missed.timeliness.referred_at
                        > missed.timeliness.threshold_met_at.map(|m| m + 1),
                "{file}: the poor path acted on time"
            );
            for dim in ["threshold-judgement", "timeliness"] {
                let (e, m) = (
                    expert.dimension(dim).unwrap(),
                    missed.dimension(dim).unwrap(),
                );
                assert!(
                    e.percent() > m.percent(),
                    "{file} {dim}: expert {}%, poor {}%\n{}",
                    e.percent(),
                    m.percent(),
                    describe(&missed)
                );
            }
        }
    }
}

/// What a trainee sees cites public documents only: no feedback, note, prompt, rubric or area
/// text may point at the team's own notes (a research digest, verification marks, internal
/// rubric codes such as "CF1" or "GR18-6").
#[test]
fn no_trainee_visible_text_cites_an_internal_reference() {
    fn internal(text: &str) -> Option<String> {
        let lower = text.to_lowercase();
        for phrase in [
            "research digest",
            "digest section",
            "partly verified",
            "not verified",
            "unverified",
            "authority not identified",
            "shared/reference",
            "[v]",
            "[p]",
            "[u]",
        ] {
            if lower.contains(phrase) {
                return Some(phrase.to_string());
            }
        }
        // Internal codes: two or three capitals then digits, e.g. CF1, IS10, GR18-6.
        text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .find(|w| {
                let letters = w.chars().take_while(char::is_ascii_uppercase).count();
                let rest = &w[letters..];
                (2..=4).contains(&letters)
                    && rest.starts_with(|c: char| c.is_ascii_digit())
                    && !w.starts_with("CG")
                    && !w.starts_with("NG")
                    && rest.chars().all(|c| c.is_ascii_digit() || c == '-')
            })
            .map(str::to_string)
    }
    let mut found = Vec::new();
    let mut check = |place: String, text: &str| {
        if let Some(what) = internal(text) {
            found.push(format!("{place}: '{what}' in {text:?}"));
        }
    };
    for (file, text) in bundled() {
        let s = load(&file, &text).unwrap();
        check(format!("{file} intro"), s.intro.text());
        s.notes
            .iter()
            .for_each(|n| check(format!("{file} note"), n));
        for step in &s.steps {
            let at = format!("{file} step {}", step.id);
            check(at.clone(), step.body.text());
            step.notes
                .iter()
                .chain(&step.prompts)
                .for_each(|n| check(at.clone(), n));
            for c in step.choices() {
                let at = format!("{file} choice {}", c.id);
                check(at.clone(), &c.label);
                check(at.clone(), c.feedback.text());
                c.notes.iter().for_each(|n| check(at.clone(), n));
            }
            for e in step.events() {
                let at = format!("{file} event {}", e.id);
                check(at.clone(), e.text.text());
                e.notes.iter().for_each(|n| check(at.clone(), n));
            }
        }
        for f in &s.facts {
            check(format!("{file} fact {}", f.id), &f.label);
            check(format!("{file} fact {}", f.id), f.detail.text());
        }
    }
    let rubrics = rubric_file();
    for item in rubrics.rubrics.iter().flat_map(|r| &r.items) {
        for text in [&item.name, &item.good, &item.errors, &item.source] {
            check(format!("rubric item {}", item.id), text);
        }
    }
    let a = area();
    for l in &a.framework.levels {
        for text in [&l.name, &l.law].into_iter().chain(&l.notes) {
            check(format!("framework level {}", l.id), text);
        }
    }
    for s in &a.services {
        for l in &s.levels {
            for text in std::iter::once(&l.does).chain(&l.notes) {
                check(format!("service {} level {}", s.id, l.level), text);
            }
        }
    }
    assert!(
        found.is_empty(),
        "internal references:\n{}",
        found.join("\n")
    );
    // And the check itself can fail.
    assert!(internal("see the research digest, section 2.1").is_some());
    assert!(internal("child-focus rubric CF1").is_some());
    assert!(internal("golden rule GR18-6").is_some());
    assert!(internal("NICE CG110 (2010)").is_none());
}

/// Every item the scoring infers must be in the rubric file, or its marks would have nowhere to
/// go: loading a file without one is a problem, never a silent drop.
#[test]
fn a_rubric_file_missing_an_inferred_item_is_refused() {
    let text = std::fs::read_to_string(repo().join("scenarios/guidance/rubrics.md")).unwrap();
    let broken = text.replace("### item be-open", "### item be-honest");
    let problems = thresholds_core::score::load_rubrics("rubrics.md", &broken).unwrap_err();
    assert!(
        listing(&problems).contains(
            "the scoring infers the item 'be-open', but no item in this file has that id"
        ),
        "{}",
        listing(&problems)
    );
    for inferred in thresholds_core::score::Inferred::ALL {
        assert!(
            text.contains(&format!("### item {}\n", inferred.id())),
            "{}",
            inferred.id()
        );
    }
}

// ---------------------------------------------------------------- mutation-tested corners of score

mod score_details {
    use super::*;
    use thresholds_core::score::{
        decision_count, expert_path, expert_run, score, DimensionScore, Inferred,
    };

    fn dim(earned: i32, achievable: i32) -> DimensionScore {
        DimensionScore {
            rubric: "x".into(),
            earned,
            achievable,
            marks: Vec::new(),
        }
    }

    #[test]
    fn shown_points_and_percentages_stay_within_the_whole() {
        assert_eq!(dim(-3, 7).points(), 0, "never a negative fraction");
        assert_eq!(dim(5, 7).points(), 5);
        assert_eq!(dim(9, 7).points(), 7, "never above the whole");
        assert_eq!(dim(-3, 7).percent(), 0);
        assert_eq!(dim(7, 7).percent(), 100);
        assert_eq!(dim(3, 7).percent(), 42);
        assert_eq!(
            dim(3, 0).percent(),
            0,
            "nothing achievable is not applicable, not 100%"
        );
        assert_eq!(decision_count(1), "1 decision");
        assert_eq!(decision_count(0), "0 decisions");
        assert_eq!(decision_count(3), "3 decisions");
    }

    #[test]
    fn feedback_after_a_decision_lists_its_own_marks_but_not_the_whole_run_ones() {
        let rubrics = rubric_file();
        let s = imran();
        let run = expert_run(&s, s.default_seed).unwrap();
        let scores = score(&area(), &rubrics, &s, &run);
        let whole: Vec<&str> = Inferred::ALL
            .iter()
            .filter(|i| i.whole_run())
            .map(|i| i.id())
            .collect();
        assert_eq!(whole, ["refers-when-needed", "timely", "front-door-timely"]);
        let all: Vec<(&str, u32)> = scores
            .dimensions
            .iter()
            .flat_map(|d| d.marks.iter().map(|m| (m.item.as_str(), m.turn)))
            .collect();
        // The whole-run marks exist, at decisions of their own...
        let referral = all
            .iter()
            .find(|(item, _)| *item == "refers-when-needed")
            .expect("the expert path refers");
        // ...and are not listed as that decision's feedback, while its own marks are.
        let listed = scores.at_decision(referral.1);
        assert!(!listed.is_empty());
        assert!(listed
            .iter()
            .all(|(_, m)| !whole.contains(&m.item.as_str())));
        assert!(scores
            .at_decision(1)
            .iter()
            .any(|(rubric, m)| m.item == "finds-out" && *rubric == "child-focus"));
        assert!(scores.at_decision(1).iter().all(|(_, m)| m.turn == 1));
    }

    #[test]
    fn telling_the_parent_is_unsafe_only_for_a_referral_when_the_service_knows_a_threat() {
        let text = std::fs::read_to_string(repo().join("scenarios/abby.md")).unwrap();
        let s = load("abby.md", &text).unwrap();
        let a = area();
        let mut run = Run::start(&s, 1).unwrap();
        let unsafe_for =
            |run: &Run, to: &str| thresholds_core::score::telling_parent_unsafe(&a, &s, run, to);
        assert!(
            !unsafe_for(&run, "childrens-social-care"),
            "no threat known yet"
        );
        // Learn of James's threat through the story, by the shortest route to it.
        for c in [
            "order-first",
            "take-her-word",
            "rely-on-them",
            "leave-hv",
            "tests-only",
            "no-visit",
            "recovery-only",
            "ask-abby-safety",
        ] {
            if run.choose(&s, c).is_err() {
                break;
            }
        }
        assert!(run.knows("drug-service", "james-threat"), "{}", run.step());
        assert!(unsafe_for(&run, "childrens-social-care"));
        assert!(
            !unsafe_for(&run, "health-visiting"),
            "only a referral is judged"
        );
    }

    #[test]
    fn facts_about_the_children_are_those_with_child_or_care_indicators() {
        let s = imran();
        let about = |id: &str| thresholds_core::score::about_the_children(s.fact(id).unwrap());
        assert!(about("misha-cares"));
        assert!(about("daytime-drinking"), "care.* counts");
        assert!(!about("imran-hep-c"));
        assert!(!about("take-home-doses"));
    }

    #[test]
    fn finding_out_counts_only_new_facts_about_the_children_and_says_which() {
        let rubrics = rubric_file();
        let s = imran();
        let mut run = Run::start(&s, 1).unwrap();
        run.choose(&s, "ask-children").unwrap();
        let scores = score(&area(), &rubrics, &s, &run);
        let marks: Vec<_> = scores
            .dimension("child-focus")
            .unwrap()
            .marks
            .iter()
            .filter(|m| m.item == "finds-out")
            .collect();
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].points, 1);
        assert_eq!(
            marks[0].why,
            "You found out: \"The methadone is kept in the kitchen fridge, where David can reach it\""
        );
    }

    #[test]
    fn the_panel_marks_missing_information_only_below_the_full_picture() {
        let (a, s) = (area(), imran());
        let mut at_full_but_not_holding_all = 0;
        for seed in [1, 2, 3] {
            let mut run = Run::start(&s, seed).unwrap();
            loop {
                let p = thresholds_core::thresholds::panel(&a, &s, &run);
                for row in &p.services {
                    if row.response.rank >= p.full.rank {
                        assert!(
                            row.missing.is_empty(),
                            "{} at the full picture",
                            row.service
                        );
                        if p.full.because.iter().any(|f| !run.knows(&row.service, f)) {
                            at_full_but_not_holding_all += 1;
                        }
                    } else {
                        assert!(
                            !row.missing.is_empty(),
                            "{} below the full picture",
                            row.service
                        );
                    }
                }
                let Some(c) = run.available_choices(&s).first().map(|c| c.id.clone()) else {
                    break;
                };
                run.choose(&s, &c).unwrap();
            }
        }
        // The check can fail: some service reached the full level without every fact behind it.
        assert!(at_full_but_not_holding_all > 0);
    }

    #[test]
    fn a_case_naming_a_service_the_area_does_not_define_is_a_problem() {
        let text = std::fs::read_to_string(repo().join("scenarios/tom.md")).unwrap();
        let s = load(
            "tom.md",
            &text.replace("## service gp\n", "## service dentist\n"),
        )
        .unwrap();
        let problems = thresholds_core::thresholds::check_case(&area(), &s);
        assert!(
            listing(&problems).contains("service 'dentist' is not in the area's services file"),
            "{}",
            listing(&problems)
        );
        let sound = load("tom.md", &text).unwrap();
        assert!(thresholds_core::thresholds::check_case(&area(), &sound).is_empty());
    }

    fn fixture_scores(case: &str, steps: &[&str]) -> thresholds_core::score::Scores {
        let rubrics = rubric_file();
        let s = ok(case);
        let mut run = Run::start(&s, 1).unwrap();
        for step in steps {
            match step.split_once('>') {
                None => {
                    run.choose(&s, step).unwrap();
                }
                Some((facts, to)) => {
                    let facts: Vec<String> = facts.split(',').map(String::from).collect();
                    run.share(
                        &s,
                        &Share {
                            facts: facts.clone(),
                            to: to.to_string(),
                            basis: thresholds_core::model::Basis::Safeguarding,
                            parent_told: true,
                        },
                    )
                    .unwrap();
                }
            }
        }
        score(&area(), &rubrics, &s, &run)
    }

    fn marks_of<'a>(
        scores: &'a thresholds_core::score::Scores,
        item: &str,
    ) -> Vec<&'a thresholds_core::score::Mark> {
        scores
            .dimensions
            .iter()
            .flat_map(|d| &d.marks)
            .filter(|m| m.item == item)
            .collect()
    }

    /// Another service (the school) brings children's social care to child protection at the
    /// moment the trainee's service gets there too; the trainee had told it of the children
    /// before any of that.
    const ALREADY: &str = "# Already\nid: already\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: uses, child\n\n## service school\nname: School\nknows: pickup\n\n## service childrens-social-care\nname: CSC\n\n## fact uses\nlabel: Uses drugs\nindicators: parent.substance_use\n\n## fact child\nlabel: A toddler at home\nindicators: child.lives_with_parent, child.under_5\n\n## fact pickup\nlabel: Collected drunk\nindicators: care.intoxicated_carer\n\n## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: two\ngrade: good\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### event school-tells\nchance: 100%\nshare: pickup from school with childrens-social-care basis safeguarding parent told\nshare: pickup from school with drug-service basis safeguarding parent told\n\nThe school rings everyone.\n\n### choice stop\nlabel: Stop\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";

    #[test]
    fn a_referral_already_made_counts_when_children_s_social_care_reached_the_level_in_time() {
        let told = fixture_scores(ALREADY, &["uses,child>childrens-social-care", "go", "stop"]);
        assert_eq!(told.timeliness.threshold_met_at, Some(1));
        assert_eq!(told.timeliness.front_door_at, Some(1));
        let points = |item| {
            marks_of(&told, item)
                .iter()
                .map(|m| m.points)
                .collect::<Vec<_>>()
        };
        assert_eq!(points("refers-when-needed"), [2]);
        assert_eq!(points("front-door-timely"), [2]);
        // Without the earlier referral, the trainee's service never told it.
        let silent = fixture_scores(ALREADY, &["go", "stop"]);
        let points = |item| {
            marks_of(&silent, item)
                .iter()
                .map(|m| m.points)
                .collect::<Vec<_>>()
        };
        assert_eq!(points("refers-when-needed"), [0]);
    }

    /// A flag set at one step and cleared at the next decides whether a credited choice is open
    /// at the third: scoring must rebuild the flags as they were at each decision.
    const FLAGS: &str = "# Flags\nid: flags\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\n\n## step one\ntitle: One\n\nT.\n\n### choice plain-first\nlabel: Plain\ngoto: two\ngrade: good\n\nF.\n\n### choice set-x\nlabel: Set\ngoto: two\ngrade: mixed\nset: x, y, z\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### choice keep\nlabel: Keep\ngoto: three\ngrade: good\n\nF.\n\n### choice clear-x\nlabel: Clear\ngoto: three\ngrade: mixed\nclear: x\n\nF.\n\n### choice clear-z\nlabel: Clear z\ngoto: three\ngrade: mixed\nclear: z\n\nF.\n\n### choice gate-z\nlabel: Gate z\ngoto: three\ngrade: mixed\nif: z\n\nF.\n\n## step three\ntitle: Three\n\nT.\n\n### choice gated\nlabel: Gated\ngoto: end\ngrade: good\nif: x and y\ncredit: identify-children\n\nF.\n\n### choice plain\nlabel: Plain\ngoto: end\ngrade: mixed\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";

    #[test]
    fn which_choices_were_open_follows_the_flags_as_they_were_at_each_decision() {
        let achievable = |steps: &[&str]| {
            fixture_scores(FLAGS, steps)
                .dimension("child-focus")
                .unwrap()
                .achievable
        };
        // x and y set and kept: the credited choice was open at step three.
        assert_eq!(achievable(&["set-x", "keep", "plain"]), 1);
        // x cleared: it was not (and y being set does not make it so).
        assert_eq!(achievable(&["set-x", "clear-x", "plain"]), 0);
        // Clearing another flag leaves x and y as they were.
        assert_eq!(achievable(&["set-x", "clear-z", "plain"]), 1);
    }

    #[test]
    fn marks_from_tags_name_the_decision_they_came_from() {
        let scores = fixture_scores(FLAGS, &["set-x", "keep", "gated"]);
        let marks = marks_of(&scores, "identify-children");
        assert_eq!(marks.len(), 1);
        assert_eq!(
            marks[0].decision,
            Some(("three".to_string(), "gated".to_string()))
        );
        assert_eq!(marks[0].turn, 3);
    }

    /// A fact the trainee could only find out at a decision cannot be offered to a key service
    /// at that same decision: the clock starts at the next decision that offers it.
    const OFFER: &str = "# Offer\nid: offer\nrole: r\nsummary: s\nstart: one\nkey-services: health-visiting\n\n## service drug-service\nname: You\ntrainee: yes\nknows: child\n\n## service health-visiting\nname: HV\nknows: child\n\n## fact child\nlabel: A toddler at home\nindicators: child.lives_with_parent, child.under_5\n\n## fact fridge\nlabel: Methadone in the fridge\nindicators: storage.unsafe, child.under_5\n\n## step one\ntitle: One\n\nT.\n\n### choice find\nlabel: Find\ngoto: two\ngrade: good\nreveal: fridge\n\nF.\n\n### choice tell-early\nlabel: Tell early\ngoto: two\ngrade: mixed\nshare: fridge with health-visiting basis safeguarding parent told\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### choice tell\nlabel: Tell\ngoto: three\ngrade: good\nshare: fridge with health-visiting basis safeguarding parent told\n\nF.\n\n### choice wait\nlabel: Wait\ngoto: three\ngrade: mixed\n\nF.\n\n## step three\ntitle: Three\n\nT.\n\n### choice tell-late\nlabel: Tell late\ngoto: end\ngrade: good\nshare: fridge with health-visiting basis safeguarding parent told\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";

    #[test]
    fn the_timeliness_clock_starts_when_the_fact_could_first_be_passed_on() {
        let scores = fixture_scores(OFFER, &["find", "wait", "tell-late"]);
        let marks: Vec<_> = marks_of(&scores, "timely")
            .into_iter()
            .filter(|m| m.why.contains("Methadone in the fridge"))
            .collect();
        assert_eq!(marks.len(), 1, "{marks:?}");
        // Offered at decision 2 (tell), learned at 3: prompt.
        assert_eq!(marks[0].points, 2, "{}", marks[0].why);
    }

    /// A case whose good choice loops back on itself: the expert path stops at its guard of 200
    /// decisions instead of running for ever.
    #[test]
    fn the_expert_path_stops_at_its_guard_on_a_looping_case() {
        let s = ok("# Loop\nid: loop\nrole: r\nsummary: s\nstart: a\n\n## service drug-service\nname: You\ntrainee: yes\n\n## step a\ntitle: A\n\nT.\n\n### choice again\nlabel: Again\ngoto: a\ngrade: good\n\nF.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: poor\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
        assert_eq!(expert_path(&s, 1).len(), 200);
    }
}

/// A decision that fails leaves the run exactly as it was (issue 12): here an event that always
/// sends its step back to itself makes every arrival fail.
#[test]
fn a_decision_that_fails_leaves_the_run_as_it_was() {
    let s = ok("# Loop\nid: loop\nrole: r\nsummary: s\nstart: one\n\n## service you\nname: You\ntrainee: yes\n\n## fact f\nlabel: F\nindicators: x.y\n\n## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: two\ngrade: good\nset: went\nreveal: f\n\nF.\n\n### choice end\nlabel: End\ngoto: end\ngrade: good\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### event spin\nchance: 100%\ngoto: two\n\nRound again.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
    let mut run = Run::start(&s, 1).unwrap();
    let before = run.clone();
    assert_eq!(run.choose(&s, "go"), Err(EngineError::TooManyRedirects));
    assert_eq!(run, before, "no turn, flag, fact or log entry left behind");
    // And the run can still go on.
    assert!(run.choose(&s, "end").is_ok());
}

/// Issue 12: any heading-like line that is not a heading is a problem at its line, with the
/// heading it should be; a byte-order mark and CRLF line ends are read; '#' lines inside a code
/// fence are text.
#[test]
fn misformed_headings_are_reported_and_bom_crlf_and_fences_are_read() {
    let base = "# Sam\nid: sam\nrole: r\nsummary: s\nstart: one\n\n## service you\nname: You\ntrainee: yes\n\n## step one\ntitle: One\n\nText.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nF.\n\nCHOICE\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    for bad in [
        "#### choice stay",
        "###\tchoice stay",
        "  ### choice stay",
        "###choice stay",
        "###  choice stay",
        "## choice stay",
    ] {
        let text = base.replace(
            "CHOICE",
            &format!("{bad}\nlabel: Stay\ngoto: end\ngrade: poor\n\nF."),
        );
        let line = text.lines().position(|l| l == bad).unwrap() + 1;
        let got = match load("t.md", &text) {
            Ok(_) => panic!("{bad:?} was accepted"),
            Err(p) => listing(&p),
        };
        // Control characters (the tab) are shown escaped.
        let shown: String = bad.trim().replace('\t', "\\t");
        assert!(
            got.contains(&format!("t.md:{line}: '{shown}' looks like a heading but is not read as one (hint: did you mean '### choice stay'?")),
            "{bad:?}:\n{got}"
        );
    }
    let good = base.replace(
        "CHOICE",
        "#### A heading in the feedback\n\n```text\n# not a title\n## step not-a-step\n```",
    );
    assert!(
        load("t.md", &good).is_ok(),
        "{:?}",
        load("t.md", &good).err().map(|p| listing(&p))
    );
    let bom_crlf = format!("\u{feff}{}", good.replace('\n', "\r\n"));
    let s = load("t.md", &bom_crlf).unwrap_or_else(|p| panic!("{}", listing(&p)));
    assert_eq!(s.title, "Sam");
    assert_eq!(s.steps.len(), 2);
}

#[test]
fn protocol_relative_and_backslash_links_leave_the_site_and_are_dropped() {
    check_html(
        "[a](//evil.example/x) [b](\\\\\\\\evil.example) [c](/\\evil.example) [d](/local/page)",
        &["href=\"/local/page\""],
        &["evil.example"],
    );
}

/// Issue 12: the summary and the validator work over the graph, never by listing paths, so a
/// case whose choices rejoin at every step (2^60 paths here) is summarised at once, and a long
/// chain written in story order is validated.
#[test]
fn path_lengths_come_from_the_graph_not_from_listing_paths() {
    use std::fmt::Write;
    let mut t = String::from("# Dense\nid: dense\nrole: r\nsummary: s\nstart: s0\n\n## service you\nname: You\ntrainee: yes\n\n");
    let n = 60;
    for i in 0..n {
        let a = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "end".into()
        };
        let b = if i + 2 < n {
            format!("s{}", i + 2)
        } else {
            "end".into()
        };
        let _ = write!(t, "## step s{i}\ntitle: S{i}\n\nT.\n\n### choice a\nlabel: On\ngoto: {a}\ngrade: good\n\nF.\n\n### choice b\nlabel: Jump\ngoto: {b}\ngrade: good\n\nF.\n\n");
    }
    t.push_str("## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
    let s = ok(&t);
    let summary = thresholds_core::summary::summarise(&s);
    assert_eq!(summary.longest.as_ref().map(|l| l.0), Some(60));
    assert_eq!(summary.shortest.as_ref().map(|l| l.0), Some(30));
    assert_eq!(
        summary.longest.unwrap().1.len(),
        61,
        "every step, then the ending"
    );
}

/// Issue 12: cases that cannot be played are reported with the step and the cause, exactly,
/// from the exploration of every state.
#[test]
fn cases_that_cannot_be_played_are_reported_with_the_step_and_cause() {
    let head = "# P\nid: p\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: x\n\n## service childrens-social-care\nname: CSC\n\n## fact x\nlabel: X\nindicators: parent.substance_use\n\n";
    let problems = |body: &str| {
        let s = ok(&format!("{head}{body}"));
        listing(&thresholds_core::paths::check_paths(&area(), &s).problems)
    };
    let line_of = |body: &str, heading: &str| {
        format!("{head}{body}")
            .lines()
            .position(|l| l == heading)
            .unwrap()
            + 1
    };
    let end = "## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    // An event that always sends a step to itself: every arrival fails.
    let body = format!("## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: two\ngrade: good\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### event spin\nchance: 100%\ngoto: two\n\nAgain.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\n\nF.\n\n{end}");
    let got = problems(&body);
    let two = line_of(&body, "## step two");
    assert!(got.contains(&format!("test.md:{two}: random events at step 'two' can send the story round without end, so a run fails there (after one:go)")), "{got}");
    // The only way out needs a condition that can never hold (nothing tells children's social
    // care about x): no ending can be reached.
    let body = format!("## step one\ntitle: One\n\nT.\n\n### choice again\nlabel: Again\ngoto: one\ngrade: good\n\nF.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\nif: childrens-social-care knows x\n\nF.\n\n{end}");
    let got = problems(&body);
    let one = line_of(&body, "## step one");
    assert!(
        got.contains(&format!(
            "test.md:{one}: from step 'one' no ending can be reached (at the start)"
        )),
        "{got}"
    );
    // A certain event on the start step ends every run before any decision.
    let body = format!("## step one\ntitle: One\n\nT.\n\n### event over\nchance: 100%\ngoto: end\n\nIt is over.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nF.\n\n{end}");
    let got = problems(&body);
    let one = line_of(&body, "## step one");
    assert!(
        got.contains(&format!(
            "test.md:{one}: every run ends before the first decision"
        )),
        "{got}"
    );
    // And a sound case has none of these.
    let got = problems(&format!("## step one\ntitle: One\n\nT.\n\n### event maybe\nchance: 50%\ngoto: end\n\nMaybe over.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nF.\n\n{end}"));
    assert_eq!(got, "");
}

/// Issue 12: random mutations of each bundled case's text (lines deleted, duplicated, swapped,
/// characters changed, bytes inserted, the file cut short) either load or give problems at real
/// lines; never a panic, and never longer than a second each. `THRESHOLDS_MUTATIONS` sets how many
/// per case (10,000 by default).
#[test]
fn ten_thousand_random_mutations_of_each_case_give_exact_answers() {
    let per_case: usize = std::env::var("THRESHOLDS_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let rubrics = rubric_file();
    let a = area();
    let mut rng = StdRng::seed_from_u64(2026);
    let (mut sound, mut refused) = (0, 0);
    for (file, text) in bundled() {
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..per_case {
            let mut l: Vec<String> = lines.iter().map(|x| x.to_string()).collect();
            let at = rng.random_range(0..l.len());
            match rng.random_range(0..6u8) {
                0 => {
                    l.remove(at);
                }
                1 => {
                    let copy = l[at].clone();
                    l.insert(at, copy);
                }
                2 => {
                    let other = rng.random_range(0..l.len());
                    l.swap(at, other);
                }
                3 => {
                    let mut chars: Vec<char> = l[at].chars().collect();
                    if !chars.is_empty() {
                        let i = rng.random_range(0..chars.len());
                        chars[i] =
                            ['#', ':', ' ', ',', '\t', 'x', '\u{0}', 'é'][rng.random_range(0..8)];
                    }
                    l[at] = chars.into_iter().collect();
                }
                4 => l.insert(
                    at,
                    [
                        "## step",
                        "### choice",
                        "goto:",
                        "if: not",
                        "level: x y",
                        "# T",
                    ][rng.random_range(0..6)]
                    .to_string(),
                ),
                _ => l.truncate(at),
            }
            let mutated = l.join("\n");
            let started = std::time::Instant::now();
            // Loading: parsing and validation, then the case against the area and the rubrics
            // (the exploration of every path is covered by its own tests).
            let (scenario, mut problems) = thresholds_core::validate::check(&file, &mutated);
            problems.extend(thresholds_core::thresholds::check_case(&a, &scenario));
            problems.extend(thresholds_core::score::check_case(&rubrics, &scenario));
            let took = started.elapsed();
            assert!(took.as_secs_f64() < 1.0, "{file}: a mutation took {took:?}");
            let last = mutated.lines().count() as u32 + 1;
            for p in &problems {
                assert!(
                    (1..=last).contains(&p.line),
                    "{file}: a problem at line {} of {last}: {p}",
                    p.line
                );
            }
            if problems.is_empty() {
                sound += 1;
            } else {
                refused += 1;
            }
        }
    }
    // Both kinds of answer happened, so the test exercised each.
    assert!(sound > 0 && refused > 0, "{sound} sound, {refused} refused");
}

/// Issue 12: past the exploration's cap, playability is still searched for with seeded runs,
/// and the problem names the seed that reproduces it.
#[test]
fn a_case_too_large_to_explore_is_searched_with_seeded_runs_that_name_the_seed() {
    // A 50% chance of an event that sends the second step round without end.
    let s = ok("# Big\nid: big\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\n\n## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: two\ngrade: good\nset: a\n\nF.\n\n### choice also\nlabel: Also\ngoto: two\ngrade: good\nset: b\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n### event spin\nchance: 50%\nif: a\ngoto: two\n\nAgain.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\nif: not b\n\nF.\n\n### choice out-too\nlabel: Out too\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
    let report = thresholds_core::paths::check_paths_capped(&area(), &s, 2);
    let got = listing(&report.problems);
    assert!(got.contains("more than 2 distinct states"), "{got}");
    assert!(got.contains("a run with seed "), "{got}");
    assert!(
        got.contains(
            "(random events redirected the story too many times in one turn) at step 'one'"
        ),
        "{got}"
    );
    // Fully explored, the same case gets the exact answer instead.
    let exact = listing(&thresholds_core::paths::check_paths(&area(), &s).problems);
    assert!(
        exact.contains("random events at step 'two' can send the story round without end"),
        "{exact}"
    );
}

#[test]
fn the_summary_counts_one_decision_in_the_singular() {
    let s = ok("# One\nid: one\nrole: r\nsummary: s\nstart: a\n\n## service you\nname: You\ntrainee: yes\n\n## step a\ntitle: A\n\nT.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
    let text = thresholds_core::summary::summarise(&s).to_string();
    assert!(
        text.contains("longest path: 1 decision (a > end)"),
        "{text}"
    );
    assert!(!text.contains("1 decisions"), "{text}");
}

/// Review finding: after an event with no `goto`, the exploration must go on to the step's next
/// event (a statement on it is checked), including on the start step.
#[test]
fn events_after_an_event_without_goto_are_explored_and_their_statements_checked() {
    let head = "# E\nid: e\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: uses, child\n\n## service childrens-social-care\nname: CSC\n\n## fact uses\nlabel: Uses\nindicators: parent.substance_use\n\n## fact child\nlabel: Child\nindicators: child.lives_with_parent, child.under_5\n\n";
    let end = "## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    for start_step in [true, false] {
        let events = "### event first\nchance: 100%\nset: noted\n\nNoted.\n\n### event second\nchance: 100%\nshare: uses, child with childrens-social-care basis safeguarding parent told\nlevel: childrens-social-care child-protection\n\nTold.\n\n";
        let body = if start_step {
            format!("## step one\ntitle: One\n\nT.\n\n{events}### choice go\nlabel: Go\ngoto: end\ngrade: good\nif: noted\n\nF.\n\n### choice also\nlabel: Also\ngoto: end\ngrade: good\n\nF.\n\n{end}")
        } else {
            format!("## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: two\ngrade: good\n\nF.\n\n## step two\ntitle: Two\n\nT.\n\n{events}### choice on\nlabel: On\ngoto: end\ngrade: good\n\nF.\n\n{end}")
        };
        let s = ok(&format!("{head}{body}"));
        let report = thresholds_core::paths::check_paths(&area(), &s);
        // The second event's statement is false (uses and child put it at early help): found.
        assert_eq!(report.statements, 1, "start step: {start_step}");
        assert_eq!(
            report.failing,
            1,
            "start step: {start_step}: {}",
            listing(&report.problems)
        );
    }
}

/// Review finding: the check and the engine agree on how many redirects one arrival may take.
#[test]
fn the_check_and_the_engine_agree_on_the_redirect_limit() {
    use std::fmt::Write;
    for hops in [15usize, 16] {
        let mut t = String::from("# R\nid: r\nrole: r\nsummary: s\nstart: s0\n\n## service drug-service\nname: You\ntrainee: yes\n\n## step s0\ntitle: S0\n\nT.\n\n### choice go\nlabel: Go\ngoto: h0\ngrade: good\n\nF.\n\n");
        for i in 0..hops {
            let _ = write!(t, "## step h{i}\ntitle: H{i}\n\nT.\n\n### event hop\nchance: 100%\ngoto: h{}\n\nOn.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\n\nF.\n\n", i + 1);
        }
        let _ = write!(t, "## step h{hops}\ntitle: Last\n\nT.\n\n### choice out\nlabel: Out\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
        let s = ok(&t);
        let engine_fails = Run::start(&s, 1).unwrap().choose(&s, "go").is_err();
        let check_fails = !thresholds_core::paths::check_paths(&area(), &s)
            .problems
            .is_empty();
        assert_eq!(engine_fails, check_fails, "{hops} redirects");
        assert_eq!(engine_fails, hops >= 16, "{hops} redirects");
    }
}

/// Review finding: a choice that puts a risk right and refers in one go is judged on what was
/// known when the trainee decided, so it is not marked as an over-reaction.
#[test]
fn putting_a_risk_right_and_referring_in_one_choice_is_not_an_over_reaction() {
    let rubrics = rubric_file();
    let s = ok(calibrated::CASE);
    let mut run = Run::start(&s, 1).unwrap();
    for c in ["ask", "fix-and-refer"] {
        run.choose(&s, c).unwrap();
    }
    let scores = thresholds_core::score::score(&area(), &rubrics, &s, &run);
    let tj = scores.dimension("threshold-judgement").unwrap();
    assert!(
        tj.marks.iter().all(|m| m.item != "proportionate-response"),
        "{:?}",
        tj.marks
    );
    assert_eq!(tj.percent(), 100, "{:?}", tj.marks);
}

/// Review finding: an unclosed code fence is reported at its line, not as a cycle elsewhere.
#[test]
fn an_unclosed_code_fence_is_reported_where_it_opens() {
    let text = "# F\nid: f\nrole: r\nsummary: s\nstart: one\n\n## service you\nname: You\ntrainee: yes\n\n## step one\ntitle: One\n\nSee:\n\n```text\nan example\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    let got = listing(&load("t.md", text).unwrap_err());
    assert!(
        got.contains("t.md:16: a code fence opened here is never closed"),
        "{got}"
    );
}

/// Review finding: a remedy that is itself undone no longer cancels the risk, and resolution
/// cannot loop.
#[test]
fn an_undone_remedy_brings_the_risk_back_and_resolution_cannot_loop() {
    use thresholds_core::model::{Fact, Spanned};
    let fact = |id: &str, indicators: &[&str], resolves: &[&str]| Fact {
        id: id.into(),
        label: id.into(),
        indicators: indicators.iter().map(|i| i.to_string()).collect(),
        resolves: resolves
            .iter()
            .map(|r| Spanned::new(r.to_string(), 1))
            .collect(),
        ..Default::default()
    };
    let fridge = fact("fridge", &["storage.unsafe", "child.under_5"], &[]);
    let lockbox = fact("lockbox", &["storage.safe"], &["fridge"]);
    let broken = fact("broken", &["storage.unsafe"], &["lockbox"]);
    let ids = |facts: &[&Fact]| {
        thresholds_core::thresholds::still_counting(facts)
            .0
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&[&fridge, &lockbox]), ["lockbox"]);
    assert_eq!(ids(&[&fridge, &lockbox, &broken]), ["fridge", "broken"]);
    let text = "# L\nid: l\nrole: r\nsummary: s\nstart: one\n\n## service you\nname: You\ntrainee: yes\n\n## fact a\nlabel: A\nindicators: x.a\nresolves: b\n\n## fact b\nlabel: B\nindicators: x.b\nresolves: a\n\n## step one\ntitle: One\n\nT.\n\n### choice go\nlabel: Go\ngoto: end\ngrade: good\nreveal: a, b\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    let got = listing(&load("t.md", text).unwrap_err());
    assert!(
        got.contains("t.md:11: fact 'a' is put right, through other facts, by itself"),
        "{got}"
    );
}

// ---------------------------------------------------------------- safe HTML

mod safe_html {
    use thresholds_core::html;
    use thresholds_core::safe::{holes_are_positional, SafeHtml};

    #[test]
    fn text_is_escaped_safe_html_is_kept_and_numbers_are_digits() {
        let label = "<img src=x onerror=alert(1)> & \"quotes\" 'too'";
        let inner = html!("<b>{}</b>", "bold & sure");
        let out = html!(
            "<li data-x=\"{}\">{} {} {}</li>",
            label,
            inner,
            42u32,
            label.to_string()
        );
        assert_eq!(
            out.as_str(),
            "<li data-x=\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;\"><b>bold &amp; sure</b> 42 &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;</li>"
        );
        assert_eq!(SafeHtml::escape("<script>").as_str(), "&lt;script&gt;");
    }

    #[test]
    fn a_template_may_not_name_a_variable_which_would_go_in_unescaped() {
        // html! refuses these at compile time; this is the check it runs.
        assert!(!holes_are_positional("<p>{name}</p>"));
        assert!(!holes_are_positional("<p>{0}</p>"));
        assert!(!holes_are_positional("<p>{"));
        assert!(holes_are_positional("<p>{} {:>3} {{literal}}</p>"));
    }

    #[test]
    fn the_markdown_sanitiser_and_the_codec_are_the_other_ways_in() {
        use thresholds_core::codec::{decode_page, encode_page};
        let body = thresholds_core::markdown::to_safe_html("Hello <script>x</script> *there*");
        assert!(!body.contains("<script>"), "{body}");
        assert!(body.contains("<em>there</em>"));
        assert_eq!(decode_page(&encode_page(&body)), Some(body.clone()));
        let mut damaged = encode_page(&body);
        damaged[3] ^= 1;
        assert_eq!(decode_page(&damaged), None, "a damaged page is refused");
    }
}

/// The authoring desk (issue 14): the worker's message handling, a plain function.
mod desk {
    use super::*;
    use thresholds_core::codec::{decode_case, encode_area, encode_rubrics};
    use thresholds_core::desk::{respond, DeskArea, DeskFile, DeskRequest, MAX_FILE_BYTES};
    use thresholds_core::model::Prose;

    fn ask(files: Vec<(&str, Vec<u8>)>) -> thresholds_core::desk::DeskAnswer {
        respond(&DeskRequest {
            files: files
                .into_iter()
                .map(|(name, bytes)| DeskFile {
                    name: name.to_string(),
                    bytes,
                })
                .collect(),
            area: DeskArea::Compiled(encode_area(&area())),
            rubrics: encode_rubrics(&rubric_file()),
            references: Vec::new(),
        })
    }

    fn file(name: &str, text: &str) -> DeskFile {
        DeskFile {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Every bundled case re-checked against an area given as its two files.
    fn try_area(framework: &str) -> thresholds_core::desk::DeskAnswer {
        try_area_with(framework, &area_text().1)
    }

    fn try_area_with(framework: &str, services: &str) -> thresholds_core::desk::DeskAnswer {
        respond(&DeskRequest {
            files: Vec::new(),
            area: DeskArea::Files {
                framework: file("framework.md", framework),
                services: file("services.md", services),
            },
            rubrics: encode_rubrics(&rubric_file()),
            references: bundled().iter().map(|(n, t)| file(n, t)).collect(),
        })
    }

    #[test]
    fn each_shipped_framework_loads_and_every_bundled_case_still_holds_under_it() {
        for (nation, path) in [
            ("wales", "nations/wales.md"),
            ("scotland", "nations/scotland.md"),
            ("northern-ireland", "nations/northern-ireland.md"),
            ("england", "examples/no-fixed-levels.md"),
        ] {
            let text =
                std::fs::read_to_string(repo().join(format!("scenarios/area/{path}"))).unwrap();
            let answer = try_area(&text);
            let area = answer.area.expect("an area report");
            assert_eq!(area.problems, vec![], "{nation}");
            assert!(area.compiled.is_some());
            assert_eq!(area.nation.to_lowercase(), nation.replace('-', " "));
            assert_eq!(answer.references.len(), bundled().len());
            for r in &answer.references {
                assert_eq!(r.problems, vec![], "{nation}: {}", r.name);
                assert!(r.compiled.is_none(), "references are never compiled");
            }
        }
    }

    #[test]
    fn an_area_that_renames_a_level_lists_each_statement_that_no_longer_holds_with_its_line() {
        // The area's own files agree with each other (both renamed); the cases still name the
        // old level, so their statements no longer hold under this area.
        let (framework, services) = area_text();
        let rename = |t: &str| t.replace("level child-protection", "level section-47");
        let answer = try_area_with(&rename(&framework), &rename(&services));
        let area = answer.area.unwrap();
        assert_eq!(area.problems, vec![]);
        let all: Vec<&thresholds_core::desk::Finding> =
            answer.references.iter().flat_map(|r| &r.problems).collect();
        assert!(
            !all.is_empty(),
            "renaming a level must break some statement"
        );
        for f in &all {
            assert!(
                f.text.starts_with(&format!("{}:{}: ", f.file, f.line)),
                "{}",
                f.text
            );
            assert!(f.file.ends_with(".md") && f.line > 1, "{}", f.text);
        }
        assert!(
            all.iter().any(|f| f.text.contains("child-protection")),
            "{all:?}"
        );
    }

    #[test]
    fn a_broken_framework_file_is_reported_with_its_line_and_nothing_else_is_checked() {
        let (framework, _) = area_text();
        let broken = framework.replacen("short: 3", "short:", 1);
        let answer = try_area(&broken);
        let area = answer.area.unwrap();
        assert!(area.compiled.is_none());
        let line = framework.lines().position(|l| l == "short: 3").unwrap() + 1;
        assert!(
            area.problems
                .iter()
                .any(|p| p.file == "framework.md" && p.line == line as u32),
            "{:?}",
            area.problems
        );
        assert!(answer.references.is_empty() && answer.reports.is_empty());
    }

    #[test]
    fn a_sound_case_is_summarised_and_compiled_to_what_the_player_decodes() {
        let text = std::fs::read(repo().join("scenarios/tom.md")).unwrap();
        let answer = ask(vec![("tom.md", text)]);
        assert_eq!(answer.trouble, None);
        let r = &answer.reports[0];
        assert_eq!(r.problems, vec![], "tom.md should have no problems");
        assert_eq!(r.id, "tom");
        assert!(r.summary.contains("level statements:"), "{}", r.summary);
        assert!(r.summary.contains("endings"), "{}", r.summary);
        assert!(
            r.decisions.0 >= 1 && r.decisions.0 <= r.decisions.1,
            "{:?}",
            r.decisions
        );
        let case = decode_case("tom.md", r.compiled.as_ref().expect("compiled")).expect("decodes");
        assert_eq!(case.id, "tom");
        assert!(!case.steps.is_empty());
    }

    #[test]
    fn each_problem_has_its_file_and_line_and_a_broken_case_is_never_compiled() {
        let mut text = std::fs::read_to_string(repo().join("scenarios/tom.md")).unwrap();
        // A choice that goes to a step that does not exist, on a line we can find.
        let line = text
            .lines()
            .position(|l| l.starts_with("goto: "))
            .expect("a goto")
            + 1;
        let old = text.lines().nth(line - 1).unwrap().to_string();
        text = text.replacen(&old, "goto: nowhere-at-all", 1);
        let answer = ask(vec![("mine.md", text.into_bytes())]);
        let r = &answer.reports[0];
        assert!(r.compiled.is_none());
        let found = r
            .problems
            .iter()
            .find(|p| p.text.contains("nowhere-at-all"))
            .unwrap_or_else(|| panic!("no problem names the missing step: {:?}", r.problems));
        assert_eq!((found.file.as_str(), found.line), ("mine.md", line as u32));
        assert!(
            found.text.starts_with(&format!("mine.md:{line}: ")),
            "{}",
            found.text
        );
    }

    #[test]
    fn huge_files_and_invalid_utf8_get_a_plain_message_and_other_files_are_still_checked() {
        let huge = vec![b'a'; MAX_FILE_BYTES + 1];
        let bad = vec![b'#', b' ', 0xff, 0xfe, b'\n'];
        let tom = std::fs::read(repo().join("scenarios/tom.md")).unwrap();
        let answer = ask(vec![("huge.md", huge), ("bad.md", bad), ("tom.md", tom)]);
        let texts: Vec<&str> = answer
            .reports
            .iter()
            .map(|r| r.problems.first().map_or("", |p| p.text.as_str()))
            .collect();
        assert!(
            texts[0].starts_with("huge.md:1: the file is 400 KB"),
            "{}",
            texts[0]
        );
        assert!(
            texts[1].starts_with("bad.md:1:") && texts[1].contains("UTF-8"),
            "{}",
            texts[1]
        );
        assert_eq!(texts[2], "");
        assert!(answer.reports[2].compiled.is_some());
    }

    #[test]
    fn a_hostile_case_compiles_to_markup_with_nothing_that_runs() {
        let text = std::fs::read(repo().join("tests/fixtures/hostile.md")).unwrap();
        let answer = ask(vec![("hostile.md", text)]);
        let r = &answer.reports[0];
        assert_eq!(r.problems, vec![], "the hostile fixture is a valid case");
        // Plain text (the title, the summary) is kept as text and escaped where it is shown;
        // every Markdown body is sanitised HTML by now, with nothing in it that runs.
        let case = decode_case("hostile.md", r.compiled.as_ref().unwrap()).unwrap();
        let mut bodies = vec![&case.intro];
        bodies.extend(case.steps.iter().map(|s| &s.body));
        let mut checked = 0;
        for body in bodies {
            let Prose::Html(html) = body else {
                panic!("a body was not compiled to safe HTML");
            };
            // Text is escaped (`&lt;`), so every `<` opens a real tag: look inside each.
            let markup = html.as_str().to_lowercase();
            for tag in markup
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
            {
                let name = tag.split_whitespace().next().unwrap_or("");
                assert!(
                    !["script", "iframe", "img", "object", "embed"].contains(&name),
                    "<{tag}>"
                );
                assert!(!tag.contains(" on"), "an event handler: <{tag}>");
                assert!(
                    !tag.contains("javascript:") && !tag.contains("data:"),
                    "<{tag}>"
                );
            }
            checked += 1;
        }
        assert!(checked >= 2);
    }

    #[test]
    fn base64_round_trips_every_length_and_refuses_what_is_not_base64() {
        use thresholds_core::base64::{decode, encode};
        assert_eq!(encode(b"Man"), "TWFu");
        assert_eq!(encode(b"Ma"), "TWE=");
        assert_eq!(encode(b"M"), "TQ==");
        for n in 0..70u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(
                decode(&encode(&bytes)).as_deref(),
                Some(bytes.as_slice()),
                "length {n}"
            );
        }
        for bad in ["TWF", "TW=u", "T===", "TQ==TQ==", "TW*u"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_unreadable_area_is_one_plain_trouble_not_a_panic() {
        let answer = respond(&DeskRequest {
            files: vec![DeskFile {
                name: "tom.md".into(),
                bytes: b"# x".to_vec(),
            }],
            area: DeskArea::Compiled(vec![1, 2, 3]),
            rubrics: encode_rubrics(&rubric_file()),
            references: Vec::new(),
        });
        assert!(answer.trouble.unwrap().contains("could not be read"));
        assert!(answer.reports.is_empty());
    }
}

#[test]
fn a_framework_says_levels_none_or_nothing_and_anything_else_is_a_problem_at_its_line() {
    let (framework, services) = area_text();
    let with = |header: &str| {
        let text = framework.replacen(
            "nation: England\n",
            &format!("nation: England\n{header}\n"),
            1,
        );
        thresholds_core::area::load_area(("framework.md", &text), ("services.md", &services))
    };
    assert!(with("levels: none").unwrap().framework.no_fixed_levels);
    assert!(!with("levels: fixed").unwrap().framework.no_fixed_levels);
    assert!(!area().framework.no_fixed_levels);
    let problems = with("levels: some").unwrap_err();
    assert_eq!(problems.len(), 1, "{}", listing(&problems));
    assert_eq!(
        (problems[0].file.as_str(), problems[0].line),
        ("framework.md", 3)
    );
    assert!(
        problems[0].message.contains("levels: some"),
        "{}",
        problems[0]
    );
}

/// What the browser keeps for a trainer (issue 14): records read back exactly, and a damaged
/// or foreign record reads as nothing, never as a wrong value.
mod kept {
    use super::*;
    use thresholds_core::kept::{KeptArea, KeptCase};

    fn case() -> KeptCase {
        KeptCase {
            file: "mine\nsecond line.md".into(),
            saved: "2026-11-30T10:00:00+00:00".into(),
            decisions: (7, 12),
            compiled: (0..=255u8).collect(),
            source: "# A case\n\nwith a blank line, and\nfile: a line that looks like a field\n"
                .into(),
        }
    }

    #[test]
    fn a_kept_case_reads_back_whole_with_its_name_on_one_line() {
        let c = case();
        let back = KeptCase::decode(&c.encode()).expect("reads back");
        assert_eq!(back.file, "mine second line.md");
        assert_eq!(
            (back.saved.as_str(), back.decisions),
            (c.saved.as_str(), c.decisions)
        );
        assert_eq!((back.compiled, back.source), (c.compiled, c.source));
    }

    #[test]
    fn a_damaged_or_foreign_record_reads_as_nothing() {
        let text = case().encode();
        let damaged = [
            text.replacen("thresholds-own 1", "thresholds-own 2", 1),
            text.replacen("shortest: 7", "shortest: seven", 1),
            text.replacen("longest: 12\n", "", 1),
            text.replacen("compiled: ", "compiled: *", 1),
            text.replacen("\n\n", "\n", 1),
            text.replacen("saved: ", "saved:", 1),
            String::new(),
        ];
        for d in damaged {
            assert_eq!(KeptCase::decode(&d), None, "{d:.80}");
        }
    }

    #[test]
    fn a_kept_area_reads_back_even_when_its_framework_contains_the_services_mark() {
        let (framework, services) = area_text();
        let a = KeptArea {
            title: "Continuum\nof need".into(),
            nation: "Wales".into(),
            saved: "2026-11-30T10:00:00+00:00".into(),
            compiled: thresholds_core::codec::encode_area(&area().shown()),
            framework: format!("{framework}\n--- services.md ---\nnote: quoted\n"),
            services: services.clone(),
        };
        let back = KeptArea::decode(&a.encode()).expect("reads back");
        assert_eq!(back.title, "Continuum of need");
        assert_eq!(
            (back.framework.as_str(), back.services.as_str()),
            (a.framework.as_str(), services.as_str())
        );
        assert_eq!(back.area().unwrap().framework.title, area().framework.title);
        let foreign = a
            .encode()
            .replacen("thresholds-area 1", "thresholds-area 0", 1);
        assert_eq!(KeptArea::decode(&foreign), None);
        let no_area = KeptArea {
            compiled: vec![1, 2, 3],
            ..a
        };
        assert!(KeptArea::decode(&no_area.encode())
            .unwrap()
            .area()
            .is_none());
    }
}

/// Issue 16: which cmi5 statements an ending calls for, said once where cmi5 allows once.
mod cmi5 {
    use thresholds_core::lms::{cmi5_at_ending, duration, Cmi5Said, Cmi5Verb::*};
    use thresholds_core::Mode;

    #[test]
    fn an_ending_says_completed_once_per_registration_and_judges_only_in_assessment() {
        let fresh = Cmi5Said::default();
        assert_eq!(
            cmi5_at_ending(Mode::SelfPaced, 90, Some(0.8), fresh),
            [Completed]
        );
        assert_eq!(
            cmi5_at_ending(Mode::Facilitator, 90, Some(0.8), fresh),
            [Completed]
        );
        assert_eq!(
            cmi5_at_ending(Mode::Assessment, 90, None, fresh),
            [Completed]
        );
        assert_eq!(
            cmi5_at_ending(Mode::Assessment, 80, Some(0.8), fresh),
            [Completed, Passed],
            "a score at the mastery score passes"
        );
        assert_eq!(
            cmi5_at_ending(Mode::Assessment, 79, Some(0.8), fresh),
            [Completed, Failed]
        );
        let completed = Cmi5Said {
            completed: true,
            ..fresh
        };
        assert_eq!(cmi5_at_ending(Mode::SelfPaced, 90, None, completed), []);
        // A second case failed in a later session: "failed" again, but never after "passed".
        assert_eq!(
            cmi5_at_ending(Mode::Assessment, 10, Some(0.8), completed),
            [Failed]
        );
        let passed = Cmi5Said {
            passed: true,
            ..completed
        };
        assert_eq!(cmi5_at_ending(Mode::Assessment, 10, Some(0.8), passed), []);
        assert_eq!(cmi5_at_ending(Mode::Assessment, 95, Some(0.8), passed), []);
        // One judgement per session.
        let judged = Cmi5Said {
            judged_this_session: true,
            ..completed
        };
        assert_eq!(cmi5_at_ending(Mode::Assessment, 95, Some(0.8), judged), []);
    }

    #[test]
    fn durations_are_iso_8601_to_the_hundredth() {
        assert_eq!(duration(0), "PT0.00S");
        assert_eq!(duration(1_234), "PT1.23S");
        assert_eq!(duration(3_723_009), "PT3723.00S");
        assert!(Completed.moves_on() && Passed.moves_on() && Failed.moves_on());
        assert!(!Initialized.moves_on() && !Terminated.moves_on());
    }
}

/// Issue 16: what a run reports to a SCORM 1.2 LMS.
mod lms {
    use super::*;
    use thresholds_core::lms::{
        lesson_status, location, overall, session_time, suspend_data, LOCATION_LIMIT, SUSPEND_LIMIT,
    };
    use thresholds_core::score::{expert_path, score};
    use thresholds_core::{Mode, Session};

    /// The expert path of a case, played as a session, a long reflection written at each step.
    fn long_session(s: &Scenario, reflection_chars: usize) -> Session {
        let mut session =
            Session::start(s, Mode::Assessment, s.default_seed, "2026-11-30T10:00:00Z").unwrap();
        for (_, choice) in expert_path(s, s.default_seed) {
            session.set_reflection(&"I would ask again. ".repeat(reflection_chars / 19 + 1));
            session.choose(s, &choice).unwrap();
        }
        session
    }

    #[test]
    fn the_suspend_data_of_every_case_fits_scorm_1_2_and_resumes() {
        for (file, text) in bundled() {
            let s = load(&file, &text).unwrap();
            // With no reflections, the whole save fits, on the longest run the expert plays.
            let plain = long_session(&s, 0);
            let mut bare = plain.clone();
            bare.reflections.clear();
            let (data, left_out) = suspend_data(&s, &bare, "2026-11-30T11:00:00Z").unwrap();
            assert!(
                data.chars().count() <= SUSPEND_LIMIT,
                "{file}: {}",
                data.len()
            );
            assert_eq!(left_out, 0, "{file}");
            // It reads back as the same run.
            let saved = thresholds_core::save::decode(&data).unwrap();
            assert_eq!(saved.actions, bare.actions, "{file}");
            // Reflections that would not fit are left out, latest first; decisions never are.
            let long = long_session(&s, 600);
            let (data, left_out) = suspend_data(&s, &long, "2026-11-30T11:00:00Z").unwrap();
            assert!(
                data.chars().count() <= SUSPEND_LIMIT,
                "{file}: {}",
                data.len()
            );
            assert!(
                left_out > 0,
                "{file}: 600-character reflections at every step cannot all fit"
            );
            let saved = thresholds_core::save::decode(&data).unwrap();
            assert_eq!(saved.actions, long.actions, "{file}");
            assert_eq!(
                saved.reflections.len() + left_out,
                long.reflections.len(),
                "{file}"
            );
            assert_eq!(
                saved.reflections[0].text, long.reflections[0].text,
                "{file}: the first kept"
            );
        }
    }

    /// Every way through a case, as far as 2,000 random walks per case reach (the longest
    /// paths among them), with a long reflection at every step: the LMS's copy always fits and
    /// always holds every decision.
    #[test]
    fn random_walks_with_reflections_always_fit_in_suspend_data() {
        for (file, text) in bundled() {
            let s = load(&file, &text).unwrap();
            let mut longest = 0;
            for seed in 0..2_000u64 {
                let mut pick = StdRng::seed_from_u64(seed ^ 0x5c0);
                let mut session = Session::start(&s, Mode::Assessment, seed, "").unwrap();
                while !session.run.is_ended(&s) {
                    session.set_reflection(&"Why I chose this, at length. ".repeat(20));
                    let choices = session.run.available_choices(&s);
                    let id = choices[pick.random_range(0..choices.len())].id.clone();
                    session.choose(&s, &id).unwrap();
                }
                let (data, _) = suspend_data(&s, &session, "2026-11-30T11:00:00Z").unwrap();
                assert!(data.chars().count() <= SUSPEND_LIMIT, "{file} seed {seed}");
                let saved = thresholds_core::save::decode(&data).unwrap();
                assert_eq!(saved.actions, session.actions, "{file} seed {seed}");
                longest = longest.max(session.run.turn());
            }
            let summary = thresholds_core::summary::summarise(&s);
            let (path, _) = summary.longest.unwrap();
            assert!(
                longest >= path,
                "{file}: the walks reached the longest path ({longest} of {path} decisions)"
            );
        }
    }

    #[test]
    fn status_score_location_and_time_are_in_scorm_1_2_s_terms() {
        for (ended, mode, score, mastery, status) in [
            (false, Mode::Assessment, 100, Some(80), "incomplete"),
            (true, Mode::SelfPaced, 10, Some(80), "completed"),
            (true, Mode::Assessment, 80, Some(80), "passed"),
            (true, Mode::Assessment, 79, Some(80), "failed"),
            (true, Mode::Assessment, 10, None, "completed"),
        ] {
            assert_eq!(lesson_status(ended, mode, score, mastery), status);
        }
        assert_eq!(session_time(0), "0000:00:00.00");
        assert_eq!(session_time(3_723_450), "0001:02:03.45");
        assert_eq!(
            session_time(u64::MAX / 2).len(),
            13,
            "never more than four digits of hours"
        );
        let (a, r, s) = (area(), rubric_file(), imran());
        let session = long_session(&s, 0);
        let best = score(&a, &r, &s, &session.run);
        assert_eq!(overall(&best), 100, "the expert path");
        let mut poor = Session::start(&s, Mode::Assessment, 2013, "").unwrap();
        while !poor.run.is_ended(&s) {
            let last = poor.run.available_choices(&s).last().unwrap().id.clone();
            poor.choose(&s, &last).unwrap();
        }
        let low = overall(&score(&a, &r, &s, &poor.run));
        assert!(low < 50, "a poor path scores low overall: {low}");
        let at = location(&s, &session);
        assert!(
            at.starts_with("imran:") && at.len() <= LOCATION_LIMIT,
            "{at}"
        );
    }
}
