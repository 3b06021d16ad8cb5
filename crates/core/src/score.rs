//! Scoring a run against the rubrics (`scenarios/guidance/rubrics.md`), and the data a debrief
//! draws: each service's level at each turn against the full picture, and an experienced
//! practitioner's path.
//!
//! Two sources of marks. **Tags** on choices (`credit:` and `error:`) cover what the model
//! cannot see, such as whether consent was sought. **Inference** reads the run's log and
//! knowledge, replaying each decision as it was made (which choices were open then):
//! - child focus: what each decision brought to light about the children, against the most any
//!   open choice would have (`finds-out`);
//! - information sharing: shares the recipient did not need, shares with no lawful basis or on
//!   consent as the basis (May 2024 advice: rarely right), and whether the parent was told when
//!   that was safe, or not told when it was not (`be-open`);
//! - threshold judgement: a referral once the trainee's own service reached the referral level
//!   (the framework's `action: refer`), and no referral while the full picture was below it;
//! - timeliness: how soon each key service had the facts that bear on its level (from the first
//!   decision at which a choice offered to tell it), and how many decisions after the trainee's
//!   service met the referral threshold the front door was told.
//!
//! Each dimension is measured against the most the case allowed: what the path taken allowed,
//! or what the expert path with the same seed allowed, whichever is more.

use crate::vecmap::VecMap;

use crate::area::Area;
use crate::blocks::{Kind, Reader};
use crate::engine::{LogEntry, Run, Source};
use crate::model::{Basis, Choice, Effect, Fact, Grade, Scenario};
use crate::problem::Problem;
use crate::thresholds::{full_picture, not_needed, respond};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rubrics {
    pub rubrics: Vec<Rubric>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rubric {
    pub id: String,
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    let mut seen: VecMap<String, u32> = VecMap::new();
    for block in r.blocks::<RubricKind>(text) {
        match block.kind {
            RubricKind::Header => {}
            RubricKind::Rubric => {
                let rubric = Rubric {
                    name: r.required(&block, "name"),
                    id: block.info.id,
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
                    line: block.info.line,
                };
                if let Some(&first) = seen.get(&block.id) {
                    r.problem(
                        block.line,
                        format!(
                            "duplicate item id '{}' (first used on line {first})",
                            block.id
                        ),
                        "item ids are unique across all rubrics",
                    );
                } else {
                    seen.insert_new(block.id.clone(), block.line);
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

/// Problems with a case's rubric tags (items the rubrics do not define), and good choices that
/// teach consent as the lawful basis for a safeguarding share (May 2024 advice: it rarely is).
pub fn check_case(rubrics: &Rubrics, s: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    for step in &s.steps {
        for choice in step.choices() {
            let on_consent = choice.effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::Share {
                        basis: Some(Basis::Consent),
                        ..
                    }
                )
            });
            if on_consent && choice.grade == Grade::Good {
                problems.push(Problem::new(
                    &s.file,
                    choice.line,
                    format!("the good choice '{}' shares on consent as the lawful basis", choice.id),
                    "consent is rarely the lawful basis for a safeguarding share: use 'basis safeguarding' and 'parent told' for being open with the family",
                ));
            }
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
}

/// Items judged over the whole run (who knew what by the end), not at one decision.
pub const WHOLE_RUN_ITEMS: [&str; 3] = ["refers-when-needed", "timely", "front-door-timely"];

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
            .filter(|(_, m)| m.turn == turn && !WHOLE_RUN_ITEMS.contains(&m.item.as_str()))
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
fn telling_unsafe_at(
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

/// Whether a service held a fact at the end of a given turn.
fn known_at(run: &Run, service: &str, fact: &str, turn: u32) -> bool {
    run.knowledge
        .get(service)
        .and_then(|h| h.get(fact))
        .is_some_and(|k| k.since <= turn)
}

/// The facts a service held at the end of a given turn.
fn held_at<'s>(s: &'s Scenario, run: &Run, service: &str, turn: u32) -> Vec<&'s Fact> {
    s.facts
        .iter()
        .filter(|f| known_at(run, service, &f.id, turn))
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

/// One decision as it was made: the choices that were open at that moment, judged from the
/// flags and knowledge the run had then (read back from its log).
struct Decision<'s> {
    turn: u32,
    step: &'s crate::model::Step,
    choice: &'s Choice,
    available: Vec<&'s Choice>,
}

impl Decision<'_> {
    fn id(&self) -> Option<(String, String)> {
        Some((self.step.id.clone(), self.choice.id.clone()))
    }
}

fn decisions_made<'s>(s: &'s Scenario, run: &Run) -> Vec<Decision<'s>> {
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
fn offered_to<'s>(
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
    let decisions = decisions_made(s, run);

    // Tags: what each decision earned or lost; the best choice open at that step sets what was
    // achievable there, rubric by rubric.
    for d in &decisions {
        for tag in &d.choice.credits {
            tally.mark(&tag.value, 1, 0, d.turn, d.id(), d.choice.label.clone());
        }
        for tag in &d.choice.errors {
            tally.mark(&tag.value, -1, 0, d.turn, d.id(), d.choice.label.clone());
        }
        for rubric in &rubrics.rubrics {
            let best = d
                .available
                .iter()
                .map(|c| {
                    c.credits
                        .iter()
                        .filter(|t| {
                            tally.rubric_of(&t.value).as_deref() == Some(rubric.id.as_str())
                        })
                        .count() as i32
                })
                .max()
                .unwrap_or(0);
            tally.allow(&rubric.id, best);
        }
    }

    // Finding out what the children's lives are like: at each decision, the facts about the
    // children that the chosen option brought to light for the trainee's service, against the
    // most that any option open at that moment would have.
    for d in &decisions {
        let finds = |c: &Choice| -> Vec<String> {
            let mut found: Vec<String> = Vec::new();
            for effect in &c.effects {
                if let Effect::Reveal { facts, to } = effect {
                    if to.value != trainee {
                        continue;
                    }
                    for f in facts {
                        let new = !known_at(run, &trainee, &f.value, d.turn.saturating_sub(1));
                        if new
                            && s.fact(&f.value).is_some_and(about_the_children)
                            && !found.contains(&f.value)
                        {
                            found.push(f.value.clone());
                        }
                    }
                }
            }
            found
        };
        let best = d
            .available
            .iter()
            .map(|c| finds(c))
            .max_by_key(Vec::len)
            .unwrap_or_default();
        if best.is_empty() {
            continue;
        }
        let got = finds(d.choice);
        let list = |ids: &[String]| {
            ids.iter()
                .map(|f| format!("\"{}\"", label(f)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let missed: Vec<String> = best.iter().filter(|f| !got.contains(f)).cloned().collect();
        let why = match (got.is_empty(), missed.is_empty()) {
            (false, true) => format!("You found out: {}", list(&got)),
            (true, _) => format!("Another choice here would have found out: {}", list(&best)),
            (false, false) => format!(
                "You found out {}; another choice would also have found out {}",
                list(&got),
                list(&missed)
            ),
        };
        tally.mark(
            "finds-out",
            got.len().min(best.len()) as i32,
            best.len() as i32,
            d.turn,
            d.id(),
            why,
        );
    }

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

    // Timely: each key service should have the facts that would put it where it would be if it
    // knew all the trainee's service held or could have found out, soon after a choice in the
    // story first offered to pass them on. The share form is always there too, so a fact passed
    // on before the story offered it counts as prompt.
    for key in &s.key_services {
        let Some(recipient) = area.service(&key.value) else {
            continue;
        };
        // A remedy counts only once it has happened: a risk the trainee could have put right,
        // but did not, is still a risk the key service needed to hear about.
        let could_hold: Vec<&Fact> = s
            .facts
            .iter()
            .filter(|f| {
                let findable = findable.contains_key(f.id.as_str())
                    && (f.resolves.is_empty() || run.knows(&trainee, &f.id));
                findable || run.knows(&key.value, &f.id)
            })
            .collect();
        let offered = offered_to(run, &decisions, &key.value, &trainee, &findable);
        let needed = respond(area, recipient, &could_hold).because;
        for fact in needed.iter().filter_map(|id| s.fact(id)) {
            let theirs = run.knowledge.get(&key.value).and_then(|h| h.get(&fact.id));
            let mine = run.knowledge.get(&trainee).and_then(|h| h.get(&fact.id));
            // They knew from the start, or before the trainee's service did.
            if theirs.is_some_and(|t| {
                t.source == Source::AtStart || mine.is_none_or(|m| t.since < m.since)
            }) {
                continue;
            }
            let from = offered.get(fact.id.as_str()).copied();
            let (points, why) = match (theirs, from) {
                (Some(t), Some(c)) if t.since.saturating_sub(c) <= 1 => (
                    2,
                    format!("{} learned \"{}\" promptly", name(&key.value), fact.label),
                ),
                (Some(t), Some(c)) => (
                    i32::from(t.since - c <= 3),
                    format!(
                        "{} learned \"{}\" at decision {}, {} later than a choice offered to tell it",
                        name(&key.value),
                        fact.label,
                        t.since,
                        decision_count(t.since - c)
                    ),
                ),
                (Some(_), None) => (
                    2,
                    format!(
                        "{} learned \"{}\" before the story offered to tell it",
                        name(&key.value),
                        fact.label
                    ),
                ),
                (None, Some(c)) => (
                    0,
                    format!(
                        "{} never learned \"{}\", though a choice at decision {c} would have told it",
                        name(&key.value),
                        fact.label
                    ),
                ),
                (None, None) => continue,
            };
            tally.mark(
                "timely",
                points,
                2,
                theirs.map_or(run.turn, |t| t.since),
                None,
                why,
            );
        }
    }

    // Shares from the trainee's service: more than the recipient needed, no lawful basis, and
    // whether the parent was told (only where the share says so).
    let mut referral_turns: Vec<(u32, Option<Basis>)> = Vec::new();
    let front_door = area.front_door().map(|f| f.id.clone());
    let mut last_group: Option<(u32, &str, Option<bool>)> = None;
    for entry in &run.log {
        let LogEntry::Shared {
            turn,
            fact,
            from,
            to,
            basis,
            parent_told,
        } = entry
        else {
            continue;
        };
        if *from != trainee {
            continue;
        }
        if not_needed(area, s, to, std::slice::from_ref(fact)).len() == 1 {
            tally.mark(
                "proportionate",
                -1,
                0,
                *turn,
                None,
                format!(
                    "\"{}\" went to {}, which did not need it",
                    label(fact),
                    name(to)
                ),
            );
        }
        if *basis == Some(Basis::Consent) {
            tally.mark(
                "lawful-basis",
                -1,
                0,
                *turn,
                None,
                format!(
                    "\"{}\" went to {} on consent as the lawful basis, which is rarely right for safeguarding",
                    label(fact),
                    name(to)
                ),
            );
        }
        if *basis == Some(Basis::None) {
            tally.mark(
                "lawful-basis",
                -1,
                0,
                *turn,
                None,
                format!(
                    "\"{}\" went to {} with no lawful basis",
                    label(fact),
                    name(to)
                ),
            );
        }
        // Openness is judged once per share (one recipient, one turn), not per fact. What can
        // make telling the parent unsafe is a referral: only shares with the front door count.
        let group = (*turn, to.as_str(), *parent_told);
        if last_group != Some(group) {
            last_group = Some(group);
            let unsafe_to_tell = telling_unsafe_at(area, s, run, &trainee, to, *turn);
            match parent_told.and_then(|told| openness_fault(told, unsafe_to_tell)) {
                Some(OpennessFault::NotToldThoughSafe) => tally.mark(
                    "be-open",
                    -1,
                    0,
                    *turn,
                    None,
                    format!(
                        "You shared with {} without telling the parent, though telling them was safe",
                        name(to)
                    ),
                ),
                Some(OpennessFault::ToldThoughUnsafe) => tally.mark(
                    "be-open",
                    -1,
                    0,
                    *turn,
                    None,
                    format!(
                        "You told the parent you were sharing with {}, though what you knew made that unsafe for a child",
                        name(to)
                    ),
                ),
                None => {}
            }
        }
        if Some(to) == front_door.as_ref() && referral_turns.last() != Some(&(*turn, *basis)) {
            referral_turns.push((*turn, *basis));
        }
    }

    let timeliness = threshold_marks(area, s, run, &trainee, &referral_turns, &mut tally);

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
    }
}

/// Threshold judgement and timeliness (Working Together 2023: refer immediately where a child
/// may be suffering significant harm; the area's framework says which levels call for a
/// referral). Refers-when-needed: once the trainee's own service holds what puts it at the
/// referral level, the front door is told. Timeliness: how many decisions after that it was
/// told. Over-reaction: a referral while what the services knew between them was below the
/// referral level.
fn threshold_marks(
    area: &Area,
    s: &Scenario,
    run: &Run,
    trainee: &str,
    referral_turns: &[(u32, Option<Basis>)],
    tally: &mut Tally,
) -> Timeliness {
    let mut t = Timeliness::default();
    let Some(referral) = area.referral_rank() else {
        return t;
    };
    let door = area.front_door();
    for turn in 0..=run.turn {
        if t.referral_level_at.is_none()
            && full_picture(area, &in_play_at(s, run, turn)).rank >= referral
        {
            t.referral_level_at = Some(turn);
        }
        if t.threshold_met_at.is_none()
            && area
                .service(trainee)
                .is_some_and(|a| respond(area, a, &held_at(s, run, trainee, turn)).rank >= referral)
        {
            t.threshold_met_at = Some(turn);
        }
        if t.front_door_at.is_none()
            && door
                .is_some_and(|d| respond(area, d, &held_at(s, run, &d.id, turn)).rank >= referral)
        {
            t.front_door_at = Some(turn);
        }
    }
    if let Some(met) = t.threshold_met_at {
        // A referral made at the decision after the one that brought the facts to light, or
        // earlier if it already put the front door at the level, is prompt.
        t.referred_at = referral_turns.iter().map(|(r, _)| *r).find(|r| *r >= met);
        let already = t.front_door_at.is_some_and(|d| d <= met)
            && referral_turns.iter().any(|(r, _)| *r <= met);
        // A referral made weeks after the threshold was met is a referral, but the judgement
        // that the threshold was met came late: half the mark.
        let (points, why) = match (already, t.referred_at) {
            (true, _) => (2, "Children's social care already had what it needed when your service reached the referral level".to_string()),
            (false, Some(r)) if r <= met + 3 => (2, format!("Your service reached the referral level at decision {met} and told children's social care at decision {r}")),
            (false, Some(r)) => (1, format!("Your service reached the referral level at decision {met} but told children's social care only at decision {r}")),
            (false, None) => (0, format!("Your service reached the referral level at decision {met} and never told children's social care")),
        };
        tally.mark(
            "refers-when-needed",
            points,
            2,
            t.referred_at.unwrap_or(met),
            None,
            why,
        );
        let (points, why) = match (already, t.referred_at) {
            (true, _) => (2, "Children's social care had what it needed in time".to_string()),
            (false, Some(r)) if r <= met + 1 => (
                2,
                format!("You referred at decision {r}, as soon as you could after the threshold was met at decision {met}"),
            ),
            (false, Some(r)) => (
                i32::from(r <= met + 3),
                format!(
                    "You referred at decision {r}, {} after your service reached the referral level at decision {met}",
                    decision_count(r - met - 1)
                ),
            ),
            (false, None) => (
                0,
                format!("Your service reached the referral level at decision {met}; children's social care was never told"),
            ),
        };
        tally.mark(
            "front-door-timely",
            points,
            2,
            t.referred_at.unwrap_or(met),
            None,
            why,
        );
    }
    for (turn, basis) in referral_turns {
        let full = full_picture(area, &in_play_at(s, run, *turn)).rank;
        if matches!(basis, Some(Basis::Safeguarding | Basis::Emergency)) && full < referral {
            tally.mark(
                "proportionate-response",
                -1,
                0,
                *turn,
                None,
                "A referral to children's social care before what the services knew between them reached the referral level".to_string(),
            );
        }
    }
    t
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
