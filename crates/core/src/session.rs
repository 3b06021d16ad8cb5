//! A training session: one run of a case in one of the three ways to train, with everything the
//! trainee did that the engine's log does not hold (the room's votes, written reflections) and
//! the actions that replay it. A session is rebuilt from its seed and actions, never from saved
//! positions, so it survives edits to the case's text and can step back or restart anywhere.

use crate::engine::{EngineError, Outcome, Run};
use crate::model::{Basis, Scenario, Share};

/// The three ways to train (product brief: a room, a student, a practitioner).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Refresher learning: feedback after every decision, progress saved as you go.
    #[default]
    SelfPaced,
    /// A multi-agency session on a projector: discussion prompts, the room's votes, and a
    /// threshold panel that stays hidden until the facilitator reveals it.
    Facilitator,
    /// Social work students: no feedback and no threshold panel until the debrief; written
    /// reflections go into the record.
    Assessment,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::SelfPaced, Mode::Facilitator, Mode::Assessment];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SelfPaced => "self-paced",
            Mode::Facilitator => "facilitator",
            Mode::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// For the middle of a sentence: "your saved self-paced run".
    pub fn lower(self) -> &'static str {
        match self {
            Mode::SelfPaced => "self-paced",
            Mode::Facilitator => "facilitated",
            Mode::Assessment => "assessment",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::SelfPaced => "Self-paced",
            Mode::Facilitator => "Facilitating a room",
            Mode::Assessment => "Assessment",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Mode::SelfPaced => "Feedback after every decision. Your progress is saved on this device, so you can stop and resume.",
            Mode::Facilitator => "For a projector: discussion prompts, the room's votes, and a threshold panel that stays hidden until you reveal it. Keys: 1 to 9 choose, N next, B back, T panel, P prompts.",
            Mode::Assessment => "No feedback until the end. Add reflections as you go; the debrief and the printed record show everything.",
        }
    }

    /// Whether feedback on a decision is shown as soon as it is made.
    pub fn feedback_now(self) -> bool {
        self != Mode::Assessment
    }

    /// Whether the threshold panel can be seen before the debrief.
    pub fn panel_during_play(self) -> bool {
        self != Mode::Assessment
    }

    /// Whether the threshold panel is hidden on each new step until someone reveals it, so a
    /// room predicts first.
    pub fn panel_hidden_until_revealed(self) -> bool {
        self == Mode::Facilitator
    }
}

/// Something the trainee did, by stable ids only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A choice at a step. The step id is kept so a replay can say which step no longer offers
    /// it; saves from before it was recorded leave it empty.
    Choose { step: String, choice: String },
    /// A share through the share form.
    Share(Share),
}

/// How the room voted at one decision, before the facilitator entered its choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vote {
    /// The decision number the vote came before (1 for the first decision).
    pub decision: u32,
    pub step: String,
    /// (choice id, count), in the order the choices were offered.
    pub counts: Vec<(String, u32)>,
}

/// A trainee's written reflection at a step, or at the ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reflection {
    /// Decisions made when it was written (0 before the first).
    pub decision: u32,
    pub step: String,
    pub text: String,
}

/// Why a list of actions could not be replayed against the case as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// Position of the action that failed (0-based).
    pub index: usize,
    pub why: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "action {}: {}", self.index + 1, self.why)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub mode: Mode,
    pub run: Run,
    pub actions: Vec<Action>,
    pub votes: Vec<Vote>,
    pub reflections: Vec<Reflection>,
    /// When the session started, as the browser gave it (ISO 8601); empty in tests.
    pub started: String,
}

impl Session {
    pub fn start(
        s: &Scenario,
        mode: Mode,
        seed: u64,
        started: &str,
    ) -> Result<Session, EngineError> {
        Ok(Session {
            mode,
            run: Run::start(s, seed)?,
            actions: Vec::new(),
            votes: Vec::new(),
            reflections: Vec::new(),
            started: started.to_string(),
        })
    }

    pub fn choose(&mut self, s: &Scenario, choice: &str) -> Result<Outcome, EngineError> {
        let step = self.run.step.clone();
        let outcome = self.run.choose(s, choice)?;
        self.actions.push(Action::Choose {
            step,
            choice: choice.to_string(),
        });
        Ok(outcome)
    }

    pub fn share(&mut self, s: &Scenario, share: &Share) -> Result<Outcome, EngineError> {
        let outcome = self.run.share(s, share)?;
        self.actions.push(Action::Share(share.clone()));
        Ok(outcome)
    }

    /// Rebuilds a run from its seed and actions. A choice whose recorded step differs from where
    /// the replay stands, or that the step no longer offers, stops the replay with a reason.
    pub fn replay(
        s: &Scenario,
        mode: Mode,
        seed: u64,
        actions: &[Action],
        started: &str,
    ) -> Result<Session, ReplayError> {
        let mut session = Session::start(s, mode, seed, started).map_err(|e| ReplayError {
            index: 0,
            why: e.to_string(),
        })?;
        for (index, action) in actions.iter().enumerate() {
            let fail = |why: String| ReplayError { index, why };
            match action {
                Action::Choose { step, choice } => {
                    if !step.is_empty() && *step != session.run.step {
                        return Err(fail(format!(
                            "the choice '{choice}' was made at step '{step}', but the case now reaches step '{}' at that point",
                            session.run.step
                        )));
                    }
                    session.choose(s, choice).map_err(|e| {
                        fail(match e {
                            EngineError::NotAvailable { .. } => format!(
                                "step '{}' no longer offers the choice '{choice}'",
                                session.run.step
                            ),
                            other => other.to_string(),
                        })
                    })?;
                }
                Action::Share(share) => {
                    session.share(s, share).map_err(|e| fail(e.to_string()))?;
                }
            }
        }
        Ok(session)
    }

    /// The run as it stood before the last action (a choice or a share), so a screen can say
    /// what that action changed; `None` before any action. Replays the other actions, which
    /// cannot fail on the case that made them.
    pub fn before_last(&self, s: &Scenario) -> Option<Run> {
        let (_, earlier) = self.actions.split_last()?;
        Session::replay(s, self.mode, self.run.seed, earlier, "")
            .ok()
            .map(|x| x.run)
    }

    /// Goes back to just before decision `n` (1-based): keeps the first `n - 1` choices and the
    /// shares made before decision `n`, and drops votes and reflections from later decisions.
    /// Replaying a prefix of the session's own actions cannot fail on the same case; if it
    /// somehow does, the session is left as it was.
    pub fn restart_before(&mut self, s: &Scenario, n: u32) -> Result<(), ReplayError> {
        let keep = self
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a, Action::Choose { .. }))
            .nth(n.saturating_sub(1) as usize)
            .map_or(self.actions.len(), |(i, _)| i);
        let mut replayed = Session::replay(
            s,
            self.mode,
            self.run.seed,
            &self.actions[..keep],
            &self.started,
        )?;
        replayed.keep_notes_from(&self.actions, &self.votes, &self.reflections);
        *self = replayed;
        Ok(())
    }

    /// Undoes the last decision, and any share made after it.
    pub fn back_one_step(&mut self, s: &Scenario) -> Result<(), ReplayError> {
        if self.run.turn == 0 {
            return Ok(());
        }
        self.restart_before(s, self.run.turn)
    }

    /// Takes the room's votes and the trainee's reflections from another run of this case with
    /// the same seed (a save, or this session before it went back), for the decisions the two
    /// runs share: those before the first action where they differ, and no later than this
    /// session has reached. A vote is for the decision about to be made, so the vote at the
    /// step this session stands on still counts.
    pub fn keep_notes_from(
        &mut self,
        actions: &[Action],
        votes: &[Vote],
        reflections: &[Reflection],
    ) {
        let shared = self
            .actions
            .iter()
            .zip(actions)
            .take_while(|(a, b)| a == b)
            .filter(|(a, _)| matches!(a, Action::Choose { .. }))
            .count() as u32;
        let turn = self.run.turn.min(shared);
        self.votes = votes
            .iter()
            .filter(|v| v.decision <= turn + 1)
            .cloned()
            .collect();
        self.reflections = reflections
            .iter()
            .filter(|r| r.decision <= turn)
            .cloned()
            .collect();
    }

    /// Records the room's votes for the decision about to be made at the current step,
    /// replacing any earlier count for it. Choices not listed count as 0.
    pub fn set_votes(&mut self, counts: Vec<(String, u32)>) {
        let decision = self.run.turn + 1;
        self.votes.retain(|v| v.decision != decision);
        self.votes.push(Vote {
            decision,
            step: self.run.step.clone(),
            counts,
        });
    }

    /// The room's votes for a decision, if any were entered.
    pub fn votes_for(&self, decision: u32) -> Option<&Vote> {
        self.votes.iter().find(|v| v.decision == decision)
    }

    /// Sets (or, with empty text, removes) the reflection at the current point.
    pub fn set_reflection(&mut self, text: &str) {
        let decision = self.run.turn;
        self.reflections.retain(|r| r.decision != decision);
        if !text.trim().is_empty() {
            self.reflections.push(Reflection {
                decision,
                step: self.run.step.clone(),
                text: text.to_string(),
            });
        }
    }

    pub fn reflection_now(&self) -> Option<&Reflection> {
        self.reflections
            .iter()
            .find(|r| r.decision == self.run.turn)
    }
}

// ------------------------------------------------------------------ actions as text

/// The separator inside one action's text; it never occurs in an id.
const SEP: char = '~';

impl Action {
    /// One action as text: `step~choice` for a choice (`choice` alone if the step is unknown),
    /// `!to~basis~told|not-told~fact+fact` for a share. Used in addresses and saves.
    pub fn to_text(&self) -> String {
        match self {
            Action::Choose { step, choice } if step.is_empty() => choice.clone(),
            Action::Choose { step, choice } => format!("{step}{SEP}{choice}"),
            Action::Share(share) => format!(
                "!{}{SEP}{}{SEP}{}{SEP}{}",
                share.to,
                share.basis.as_str(),
                if share.parent_told {
                    "told"
                } else {
                    "not-told"
                },
                share.facts.join("+")
            ),
        }
    }

    pub fn from_text(text: &str) -> Result<Action, String> {
        let bad = || format!("cannot read the action '{text}'");
        let id = |s: &str| crate::blocks::is_valid_id(s).then(|| s.to_string());
        if let Some(share) = text.strip_prefix('!') {
            let parts: Vec<&str> = share.split(SEP).collect();
            let [to, basis, told, facts] = parts.as_slice() else {
                return Err(bad());
            };
            let facts: Option<Vec<String>> = facts.split('+').map(id).collect();
            return Ok(Action::Share(Share {
                to: id(to).ok_or_else(bad)?,
                basis: Basis::parse_saved(basis).ok_or_else(bad)?,
                parent_told: match *told {
                    "told" => true,
                    "not-told" => false,
                    _ => return Err(bad()),
                },
                facts: facts.filter(|f| !f.is_empty()).ok_or_else(bad)?,
            }));
        }
        match text.split_once(SEP) {
            Some((step, choice)) => Ok(Action::Choose {
                step: id(step).ok_or_else(bad)?,
                choice: id(choice).ok_or_else(bad)?,
            }),
            None => Ok(Action::Choose {
                step: String::new(),
                choice: id(text).ok_or_else(bad)?,
            }),
        }
    }
}

/// A list of actions as one comma-separated text (the `path` in a case's address).
pub fn path_text(actions: &[Action]) -> String {
    actions
        .iter()
        .map(Action::to_text)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn parse_path(text: &str) -> Result<Vec<Action>, String> {
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(Action::from_text)
        .collect()
}
