//! What a run reports to an organisation's learning management system (SCORM 1.2), worked out
//! here so it is plain Rust and tested natively; `src/lms.rs` carries it to the LMS's API.
//! Nothing here runs unless an LMS launched the app and the package asked for it.

use crate::model::Scenario;
use crate::score::Scores;
use crate::session::{Mode, Session};

/// SCORM 1.2's limit on `cmi.suspend_data`, in characters. Some runtimes allow more; an LMS
/// that keeps to the standard cuts or refuses anything longer, so the app never writes more.
pub const SUSPEND_LIMIT: usize = 4096;

/// SCORM 1.2's limit on `cmi.core.lesson_location`.
pub const LOCATION_LIMIT: usize = 255;

/// The save to keep in `cmi.suspend_data`, within [`SUSPEND_LIMIT`], and how many reflections
/// and votes had to be left out to fit (they stay in the browser's own save). `None` when even
/// the decisions alone do not fit.
pub fn suspend_data(s: &Scenario, session: &Session, saved: &str) -> Option<(String, usize)> {
    let mut kept = session.clone();
    let mut left_out = 0;
    loop {
        let text = crate::save::encode(s, &kept, saved);
        if text.chars().count() <= SUSPEND_LIMIT {
            return Some((text, left_out));
        }
        // The latest reflection first, then the latest vote: decisions are never dropped.
        if kept.reflections.pop().is_none() && kept.votes.pop().is_none() {
            return None;
        }
        left_out += 1;
    }
}

/// Where the learner is, for `cmi.core.lesson_location`: the case and the step. Ids are ASCII
/// (the validator allows only lower-case letters, digits, `-`, `_` and `.`), so cutting at a
/// byte is cutting at a character.
pub fn location(s: &Scenario, session: &Session) -> String {
    let mut text = format!("{}:{}", s.id, session.run.step());
    text.truncate(LOCATION_LIMIT);
    text
}

/// One score for the run, 0 to 100: the mean of the rubrics' percentages (each rubric the case
/// gave marks for counts once).
pub fn overall(scores: &Scores) -> u32 {
    let counted: Vec<u32> = scores
        .dimensions
        .iter()
        .filter(|d| d.achievable > 0)
        .map(|d| d.percent())
        .collect();
    if counted.is_empty() {
        return 0;
    }
    (counted.iter().sum::<u32>() as f64 / counted.len() as f64).round() as u32
}

/// `cmi.core.lesson_status`: "incomplete" while playing; at an ending "completed", or in
/// assessment mode with a mastery score "passed" or "failed" against it.
pub fn lesson_status(ended: bool, mode: Mode, score: u32, mastery: Option<u32>) -> &'static str {
    match (ended, mode, mastery) {
        (false, _, _) => "incomplete",
        (true, Mode::Assessment, Some(m)) if score >= m => "passed",
        (true, Mode::Assessment, Some(_)) => "failed",
        (true, _, _) => "completed",
    }
}

/// `cmi.core.session_time` for a number of milliseconds: SCORM 1.2's `HHHH:MM:SS.SS`.
pub fn session_time(ms: u64) -> String {
    let hundredths = ms / 10;
    let (h, rest) = (hundredths / 360_000, hundredths % 360_000);
    let (m, rest) = (rest / 6_000, rest % 6_000);
    format!(
        "{:04}:{:02}:{:02}.{:02}",
        h.min(9999),
        m,
        rest / 100,
        rest % 100
    )
}

/// The statements cmi5 defines for an AU (the app, launched by an LMS with cmi5 parameters):
/// the LMS reads the learner's progress from these alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmi5Verb {
    Initialized,
    Completed,
    Passed,
    Failed,
    Terminated,
}

impl Cmi5Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmi5Verb::Initialized => "initialized",
            Cmi5Verb::Completed => "completed",
            Cmi5Verb::Passed => "passed",
            Cmi5Verb::Failed => "failed",
            Cmi5Verb::Terminated => "terminated",
        }
    }

    /// Whether the statement is about satisfying the AU (cmi5's "moveOn" category).
    pub fn moves_on(self) -> bool {
        matches!(
            self,
            Cmi5Verb::Completed | Cmi5Verb::Passed | Cmi5Verb::Failed
        )
    }
}

/// What was already said to this registration (across its sessions) and in this session:
/// cmi5 allows one "completed" and one "passed" per registration, one of "passed" or "failed"
/// per session, and no "failed" after a "passed".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cmi5Said {
    pub completed: bool,
    pub passed: bool,
    pub judged_this_session: bool,
}

/// The cmi5 statements due when a run ends, in order. `mastery` is the mastery score (0 to 1):
/// the LMS's, from its launch data, which cmi5 says wins, or else the package's. A judgement
/// (passed or failed) is made only in assessment mode with a mastery score, as in SCORM.
pub fn cmi5_at_ending(
    mode: Mode,
    score: u32,
    mastery: Option<f64>,
    said: Cmi5Said,
) -> Vec<Cmi5Verb> {
    let mut out = Vec::new();
    if !said.completed {
        out.push(Cmi5Verb::Completed);
    }
    if let (Mode::Assessment, Some(m)) = (mode, mastery) {
        if !said.judged_this_session && !said.passed {
            out.push(if f64::from(score) / 100.0 >= m {
                Cmi5Verb::Passed
            } else {
                Cmi5Verb::Failed
            });
        }
    }
    out
}

/// An xAPI duration (ISO 8601) for a number of milliseconds, to the hundredth of a second.
pub fn duration(ms: u64) -> String {
    format!("PT{}.{:02}S", ms / 1000, (ms % 1000) / 10)
}
