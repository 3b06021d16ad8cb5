//! One pass over a run, shared by every scoring rule: the decisions as they were made (which
//! choices were open then, from the flags and knowledge at that moment), and when each fact was
//! held by, or could first have been found out by, the trainee's service.

use crate::area::Area;
use crate::engine::{LogEntry, Run};
use crate::model::{Choice, Effect, Fact, Grade, Scenario};
use crate::vecmap::VecMap;

/// What every rule reads.
pub(super) struct History<'a> {
    pub area: &'a Area,
    pub s: &'a Scenario,
    pub run: &'a Run,
    /// The trainee's service.
    pub trainee: String,
    pub decisions: Vec<Decision<'a>>,
    /// When the trainee's service held, or could first have found out through a choice open to
    /// it on this path, each fact.
    pub findable: VecMap<&'a str, u32>,
}

impl<'a> History<'a> {
    pub fn new(area: &'a Area, s: &'a Scenario, run: &'a Run) -> Self {
        let trainee = s
            .trainee_service()
            .map(|t| t.id.clone())
            .unwrap_or_default();
        let decisions = decisions_made(s, run);
        // When the trainee's service held, or could first have found out through a choice open to
        // it on this path, each fact.
        let mut findable: VecMap<&str, u32> = run
            .knowledge
            .get(&trainee)
            .map(|held| held.iter().map(|(f, k)| (f.as_str(), k.since)).collect())
            .unwrap_or_default();
        for d in &decisions {
            for c in &d.available {
                for effect in &c.effects {
                    if let Effect::Reveal { facts, to } = effect {
                        if to.value == trainee {
                            for f in facts {
                                let at = findable.get_or_insert_with(f.value.as_str(), || d.turn);
                                *at = (*at).min(d.turn);
                            }
                        }
                    }
                }
            }
        }

        History {
            area,
            s,
            run,
            trainee,
            decisions,
            findable,
        }
    }

    /// A service's name in this case.
    pub fn name(&self, id: &str) -> String {
        self.s
            .service(id)
            .map_or_else(|| id.to_string(), |x| x.name.clone())
    }

    /// A fact's label.
    pub fn label(&self, id: &str) -> String {
        self.s
            .fact(id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    }
}

/// Whether a service held a fact at the end of a given turn.
pub(super) fn known_at(run: &Run, service: &str, fact: &str, turn: u32) -> bool {
    run.knowledge
        .get(service)
        .and_then(|h| h.get(fact))
        .is_some_and(|k| k.since <= turn)
}

/// The facts a service held at the end of a given turn.
pub(super) fn held_at<'s>(s: &'s Scenario, run: &Run, service: &str, turn: u32) -> Vec<&'s Fact> {
    s.facts
        .iter()
        .filter(|f| known_at(run, service, &f.id, turn))
        .collect()
}

/// Facts any service held at the end of a given turn.
pub(super) fn in_play_at<'s>(s: &'s Scenario, run: &Run, turn: u32) -> Vec<&'s Fact> {
    s.facts
        .iter()
        .filter(|f| {
            run.knowledge
                .values()
                .any(|h| h.get(&f.id).is_some_and(|k| k.since <= turn))
        })
        .collect()
}

/// One decision as it was made: the choices that were open at that moment, judged from the
/// flags and knowledge the run had then (read back from its log).
pub(super) struct Decision<'s> {
    pub turn: u32,
    pub step: &'s crate::model::Step,
    pub choice: &'s Choice,
    pub available: Vec<&'s Choice>,
}

impl Decision<'_> {
    pub fn id(&self) -> Option<(String, String)> {
        Some((self.step.id.clone(), self.choice.id.clone()))
    }
}

pub(super) fn decisions_made<'s>(s: &'s Scenario, run: &Run) -> Vec<Decision<'s>> {
    let mut flags: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for entry in &run.log {
        match entry {
            LogEntry::FlagSet { flag, .. } => flags.push(flag),
            LogEntry::FlagCleared { flag, .. } => flags.retain(|f| f != flag),
            LogEntry::Chose { turn, step, choice } => {
                let Some(st) = s.step(step) else { continue };
                let Some(chosen) = st.choices().iter().find(|c| &c.id == choice) else {
                    continue;
                };
                let before = turn.saturating_sub(1);
                let available = st
                    .choices()
                    .iter()
                    .filter(|c| {
                        c.condition.holds(
                            |f| flags.contains(&f),
                            |svc, fact| known_at(run, svc, fact, before),
                        )
                    })
                    .collect();
                out.push(Decision {
                    turn: *turn,
                    step: st,
                    choice: chosen,
                    available,
                });
            }
            _ => {}
        }
    }
    out
}

/// When a choice open on this path, other than a poor one, first offered to pass each fact to a
/// service: the turn of that decision. A fact counts if the sharing service held it by then or, for the trainee's service,
/// could have found it out at an earlier decision (`findable`: fact → first turn).
pub(super) fn offered_to<'s>(
    run: &Run,
    decisions: &[Decision<'s>],
    to: &str,
    trainee: &str,
    findable: &VecMap<&str, u32>,
) -> VecMap<&'s str, u32> {
    let mut first: VecMap<&str, u32> = VecMap::new();
    for d in decisions {
        // What a poor choice would have passed on (a whole record, say) is not what the key
        // service should have been told: only good and partly good choices set the clock.
        for c in d.available.iter().filter(|c| c.grade != Grade::Poor) {
            for effect in &c.effects {
                let Effect::Share {
                    facts,
                    from,
                    to: recipient,
                    ..
                } = effect
                else {
                    continue;
                };
                if recipient.value != to {
                    continue;
                }
                for f in facts {
                    let held = known_at(run, &from.value, &f.value, d.turn.saturating_sub(1))
                        || (from.value == trainee
                            && findable.get(f.value.as_str()).is_some_and(|t| *t < d.turn));
                    if held {
                        first.insert_new(f.value.as_str(), d.turn);
                    }
                }
            }
        }
    }
    first
}
