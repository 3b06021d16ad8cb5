//! Golden HTML for each screen region, one file per screen in `tests/snapshots/`, on Imran's
//! case as the build compiles it, with a fixed seed and path. A change to a case's text, a
//! rubric or a view shows up here as a diff: review it after one command,
//!
//!     UPDATE_EXPECT=1 cargo test -p thresholds-views --test snapshots && git diff
//!
//! The HTML is broken before each tag so that a diff names the element that changed.

use expect_test::{expect_file, ExpectFile};
use thresholds_core::model::{Basis, Share};
use thresholds_core::{Mode, Scenario, Session};
use thresholds_views::*;

mod common;
use common::*;

/// One line per tag, so a diff is readable.
fn lines(html: &SafeHtml) -> String {
    let mut out = html.as_str().replace("><", ">\n<");
    out.push('\n');
    out
}

fn check(html: &SafeHtml, golden: ExpectFile) {
    assert!(!html.is_empty(), "a screen with nothing on it");
    golden.assert_eq(&lines(html));
}

/// Imran's good path with seed 2013, played to its ending.
fn played(s: &Scenario, mode: Mode) -> Session {
    play(s, mode, 2013, GOOD)
}

#[test]
fn the_first_step_in_each_mode() {
    let (a, r, s) = setup();
    let x = Session::start(&s, Mode::SelfPaced, 2013, "2026-11-30T09:15:00+00:00").unwrap();
    let v = view(&a, &r, &s, &x);
    check(&header_html(&v), expect_file!["snapshots/header.html"]);
    check(&step_html(&v), expect_file!["snapshots/step-1.html"]);
    check(
        &share_form_html(&v),
        expect_file!["snapshots/share-form.html"],
    );
    check(&panel_html(&v), expect_file!["snapshots/panel-start.html"]);
    let mut f = Session::start(&s, Mode::Facilitator, 2013, "").unwrap();
    f.set_votes(vec![
        ("ask-children".into(), 12),
        ("recovery-only".into(), 3),
    ]);
    let mut fv = view(&a, &r, &s, &f);
    fv.prompts_open = true;
    check(
        &step_html(&fv),
        expect_file!["snapshots/step-1-facilitator.html"],
    );
    check(&prompts_html(&fv), expect_file!["snapshots/prompts.html"]);
    check(&votes_html(&fv, &[]), expect_file!["snapshots/votes.html"]);
}

#[test]
fn the_feedback_the_panel_and_a_share_after_the_first_decision() {
    let (a, r, s) = setup();
    let mut x = Session::start(&s, Mode::SelfPaced, 2013, "").unwrap();
    let outcome = x.choose(&s, "ask-children").unwrap();
    let v = view(&a, &r, &s, &x);
    check(
        &feedback_html(&v, &outcome),
        expect_file!["snapshots/feedback-1.html"],
    );
    check(
        &panel_html(&v),
        expect_file!["snapshots/panel-after-1.html"],
    );
    check(&next_html(&v), expect_file!["snapshots/next.html"]);
    let share = Share::new(
        &["methadone-in-fridge", "children-at-home"],
        "health-visiting",
        Basis::Safeguarding,
        true,
    );
    let shared = x.share(&s, &share).unwrap();
    let v = view(&a, &r, &s, &x);
    check(
        &share_result_html(&v, &shared, &share),
        expect_file!["snapshots/share-result.html"],
    );
}

#[test]
fn the_debrief_of_a_good_run() {
    let (a, r, s) = setup();
    let mut x = played(&s, Mode::SelfPaced);
    x.set_reflection("I would ask about the children first.");
    let v = view(&a, &r, &s, &x);
    check(
        &debrief_summary_html(&v, "Sam Student"),
        expect_file!["snapshots/debrief-summary.html"],
    );
    check(&debrief_html(&v), expect_file!["snapshots/debrief.html"]);
    check(
        &reflection_html(&v),
        expect_file!["snapshots/reflection-end.html"],
    );
}
