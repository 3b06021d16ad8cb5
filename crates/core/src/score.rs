//! Scoring a run against the rubrics (`scenarios/guidance/rubrics.md`), and the data a debrief
//! draws: each service's level at each turn against the full picture, and an experienced
//! practitioner's path.
//!
//! Two sources of marks. **Tags** on choices (`credit:` and `error:`) cover what the model
//! cannot see, such as whether consent was sought or the children were seen. **Inference** reads
//! the run's log and knowledge: how soon the facts behind the full picture reached the case's
//! key services, shares the recipient did not need, shares with no lawful basis, and whether the
//! front door was told once the full picture reached the referral level (and not before it was
//! near). Each dimension is normalised against what was achievable on the path taken; the
//! absolute figures are kept beside the percentage.

use std::collections::BTreeMap;

use crate::area::Area;
use crate::blocks::{Kind, Reader};
use crate::engine::{LogEntry, Run, Source};
use crate::model::{Basis, Fact, Grade, Scenario};
use crate::problem::Problem;
use crate::thresholds::{full_picture, not_needed, respond};

#[derive(Clone, Debug, Default)]
pub struct Rubrics {
    pub rubrics: Vec<Rubric>,
}

#[derive(Clone, Debug, Default)]
pub struct Rubric {
    pub id: String,
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Default)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub good: String,
    pub errors: String,
    pub source: String,
    pub line: u32,
}

impl Rubrics {
    /// The rubric an item belongs to, and the item.
    pub fn item(&self, id: &str) -> Option<(&Rubric, &Item)> {
        self.rubrics
            .iter()
            .find_map(|r| r.items.iter().find(|i| i.id == id).map(|i| (r, i)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RubricKind {
    Header,
    Rubric,
    Item,
}

impl Kind for RubricKind {
    const HEADER: Self = RubricKind::Header;
    const OUTER: &'static [(&'static str, Self)] = &[("rubric", RubricKind::Rubric)];
    const INNER: &'static [(&'static str, Self)] = &[("item", RubricKind::Item)];

    fn name(self) -> &'static str {
        match self {
            RubricKind::Header => "rubrics header",
            RubricKind::Rubric => "rubric",
            RubricKind::Item => "item",
        }
    }

    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            RubricKind::Header => &[("note", true)],
            RubricKind::Rubric => &[("name", false)],
            RubricKind::Item => &[
                ("name", false),
                ("good", false),
                ("errors", false),
                ("source", false),
            ],
        }
    }
}

pub fn load_rubrics(file: &str, text: &str) -> Result<Rubrics, Vec<Problem>> {
    let mut r = Reader {
        file,
        problems: Vec::new(),
    };
    let mut out = Rubrics::default();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for block in r.blocks::<RubricKind>(text) {
        match block.kind {
            RubricKind::Header => {}
            RubricKind::Rubric => {
                let rubric = Rubric {
                    name: r.required(&block, "name"),
                    id: block.id,
                    items: Vec::new(),
                };
                out.rubrics.push(rubric);
            }
            RubricKind::Item => {
                let item = Item {
                    name: r.required(&block, "name"),
                    good: r.required(&block, "good"),
                    errors: r.required(&block, "errors"),
                    source: r.required(&block, "source"),
                    id: block.id.clone(),
                    line: block.line,
                };
                if let Some(first) = seen.insert(block.id.clone(), block.line) {
                    r.problem(
                        block.line,
                        format!(
                            "duplicate item id '{}' (first used on line {first})",
                            block.id
                        ),
                        "item ids are unique across all rubrics",
                    );
                }
                match out.rubrics.last_mut() {
                    Some(rubric) => rubric.items.push(item),
                    None => r.problem(
                        block.line,
                        "an item outside a rubric",
                        "put '### item' blocks after their '## rubric'",
                    ),
                }
            }
        }
    }
    if r.problems.is_empty() {
        Ok(out)
    } else {
        Err(r.problems)
    }
}

/// Problems with a case's rubric tags: items the rubrics do not define.
pub fn check_case(rubrics: &Rubrics, s: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    for step in &s.steps {
        for choice in step.choices() {
            for tag in choice.credits.iter().chain(&choice.errors) {
                if rubrics.item(&tag.value).is_none() {
                    problems.push(Problem::new(
                        &s.file,
                        tag.line,
                        format!("unknown rubric item '{}'", tag.value),
                        "use an item id from scenarios/guidance/rubrics.md",
                    ));
                }
            }
        }
    }
    problems
}

/// One scored observation, linked to the decision that earned or lost it where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub item: String,
    pub points: i32,
    pub turn: u32,
    /// (step, choice) of the decision.
    pub decision: Option<(String, String)>,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DimensionScore {
    pub rubric: String,
    pub earned: i32,
    pub achievable: i32,
    pub marks: Vec<Mark>,
}

impl DimensionScore {
    /// Earned as a share of what the path allowed, 0 to 100.
    pub fn percent(&self) -> u32 {
        if self.achievable <= 0 {
            return 0;
        }
        (self.earned.clamp(0, self.achievable) * 100 / self.achievable) as u32
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeliness {
    /// Turn at which the full picture first reached the referral level.
    pub referral_level_at: Option<u32>,
    /// Turn at which the front door first reached that level too.
    pub front_door_at: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores {
    pub dimensions: Vec<DimensionScore>,
    pub timeliness: Timeliness,
}

impl Scores {
    pub fn dimension(&self, rubric: &str) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.rubric == rubric)
    }
}

/// The facts a service held at the end of a given turn.
fn held_at<'s>(s: &'s Scenario, run: &Run, service: &str, turn: u32) -> Vec<&'s Fact> {
    let held = run.knowledge.get(service);
    s.facts
        .iter()
        .filter(|f| {
            held.and_then(|h| h.get(&f.id))
                .is_some_and(|k| k.since <= turn)
        })
        .collect()
}

/// Facts any service held at the end of a given turn.
fn in_play_at<'s>(s: &'s Scenario, run: &Run, turn: u32) -> Vec<&'s Fact> {
    s.facts
        .iter()
        .filter(|f| {
            run.knowledge
                .values()
                .any(|h| h.get(&f.id).is_some_and(|k| k.since <= turn))
        })
        .collect()
}

/// The referral level: the highest level below emergency action (child protection by default).
fn referral_rank(area: &Area) -> usize {
    area.framework
        .levels
        .iter()
        .rposition(|l| !l.emergency)
        .unwrap_or(0)
}

pub fn score(area: &Area, rubrics: &Rubrics, s: &Scenario, run: &Run) -> Scores {
    let mut earned: BTreeMap<&str, i32> = BTreeMap::new();
    let mut achievable: BTreeMap<&str, i32> = BTreeMap::new();
    let mut marks: BTreeMap<&str, Vec<Mark>> = BTreeMap::new();
    let mut add =
        |item: &str, points: i32, turn: u32, decision: Option<(String, String)>, why: String| {
            if let Some((rubric, _)) = rubrics.item(item) {
                *earned.entry(rubric.id.as_str()).or_default() += points;
                marks.entry(rubric.id.as_str()).or_default().push(Mark {
                    item: item.to_string(),
                    points,
                    turn,
                    decision,
                    why,
                });
            }
        };
    let rubric_of = |item: &str| rubrics.item(item).map(|(r, _)| r.id.as_str());

    // Tags: what each decision earned or lost, and what the best choice at that step allowed.
    let mut bonus: BTreeMap<&str, i32> = BTreeMap::new();
    for (turn, (step_id, choice_id)) in run.decisions().into_iter().enumerate() {
        let Some(step) = s.step(step_id) else {
            continue;
        };
        let Some(choice) = step.choices().iter().find(|c| c.id == choice_id) else {
            continue;
        };
        let decision = Some((step_id.to_string(), choice_id.to_string()));
        for tag in &choice.credits {
            add(
                &tag.value,
                1,
                turn as u32 + 1,
                decision.clone(),
                choice.label.clone(),
            );
        }
        for tag in &choice.errors {
            add(
                &tag.value,
                -1,
                turn as u32 + 1,
                decision.clone(),
                choice.label.clone(),
            );
        }
        for rubric in &rubrics.rubrics {
            let best = step
                .choices()
                .iter()
                .map(|c| {
                    c.credits
                        .iter()
                        .filter(|t| rubric_of(&t.value) == Some(&rubric.id))
                        .count() as i32
                })
                .max()
                .unwrap_or(0);
            *bonus.entry(rubric.id.as_str()).or_default() += best;
        }
    }
    for (rubric, points) in bonus {
        *achievable.entry(rubric).or_default() += points;
    }

    let trainee = s
        .trainee_service()
        .map(|t| t.id.clone())
        .unwrap_or_default();
    let name = |id: &str| {
        s.service(id)
            .map_or_else(|| id.to_string(), |x| x.name.clone())
    };
    let label = |id: &str| {
        s.fact(id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    };

    // Timely: each fact behind the full picture that the trainee's service held, and that a key
    // service's rules read, should reach that service soon after the trainee's service had it.
    let end_facts = in_play_at(s, run, run.turn);
    let risk = full_picture(area, &end_facts).because;
    for key in &s.key_services {
        let Some(recipient) = area.service(&key.value) else {
            continue;
        };
        let reads = recipient.reads();
        for fact in &risk {
            let Some(f) = s.fact(fact) else { continue };
            if !f.indicators.iter().any(|i| reads.contains(i.as_str())) {
                continue;
            }
            let (Some(mine), theirs) = (
                run.knowledge.get(&trainee).and_then(|h| h.get(fact)),
                run.knowledge.get(&key.value).and_then(|h| h.get(fact)),
            ) else {
                continue;
            };
            // They knew first (or from the start): nothing for the trainee to pass on.
            if theirs.is_some_and(|t| t.since < mine.since || t.source == Source::AtStart) {
                continue;
            }
            *achievable.entry("information-sharing").or_default() += 2;
            let (points, why) = match theirs {
                Some(t) if t.since - mine.since <= 1 => (
                    2,
                    format!("{} learned \"{}\" promptly", name(&key.value), label(fact)),
                ),
                Some(t) => (
                    1,
                    format!(
                        "{} learned \"{}\" {} decisions after your service did",
                        name(&key.value),
                        label(fact),
                        t.since - mine.since
                    ),
                ),
                None => (
                    0,
                    format!("{} never learned \"{}\"", name(&key.value), label(fact)),
                ),
            };
            add(
                "timely",
                points,
                theirs.map_or(run.turn, |t| t.since),
                None,
                why,
            );
        }
    }

    // Shares from the trainee's service: more than the recipient needed, or no lawful basis.
    let mut referral_turns: Vec<(u32, Option<Basis>)> = Vec::new();
    let front_door = area.front_door().map(|f| f.id.clone());
    for entry in &run.log {
        if let LogEntry::Shared {
            turn,
            fact,
            from,
            to,
            basis,
            ..
        } = entry
        {
            if *from != trainee {
                continue;
            }
            if not_needed(area, s, to, std::slice::from_ref(fact)).len() == 1 {
                add(
                    "proportionate",
                    -1,
                    *turn,
                    None,
                    format!(
                        "\"{}\" went to {}, which did not need it",
                        label(fact),
                        name(to)
                    ),
                );
            }
            if *basis == Some(Basis::None) {
                add(
                    "lawful-basis",
                    -1,
                    *turn,
                    None,
                    format!(
                        "\"{}\" went to {} with no lawful basis",
                        label(fact),
                        name(to)
                    ),
                );
            }
            if Some(to) == front_door.as_ref() {
                referral_turns.push((*turn, *basis));
            }
        }
    }

    // Threshold judgement: tell the front door once the full picture reaches the referral
    // level; do not send a child-at-risk referral while it is below child in need.
    let referral = referral_rank(area);
    let mut timeliness = Timeliness::default();
    for turn in 0..=run.turn {
        let full = full_picture(area, &in_play_at(s, run, turn)).rank;
        if full >= referral && timeliness.referral_level_at.is_none() {
            timeliness.referral_level_at = Some(turn);
        }
        if let Some(door) = front_door.as_deref().and_then(|d| area.service(d)) {
            if timeliness.front_door_at.is_none()
                && respond(area, door, &held_at(s, run, door.id.as_str(), turn)).rank >= referral
            {
                timeliness.front_door_at = Some(turn);
            }
        }
    }
    if let Some(at) = timeliness.referral_level_at {
        *achievable.entry("threshold-judgement").or_default() += 2;
        let first = referral_turns.iter().map(|(t, _)| *t).find(|t| *t >= at);
        let (points, why) = match first {
            Some(t) if t - at <= 1 => (2, "You told children's social care as soon as the full picture reached the referral level".to_string()),
            Some(t) => (1, format!("You told children's social care {} decisions after the full picture reached the referral level", t - at)),
            None => (0, "Children's social care was never told by your service, though the full picture reached the referral level".to_string()),
        };
        add(
            "refers-when-needed",
            points,
            first.unwrap_or(run.turn),
            None,
            why,
        );
    }
    for (turn, basis) in &referral_turns {
        let full = full_picture(area, &in_play_at(s, run, *turn)).rank;
        if *basis == Some(Basis::ChildAtRisk) && full < 2.min(referral) {
            add("proportionate-response", -1, *turn, None, "A referral on child-protection grounds before the picture showed more than additional needs".to_string());
        }
    }

    let dimensions = rubrics
        .rubrics
        .iter()
        .map(|r| DimensionScore {
            rubric: r.id.clone(),
            earned: earned.get(r.id.as_str()).copied().unwrap_or(0),
            achievable: achievable.get(r.id.as_str()).copied().unwrap_or(0),
            marks: marks.remove(r.id.as_str()).unwrap_or_default(),
        })
        .collect();
    Scores {
        dimensions,
        timeliness,
    }
}

/// Every involved service's level at every turn, beside the full picture: the debrief's chart.
/// Rows are turns 0..=run.turn; each row is (full picture rank, ranks in the case's service order).
pub fn levels_by_turn(area: &Area, s: &Scenario, run: &Run) -> Vec<(usize, Vec<usize>)> {
    (0..=run.turn)
        .map(|turn| {
            let full = full_picture(area, &in_play_at(s, run, turn)).rank;
            let services = s
                .services
                .iter()
                .map(|svc| {
                    area.service(&svc.id).map_or(0, |a| {
                        respond(area, a, &held_at(s, run, &svc.id, turn)).rank
                    })
                })
                .collect();
            (full, services)
        })
        .collect()
}

/// An experienced practitioner's path: at each step the best-graded choice available (the first
/// "good" one, else "mixed"), played with the same seed. Returns (step, choice) pairs.
pub fn expert_path(s: &Scenario, seed: u64) -> Vec<(String, String)> {
    let Ok(mut run) = Run::start(s, seed) else {
        return Vec::new();
    };
    let mut path = Vec::new();
    while !run.is_ended(s) && path.len() < 200 {
        let choices = run.available_choices(s);
        let Some(best) = [Grade::Good, Grade::Mixed, Grade::Poor]
            .iter()
            .find_map(|g| choices.iter().find(|c| c.grade == *g))
        else {
            break;
        };
        let id = best.id.clone();
        path.push((run.step.clone(), id.clone()));
        if run.choose(s, &id).is_err() {
            break;
        }
    }
    path
}
