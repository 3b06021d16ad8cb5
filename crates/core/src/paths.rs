//! Every way a case can go, for the authoring check: the story's level statements are proved on
//! every path that reaches them, and drift (the trainee's service at the referral level while
//! the front door sits below it, with no way to refer or seek advice at that step) is found
//! wherever it can happen.
//!
//! Paths are not listed one by one (their number grows exponentially with choices that rejoin).
//! Instead the check explores the distinct *states* a run can be in: the step, which service
//! holds which fact, and which flags are set. Two runs in the same state have the same future,
//! so each state is visited once. Random events are taken both ways unless certain. The
//! trainee's own shares through the share form are outside the story and are not explored.

use std::collections::HashMap;

use crate::area::{Area, LevelAction};
use crate::graph::{reachable, reversed};
use crate::model::*;
use crate::problem::Problem;
use crate::thresholds::respond;

/// States explored before the check gives up and says so (a problem, never a silent pass).
pub const MAX_STATES: usize = 200_000;
/// Steps entered within one arrival, as in the engine.
const MAX_REDIRECTS: usize = crate::engine::MAX_REDIRECTS;

/// What the exploration found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathsReport {
    /// Level statements on points some path reaches.
    pub statements: usize,
    /// Of those, how many fail on at least one path.
    pub failing: usize,
    /// Distinct states explored.
    pub states: usize,
    /// Statement mismatches and unknown levels: errors.
    pub problems: Vec<Problem>,
    /// Drift: warnings.
    pub warnings: Vec<Problem>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    step: usize,
    known: Vec<u64>,
    flags: Vec<u64>,
}

fn bit(v: &[u64], i: usize) -> bool {
    v[i / 64] & (1 << (i % 64)) != 0
}

fn set_bit(v: &mut [u64], i: usize, on: bool) {
    if on {
        v[i / 64] |= 1 << (i % 64);
    } else {
        v[i / 64] &= !(1 << (i % 64));
    }
}

struct Explorer<'a> {
    area: &'a Area,
    s: &'a Scenario,
    steps: HashMap<&'a str, usize>,
    facts: HashMap<&'a str, usize>,
    services: HashMap<&'a str, usize>,
    flags: HashMap<&'a str, usize>,
    /// State → its id; `parent[id]` is how it was first reached.
    seen: HashMap<State, usize>,
    states: Vec<State>,
    parent: Vec<Option<(usize, String)>>,
    /// Statement line → first failure found, and lines of statements reached.
    failed: HashMap<u32, Problem>,
    reached: Vec<u32>,
    drift: HashMap<usize, Problem>,
    overflow: bool,
    max_states: usize,
    /// The state being expanded and the choice being taken, for statements on events.
    from: Option<(usize, String)>,
    /// Each state's successors, by id: to find states from which no ending can be reached.
    next_of: Vec<Vec<usize>>,
    /// Playability problems, by step index (one per step).
    unplayable: HashMap<usize, Problem>,
}

impl<'a> Explorer<'a> {
    fn new(area: &'a Area, s: &'a Scenario) -> Self {
        let index = |ids: Vec<&'a str>| -> HashMap<&'a str, usize> {
            let mut m = HashMap::new();
            for id in ids {
                let n = m.len();
                m.entry(id).or_insert(n);
            }
            m
        };
        // Only what can change the future or a judgement is part of a state: flags that some
        // condition tests, and the knowledge of services that conditions, shares, statements,
        // the trainee's seat or the front door read. The rest cannot make two runs differ.
        let mut flag_names: Vec<&str> = Vec::new();
        let mut readers: Vec<&str> = Vec::new();
        readers.extend(s.trainee_service().map(|t| t.id.as_str()));
        readers.extend(area.front_door().map(|d| d.id.as_str()));
        let read_condition =
            |c: &'a Condition, flags: &mut Vec<&'a str>, readers: &mut Vec<&'a str>| {
                for t in &c.tests {
                    match &t.what {
                        TestKind::Flag(f) => flags.push(f),
                        TestKind::Knows { service, .. } => readers.push(service),
                    }
                }
            };
        let read_shares = |effects: &'a [Effect], readers: &mut Vec<&'a str>| {
            for e in effects {
                if let Effect::Share { from, .. } = e {
                    readers.push(&from.value);
                }
            }
        };
        for step in &s.steps {
            readers.extend(step.statements.iter().map(|x| x.service.as_str()));
            for c in step.choices() {
                read_condition(&c.condition, &mut flag_names, &mut readers);
                read_shares(&c.effects, &mut readers);
                readers.extend(c.statements.iter().map(|x| x.service.as_str()));
            }
            for e in step.events() {
                read_condition(&e.condition, &mut flag_names, &mut readers);
                read_shares(&e.effects, &mut readers);
            }
        }
        Explorer {
            area,
            s,
            steps: index(s.steps.iter().map(|x| x.id.as_str()).collect()),
            facts: index(s.facts.iter().map(|x| x.id.as_str()).collect()),
            services: index(
                s.services
                    .iter()
                    .map(|x| x.id.as_str())
                    .filter(|id| readers.contains(id))
                    .collect(),
            ),
            flags: index(flag_names),
            seen: HashMap::new(),
            states: Vec::new(),
            parent: Vec::new(),
            failed: HashMap::new(),
            reached: Vec::new(),
            drift: HashMap::new(),
            overflow: false,
            max_states: MAX_STATES,
            from: None,
            next_of: Vec::new(),
            unplayable: HashMap::new(),
        }
    }

    fn known_bit(&self, service: &str, fact: &str) -> Option<usize> {
        Some(self.services.get(service)? * self.facts.len() + self.facts.get(fact)?)
    }

    fn knows(&self, st: &State, service: &str, fact: &str) -> bool {
        self.known_bit(service, fact)
            .is_some_and(|i| bit(&st.known, i))
    }

    fn holds(&self, st: &State, c: &Condition) -> bool {
        c.holds(
            |f| self.flags.get(f).is_some_and(|&i| bit(&st.flags, i)),
            |svc, fact| self.knows(st, svc, fact),
        )
    }

    fn learn(&self, st: &mut State, service: &str, fact: &str) {
        if let Some(i) = self.known_bit(service, fact) {
            set_bit(&mut st.known, i, true);
        }
    }

    fn apply(&self, st: &mut State, effects: &[Effect]) {
        for e in effects {
            match e {
                Effect::Reveal { facts, to } => {
                    for f in facts {
                        self.learn(st, &to.value, &f.value);
                    }
                }
                Effect::Share {
                    facts, from, to, ..
                } => {
                    for f in facts {
                        if self.knows(st, &from.value, &f.value) {
                            self.learn(st, &to.value, &f.value);
                        }
                    }
                }
                Effect::SetFlag(f) | Effect::ClearFlag(f) => {
                    if let Some(&i) = self.flags.get(f.value.as_str()) {
                        set_bit(&mut st.flags, i, matches!(e, Effect::SetFlag(_)));
                    }
                }
            }
        }
    }

    /// Arriving at `target`: every state the run can settle in there, after its events.
    fn enter(&mut self, mut st: State, target: &str, depth: usize, out: &mut Vec<State>) {
        let Some(&step) = self.steps.get(target) else {
            return;
        };
        // The engine enters at most MAX_REDIRECTS steps in one arrival (the first and those
        // events send it to), so the 17th is where a run fails.
        if depth >= MAX_REDIRECTS {
            // The engine refuses to go on here: some run fails at this step.
            let at = &self.s.steps[step];
            let path = self
                .from
                .clone()
                .map(|(id, how)| self.path_to(id, Some(&how)))
                .unwrap_or_else(|| "at the start".into());
            self.unplayable.entry(step).or_insert_with(|| {
                Problem::new(
                    &self.s.file,
                    at.line,
                    format!(
                        "random events at step '{}' can send the story round without end, so a run fails there ({path})",
                        at.id
                    ),
                    "make sure an event's 'goto' leads to a step whose events do not send it straight back",
                )
            });
            return;
        }
        st.step = step;
        // Branches still rolling this step's events: (state, next event index).
        let mut rolling = vec![(st, 0usize)];
        let events = self.s.steps[step].events();
        while let Some((st, at)) = rolling.pop() {
            let Some(event) = events.get(at) else {
                out.push(st);
                continue;
            };
            if !self.holds(&st, &event.condition) {
                rolling.push((st, at + 1));
                continue;
            }
            if event.chance < 100 {
                rolling.push((st.clone(), at + 1));
            }
            let mut happened = st;
            self.apply(&mut happened, &event.effects);
            let (from_id, how) = self.from.clone().unwrap_or((usize::MAX, String::new()));
            let via = [
                how,
                format!("{} (event {})", self.s.steps[step].id, event.id),
            ]
            .iter()
            .filter(|x| !x.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" > ");
            self.check_statements(&happened, from_id, &event.statements, Some(&via));
            match &event.goto {
                Some(goto) => self.enter(happened, &goto.value, depth + 1, out),
                None => rolling.push((happened, at + 1)),
            }
        }
    }

    fn facts_of(&self, st: &State, service: &str) -> Vec<&'a Fact> {
        self.s
            .facts
            .iter()
            .filter(|f| self.knows(st, service, &f.id))
            .collect()
    }

    fn rank_of(&self, st: &State, service: &str) -> Option<usize> {
        let defined = self.area.service(service)?;
        Some(respond(self.area, defined, &self.facts_of(st, service)).rank)
    }

    fn path_to(&self, id: usize, last: Option<&str>) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut at = Some(id).filter(|i| *i < self.parent.len());
        while let Some(i) = at {
            match &self.parent[i] {
                Some((prev, how)) => {
                    parts.push(how.clone());
                    at = Some(*prev);
                }
                None => at = None,
            }
        }
        parts.reverse();
        parts.extend(last.map(str::to_string));
        if parts.is_empty() {
            return "at the start".to_string();
        }
        if parts.len() > 8 {
            let tail = parts.split_off(parts.len() - 4);
            parts.truncate(3);
            parts.push("...".into());
            parts.extend(tail);
        }
        format!("after {}", parts.join(" > "))
    }

    fn check_statements(
        &mut self,
        st: &State,
        id: usize,
        statements: &[LevelStatement],
        via: Option<&str>,
    ) {
        for stmt in statements {
            if !self.reached.contains(&stmt.line) {
                self.reached.push(stmt.line);
            }
            if self.failed.contains_key(&stmt.line) {
                continue;
            }
            let problem = match (
                self.area.rank(&stmt.level),
                self.rank_of(st, &stmt.service),
            ) {
                (None, _) => Some(Problem::new(
                    &self.s.file,
                    stmt.line,
                    format!("unknown level '{}'", stmt.level),
                    format!(
                        "the area's levels are: {}",
                        self.area
                            .framework
                            .levels
                            .iter()
                            .map(|l| l.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                // A service the area does not define is reported by thresholds::check_case.
                (Some(_), None) => None,
                (Some(want), Some(got)) if want != got => Some(Problem::new(
                    &self.s.file,
                    stmt.line,
                    format!(
                        "the story says {} is at {} here, but on the area's rules it is at {} {}",
                        stmt.service,
                        stmt.level,
                        self.area.framework.levels[got].id,
                        self.path_to(id, via)
                    ),
                    "change what the story says, what the services know by this point, or the area's rules",
                )),
                _ => None,
            };
            if let Some(p) = problem {
                self.failed.insert(stmt.line, p);
            }
        }
    }

    /// The trainee's service is at a level that asks for a referral, the front door sits below
    /// it, and no choice open here lets the trainee refer or seek advice.
    fn check_drift(&mut self, st: &State, id: usize) {
        if self.drift.contains_key(&st.step) {
            return;
        }
        let Some(trainee) = self.s.trainee_service() else {
            return;
        };
        let Some(rank) = self.rank_of(st, &trainee.id) else {
            return;
        };
        let asks = (0..=rank)
            .map(|r| self.area.action_at(r))
            .any(|a| a == LevelAction::Refer);
        let door = self.area.front_door().map(|d| d.id.as_str());
        let door_rank = door.and_then(|d| self.rank_of(st, d)).unwrap_or(0);
        if !asks || door_rank >= rank {
            return;
        }
        let step = &self.s.steps[st.step];
        let can_act = step
            .choices()
            .iter()
            .filter(|c| self.holds(st, &c.condition))
            .any(|c| acts_on_threshold(c, door));
        if !can_act {
            let level = &self.area.framework.levels[rank].id;
            self.drift.insert(
                st.step,
                Problem::new(
                    &self.s.file,
                    step.line,
                    format!(
                        "warning: at step '{}' your service ({}) is at {level} {}, but no choice there lets the trainee refer to children's social care or seek safeguarding advice",
                        step.id,
                        trainee.id,
                        self.path_to(id, None)
                    ),
                    "add a choice that shares with the front door, or one tagged 'credit: seek-advice'",
                ),
            );
        }
    }

    /// Records a state (once) and returns its id; `None` past the cap.
    fn visit(
        &mut self,
        st: State,
        parent: Option<(usize, String)>,
        queue: &mut Vec<usize>,
    ) -> Option<usize> {
        if let Some(&id) = self.seen.get(&st) {
            return Some(id);
        }
        if self.seen.len() >= self.max_states {
            self.overflow = true;
            return None;
        }
        let id = self.parent.len();
        self.parent.push(parent);
        self.states.push(st.clone());
        self.next_of.push(Vec::new());
        self.seen.insert(st, id);
        queue.push(id);
        Some(id)
    }

    /// A decision step reached with no choice open: a run would be stuck there.
    fn stuck(&mut self, st: &State, id: usize) {
        let step = &self.s.steps[st.step];
        let path = self.path_to(id, None);
        self.unplayable.entry(st.step).or_insert_with(|| {
            Problem::new(
                &self.s.file,
                step.line,
                format!("step '{}' can be reached with no choice open, so a run is stuck there ({path})", step.id),
                "give the step a choice with no 'if:', or check the conditions that the way here leaves false",
            )
        });
    }

    /// States from which no ending can be reached (a condition that never holds on the only way
    /// out, say): each reported once, at its step.
    fn no_way_out(&mut self) {
        let n = self.states.len();
        let ends = (0..n).filter(|i| self.s.steps[self.states[*i].step].is_ending());
        let can_end = reachable(ends, &reversed(&self.next_of));
        for (id, &ends) in can_end.iter().enumerate() {
            let step_index = self.states[id].step;
            if ends || self.unplayable.contains_key(&step_index) {
                continue;
            }
            let step = &self.s.steps[step_index];
            let path = self.path_to(id, None);
            self.unplayable.insert(
                step_index,
                Problem::new(
                    &self.s.file,
                    step.line,
                    format!("from step '{}' no ending can be reached ({path}): every way on needs a condition that cannot hold, or leads back", step.id),
                    "check the 'if:' conditions and the flags on the way out of this step",
                ),
            );
        }
    }

    fn explore(&mut self) {
        let words = (self.services.len() * self.facts.len()).div_ceil(64).max(1);
        let mut start = State {
            step: 0,
            known: vec![0; words],
            flags: vec![0; self.flags.len().div_ceil(64).max(1)],
        };
        for svc in &self.s.services {
            for f in &svc.knows_at_start {
                self.learn(&mut start, &svc.id, &f.value);
            }
        }
        let mut first = Vec::new();
        self.from = None;
        let start_step = self.s.start.value.clone();
        self.enter(start, &start_step, 0, &mut first);
        let mut queue = Vec::new();
        if !first.is_empty() && first.iter().all(|st| self.s.steps[st.step].is_ending()) {
            let start = self.steps[self.s.start.value.as_str()];
            self.unplayable.insert(
                start,
                Problem::new(
                    &self.s.file,
                    self.s.steps[start].line,
                    "every run ends before the first decision: events on the start step always lead to an ending",
                    "lower the event's chance below 100%, or give it an 'if:'",
                ),
            );
        }
        for st in first {
            self.visit(st, None, &mut queue);
        }
        let mut next = 0;
        while next < queue.len() {
            let id = queue[next];
            next += 1;
            let st = self.states[id].clone();
            let step = &self.s.steps[st.step];
            self.check_statements(&st, id, &step.statements, None);
            if step.is_ending() {
                continue;
            }
            self.check_drift(&st, id);
            if !step.choices().iter().any(|c| self.holds(&st, &c.condition)) {
                self.stuck(&st, id);
            }
            for c in step.choices() {
                if !self.holds(&st, &c.condition) {
                    continue;
                }
                let mut after = st.clone();
                self.apply(&mut after, &c.effects);
                let how = format!("{}:{}", step.id, c.id);
                self.check_statements(&after, id, &c.statements, Some(&how));
                let mut settled = Vec::new();
                self.from = Some((id, how.clone()));
                self.enter(after, &c.goto.value, 0, &mut settled);
                for next_state in settled {
                    if let Some(to) = self.visit(next_state, Some((id, how.clone())), &mut queue) {
                        self.next_of[id].push(to);
                    }
                }
            }
        }
        if !self.overflow {
            self.no_way_out();
        }
    }
}

/// Whether a choice is a way to act on a threshold: a share with the front door (a referral),
/// or seeking safeguarding advice (`credit: seek-advice`).
pub fn acts_on_threshold(c: &Choice, front_door: Option<&str>) -> bool {
    c.effects
        .iter()
        .any(|e| matches!(e, Effect::Share { to, .. } if Some(to.value.as_str()) == front_door))
        || c.credits.iter().any(|t| t.value == "seek-advice")
}

/// Explores every state of a valid case against the area.
pub fn check_paths(area: &Area, s: &Scenario) -> PathsReport {
    check_paths_capped(area, s, MAX_STATES)
}

/// Seeded runs that take a random open choice at every step, for a case too large to explore:
/// the first run that fails, or does not end within `limit` decisions, as a problem naming the
/// seed (which fixes the events: `#/case/<id>?seed=<n>`) and the choices that reproduce it.
fn seeded_runs(s: &Scenario, runs: u64, limit: u32) -> Option<Problem> {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};
    for seed in 0..runs {
        let mut pick = StdRng::seed_from_u64(seed ^ 0x5eed);
        let mut taken: Vec<String> = Vec::new();
        let failed = |at: &str, why: String, taken: &[String]| {
            let line = s.step(at).map_or(s.line, |st| st.line);
            let shown = if taken.len() > 12 {
                format!(
                    "{} > ... > {}",
                    taken[..4].join(" > "),
                    taken[taken.len() - 4..].join(" > ")
                )
            } else {
                taken.join(" > ")
            };
            Some(Problem::new(
                &s.file,
                line,
                format!("a run with seed {seed} {why} at step '{at}'"),
                format!("play it with seed {seed}, taking these choices: {shown}"),
            ))
        };
        let mut run = match crate::engine::Run::start(s, seed) {
            Ok(r) => r,
            Err(e) => return failed(&s.start.value, format!("fails ({e})"), &taken),
        };
        while !run.is_ended(s) {
            if run.turn >= limit {
                return failed(
                    &run.step,
                    format!("has not ended after {limit} decisions"),
                    &taken,
                );
            }
            let open = run.available_choices(s);
            if open.is_empty() {
                return failed(&run.step, "is stuck with no choice open".into(), &taken);
            }
            let id = open[pick.random_range(0..open.len())].id.clone();
            taken.push(format!("{}:{id}", run.step));
            if let Err(e) = run.choose(s, &id) {
                return failed(
                    &run.step,
                    format!("fails on its choice '{id}' ({e})"),
                    &taken,
                );
            }
        }
    }
    None
}

/// [`check_paths`] with a cap on the states explored (tests use a small one).
pub fn check_paths_capped(area: &Area, s: &Scenario, max_states: usize) -> PathsReport {
    let mut x = Explorer::new(area, s);
    x.max_states = max_states;
    x.explore();
    let mut problems: Vec<Problem> = x
        .failed
        .values()
        .chain(x.unplayable.values())
        .cloned()
        .collect();
    crate::problem::sort(&mut problems);
    if x.overflow {
        problems.push(Problem::new(
            &s.file,
            s.line,
            format!(
                "the case has more than {max_states} distinct states, so its level statements could not be checked on every path"
            ),
            "split the case, or use fewer flags and facts that vary independently",
        ));
        // Playability can still be searched for: a bounded number of seeded runs.
        problems.extend(seeded_runs(s, 1000, 1000));
    }
    let mut warnings: Vec<Problem> = x.drift.values().cloned().collect();
    crate::problem::sort(&mut warnings);
    PathsReport {
        statements: x.reached.len(),
        failing: x.failed.len(),
        states: x.seen.len(),
        problems,
        warnings,
    }
}
