//! A case at a glance, for the authoring check (`scripts/check-case`): how many steps and
//! endings, the longest and shortest ways through, the services involved, and what an author
//! may have forgotten (facts nothing reveals, choices with no feedback).

use std::fmt;

use crate::model::{Effect, Scenario, Step};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub decision_steps: usize,
    pub endings: usize,
    pub choices: usize,
    pub random_events: usize,
    pub prompts: usize,
    /// Decisions on the longest path from the start to an ending, and the steps along it.
    pub longest: Option<(u32, Vec<String>)>,
    pub shortest: Option<(u32, Vec<String>)>,
    /// (service id, whether it is the trainee's).
    pub services: Vec<(String, bool)>,
    /// Facts no service holds at the start and no choice or event reveals.
    pub never_revealed: Vec<String>,
    /// `step/choice` ids of choices with no feedback text.
    pub without_feedback: Vec<String>,
}

/// Where a step can lead: (target, whether getting there is a decision).
fn edges(s: &Scenario, step: &Step) -> Vec<(usize, bool)> {
    let index = |id: &str| s.steps.iter().position(|x| x.id == id);
    step.choices()
        .iter()
        .filter_map(|c| index(&c.goto.value).map(|i| (i, true)))
        .chain(step.events().iter().filter_map(|e| {
            e.goto
                .as_ref()
                .and_then(|g| index(&g.value))
                .map(|i| (i, false))
        }))
        .collect()
}

/// Every simple path from `at` to an ending: calls `found` with its decisions and steps. Cases
/// have a few dozen steps, so a depth-first search over simple paths is quick.
fn walk(
    s: &Scenario,
    at: usize,
    decisions: u32,
    path: &mut Vec<usize>,
    found: &mut dyn FnMut(u32, &[usize]),
) {
    path.push(at);
    if s.steps[at].is_ending() {
        found(decisions, path);
    } else {
        for (next, decision) in edges(s, &s.steps[at]) {
            if !path.contains(&next) {
                walk(s, next, decisions + u32::from(decision), path, found);
            }
        }
    }
    path.pop();
}

pub fn summarise(s: &Scenario) -> Summary {
    let mut longest: Option<(u32, Vec<String>)> = None;
    let mut shortest: Option<(u32, Vec<String>)> = None;
    if let Some(start) = s.steps.iter().position(|x| x.id == s.start.value) {
        let ids = |path: &[usize]| path.iter().map(|i| s.steps[*i].id.clone()).collect();
        walk(s, start, 0, &mut Vec::new(), &mut |n, path| {
            if longest.as_ref().is_none_or(|(best, _)| n > *best) {
                longest = Some((n, ids(path)));
            }
            if shortest.as_ref().is_none_or(|(best, _)| n < *best) {
                shortest = Some((n, ids(path)));
            }
        });
    }
    let revealed: Vec<&str> = s
        .steps
        .iter()
        .flat_map(|st| {
            st.choices()
                .iter()
                .flat_map(|c| &c.effects)
                .chain(st.events().iter().flat_map(|e| &e.effects))
        })
        .flat_map(|e| match e {
            Effect::Reveal { facts, .. } => facts.iter().map(|f| f.value.as_str()).collect(),
            _ => Vec::new(),
        })
        .chain(
            s.services
                .iter()
                .flat_map(|x| x.knows_at_start.iter().map(|f| f.value.as_str())),
        )
        .collect();
    Summary {
        decision_steps: s.steps.iter().filter(|x| !x.is_ending()).count(),
        endings: s.endings().count(),
        choices: s.steps.iter().map(|x| x.choices().len()).sum(),
        random_events: s.steps.iter().map(|x| x.events().len()).sum(),
        prompts: s.steps.iter().map(|x| x.prompts.len()).sum(),
        longest,
        shortest,
        services: s
            .services
            .iter()
            .map(|x| (x.id.clone(), x.trainee))
            .collect(),
        never_revealed: s
            .facts
            .iter()
            .filter(|f| !revealed.contains(&f.id.as_str()))
            .map(|f| f.id.clone())
            .collect(),
        without_feedback: s
            .steps
            .iter()
            .flat_map(|st| {
                st.choices()
                    .iter()
                    .filter(|c| c.feedback.trim().is_empty())
                    .map(move |c| format!("{}/{}", st.id, c.id))
            })
            .collect(),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  steps: {} decision steps, {} endings, {} choices, {} random events, {} discussion prompts",
            self.decision_steps, self.endings, self.choices, self.random_events, self.prompts
        )?;
        for (name, path) in [("longest", &self.longest), ("shortest", &self.shortest)] {
            match path {
                Some((n, steps)) => writeln!(
                    f,
                    "  {name} path: {} ({})",
                    crate::score::decision_count(*n),
                    steps.join(" > ")
                )?,
                None => writeln!(f, "  {name} path: no ending can be reached")?,
            }
        }
        let services: Vec<String> = self
            .services
            .iter()
            .map(|(id, trainee)| {
                if *trainee {
                    format!("{id} (trainee)")
                } else {
                    id.clone()
                }
            })
            .collect();
        writeln!(f, "  services involved: {}", list(&services))?;
        writeln!(f, "  facts never revealed: {}", list(&self.never_revealed))?;
        writeln!(
            f,
            "  choices with no feedback: {}",
            list(&self.without_feedback)
        )
    }
}
