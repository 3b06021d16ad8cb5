//! How each service would respond, right now, to what it knows. A service's level comes only
//! from the indicators of the facts *it* holds; the full picture applies the framework's own
//! indicator guide to every fact that any service holds. The gap between the two is the
//! "weakest link" the source report asks trainees to see (Adfam 2013).

use crate::area::{Area, AreaService, Rule};
use crate::engine::Run;
use crate::model::{Fact, Scenario};

/// A level, what it means for the service, and the facts that put it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Position in the framework's levels (0 = lowest).
    pub rank: usize,
    pub level: String,
    pub does: String,
    /// Fact ids behind the level, in the scenario's order.
    pub because: Vec<String>,
    /// Risks this service knows were put right, as (risk, what put it right): they no longer
    /// count towards its level, and the panel says so.
    pub put_right: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceResponse {
    pub service: String,
    pub response: Response,
    /// Facts behind the full picture that this service does not hold, when it sits below it.
    pub missing: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panel {
    pub full: Response,
    pub services: Vec<ServiceResponse>,
}

/// The facts that still count, once those put right by another held fact are set aside, and
/// the (risk, remedy) pairs set aside. A remedy only counts for a service that holds it: a
/// service that never heard the lockbox was fitted still responds to the fridge.
pub fn still_counting<'a>(facts: &[&'a Fact]) -> (Vec<&'a Fact>, Vec<(String, String)>) {
    // A fact counts unless a fact that itself counts puts it right: a remedy that was undone
    // (the lockbox found broken) no longer cancels the risk. Resolution never loops (the
    // validator refuses that), so this settles within as many rounds as there are facts.
    let puts_right = |by: &Fact, f: &Fact| by.resolves.iter().any(|r| r.value == f.id);
    let mut counting = vec![true; facts.len()];
    for _ in 0..=facts.len() {
        let next: Vec<bool> = facts
            .iter()
            .map(|f| {
                !facts
                    .iter()
                    .zip(&counting)
                    .any(|(by, c)| *c && puts_right(by, f))
            })
            .collect();
        if next == counting {
            break;
        }
        counting = next;
    }
    let mut put_right = Vec::new();
    for (f, c) in facts.iter().zip(&counting) {
        if !*c {
            if let Some(by) = facts
                .iter()
                .zip(&counting)
                .find(|(by, bc)| **bc && puts_right(by, f))
            {
                put_right.push((f.id.clone(), by.0.id.clone()));
            }
        }
    }
    let kept = facts
        .iter()
        .zip(&counting)
        .filter(|(_, c)| **c)
        .map(|(f, _)| *f)
        .collect();
    (kept, put_right)
}

fn indicators<'a>(facts: &[&'a Fact]) -> Vec<&'a str> {
    facts
        .iter()
        .flat_map(|f| &f.indicators)
        .map(String::as_str)
        .collect()
}

fn applies(rule: &Rule, held: &[&str]) -> bool {
    rule.all_of.iter().all(|i| held.contains(&i.as_str()))
}

/// The facts that carry any indicator the applied rules read.
fn reasons(rules: &[&Rule], facts: &[&Fact]) -> Vec<String> {
    let read: Vec<&str> = rules
        .iter()
        .flat_map(|r| &r.all_of)
        .map(String::as_str)
        .collect();
    facts
        .iter()
        .filter(|f| f.indicators.iter().any(|i| read.contains(&i.as_str())))
        .map(|f| f.id.clone())
        .collect()
}

/// The level one service would respond at, given only the facts it holds.
pub fn respond(area: &Area, service: &AreaService, facts: &[&Fact]) -> Response {
    let (counting, put_right) = still_counting(facts);
    let facts = counting.as_slice();
    let held = indicators(facts);
    let mut best: Option<(usize, &crate::area::ServiceLevel, Vec<&Rule>)> = None;
    for level in &service.levels {
        let Some(rank) = area.rank(&level.level) else {
            continue;
        };
        let applied: Vec<&Rule> = level.rules.iter().filter(|r| applies(r, &held)).collect();
        if !level.rules.is_empty() && applied.is_empty() {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _, _)| rank > *b) {
            best = Some((rank, level, applied));
        }
    }
    match best {
        Some((rank, level, applied)) => Response {
            rank,
            level: level.level.clone(),
            does: level.does.clone(),
            because: reasons(&applied, facts),
            put_right,
        },
        None => Response {
            rank: 0,
            level: area
                .framework
                .levels
                .first()
                .map(|l| l.id.clone())
                .unwrap_or_default(),
            does: String::new(),
            because: Vec::new(),
            put_right,
        },
    }
}

/// The framework's own reading of a set of facts: the level the whole picture calls for.
pub fn full_picture(area: &Area, facts: &[&Fact]) -> Response {
    let (counting, put_right) = still_counting(facts);
    let facts = counting.as_slice();
    let held = indicators(facts);
    let mut best = (0, Vec::<&Rule>::new());
    for (rank, level) in area.framework.levels.iter().enumerate() {
        let applied: Vec<&Rule> = level.rules.iter().filter(|r| applies(r, &held)).collect();
        if !applied.is_empty() && rank >= best.0 {
            best = (rank, applied);
        }
    }
    let Some(level) = area.framework.levels.get(best.0) else {
        return Response {
            rank: 0,
            level: String::new(),
            does: String::new(),
            because: Vec::new(),
            put_right,
        };
    };
    Response {
        rank: best.0,
        level: level.id.clone(),
        does: level.name.clone(),
        because: reasons(&best.1, facts),
        put_right,
    }
}

/// Every involved service's response now, beside the full picture of everything any of them
/// knows. Services are listed in the scenario's order; ones the area does not define are
/// skipped (the validator reports them).
pub fn panel(area: &Area, scenario: &Scenario, run: &Run) -> Panel {
    let in_play: Vec<&Fact> = scenario
        .facts
        .iter()
        .filter(|f| run.knowledge.values().any(|held| held.contains_key(&f.id)))
        .collect();
    let full = full_picture(area, &in_play);
    let services = scenario
        .services
        .iter()
        .filter_map(|s| {
            let defined = area.service(&s.id)?;
            let held = run.facts_known_by(scenario, &s.id);
            let response = respond(area, defined, &held);
            let missing = if response.rank < full.rank {
                full.because
                    .iter()
                    .filter(|f| !run.knows(&s.id, f))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            Some(ServiceResponse {
                service: s.id.clone(),
                response,
                missing,
            })
        })
        .collect();
    Panel { full, services }
}

/// A level that moved with the trainee's last action: the full picture (`service` is `None`)
/// or one service, its rank before and after, and the facts it learned by that action (for a
/// service) or that came into play (for the full picture): the reason the level moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelChange {
    pub service: Option<String>,
    pub was: usize,
    pub now: usize,
    pub learned: Vec<String>,
}

/// Every level that differs between two panels of the same case, the full picture first,
/// then services in the panel's order. `before` and `after` are the same run one action apart
/// (see `Session::before_last`).
pub fn level_changes(area: &Area, s: &Scenario, before: &Run, after: &Run) -> Vec<LevelChange> {
    let (was, now) = (panel(area, s, before), panel(area, s, after));
    let new_facts = |holds: &dyn Fn(&Run, &str) -> bool| -> Vec<String> {
        s.facts
            .iter()
            .filter(|f| holds(after, &f.id) && !holds(before, &f.id))
            .map(|f| f.id.clone())
            .collect()
    };
    let mut changes = Vec::new();
    if was.full.rank != now.full.rank {
        changes.push(LevelChange {
            service: None,
            was: was.full.rank,
            now: now.full.rank,
            learned: new_facts(&|r, f| r.knowledge.values().any(|k| k.contains_key(f))),
        });
    }
    for row in &now.services {
        let Some(old) = was.services.iter().find(|r| r.service == row.service) else {
            continue;
        };
        if old.response.rank != row.response.rank {
            changes.push(LevelChange {
                service: Some(row.service.clone()),
                was: old.response.rank,
                now: row.response.rank,
                learned: new_facts(&|r, f| r.knows(&row.service, f)),
            });
        }
    }
    changes
}

/// Facts in a share that the recipient's rules never read: more than it needs (over-sharing).
pub fn not_needed<'a>(
    area: &Area,
    scenario: &'a Scenario,
    to: &str,
    facts: &[String],
) -> Vec<&'a Fact> {
    let Some(recipient) = area.service(to) else {
        return Vec::new();
    };
    let reads = recipient.reads();
    let read = |f: &Fact| f.indicators.iter().any(|i| reads.contains(&i.as_str()));
    // A remedy matters to a recipient that reads the risk it puts right.
    let puts_right_what_it_reads = |f: &Fact| {
        f.resolves
            .iter()
            .filter_map(|r| scenario.fact(&r.value))
            .any(read)
    };
    facts
        .iter()
        .filter_map(|id| scenario.fact(id))
        .filter(|f| !read(f) && !puts_right_what_it_reads(f))
        .collect()
}

/// Problems with a case's use of the area: services it names that the area does not define.
pub fn check_case(area: &Area, scenario: &Scenario) -> Vec<crate::problem::Problem> {
    scenario
        .services
        .iter()
        .filter(|s| area.service(&s.id).is_none())
        .map(|s| {
            let known: Vec<&str> = area.services.iter().map(|a| a.id.as_str()).collect();
            crate::problem::Problem::new(
                &scenario.file,
                s.line,
                format!("service '{}' is not in the area's services file", s.id),
                format!("use one of: {}", known.join(", ")),
            )
        })
        .collect()
}
