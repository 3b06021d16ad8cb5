//! A case at a glance, for the authoring check (`scripts/check-case`): how many steps and
//! endings, the longest and shortest ways through, the services involved, and what an author
//! may have forgotten (facts nothing reveals, choices with no feedback).

use std::fmt;

use std::collections::HashMap;

use crate::model::{Effect, Scenario};

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

/// Where each step can lead: (target, whether getting there is a decision), by index.
fn edges(s: &Scenario) -> Vec<Vec<(usize, bool)>> {
    let index: HashMap<&str, usize> = s
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| (st.id.as_str(), i))
        .collect();
    s.steps
        .iter()
        .map(|step| {
            step.choices()
                .iter()
                .filter_map(|c| index.get(c.goto.value.as_str()).map(|&i| (i, true)))
                .chain(step.events().iter().filter_map(|e| {
                    e.goto
                        .as_ref()
                        .and_then(|g| index.get(g.value.as_str()))
                        .map(|&i| (i, false))
                }))
                .collect()
        })
        .collect()
}

/// The steps along a path, from a map of each step's successor on it.
fn follow(s: &Scenario, from: usize, next: &[Option<usize>]) -> Vec<String> {
    let mut ids = vec![s.steps[from].id.clone()];
    let mut at = from;
    while let Some(n) = next[at] {
        ids.push(s.steps[n].id.clone());
        at = n;
    }
    ids
}

/// Fewest decisions from the start to an ending: a breadth-first search in which a random
/// event's redirect costs nothing and a decision costs one.
fn shortest(s: &Scenario, start: usize, out: &[Vec<(usize, bool)>]) -> Option<(u32, Vec<String>)> {
    let n = s.steps.len();
    let mut dist = vec![u32::MAX; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    let mut queue = std::collections::VecDeque::from([start]);
    dist[start] = 0;
    while let Some(at) = queue.pop_front() {
        for &(to, decision) in &out[at] {
            let d = dist[at] + u32::from(decision);
            if d < dist[to] {
                dist[to] = d;
                prev[to] = Some(at);
                if decision {
                    queue.push_back(to);
                } else {
                    queue.push_front(to);
                }
            }
        }
    }
    let end = (0..n)
        .filter(|i| s.steps[*i].is_ending() && dist[*i] != u32::MAX)
        .min_by_key(|i| dist[*i])?;
    let mut path = vec![s.steps[end].id.clone()];
    let mut at = end;
    while let Some(p) = prev[at] {
        path.push(s.steps[p].id.clone());
        at = p;
    }
    path.reverse();
    Some((dist[end], path))
}

/// Most decisions from the start to an ending, by dynamic programming over the steps in the
/// order a depth-first search finishes them. A loop is followed once: an edge back to a step
/// still being explored is not taken, so the figure is the longest way through that does not
/// go round a loop (exact when the case has none).
fn longest(s: &Scenario, start: usize, out: &[Vec<(usize, bool)>]) -> Option<(u32, Vec<String>)> {
    let n = s.steps.len();
    // 0 unseen, 1 on the stack, 2 finished.
    let mut state = vec![0u8; n];
    let mut best: Vec<Option<u32>> = vec![None; n];
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut stack = vec![(start, 0usize)];
    state[start] = 1;
    while let Some((at, edge)) = stack.last_mut().map(|(a, e)| (*a, *e)) {
        if let Some(&(to, _)) = out[at].get(edge) {
            stack.last_mut().unwrap().1 += 1;
            if state[to] == 0 {
                state[to] = 1;
                stack.push((to, 0));
            }
            continue;
        }
        // All of `at`'s edges explored: its best way to an ending is now known.
        stack.pop();
        state[at] = 2;
        if s.steps[at].is_ending() {
            best[at] = Some(0);
            continue;
        }
        for &(to, decision) in &out[at] {
            // A target still on the stack closes a loop; a finished one has its best.
            if state[to] != 2 {
                continue;
            }
            if let Some(b) = best[to] {
                let total = b + u32::from(decision);
                if best[at].is_none_or(|cur| total > cur) {
                    best[at] = Some(total);
                    next[at] = Some(to);
                }
            }
        }
    }
    best[start].map(|b| (b, follow(s, start, &next)))
}

pub fn summarise(s: &Scenario) -> Summary {
    let (mut longest_path, mut shortest_path) = (None, None);
    if let Some(start) = s.steps.iter().position(|x| x.id == s.start.value) {
        let out = edges(s);
        longest_path = longest(s, start, &out);
        shortest_path = shortest(s, start, &out);
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
        longest: longest_path,
        shortest: shortest_path,
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
                    .filter(|c| c.feedback.is_blank())
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

/// About how long a case takes, in minutes (low, high), from the decisions on its shortest and
/// longest paths: on your own, about two minutes to read a step and decide, and five to read
/// the debrief; with a room, about five minutes of discussion a step, and fifteen for the
/// debrief. Rounded to five minutes, for a trainer planning a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeEstimate {
    pub alone: (u32, u32),
    pub room: (u32, u32),
}

pub fn time_estimate(shortest: u32, longest: u32) -> TimeEstimate {
    let round = |m: u32| m.div_ceil(5) * 5;
    let span = |per: u32, extra: u32| (round(shortest * per + extra), round(longest * per + extra));
    TimeEstimate {
        alone: span(2, 5),
        room: span(5, 15),
    }
}
