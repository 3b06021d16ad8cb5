//! A benchmark of the authoring check (never a timed test): generated cases of a size no author
//! writes by hand, loaded, validated, explored and summarised, with the time each took. Run by
//! `scripts/bench`. Usage: check-bench
//!
//! - a chain of 10,000 steps written in story order, two choices each;
//! - 200 steps with a two-way choice at every step whose ways rejoin (2^200 distinct paths, which
//!   a check that listed paths could never finish).

use std::fmt::Write;
use std::time::Instant;

use thresholds_core::area::load_area;
use thresholds_core::authoring::check_case;
use thresholds_core::score::load_rubrics;
use thresholds_core::summary::summarise;

fn case(steps: usize, skip: usize) -> String {
    let mut t = String::from(
        "# Generated\nid: generated\nrole: a worker\nsummary: s\nstart: s0\n\n## service drug-service\nname: You\ntrainee: yes\n\n",
    );
    for i in 0..steps {
        let a = if i + 1 < steps {
            format!("s{}", i + 1)
        } else {
            "end".into()
        };
        let b = if i + skip < steps {
            format!("s{}", i + skip)
        } else {
            "end".into()
        };
        let _ = write!(
            t,
            "## step s{i}\ntitle: Step {i}\n\nText.\n\n### choice a\nlabel: On\ngoto: {a}\ngrade: good\n\nF.\n\n### choice b\nlabel: Jump\ngoto: {b}\ngrade: mixed\n\nF.\n\n"
        );
    }
    t.push_str("## ending end\ntitle: End\noutcome: o.\n\nDone.\n");
    t
}

fn main() {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let area = load_area(
        ("framework.md", &read("scenarios/area/framework.md")),
        ("services.md", &read("scenarios/area/services.md")),
    )
    .expect("the area loads");
    let rubrics = load_rubrics("rubrics.md", &read("scenarios/guidance/rubrics.md"))
        .expect("the rubrics load");
    for (name, steps, skip) in [
        ("10,000 steps in story order", 10_000, 1),
        ("200 dense two-way steps", 200, 2),
    ] {
        let text = case(steps, skip);
        let start = Instant::now();
        let checked = check_case(&area, &rubrics, "generated.md", &text);
        let checked_in = start.elapsed();
        let summary = summarise(&checked.scenario);
        let total = start.elapsed();
        assert!(
            checked.problems.is_empty(),
            "{:?}",
            checked.problems.first()
        );
        println!(
            "authoring check, {name}: {:.0} ms to load, validate and explore ({} states), {:.0} ms with the summary (longest path {} decisions)",
            checked_in.as_secs_f64() * 1000.0,
            checked.paths.as_ref().map_or(0, |p| p.states),
            total.as_secs_f64() * 1000.0,
            summary.longest.as_ref().map_or(0, |l| l.0),
        );
    }
}
