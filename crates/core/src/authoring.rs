//! The one load-and-check pipeline for a case file, used by the app's build (`build.rs`) and by
//! the authoring check (`scripts/check-case`): parse and validate, check the case's services
//! against the area and its rubric tags against the rubrics, then explore every path for its
//! level statements and for drift.

use crate::area::Area;
use crate::model::Scenario;
use crate::paths::{check_paths, PathsReport};
use crate::problem::Problem;
use crate::score::Rubrics;

/// What the check found in one case file.
pub struct Checked {
    /// What could be read, even with problems (the summary is still useful to an author).
    pub scenario: Scenario,
    /// Errors: a case with any is never played.
    pub problems: Vec<Problem>,
    /// Warnings (drift): the case plays, but the author should look.
    pub warnings: Vec<Problem>,
    /// The path exploration, run only when the case is otherwise sound.
    pub paths: Option<PathsReport>,
}

/// The area's two files and the rubric file, each as (name, text), loaded and checked: the
/// setting every case is checked against. Used by the build and by the authoring check, so
/// both refuse the same files for the same reasons. `Err` lists every problem in all three.
pub fn load_setting(
    framework: (&str, &str),
    services: (&str, &str),
    rubrics: (&str, &str),
) -> Result<(Area, Rubrics), Vec<Problem>> {
    let area = crate::area::load_area(framework, services);
    let rubrics = crate::score::load_rubrics(rubrics.0, rubrics.1);
    match (area, rubrics) {
        (Ok(a), Ok(r)) => Ok((a, r)),
        (a, r) => {
            let mut problems = a.err().unwrap_or_default();
            problems.extend(r.err().unwrap_or_default());
            Err(problems)
        }
    }
}

pub fn check_case(area: &Area, rubrics: &Rubrics, file: &str, text: &str) -> Checked {
    let (scenario, mut problems) = crate::validate::check(file, text);
    problems.extend(crate::thresholds::check_case(area, &scenario));
    problems.extend(crate::score::check_case(rubrics, &scenario));
    let mut paths = None;
    let mut warnings = Vec::new();
    if problems.is_empty() {
        let report = check_paths(area, &scenario);
        problems.extend(report.problems.iter().cloned());
        warnings = report.warnings.clone();
        paths = Some(report);
    }
    crate::problem::sort(&mut problems);
    Checked {
        scenario,
        problems,
        warnings,
        paths,
    }
}

impl Checked {
    /// What the experienced practitioner's path (the first good choice at each step) scores
    /// with the case's own seed, one dimension after another: `expert path (seed 2013):
    /// information-sharing 100%, ...`. An author aims for 100% everywhere: a lower mark means
    /// the path the debrief holds up as the model misses something the scoring rewards. Only a
    /// sound case is scored.
    pub fn expert_line(&self, area: &Area, rubrics: &Rubrics) -> Option<String> {
        if !self.problems.is_empty() {
            return None;
        }
        let s = &self.scenario;
        let run = crate::score::expert_run(s, s.default_seed)?;
        let scores = crate::score::score(area, rubrics, s, &run);
        let marks: Vec<String> = scores
            .dimensions
            .iter()
            .filter(|d| d.achievable > 0)
            .map(|d| format!("{} {}%", d.rubric, d.percent()))
            .collect();
        Some(format!(
            "expert path (seed {}): {}",
            s.default_seed,
            marks.join(", ")
        ))
    }

    /// The summary line for level statements: `level statements: N, all hold`.
    pub fn statements_line(&self) -> Option<String> {
        let p = self.paths.as_ref()?;
        Some(match p.failing {
            0 => format!("level statements: {}, all hold", p.statements),
            n => format!("level statements: {}, {n} do not hold", p.statements),
        })
    }
}
