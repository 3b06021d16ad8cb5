//! The scenario model: what a case study *is*, independent of how it is written down or played.
//!
//! A case separates three things (see the authoring guide, `scenarios/README.md`):
//! **facts** (what is true), **knowledge** (which service holds which fact, and from when) and
//! **flow** (steps, choices, random events, endings). Every step, choice, event and fact has an
//! explicit id that survives edits to its text; saves and exports refer to ids only.

use crate::safe::SafeHtml;
use serde::{Deserialize, Serialize};

/// A value together with the line of the scenario file it came from, so that the validator can
/// point at the exact line of a bad reference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub line: u32,
}

impl<T> Spanned<T> {
    pub fn new(value: T, line: u32) -> Self {
        Spanned { value, line }
    }
}

/// A parsed case study.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// File name the case was read from, used in every problem report.
    pub file: String,
    pub id: String,
    pub title: String,
    /// Author's version of the case; shown in exports so a run can be matched to its text.
    pub version: u32,
    /// Which UK nation's law and guidance the case describes (default England).
    pub nation: String,
    /// The trainee's role, e.g. "Imran's drug and alcohol worker".
    pub role: String,
    pub summary: String,
    pub content_note: String,
    /// Markdown shown before the first step.
    pub intro: Prose,
    pub start: Spanned<String>,
    /// Seed used when the trainee does not choose one.
    pub default_seed: u64,
    /// Guidance the case as a whole draws on.
    pub notes: Vec<String>,
    /// The services that need to know what the trainee finds out (`key-services:`): scoring
    /// measures how soon the facts behind the full picture reached them.
    pub key_services: Vec<Spanned<String>>,
    pub services: Vec<Service>,
    pub facts: Vec<Fact>,
    pub steps: Vec<Step>,
    pub line: u32,
}

/// An agency involved in the case (drug and alcohol service, children's social care, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// The service the trainee works in. Exactly one per case.
    pub trainee: bool,
    /// Facts this service holds when the case opens.
    pub knows_at_start: Vec<Spanned<String>>,
    pub line: u32,
}

/// Something true in the case. Indicators are what threshold rules read
/// (e.g. `child.under_5`, `medication.take_home`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fact {
    pub id: String,
    /// Short name for grids and lists.
    pub label: String,
    pub indicators: Vec<String>,
    /// Facts this one puts right (`resolves:`): a lockbox fitted and seen in use resolves the
    /// methadone in the fridge. A service that holds both no longer reads the risk's
    /// indicators, so its level can fall; one that has not heard still responds to the risk.
    pub resolves: Vec<Spanned<String>>,
    /// Optional longer Markdown detail.
    pub detail: Prose,
    pub line: u32,
}

/// An author's statement of a service's level at a point of the story (`level: <service>
/// <level>`), where the story names a level, a section or what a service does. The authoring
/// check proves it against the area's rules on every path that reaches the point, so the
/// story and the threshold panel cannot drift apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelStatement {
    pub service: String,
    pub level: String,
    pub line: u32,
}

/// A point in the story: either a decision with choices, or an ending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// When this happens in story time ("Week 3"); optional.
    pub time: String,
    /// Markdown narrative.
    pub body: Prose,
    /// Questions for a room to discuss before the choice is made (facilitator mode).
    pub prompts: Vec<String>,
    pub notes: Vec<String>,
    /// Levels the story states at this point, checked on arrival (after its events).
    pub statements: Vec<LevelStatement>,
    pub kind: StepKind,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    Decision {
        choices: Vec<Choice>,
        events: Vec<RandomEvent>,
    },
    Ending {
        /// What happens to the children, in one line.
        outcome: String,
        /// Events rolled on arrival, like a step's: with `chance: 100%`, an `if:` and a `goto`
        /// to another ending, they make an ending follow from what was done (a path with a
        /// serious poor choice does not reach the best ending).
        events: Vec<RandomEvent>,
    },
}

impl Default for StepKind {
    fn default() -> Self {
        StepKind::Decision {
            choices: Vec::new(),
            events: Vec::new(),
        }
    }
}

impl Step {
    pub fn is_ending(&self) -> bool {
        matches!(self.kind, StepKind::Ending { .. })
    }

    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            StepKind::Decision { choices, .. } => choices,
            StepKind::Ending { .. } => &[],
        }
    }

    pub fn events(&self) -> &[RandomEvent] {
        match &self.kind {
            StepKind::Decision { events, .. } | StepKind::Ending { events, .. } => events,
        }
    }

    pub fn outcome(&self) -> Option<&str> {
        match &self.kind {
            StepKind::Ending { outcome, .. } => Some(outcome),
            StepKind::Decision { .. } => None,
        }
    }
}

/// How an experienced practitioner would judge a choice. Graded, not right or wrong: where
/// practitioners would disagree the author uses `Mixed` and explains both sides in the feedback.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Good,
    #[default]
    Mixed,
    Poor,
}

impl Grade {
    pub fn parse(s: &str) -> Option<Grade> {
        match s {
            "good" => Some(Grade::Good),
            "mixed" => Some(Grade::Mixed),
            "poor" => Some(Grade::Poor),
            _ => None,
        }
    }

    /// Words for the grade; the UI pairs them with a symbol so the grade never rests on colour.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Good => "Good practice",
            Grade::Mixed => "Partly good practice",
            Grade::Poor => "Poor practice",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Good => "good",
            Grade::Mixed => "mixed",
            Grade::Poor => "poor",
        }
    }
}

/// One option at a decision step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub label: String,
    pub condition: Condition,
    pub effects: Vec<Effect>,
    pub goto: Spanned<String>,
    pub grade: Grade,
    /// Markdown: why this is or is not good practice.
    pub feedback: Prose,
    pub notes: Vec<String>,
    /// Rubric items this choice shows good practice on (`credit:`), for what the scoring
    /// engine cannot infer from the knowledge model.
    pub credits: Vec<Spanned<String>>,
    /// Rubric items this choice falls short on (`error:`).
    pub errors: Vec<Spanned<String>>,
    /// Levels the story states once this choice's effects apply.
    pub statements: Vec<LevelStatement>,
    pub line: u32,
}

/// Something that may happen, by seeded chance, when the run enters the step that holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RandomEvent {
    pub id: String,
    /// Percentage chance, 1 to 100.
    pub chance: u8,
    pub condition: Condition,
    pub effects: Vec<Effect>,
    /// Where the story goes instead, if the event redirects it.
    pub goto: Option<Spanned<String>>,
    /// Markdown: what happens.
    pub text: Prose,
    pub notes: Vec<String>,
    /// Levels the story states once this event's effects apply.
    pub statements: Vec<LevelStatement>,
    pub line: u32,
}

/// A change to the state of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A service finds facts out for itself (asking, visiting, an incident).
    Reveal {
        facts: Vec<Spanned<String>>,
        to: Spanned<String>,
    },
    /// One service passes facts it holds to another, on a stated basis.
    Share {
        facts: Vec<Spanned<String>>,
        from: Spanned<String>,
        to: Spanned<String>,
        basis: Option<Basis>,
        parent_told: Option<bool>,
    },
    SetFlag(Spanned<String>),
    ClearFlag(Spanned<String>),
}

/// A body of text in a case: Markdown as the author wrote it (a case read from its file), or
/// safe HTML (a compiled case, whose Markdown the sanitiser rendered at build time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prose {
    Markdown(String),
    Html(SafeHtml),
}

impl Default for Prose {
    fn default() -> Prose {
        Prose::Markdown(String::new())
    }
}

impl Prose {
    /// Nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.text().trim().is_empty()
    }

    /// The Markdown as written, or the compiled HTML.
    pub fn text(&self) -> &str {
        match self {
            Prose::Markdown(m) => m,
            Prose::Html(h) => h.as_str(),
        }
    }

    /// As HTML for a screen: a compiled body as it is. Markdown that was never compiled (a case
    /// read from text, as in the native tests) is shown as escaped text, never as markup: only
    /// the build renders Markdown, so the browser carries no Markdown parser.
    pub fn html(&self) -> SafeHtml {
        match self {
            Prose::Markdown(m) => SafeHtml::escape(m),
            Prose::Html(h) => h.clone(),
        }
    }
}

/// A share the trainee makes through the share form: which facts (by id), with which service,
/// on what lawful basis, and whether the parent was told. The one record of it, used by the
/// engine, the session, saves and addresses, the score and the screens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub facts: Vec<String>,
    pub to: String,
    pub basis: Basis,
    pub parent_told: bool,
}

impl Share {
    pub fn new(facts: &[&str], to: &str, basis: Basis, parent_told: bool) -> Share {
        Share {
            facts: facts.iter().map(|f| f.to_string()).collect(),
            to: to.to_string(),
            basis,
            parent_told,
        }
    }
}

/// The lawful basis a service shares on, as the May 2024 information-sharing advice frames the
/// decision: under UK GDPR and the Data Protection Act 2018 a safeguarding share needs a lawful
/// basis, which for services with public functions is usually their public task (with the
/// safeguarding condition of DPA 2018 Schedule 1 paragraph 18 for health information); consent
/// is rarely the right basis, because a child's safety cannot hang on agreement that can be
/// withdrawn. Being open with the family, where that is safe, is a separate duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// To safeguard a child: public task (or a charity's legitimate interests), with the
    /// safeguarding condition for health information.
    Safeguarding,
    /// A life is at risk now (vital interests).
    Emergency,
    /// The parent's consent as the lawful basis: rarely right for safeguarding.
    Consent,
    /// No lawful basis: curiosity, convenience, gossip.
    None,
}

impl Basis {
    pub const ALL: [Basis; 4] = [
        Basis::Safeguarding,
        Basis::Emergency,
        Basis::Consent,
        Basis::None,
    ];

    pub fn parse(s: &str) -> Option<Basis> {
        match s {
            "safeguarding" => Some(Basis::Safeguarding),
            "emergency" => Some(Basis::Emergency),
            "consent" => Some(Basis::Consent),
            "none" => Some(Basis::None),
            _ => None,
        }
    }

    /// Saves and addresses written before the May 2024 framing used `child-at-risk` for a
    /// share made to protect a child; read it as the safeguarding basis.
    pub fn parse_saved(s: &str) -> Option<Basis> {
        match s {
            "child-at-risk" => Some(Basis::Safeguarding),
            other => Basis::parse(other),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Safeguarding => "safeguarding",
            Basis::Emergency => "emergency",
            Basis::Consent => "consent",
            Basis::None => "none",
        }
    }

    /// What a trainee must be told straight away about sharing on this basis, if anything.
    pub fn caution(self) -> Option<&'static str> {
        match self {
            Basis::None => Some("Sharing with no lawful basis is never good practice: name the basis, such as safeguarding a child, or do not share."),
            Basis::Consent => Some("Consent is rarely the right lawful basis for sharing to safeguard a child: the parent can withdraw it, and the child's safety cannot depend on it. Be open with the family and seek their views where that is safe, but share on a lawful basis such as your public task."),
            Basis::Safeguarding | Basis::Emergency => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Basis::Safeguarding => "to safeguard a child (public task; for health information, the safeguarding condition)",
            Basis::Emergency => "a life is at risk now (vital interests)",
            Basis::Consent => "the parent's consent as the lawful basis",
            Basis::None => "no lawful basis",
        }
    }
}

/// All of its tests must hold. An empty condition always holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Condition {
    pub tests: Vec<Test>,
}

impl Condition {
    pub fn is_always(&self) -> bool {
        self.tests.is_empty()
    }

    /// Whether every test holds, given which flags are set and which service knows which fact.
    /// The engine asks about the run now; scoring asks about the run as it was at a decision.
    pub fn holds(&self, flag: impl Fn(&str) -> bool, knows: impl Fn(&str, &str) -> bool) -> bool {
        self.tests.iter().all(|t| {
            let truth = match &t.what {
                TestKind::Flag(f) => flag(f),
                TestKind::Knows { service, fact } => knows(service, fact),
            };
            truth != t.negated
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub negated: bool,
    pub what: TestKind,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestKind {
    Flag(String),
    Knows { service: String, fact: String },
}

impl Scenario {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// A choice by its step's id and its own (choice ids are unique within a step only).
    pub fn choice(&self, step: &str, choice: &str) -> Option<&Choice> {
        self.step(step)?.choices().iter().find(|c| c.id == choice)
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.id == id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The service the trainee works in.
    pub fn trainee_service(&self) -> Option<&Service> {
        self.services.iter().find(|s| s.trainee)
    }

    pub fn endings(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.is_ending())
    }
}

impl crate::safe::Render for Prose {
    fn render(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prose::Markdown(m) => m.render(out),
            Prose::Html(h) => h.render(out),
        }
    }
}
