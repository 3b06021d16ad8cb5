//! Saved progress as text: what a session needs to be rebuilt (case, mode, seed, actions) and
//! what it holds beside the run (votes, reflections), by stable ids only. The first line names
//! the format version; older versions are migrated on reading, and a newer one is refused
//! without being touched. Resuming replays the actions against the case as it is now, so a case
//! edited after a save (text changed, a step or choice added) still resumes, and one that no
//! longer fits says why.
//!
//! Format 2 (current), one field per line:
//!
//! ```text
//! thresholds-save 2
//! case: imran
//! case-version: 1
//! mode: self-paced
//! seed: 2013
//! started: 2026-11-23T13:05:00.000Z
//! saved: 2026-11-23T13:15:00.000Z
//! action: review~ask-children
//! action: !health-visiting~consent~told~take-home-doses+methadone-in-fridge
//! vote: 1 review ask-children=12 ask-jennifer=3
//! reflect: 1 review First line\nsecond line
//! ```
//!
//! Format 1 (the first self-paced saves): `thresholds-save 1`, then `<case> <seed>`, then the
//! choice ids separated by spaces. It had no mode (self-paced), no case version, no shares, no
//! votes and no reflections.

use crate::model::Scenario;
use crate::session::{Action, Mode, Reflection, Session, Vote};

pub const FORMAT: u32 = 2;
const MAGIC: &str = "thresholds-save";

/// A save as read, already migrated to the current format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The format it was written in.
    pub format: u32,
    pub case: String,
    /// 0 when the format did not record it.
    pub case_version: u32,
    pub mode: Mode,
    pub seed: u64,
    pub started: String,
    pub saved: String,
    pub actions: Vec<Action>,
    pub votes: Vec<Vote>,
    pub reflections: Vec<Reflection>,
}

impl Saved {
    /// The decisions the save holds (its choices; shares through the form are not decisions),
    /// known without the case: what a home screen can say before the case itself is loaded.
    pub fn decisions(&self) -> u32 {
        self.actions
            .iter()
            .filter(|a| matches!(a, Action::Choose { .. }))
            .count() as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// Not a Thresholds save at all (or empty).
    NotASave,
    /// Written by a newer version of Thresholds; it is left as it is.
    Newer(u32),
    /// A line that cannot be read (1-based).
    Corrupt { line: usize, why: String },
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::NotASave => write!(f, "it is not saved progress this app can read"),
            SaveError::Newer(v) => write!(
                f,
                "it was saved by a newer version of Thresholds (format {v}); it has been left as it is"
            ),
            SaveError::Corrupt { line, why } => write!(f, "line {line} is damaged: {why}"),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "")
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Writes a session in the current format; `saved` is when (ISO 8601).
pub fn encode(s: &Scenario, session: &Session, saved: &str) -> String {
    let mut out = format!(
        "{MAGIC} {FORMAT}\ncase: {}\ncase-version: {}\nmode: {}\nseed: {}\nstarted: {}\nsaved: {}\n",
        s.id,
        s.version,
        session.mode.as_str(),
        session.run.seed,
        one_line(&session.started),
        one_line(saved)
    );
    for a in &session.actions {
        out.push_str(&format!("action: {}\n", a.to_text()));
    }
    for v in &session.votes {
        let counts: Vec<String> = v.counts.iter().map(|(c, n)| format!("{c}={n}")).collect();
        out.push_str(&format!(
            "vote: {} {} {}\n",
            v.decision,
            v.step,
            counts.join(" ")
        ));
    }
    for r in &session.reflections {
        out.push_str(&format!(
            "reflect: {} {} {}\n",
            r.decision,
            r.step,
            escape(&r.text)
        ));
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Reads a save of any known format, migrating older ones.
pub fn decode(text: &str) -> Result<Saved, SaveError> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let format: u32 = first
        .strip_prefix(MAGIC)
        .and_then(|v| v.trim().parse().ok())
        .ok_or(SaveError::NotASave)?;
    match format {
        1 => decode_v1(text),
        2 => decode_v2(text),
        v if v > FORMAT => Err(SaveError::Newer(v)),
        _ => Err(SaveError::NotASave),
    }
}

fn corrupt(line: usize, why: impl Into<String>) -> SaveError {
    SaveError::Corrupt {
        line,
        why: why.into(),
    }
}

fn decode_v1(text: &str) -> Result<Saved, SaveError> {
    let lines: Vec<&str> = text.lines().collect();
    let head = lines.get(1).ok_or_else(|| corrupt(2, "no case and seed"))?;
    let (case, seed) = head
        .split_once(' ')
        .ok_or_else(|| corrupt(2, "expected '<case> <seed>'"))?;
    let seed = seed
        .trim()
        .parse()
        .map_err(|_| corrupt(2, "the seed is not a whole number"))?;
    let actions = lines
        .get(2)
        .map(|l| {
            l.split_whitespace()
                .map(Action::from_text)
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
        .map_err(|e| corrupt(3, e))?
        .unwrap_or_default();
    Ok(Saved {
        format: 1,
        case: case.to_string(),
        case_version: 0,
        mode: Mode::SelfPaced,
        seed,
        started: String::new(),
        saved: String::new(),
        actions,
        votes: Vec::new(),
        reflections: Vec::new(),
    })
}

fn decode_v2(text: &str) -> Result<Saved, SaveError> {
    let mut saved = Saved {
        format: 2,
        case: String::new(),
        case_version: 0,
        mode: Mode::SelfPaced,
        seed: 0,
        started: String::new(),
        saved: String::new(),
        actions: Vec::new(),
        votes: Vec::new(),
        reflections: Vec::new(),
    };
    let mut seen_seed = false;
    for (i, line) in text.lines().enumerate().skip(1) {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| corrupt(n, "expected 'key: value'"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| corrupt(n, "not a whole number"))
        };
        match key {
            "case" => saved.case = value.to_string(),
            "case-version" => saved.case_version = number(value)? as u32,
            "mode" => saved.mode = Mode::parse(value).ok_or_else(|| corrupt(n, "unknown mode"))?,
            "seed" => {
                saved.seed = number(value)?;
                seen_seed = true;
            }
            "started" => saved.started = value.to_string(),
            "saved" => saved.saved = value.to_string(),
            "action" => saved
                .actions
                .push(Action::from_text(value).map_err(|e| corrupt(n, e))?),
            "vote" => {
                let mut words = value.split(' ');
                let decision = number(words.next().unwrap_or(""))? as u32;
                let step = words.next().unwrap_or("").to_string();
                let counts = words
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        let (c, k) = w.split_once('=').ok_or_else(|| corrupt(n, "bad vote"))?;
                        Ok((c.to_string(), number(k)? as u32))
                    })
                    .collect::<Result<Vec<_>, SaveError>>()?;
                saved.votes.push(Vote {
                    decision,
                    step,
                    counts,
                });
            }
            "reflect" => {
                let mut parts = value.splitn(3, ' ');
                let decision = number(parts.next().unwrap_or(""))? as u32;
                let step = parts.next().unwrap_or("").to_string();
                let text = unescape(parts.next().unwrap_or(""));
                saved.reflections.push(Reflection {
                    decision,
                    step,
                    text,
                });
            }
            // A field a later minor change added: ignore it rather than lose the save.
            _ => {}
        }
    }
    if saved.case.is_empty() {
        return Err(corrupt(2, "no case"));
    }
    if !seen_seed {
        return Err(corrupt(2, "no seed"));
    }
    Ok(saved)
}

/// A save resumed against the case as it is now.
#[derive(Clone, Debug)]
pub struct Resumed {
    pub session: Session,
    /// Said when the case changed since the save but the save still fits it.
    pub note: Option<String>,
}

/// Rebuilds the session; `Err` says, in words for the trainee, why it can no longer resume.
pub fn resume(s: &Scenario, saved: &Saved) -> Result<Resumed, String> {
    if saved.case != s.id {
        return Err(format!("it belongs to the case '{}'", saved.case));
    }
    let changed = saved.case_version != 0 && saved.case_version != s.version;
    let mut session = Session::replay(s, saved.mode, saved.seed, &saved.actions, &saved.started)
        .map_err(|e| {
            let why = format!("{e}");
            if changed {
                format!(
                    "the case was changed after you saved (version {}, now {}), and {why}",
                    saved.case_version, s.version
                )
            } else {
                format!("the case no longer matches it: {why}")
            }
        })?;
    session.keep_notes_from(&saved.actions, &saved.votes, &saved.reflections);
    let note = changed.then(|| {
        format!(
            "This case was updated after you saved (version {}, now {}); your progress still fits it.",
            saved.case_version, s.version
        )
    });
    Ok(Resumed { session, note })
}
