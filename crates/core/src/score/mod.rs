//! Scoring a run against the rubrics (`scenarios/guidance/rubrics.md`), and the data a debrief
//! draws: each service's level at each turn against the full picture, and an experienced
//! practitioner's path.
//!
//! Two sources of marks. **Tags** on choices (`credit:` and `error:`, `tags.rs`) cover what the
//! model cannot see. **Inference** reads one shared history of the run (`history.rs`: the
//! decisions as they were made, which choices were open then, what was findable), one rule per
//! file:
//! - `child_focus.rs`: what each decision brought to light about the children (`finds-out`);
//! - `sharing.rs`: over-sharing, the lawful basis (consent is rarely right: May 2024 advice),
//!   and openness with the parent;
//! - `thresholds.rs`: a referral once the trainee's own service reached the referral level (the
//!   framework's `action: refer`), how soon, and no referral while the full picture was below it;
//! - `timeliness.rs`: how soon each key service had the facts that bear on its level.
//!
//! Each dimension is measured against the most the case allowed: what the path taken allowed,
//! or what the expert path with the same seed allowed, whichever is more.

mod child_focus;
mod history;
mod sharing;
mod tags;
mod thresholds;
mod timeliness;

use crate::vecmap::VecMap;

use crate::area::Area;
use crate::engine::Run;
use crate::model::{Fact, Grade, Scenario};
use crate::thresholds::{full_picture, respond};
use history::{held_at, in_play_at, known_at, History};

pub use crate::rubrics::{check_case, load_rubrics, Item, Rubric, Rubrics};

/// The rubric items the scoring infers from the run, as a type: loading the rubrics checks that
/// the file defines every one (`rubrics::load_rubrics`), so no inferred mark is ever dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inferred {
    FindsOut,
    Proportionate,
    LawfulBasis,
    BeOpen,
    RefersWhenNeeded,
    ProportionateResponse,
    Timely,
    FrontDoorTimely,
}

impl Inferred {
    pub const ALL: [Inferred; 8] = [
        Inferred::FindsOut,
        Inferred::Proportionate,
        Inferred::LawfulBasis,
        Inferred::BeOpen,
        Inferred::RefersWhenNeeded,
        Inferred::ProportionateResponse,
        Inferred::Timely,
        Inferred::FrontDoorTimely,
    ];

    /// The item's id in the rubric file.
    pub fn id(self) -> &'static str {
        match self {
            Inferred::FindsOut => "finds-out",
            Inferred::Proportionate => "proportionate",
            Inferred::LawfulBasis => "lawful-basis",
            Inferred::BeOpen => "be-open",
            Inferred::RefersWhenNeeded => "refers-when-needed",
            Inferred::ProportionateResponse => "proportionate-response",
            Inferred::Timely => "timely",
            Inferred::FrontDoorTimely => "front-door-timely",
        }
    }

    /// Judged over the whole run (who knew what by the end), not at one decision.
    pub fn whole_run(self) -> bool {
        matches!(
            self,
            Inferred::RefersWhenNeeded | Inferred::Timely | Inferred::FrontDoorTimely
        )
    }
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
    /// The points to show: never below nothing, never above the whole.
    pub fn points(&self) -> i32 {
        self.earned.clamp(0, self.achievable.max(0))
    }

    /// Earned as a share of what the case allowed, 0 to 100.
    pub fn percent(&self) -> u32 {
        if self.achievable <= 0 {
            return 0;
        }
        (self.earned.clamp(0, self.achievable) * 100 / self.achievable) as u32
    }
}

/// When the threshold was met and when the trainee acted on it, for the debrief.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeliness {
    /// The decision by which the trainee's own service first held what put it at the
    /// referral level (the panel's judgement of that service), if it ever did.
    pub threshold_met_at: Option<u32>,
    /// The decision at which the trainee's service first told the front door after that.
    pub referred_at: Option<u32>,
    /// The decision by which what the services knew between them reached the referral level.
    pub referral_level_at: Option<u32>,
    /// The decision by which the front door itself reached that level.
    pub front_door_at: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores {
    pub dimensions: Vec<DimensionScore>,
    pub timeliness: Timeliness,
    /// False in an area with no fixed levels: the marks that depend on a level (a referral
    /// once the trainee's service reached the referral level, and how soon; how soon each key
    /// service held what bears on its level) are not given, and the debrief says so.
    pub levels_apply: bool,
}

impl Scores {
    pub fn dimension(&self, rubric: &str) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.rubric == rubric)
    }

    /// The marks a decision earned or lost, with the shares made alongside it (same turn), each
    /// with its rubric: what the feedback after that decision lists.
    pub fn at_decision(&self, turn: u32) -> Vec<(&str, &Mark)> {
        self.dimensions
            .iter()
            .flat_map(|d| d.marks.iter().map(move |m| (d.rubric.as_str(), m)))
            .filter(|(_, m)| {
                m.turn == turn
                    && !Inferred::ALL
                        .iter()
                        .any(|i| i.whole_run() && i.id() == m.item)
            })
            .collect()
    }
}

/// Whether telling the parent about a share with `to` would be unsafe for a child: the trainee's
/// service knows something that makes it so, and the share is a referral to the front door
/// (golden rule 2: be open unless that is unsafe).
pub fn telling_parent_unsafe(area: &Area, s: &Scenario, run: &Run, to: &str) -> bool {
    s.trainee_service()
        .is_some_and(|t| telling_unsafe_at(area, s, run, &t.id, to, run.turn))
}

/// [`telling_parent_unsafe`] as things stood at the end of a given turn.
pub(super) fn telling_unsafe_at(
    area: &Area,
    s: &Scenario,
    run: &Run,
    trainee: &str,
    to: &str,
    turn: u32,
) -> bool {
    area.front_door().is_some_and(|f| f.id == to)
        && s.facts
            .iter()
            .filter(|f| f.indicators.iter().any(|i| i == TELLING_UNSAFE))
            .any(|f| known_at(run, trainee, &f.id, turn))
}

/// What went wrong with openness on one share, if anything (golden rule 2: be open with the
/// family about what is shared and why, unless that would put a child at risk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpennessFault {
    /// The parent was not told, though telling them was safe.
    NotToldThoughSafe,
    /// The parent was told, though what the service knew made that unsafe for a child.
    ToldThoughUnsafe,
}

pub fn openness_fault(parent_told: bool, telling_unsafe: bool) -> Option<OpennessFault> {
    match (parent_told, telling_unsafe) {
        (false, false) => Some(OpennessFault::NotToldThoughSafe),
        (true, true) => Some(OpennessFault::ToldThoughUnsafe),
        _ => None,
    }
}

/// The indicator a case puts on a fact when telling the parent about a share would put a child
/// at greater risk (for example, a parent who may harm a child or a partner when challenged).
/// Golden rule 2 (Information sharing advice 2018; rule 2 in May 2024): be open with the family
/// about what will be shared and why, unless that is unsafe.
pub const TELLING_UNSAFE: &str = "safety.telling_parent_unsafe";
// Only a referral (a share with the area's front door) is judged against it.

/// A fact about what the children's lives are like: how they are cared for, what they see and
/// say. Finding these out is what "asking about and seeing the children" produces.
pub fn about_the_children(f: &Fact) -> bool {
    f.indicators
        .iter()
        .any(|i| i.starts_with("child.") || i.starts_with("care."))
}

/// Marks and what was achievable, per rubric.
struct Tally<'r> {
    rubrics: &'r Rubrics,
    earned: VecMap<String, i32>,
    achievable: VecMap<String, i32>,
    marks: VecMap<String, Vec<Mark>>,
}

impl Tally<'_> {
    fn rubric_of(&self, item: &str) -> Option<String> {
        self.rubrics.item(item).map(|(r, _)| r.id.clone())
    }

    /// An observation: `points` earned of `out_of` that were achievable here (0 for a tag or a
    /// penalty, whose allowance is counted per decision).
    fn mark(
        &mut self,
        item: &str,
        points: i32,
        out_of: i32,
        turn: u32,
        decision: Option<(String, String)>,
        why: String,
    ) {
        let Some(rubric) = self.rubric_of(item) else {
            return;
        };
        *self.earned.get_or_insert_with(rubric.clone(), || 0) += points;
        *self.achievable.get_or_insert_with(rubric.clone(), || 0) += out_of;
        self.marks.get_or_insert_with(rubric, Vec::new).push(Mark {
            item: item.to_string(),
            points,
            turn,
            decision,
            why,
        });
    }

    /// An inferred observation: [`Tally::mark`] for an item the rubric file is checked to define.
    fn infer(
        &mut self,
        item: Inferred,
        points: i32,
        out_of: i32,
        turn: u32,
        decision: Option<(String, String)>,
        why: String,
    ) {
        self.mark(item.id(), points, out_of, turn, decision, why);
    }

    fn allow(&mut self, rubric: &str, points: i32) {
        *self.achievable.get_or_insert_with(rubric.to_string(), || 0) += points;
    }
}

/// Scores a run. Each dimension is measured against the most the case allowed from its start
/// (what an experienced practitioner's path, played with the same seed, could earn) as well as
/// what the trainee's own path allowed, so a path that skips the decisions that matter cannot
/// score full marks by having had fewer chances.
pub fn score(area: &Area, rubrics: &Rubrics, s: &Scenario, run: &Run) -> Scores {
    let mut scores = score_path(area, rubrics, s, run);
    if let Some(best) = expert_run(s, run.seed) {
        let best = score_path(area, rubrics, s, &best);
        for d in &mut scores.dimensions {
            if let Some(b) = best.dimension(&d.rubric) {
                d.achievable = d.achievable.max(b.achievable);
            }
        }
    }
    scores
}
fn score_path(area: &Area, rubrics: &Rubrics, s: &Scenario, run: &Run) -> Scores {
    let mut tally = Tally {
        rubrics,
        earned: VecMap::new(),
        achievable: VecMap::new(),
        marks: VecMap::new(),
    };
    let h = History::new(area, s, run);
    tags::marks(&h, &mut tally);
    child_focus::finds_out(&h, &mut tally);
    let levels_apply = !area.framework.no_fixed_levels;
    if levels_apply {
        timeliness::key_services(&h, &mut tally);
    }
    let referrals = sharing::shares(&h, &mut tally);
    let timeliness = if levels_apply {
        thresholds::marks(&h, &referrals, &mut tally)
    } else {
        Timeliness::default()
    };
    let dimensions = rubrics
        .rubrics
        .iter()
        .map(|r| DimensionScore {
            rubric: r.id.clone(),
            earned: tally.earned.get(&r.id).copied().unwrap_or(0),
            achievable: tally.achievable.get(&r.id).copied().unwrap_or(0),
            marks: tally.marks.get(&r.id).cloned().unwrap_or_default(),
        })
        .collect();
    Scores {
        dimensions,
        timeliness,
        levels_apply,
    }
}

/// "1 decision", "3 decisions": for marks here and for the views.
pub fn decision_count(n: u32) -> String {
    if n == 1 {
        "1 decision".to_string()
    } else {
        format!("{n} decisions")
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
    expert_play(s, seed)
        .map(|(path, _)| path)
        .unwrap_or_default()
}

/// The run of [`expert_path`].
pub fn expert_run(s: &Scenario, seed: u64) -> Option<Run> {
    expert_play(s, seed).map(|(_, run)| run)
}

fn expert_play(s: &Scenario, seed: u64) -> Option<(Vec<(String, String)>, Run)> {
    let mut run = Run::start(s, seed).ok()?;
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
    Some((path, run))
}
