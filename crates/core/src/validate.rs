//! Checks a parsed scenario for everything that would stop it running as its author meant:
//! unknown and duplicate ids, missing references, unreachable steps, steps with no way forward,
//! cycles with no exit, and empty text. `load` is the one entry point the app and tests use:
//! a scenario with any problem is never handed out to be played.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::{reachable, reversed};
use crate::model::*;
use crate::parse::parse;
use crate::problem::Problem;

/// Parses and validates. `Ok` only when there is no problem at all.
pub fn load(file: &str, text: &str) -> Result<Scenario, Vec<Problem>> {
    let (scenario, problems) = check(file, text);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(problems)
    }
}

/// Parses and validates, returning what could be read beside every problem, in line order:
/// the authoring check summarises a case even when it has problems.
pub fn check(file: &str, text: &str) -> (Scenario, Vec<Problem>) {
    let (mut scenario, mut problems) = parse(file, text);
    fill_default_services(&mut scenario);
    problems.extend(validate(&scenario));
    crate::problem::sort(&mut problems);
    problems.dedup();
    (scenario, problems)
}

/// `reveal:` with no `to`, and `share:` with no `from`, mean the trainee's own service.
fn fill_default_services(s: &mut Scenario) {
    let Some(trainee) = s.trainee_service().map(|t| t.id.clone()) else {
        return;
    };
    let fill = |effects: &mut Vec<Effect>| {
        for e in effects {
            match e {
                Effect::Reveal { to, .. } if to.value.is_empty() => to.value = trainee.clone(),
                Effect::Share { from, .. } if from.value.is_empty() => from.value = trainee.clone(),
                _ => {}
            }
        }
    };
    for step in &mut s.steps {
        match &mut step.kind {
            StepKind::Decision { choices, events } => {
                choices.iter_mut().for_each(|c| fill(&mut c.effects));
                events.iter_mut().for_each(|e| fill(&mut e.effects));
            }
            StepKind::Ending { events, .. } => {
                events.iter_mut().for_each(|e| fill(&mut e.effects));
            }
        }
    }
}

pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut v = Validator {
        s,
        problems: Vec::new(),
        steps: s.steps.iter().map(|x| x.id.as_str()).collect(),
        facts: s.facts.iter().map(|x| x.id.as_str()).collect(),
        services: s.services.iter().map(|x| x.id.as_str()).collect(),
    };
    v.ids();
    v.services();
    v.references();
    v.text();
    v.flags();
    v.graph();
    v.problems
}

struct Validator<'a> {
    s: &'a Scenario,
    problems: Vec<Problem>,
    /// Ids of steps, facts and services, for lookups by index rather than by search: a case of
    /// thousands of steps is checked in time that grows with its size.
    steps: std::collections::HashSet<&'a str>,
    facts: std::collections::HashSet<&'a str>,
    services: std::collections::HashSet<&'a str>,
}

impl Validator<'_> {
    fn problem(&mut self, line: u32, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Problem::new(&self.s.file, line, message, hint));
    }

    fn duplicates<'b>(&mut self, what: &str, items: impl Iterator<Item = (&'b str, u32)>) {
        let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
        for (id, line) in items {
            if id.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(id) {
                self.problem(
                    line,
                    format!("duplicate {what} id '{id}' (first used on line {first})"),
                    "every id must be unique; rename one of them",
                );
            } else {
                seen.insert(id, line);
            }
        }
    }

    fn ids(&mut self) {
        let s = self.s;
        self.duplicates(
            "service",
            s.services.iter().map(|x| (x.id.as_str(), x.line)),
        );
        self.duplicates("fact", s.facts.iter().map(|x| (x.id.as_str(), x.line)));
        self.duplicates("step", s.steps.iter().map(|x| (x.id.as_str(), x.line)));
        for step in &s.steps {
            self.duplicates(
                "choice",
                step.choices().iter().map(|c| (c.id.as_str(), c.line)),
            );
            self.duplicates(
                "event",
                step.events().iter().map(|e| (e.id.as_str(), e.line)),
            );
        }
    }

    fn services(&mut self) {
        let trainees: Vec<&Service> = self.s.services.iter().filter(|x| x.trainee).collect();
        match trainees.as_slice() {
            [_] => {}
            [] => {
                let line = self.s.services.first().map_or(self.s.line, |x| x.line);
                self.problem(
                    line,
                    "no service is marked as the trainee's",
                    "add 'trainee: yes' to the service the trainee works in",
                );
            }
            [_, rest @ ..] => {
                for extra in rest {
                    self.problem(
                        extra.line,
                        format!("service '{}' is a second trainee service", extra.id),
                        "only one service can be 'trainee: yes'",
                    );
                }
            }
        }
        for key in &self.s.key_services {
            if !self.services.contains(key.value.as_str()) {
                let hint = suggest(
                    &key.value,
                    self.s.services.iter().map(|x| x.id.as_str()),
                    "service",
                );
                self.problem(
                    key.line,
                    format!("key service '{}' is not involved in the case", key.value),
                    hint,
                );
            }
        }
        for service in &self.s.services {
            for fact in &service.knows_at_start {
                self.fact_ref(fact);
            }
        }
    }

    fn fact_ref(&mut self, fact: &Spanned<String>) {
        if !fact.value.is_empty() && !self.facts.contains(fact.value.as_str()) {
            let hint = suggest(
                &fact.value,
                self.s.facts.iter().map(|f| f.id.as_str()),
                "fact",
            );
            self.problem(fact.line, format!("unknown fact '{}'", fact.value), hint);
        }
    }

    fn service_ref(&mut self, service: &Spanned<String>) {
        if !service.value.is_empty() && !self.services.contains(service.value.as_str()) {
            let hint = suggest(
                &service.value,
                self.s.services.iter().map(|x| x.id.as_str()),
                "service",
            );
            self.problem(
                service.line,
                format!("unknown service '{}'", service.value),
                hint,
            );
        }
    }

    fn statements(&mut self, statements: &[LevelStatement]) {
        for st in statements {
            self.service_ref(&Spanned::new(st.service.clone(), st.line));
        }
    }

    fn step_ref(&mut self, step: &Spanned<String>) {
        if !step.value.is_empty() && !self.steps.contains(step.value.as_str()) {
            let hint = suggest(
                &step.value,
                self.s.steps.iter().map(|x| x.id.as_str()),
                "step or ending",
            );
            self.problem(step.line, format!("unknown step '{}'", step.value), hint);
        }
    }

    fn effects(&mut self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::Reveal { facts, to } => {
                    facts.iter().for_each(|f| self.fact_ref(f));
                    self.service_ref(to);
                }
                Effect::Share {
                    facts, from, to, ..
                } => {
                    facts.iter().for_each(|f| self.fact_ref(f));
                    self.service_ref(from);
                    self.service_ref(to);
                    if from.value == to.value && !from.value.is_empty() {
                        self.problem(
                            to.line,
                            format!("'{}' shares with itself", to.value),
                            "name a different recipient after 'with'",
                        );
                    }
                }
                Effect::SetFlag(_) | Effect::ClearFlag(_) => {}
            }
        }
    }

    fn condition(&mut self, condition: &Condition) {
        for test in &condition.tests {
            if let TestKind::Knows { service, fact } = &test.what {
                self.service_ref(&Spanned::new(service.clone(), test.line));
                self.fact_ref(&Spanned::new(fact.clone(), test.line));
            }
        }
    }

    fn references(&mut self) {
        let s = self.s;
        if !s.start.value.is_empty() {
            self.step_ref(&s.start);
            if s.step(&s.start.value).is_some_and(Step::is_ending) {
                self.problem(
                    s.start.line,
                    "the case starts at an ending",
                    "point 'start' at a decision step",
                );
            }
        }
        // Resolution must not loop (a fact that, through others, puts itself right).
        for fact in &s.facts {
            let mut seen: Vec<&str> = vec![fact.id.as_str()];
            let mut frontier: Vec<&str> = fact.resolves.iter().map(|r| r.value.as_str()).collect();
            while let Some(next) = frontier.pop() {
                if next == fact.id && fact.resolves.iter().all(|r| r.value != fact.id) {
                    self.problem(
                        fact.line,
                        format!(
                            "fact '{}' is put right, through other facts, by itself",
                            fact.id
                        ),
                        "a remedy's 'resolves:' must not lead back to it",
                    );
                    break;
                }
                if seen.contains(&next) {
                    continue;
                }
                seen.push(next);
                if let Some(f) = s.fact(next) {
                    frontier.extend(f.resolves.iter().map(|r| r.value.as_str()));
                }
            }
        }
        for fact in &s.facts {
            for r in &fact.resolves {
                self.fact_ref(r);
                if r.value == fact.id {
                    self.problem(
                        r.line,
                        format!("fact '{}' resolves itself", fact.id),
                        "'resolves:' names the risk this fact puts right, e.g. 'resolves: methadone-in-fridge'",
                    );
                }
            }
        }
        for step in &s.steps {
            self.statements(&step.statements);
            for choice in step.choices() {
                self.step_ref(&choice.goto);
                self.condition(&choice.condition);
                self.effects(&choice.effects);
                self.statements(&choice.statements);
            }
            for event in step.events() {
                if let Some(goto) = &event.goto {
                    self.step_ref(goto);
                }
                self.condition(&event.condition);
                self.effects(&event.effects);
                self.statements(&event.statements);
            }
        }
    }

    fn text(&mut self) {
        let s = self.s;
        for step in &s.steps {
            if step.body.is_blank() {
                let kind = if step.is_ending() { "ending" } else { "step" };
                self.problem(
                    step.line,
                    format!("{kind} '{}' has no narrative text", step.id),
                    "write what happens after the field lines and a blank line",
                );
            }
            for choice in step.choices() {
                if choice.feedback.is_blank() {
                    self.problem(
                        choice.line,
                        format!("choice '{}' has no feedback", choice.id),
                        "after its fields and a blank line, say why this is or is not good practice",
                    );
                }
            }
            for event in step.events() {
                if event.text.is_blank() {
                    self.problem(
                        event.line,
                        format!("event '{}' has no text", event.id),
                        "after its fields and a blank line, say what happens",
                    );
                }
            }
        }
        if s.steps.iter().all(|x| !x.is_ending()) {
            self.problem(
                s.line,
                "the case has no ending",
                "add at least one '## ending <id>' block",
            );
        }
    }

    /// A flag that is tested but never set is almost always a typo.
    fn flags(&mut self) {
        let mut set: BTreeSet<&str> = BTreeSet::new();
        let mut tested: Vec<(&str, u32)> = Vec::new();
        for step in &self.s.steps {
            let conditions = step
                .choices()
                .iter()
                .map(|c| &c.condition)
                .chain(step.events().iter().map(|e| &e.condition));
            for condition in conditions {
                for test in &condition.tests {
                    if let TestKind::Flag(flag) = &test.what {
                        tested.push((flag, test.line));
                    }
                }
            }
            let effects = step
                .choices()
                .iter()
                .flat_map(|c| &c.effects)
                .chain(step.events().iter().flat_map(|e| &e.effects));
            for effect in effects {
                if let Effect::SetFlag(flag) = effect {
                    set.insert(&flag.value);
                }
            }
        }
        for (flag, line) in tested {
            if !set.contains(flag) {
                let hint = suggest(flag, set.iter().copied(), "flag");
                self.problem(line, format!("flag '{flag}' is tested but never set"), hint);
            }
        }
    }

    /// Reachability from the start, steps with no way forward, and cycles with no exit.
    /// Conditions are treated as possibly true, so every edge counts; the "unconditional choice"
    /// rule below is what guarantees a run can always move on.
    fn graph(&mut self) {
        let s = self.s;
        if s.step(&s.start.value).is_none() {
            return;
        }
        // Steps by index, and where each leads: linear in the size of the case (a search over
        // ids was cubic for cases written in story order).
        let index: std::collections::HashMap<&str, usize> = s
            .steps
            .iter()
            .enumerate()
            .map(|(i, st)| (st.id.as_str(), i))
            .collect();
        let next: Vec<Vec<usize>> = s
            .steps
            .iter()
            .map(|step| {
                step.choices()
                    .iter()
                    .map(|c| c.goto.value.as_str())
                    .chain(
                        step.events()
                            .iter()
                            .filter_map(|e| e.goto.as_ref().map(|g| g.value.as_str())),
                    )
                    .filter_map(|id| index.get(id).copied())
                    .collect()
            })
            .collect();
        // Forward from the start; backward from the endings (which steps can reach one).
        let reached_at = reachable([index[s.start.value.as_str()]], &next);
        let ends = (0..s.steps.len()).filter(|i| s.steps[*i].is_ending());
        let can_end_at = reachable(ends, &reversed(&next));
        for (i, step) in s.steps.iter().enumerate() {
            if !reached_at[i] {
                let kind = if step.is_ending() { "ending" } else { "step" };
                self.problem(
                    step.line,
                    format!("{kind} '{}' cannot be reached from the start", step.id),
                    "add a choice whose 'goto' leads here, or remove it",
                );
                continue;
            }
            if step.is_ending() {
                continue;
            }
            if step.choices().is_empty() {
                self.problem(
                    step.line,
                    format!("step '{}' has no way forward", step.id),
                    "add a '### choice' or make it an '## ending'",
                );
            } else if step.choices().iter().all(|c| !c.condition.is_always()) {
                self.problem(
                    step.line,
                    format!(
                        "every choice in step '{}' has a condition, so a run could get stuck there",
                        step.id
                    ),
                    "give at least one choice no 'if:'",
                );
            } else if !can_end_at[i] {
                self.problem(
                    step.line,
                    format!(
                        "no ending can be reached from step '{}' (a cycle with no exit)",
                        step.id
                    ),
                    "add a choice that leads towards an ending",
                );
            }
        }
    }
}

/// "did you mean" from the closest known id, or the list when it is short.
fn suggest<'a>(wrong: &str, known: impl Iterator<Item = &'a str>, what: &str) -> String {
    let known: Vec<&str> = known.collect();
    let best = known.iter().map(|k| (edit_distance(wrong, k), *k)).min();
    match best {
        Some((d, k)) if d <= 3.max(wrong.len() / 3) => format!("did you mean '{k}'?"),
        _ if known.is_empty() => format!("no {what} is defined yet"),
        _ if known.len() <= 8 => format!("known {what} ids: {}", known.join(", ")),
        _ => format!("check the spelling against the {what} ids in this file"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
