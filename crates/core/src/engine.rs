//! Plays a validated scenario: start a run with a seed, list the choices available now, apply
//! one, and report what changed. A run is plain data (seed, position, knowledge, flags and an
//! ordered log), so it can be saved, scored and replayed without the scenario's text.
//!
//! Randomness: each random event's roll is drawn from a ChaCha generator seeded from the run's
//! seed, the turn and the event's id. The same seed and the same choices therefore always give
//! the same run, and an edit elsewhere in the scenario does not change this event's roll.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::vecmap::VecMap;

/// How a service came to hold a fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum Source {
    /// Held when the case opened.
    AtStart,
    /// Found out by the service itself.
    Discovered,
    /// Told by another service.
    SharedBy { service: String },
}

/// One service's hold on one fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The turn (number of decisions made) at which the service learned it.
    pub since: u32,
    pub source: Source,
}

/// An entry in the run's ordered log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LogEntry {
    Started {
        seed: u64,
        step: String,
    },
    Chose {
        turn: u32,
        step: String,
        choice: String,
    },
    Revealed {
        turn: u32,
        fact: String,
        service: String,
    },
    Shared {
        turn: u32,
        fact: String,
        from: String,
        to: String,
        basis: Option<Basis>,
        parent_told: Option<bool>,
    },
    FlagSet {
        turn: u32,
        flag: String,
    },
    FlagCleared {
        turn: u32,
        flag: String,
    },
    EventHappened {
        turn: u32,
        step: String,
        event: String,
    },
    Entered {
        turn: u32,
        step: String,
    },
    Ended {
        turn: u32,
        ending: String,
    },
}

/// What one decision changed, for the feedback shown straight after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub step: String,
    pub choice: String,
    /// (fact, service) pairs newly known through discovery.
    pub revealed: Vec<(String, String)>,
    /// (fact, from, to) for each fact newly passed on.
    pub shared: Vec<(String, String, String)>,
    pub flags_set: Vec<String>,
    pub flags_cleared: Vec<String>,
    /// (step, event) for each random event that happened, in order.
    pub events: Vec<(String, String)>,
    /// Where the run is now.
    pub now_at: String,
    pub ended: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// The run has already reached an ending.
    Ended,
    /// No such choice at this step, or its condition does not hold.
    NotAvailable { choice: String },
    /// The scenario changed under the run (should not happen with a validated scenario).
    UnknownStep(String),
    /// Random events kept redirecting the story; the validator cannot rule this out statically.
    TooManyRedirects,
    /// A share named a service that is not in the case, or the sharer itself.
    UnknownService(String),
    /// A share named a fact the sharing service does not hold.
    NotHeld { fact: String },
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Ended => write!(f, "this case has already ended"),
            EngineError::NotAvailable { choice } => {
                write!(f, "the choice '{choice}' is not available here")
            }
            EngineError::UnknownStep(step) => write!(f, "the case has no step '{step}'"),
            EngineError::TooManyRedirects => write!(
                f,
                "random events redirected the story too many times in one turn"
            ),
            EngineError::UnknownService(service) => write!(
                f,
                "'{service}' is not a service you can share with in this case"
            ),
            EngineError::NotHeld { fact } => write!(
                f,
                "your service does not hold '{fact}', so it cannot share it"
            ),
        }
    }
}

/// Redirects by random events allowed in one turn before the engine refuses to continue.
pub(crate) const MAX_REDIRECTS: usize = 16;

/// The state of one play-through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub(crate) case_id: String,
    pub(crate) case_version: u32,
    pub(crate) seed: u64,
    pub(crate) step: String,
    /// Decisions made so far.
    pub(crate) turn: u32,
    /// service id → fact id → how and when it was learned.
    pub(crate) knowledge: VecMap<String, VecMap<String, Known>>,
    /// Flags set now, in the order they were set.
    pub(crate) flags: Vec<String>,
    pub(crate) log: Vec<LogEntry>,
    /// Narrative of the random events that happened on entering the current step.
    pub(crate) arrived_by: Vec<(String, String)>,
}

impl Run {
    /// The seed every random event of this run is rolled from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The id of the step the run stands on.
    pub fn step(&self) -> &str {
        &self.step
    }

    /// Decisions made so far.
    pub fn turn(&self) -> u32 {
        self.turn
    }

    /// service id → fact id → how and when it was learned.
    pub fn knowledge(&self) -> &VecMap<String, VecMap<String, Known>> {
        &self.knowledge
    }

    /// Flags set now, in the order they were set.
    pub fn flags(&self) -> &[String] {
        &self.flags
    }

    /// Everything that happened, in order.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// The random events that happened on arriving at the current step, as (step, event).
    pub fn arrived_by(&self) -> &[(String, String)] {
        &self.arrived_by
    }

    pub fn case_id(&self) -> &str {
        &self.case_id
    }

    pub fn case_version(&self) -> u32 {
        self.case_version
    }
}

impl Run {
    /// Opens the case at its start step. Random events on the start step are rolled too.
    pub fn start(s: &Scenario, seed: u64) -> Result<Run, EngineError> {
        let mut knowledge: VecMap<String, VecMap<String, Known>> = VecMap::new();
        for service in &s.services {
            let held = knowledge.get_or_insert_with(service.id.clone(), VecMap::new);
            for fact in &service.knows_at_start {
                held.insert_new(
                    fact.value.clone(),
                    Known {
                        since: 0,
                        source: Source::AtStart,
                    },
                );
            }
        }
        let mut run = Run {
            case_id: s.id.clone(),
            case_version: s.version,
            seed,
            step: s.start.value.clone(),
            turn: 0,
            knowledge,
            flags: Vec::new(),
            log: vec![LogEntry::Started {
                seed,
                step: s.start.value.clone(),
            }],
            arrived_by: Vec::new(),
        };
        let mut outcome = Outcome::default();
        run.enter(s, s.start.value.clone(), &mut outcome)?;
        Ok(run)
    }

    pub fn current<'s>(&self, s: &'s Scenario) -> Option<&'s Step> {
        s.step(&self.step)
    }

    pub fn is_ended(&self, s: &Scenario) -> bool {
        self.current(s).is_some_and(Step::is_ending)
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    pub fn knows(&self, service: &str, fact: &str) -> bool {
        self.knowledge
            .get(service)
            .is_some_and(|held| held.contains_key(fact))
    }

    /// Facts a service holds now, in the order the scenario lists them.
    pub fn facts_known_by<'s>(&self, s: &'s Scenario, service: &str) -> Vec<&'s Fact> {
        s.facts
            .iter()
            .filter(|f| self.knows(service, &f.id))
            .collect()
    }

    pub fn holds(&self, condition: &Condition) -> bool {
        condition.holds(|f| self.has_flag(f), |s, f| self.knows(s, f))
    }

    /// The choices the trainee can take now, in the order the scenario lists them.
    pub fn available_choices<'s>(&self, s: &'s Scenario) -> Vec<&'s Choice> {
        match self.current(s) {
            Some(step) => step
                .choices()
                .iter()
                .filter(|c| self.holds(&c.condition))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Applies a choice: its effects in order, then the move to its `goto` step, where random
    /// events may happen.
    pub fn choose(&mut self, s: &Scenario, choice_id: &str) -> Result<Outcome, EngineError> {
        let step = self
            .current(s)
            .ok_or_else(|| EngineError::UnknownStep(self.step.clone()))?;
        if step.is_ending() {
            return Err(EngineError::Ended);
        }
        let choice = self
            .available_choices(s)
            .into_iter()
            .find(|c| c.id == choice_id)
            .ok_or_else(|| EngineError::NotAvailable {
                choice: choice_id.to_string(),
            })?;
        // A decision is all or nothing: if the story cannot move on (events redirecting without
        // end), the run is left exactly as it was, so a replay or a save never holds half of it.
        let before = self.clone();
        self.turn += 1;
        let mut outcome = Outcome {
            step: step.id.clone(),
            choice: choice.id.clone(),
            ..Default::default()
        };
        self.log.push(LogEntry::Chose {
            turn: self.turn,
            step: step.id.clone(),
            choice: choice.id.clone(),
        });
        self.apply(&choice.effects, &mut outcome);
        if let Err(e) = self.enter(s, choice.goto.value.clone(), &mut outcome) {
            *self = before;
            return Err(e);
        }
        Ok(outcome)
    }

    fn apply(&mut self, effects: &[Effect], outcome: &mut Outcome) {
        for effect in effects {
            match effect {
                Effect::Reveal { facts, to } => {
                    for fact in facts {
                        if self.learn(&to.value, &fact.value, Source::Discovered) {
                            self.log.push(LogEntry::Revealed {
                                turn: self.turn,
                                fact: fact.value.clone(),
                                service: to.value.clone(),
                            });
                            outcome
                                .revealed
                                .push((fact.value.clone(), to.value.clone()));
                        }
                    }
                }
                Effect::Share {
                    facts,
                    from,
                    to,
                    basis,
                    parent_told,
                } => {
                    let ids: Vec<String> = facts.iter().map(|f| f.value.clone()).collect();
                    self.pass_on(&ids, &from.value, &to.value, *basis, *parent_told, outcome);
                }
                Effect::SetFlag(flag) => {
                    if !self.has_flag(&flag.value) {
                        self.flags.push(flag.value.clone());
                        self.log.push(LogEntry::FlagSet {
                            turn: self.turn,
                            flag: flag.value.clone(),
                        });
                        outcome.flags_set.push(flag.value.clone());
                    }
                }
                Effect::ClearFlag(flag) => {
                    if let Some(at) = self.flags.iter().position(|f| *f == flag.value) {
                        self.flags.remove(at);
                        self.log.push(LogEntry::FlagCleared {
                            turn: self.turn,
                            flag: flag.value.clone(),
                        });
                        outcome.flags_cleared.push(flag.value.clone());
                    }
                }
            }
        }
    }

    /// A share the trainee makes outside the scenario's choices: which facts, to whom, on what
    /// basis, and whether the parent was told. It goes through the same path as a scenario's
    /// `share:` effect and is logged the same way; it does not move the story on.
    pub fn share(&mut self, s: &Scenario, share: &Share) -> Result<Outcome, EngineError> {
        if self.is_ended(s) {
            return Err(EngineError::Ended);
        }
        let from = s
            .trainee_service()
            .map(|t| t.id.clone())
            .ok_or_else(|| EngineError::UnknownService(String::new()))?;
        if s.service(&share.to).is_none() || share.to == from {
            return Err(EngineError::UnknownService(share.to.clone()));
        }
        if let Some(bad) = share.facts.iter().find(|f| !self.knows(&from, f)) {
            return Err(EngineError::NotHeld { fact: bad.clone() });
        }
        let mut outcome = Outcome {
            step: self.step.clone(),
            now_at: self.step.clone(),
            ..Default::default()
        };
        self.pass_on(
            &share.facts,
            &from,
            &share.to,
            Some(share.basis),
            Some(share.parent_told),
            &mut outcome,
        );
        Ok(outcome)
    }

    /// Moves the facts `from` holds into `to`'s knowledge and logs each with its basis.
    fn pass_on(
        &mut self,
        facts: &[String],
        from: &str,
        to: &str,
        basis: Option<Basis>,
        parent_told: Option<bool>,
        outcome: &mut Outcome,
    ) {
        let held: Vec<&String> = facts.iter().filter(|f| self.knows(from, f)).collect();
        for fact in held {
            if self.learn(
                to,
                fact,
                Source::SharedBy {
                    service: from.to_string(),
                },
            ) {
                self.log.push(LogEntry::Shared {
                    turn: self.turn,
                    fact: fact.clone(),
                    from: from.to_string(),
                    to: to.to_string(),
                    basis,
                    parent_told,
                });
                outcome
                    .shared
                    .push((fact.clone(), from.to_string(), to.to_string()));
            }
        }
    }

    /// Records a fact as known by a service; false when it already knew.
    fn learn(&mut self, service: &str, fact: &str, source: Source) -> bool {
        let since = self.turn;
        self.knowledge
            .get_or_insert_with(service.to_string(), VecMap::new)
            .insert_new(fact.to_string(), Known { since, source })
    }

    /// Moves to a step and rolls its random events in order; an event with a `goto` moves the
    /// story on again.
    fn enter(
        &mut self,
        s: &Scenario,
        mut target: String,
        outcome: &mut Outcome,
    ) -> Result<(), EngineError> {
        self.arrived_by.clear();
        for _ in 0..MAX_REDIRECTS {
            let step = s
                .step(&target)
                .ok_or_else(|| EngineError::UnknownStep(target.clone()))?;
            self.step = step.id.clone();
            self.log.push(LogEntry::Entered {
                turn: self.turn,
                step: step.id.clone(),
            });
            let mut redirect = None;
            for event in step.events() {
                if !self.holds(&event.condition) || !self.roll(&step.id, &event.id, event.chance) {
                    continue;
                }
                self.log.push(LogEntry::EventHappened {
                    turn: self.turn,
                    step: step.id.clone(),
                    event: event.id.clone(),
                });
                outcome.events.push((step.id.clone(), event.id.clone()));
                self.arrived_by.push((step.id.clone(), event.id.clone()));
                self.apply(&event.effects, outcome);
                if let Some(goto) = &event.goto {
                    redirect = Some(goto.value.clone());
                    break;
                }
            }
            match redirect {
                Some(next) => target = next,
                None => {
                    outcome.now_at = self.step.clone();
                    if step.is_ending() {
                        outcome.ended = true;
                        self.log.push(LogEntry::Ended {
                            turn: self.turn,
                            ending: step.id.clone(),
                        });
                    }
                    return Ok(());
                }
            }
        }
        Err(EngineError::TooManyRedirects)
    }

    /// A reproducible roll: true with probability `chance`%.
    fn roll(&self, step: &str, event: &str, chance: u8) -> bool {
        let key = fnv1a(step.as_bytes())
            ^ fnv1a(event.as_bytes()).rotate_left(17)
            ^ u64::from(self.turn).rotate_left(41);
        let mut rng = StdRng::seed_from_u64(self.seed ^ key);
        rng.random_range(0..100u8) < chance
    }

    /// The choices made, in order, as (step, choice) ids: enough, with the seed, to replay a run.
    pub fn decisions(&self) -> Vec<(&str, &str)> {
        self.log
            .iter()
            .filter_map(|e| match e {
                LogEntry::Chose { step, choice, .. } => Some((step.as_str(), choice.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// FNV-1a: a hash that is stable across platforms and Rust versions, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
