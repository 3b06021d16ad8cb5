//! Reads the scenario text format (described in `scenarios/README.md`) into the model.
//!
//! The format is line based so that every problem has a line number: a `# Title` line, header
//! fields, then `## kind id` blocks (`service`, `fact`, `step`, `ending`) with `### choice id`
//! and `### event id` blocks inside a step. A block is its heading, then `key: value` field
//! lines, then a blank line and Markdown body text. The parser never stops at the first
//! problem: it reports as many as it can and leaves cross-references to the validator.

use crate::blocks::{is_valid_id, Kind, Reader};
use crate::model::*;
use crate::problem::Problem;

type Block = crate::blocks::Block<BlockKind>;
type Parser<'a> = Reader<'a>;

/// Parses `text` (read from `file`). Returns the scenario even when there were problems, so the
/// validator can report reference problems too; callers must not run a scenario with problems.
pub fn parse(file: &str, text: &str) -> (Scenario, Vec<Problem>) {
    let mut p = Parser {
        file,
        problems: Vec::new(),
    };
    let blocks = p.blocks(text);
    let scenario = p.build(blocks);
    (scenario, p.problems)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Header,
    Service,
    Fact,
    Step,
    Ending,
    Choice,
    Event,
}

impl Kind for BlockKind {
    const HEADER: Self = BlockKind::Header;
    const OUTER: &'static [(&'static str, Self)] = &[
        ("service", BlockKind::Service),
        ("fact", BlockKind::Fact),
        ("step", BlockKind::Step),
        ("ending", BlockKind::Ending),
    ];
    const INNER: &'static [(&'static str, Self)] =
        &[("choice", BlockKind::Choice), ("event", BlockKind::Event)];

    fn name(self) -> &'static str {
        match self {
            BlockKind::Header => "case header",
            BlockKind::Service => "service",
            BlockKind::Fact => "fact",
            BlockKind::Step => "step",
            BlockKind::Ending => "ending",
            BlockKind::Choice => "choice",
            BlockKind::Event => "event",
        }
    }

    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            BlockKind::Header => &[
                ("id", false),
                ("version", false),
                ("nation", false),
                ("role", false),
                ("summary", false),
                ("content-note", false),
                ("start", false),
                ("seed", false),
                ("key-services", false),
                ("note", true),
            ],
            BlockKind::Service => &[("name", false), ("trainee", false), ("knows", true)],
            BlockKind::Fact => &[("label", false), ("indicators", true), ("resolves", true)],
            BlockKind::Step => &[
                ("title", false),
                ("time", false),
                ("prompt", true),
                ("note", true),
                ("level", true),
            ],
            BlockKind::Ending => &[
                ("title", false),
                ("time", false),
                ("outcome", false),
                ("note", true),
                ("level", true),
            ],
            BlockKind::Choice => &[
                ("label", false),
                ("goto", false),
                ("grade", false),
                ("if", false),
                ("reveal", true),
                ("share", true),
                ("set", true),
                ("clear", true),
                ("credit", true),
                ("error", true),
                ("note", true),
                ("level", true),
            ],
            BlockKind::Event => &[
                ("chance", false),
                ("goto", false),
                ("if", false),
                ("reveal", true),
                ("share", true),
                ("set", true),
                ("clear", true),
                ("note", true),
                ("level", true),
            ],
        }
    }
}

impl Parser<'_> {
    fn build(&mut self, blocks: Vec<Block>) -> Scenario {
        let mut scenario = Scenario {
            file: self.file.to_string(),
            nation: "England".into(),
            version: 1,
            ..Default::default()
        };
        for block in blocks {
            match block.kind {
                BlockKind::Header => self.header(&mut scenario, block),
                BlockKind::Service => {
                    let service = self.service(block);
                    scenario.services.push(service);
                }
                BlockKind::Fact => {
                    let fact = Fact {
                        label: self.required(&block, "label"),
                        indicators: self
                            .all(&block, "indicators")
                            .iter()
                            .flat_map(|f| list(&f.value))
                            .map(|s| s.value)
                            .collect(),
                        resolves: self
                            .all(&block, "resolves")
                            .iter()
                            .flat_map(|f| list_at(&f.value, f.line))
                            .collect(),
                        detail: Prose::Markdown(block.body.clone()),
                        id: block.info.id,
                        line: block.info.line,
                    };
                    for indicator in &fact.indicators {
                        if !is_valid_id(indicator) {
                            self.problem(fact.line, format!("indicator '{indicator}' is not a valid name"), "use lower-case words joined by '.', '_' or '-', e.g. child.under_5");
                        }
                    }
                    scenario.facts.push(fact);
                }
                BlockKind::Step => {
                    let step = Step {
                        title: self.required(&block, "title"),
                        time: self.optional(&block, "time"),
                        prompts: self
                            .all(&block, "prompt")
                            .into_iter()
                            .map(|f| f.value.clone())
                            .collect(),
                        notes: self.notes(&block),
                        statements: self.statements(&block),
                        body: Prose::Markdown(block.info.body),
                        kind: StepKind::default(),
                        id: block.info.id,
                        line: block.info.line,
                    };
                    scenario.steps.push(step);
                }
                BlockKind::Ending => {
                    let step = Step {
                        title: self.required(&block, "title"),
                        time: self.optional(&block, "time"),
                        prompts: Vec::new(),
                        notes: self.notes(&block),
                        statements: self.statements(&block),
                        kind: StepKind::Ending {
                            outcome: self.required(&block, "outcome"),
                            events: Vec::new(),
                        },
                        body: Prose::Markdown(block.info.body),
                        id: block.info.id,
                        line: block.info.line,
                    };
                    scenario.steps.push(step);
                }
                BlockKind::Choice | BlockKind::Event => {
                    let Some(step) = scenario.steps.last_mut() else {
                        self.problem(
                            block.line,
                            format!("a {} outside a step", block.kind.name()),
                            "put '### choice' and '### event' blocks after the '## step' they belong to",
                        );
                        continue;
                    };
                    match (&mut step.kind, block.kind) {
                        (StepKind::Decision { choices, .. }, BlockKind::Choice) => {
                            choices.push(Self::choice(self, block));
                        }
                        (
                            StepKind::Decision { events, .. } | StepKind::Ending { events, .. },
                            BlockKind::Event,
                        ) => events.push(Self::event(self, block)),
                        _ => self.problem(
                            block.line,
                            "an ending has no choices",
                            "endings take '### event' blocks only (for example one that sends the run to another ending); put choices under a '## step'",
                        ),
                    }
                }
            }
        }
        scenario
    }

    fn header(&mut self, s: &mut Scenario, block: Block) {
        s.title = block.id.clone();
        s.line = block.line;
        s.id = self.required(&block, "id");
        if !s.id.is_empty() && !is_valid_id(&s.id) {
            self.problem(
                self.line_of(&block, "id"),
                format!("case id '{}' is not a valid id", s.id),
                "use a-z, 0-9 and '-', e.g. 'imran'",
            );
        }
        if let Some(f) = self.first(&block, "version") {
            match f.value.parse::<u32>() {
                Ok(v) => s.version = v,
                Err(_) => self.problem(
                    f.line,
                    format!("version '{}' is not a whole number", f.value),
                    "e.g. 'version: 3'",
                ),
            }
        }
        let nation = self.optional(&block, "nation");
        if !nation.is_empty() {
            if !["England", "Wales", "Scotland", "Northern Ireland"].contains(&nation.as_str()) {
                self.problem(
                    self.line_of(&block, "nation"),
                    format!("unknown nation '{nation}'"),
                    "one of England, Wales, Scotland, Northern Ireland",
                );
            }
            s.nation = nation;
        }
        s.role = self.required(&block, "role");
        s.summary = self.required(&block, "summary");
        s.content_note = self.optional(&block, "content-note");
        let start = self.first(&block, "start").cloned();
        match start {
            Some(f) => s.start = Spanned::new(f.value, f.line),
            None => self.problem(
                block.line,
                "the case has no 'start' field",
                "add 'start: <id of the first step>'",
            ),
        }
        if let Some(f) = self.first(&block, "seed") {
            match f.value.parse::<u64>() {
                Ok(v) => s.default_seed = v,
                Err(_) => self.problem(
                    f.line,
                    format!("seed '{}' is not a whole number", f.value),
                    "e.g. 'seed: 2013'",
                ),
            }
        }
        s.notes = self.notes(&block);
        s.key_services = self
            .all(&block, "key-services")
            .iter()
            .flat_map(|f| list_at(&f.value, f.line))
            .collect();
        s.intro = Prose::Markdown(block.info.body);
    }

    fn service(&mut self, block: Block) -> Service {
        let trainee = self.yes_no(
            &block,
            "trainee",
            "mark the trainee's own service with 'trainee: yes'",
        );
        Service {
            name: self.required(&block, "name"),
            trainee,
            knows_at_start: self
                .all(&block, "knows")
                .iter()
                .flat_map(|f| list_at(&f.value, f.line))
                .collect(),
            id: block.info.id,
            line: block.info.line,
        }
    }

    fn choice(&mut self, block: Block) -> Choice {
        let grade = match self
            .first(&block, "grade")
            .map(|f| (f.value.clone(), f.line))
        {
            Some((v, line)) => Grade::parse(&v).unwrap_or_else(|| {
                self.problem(
                    line,
                    format!("unknown grade '{v}'"),
                    "grade is good, mixed or poor",
                );
                Grade::Mixed
            }),
            None => {
                self.problem(
                    block.line,
                    format!("choice '{}' has no grade", block.id),
                    "add 'grade: good', 'grade: mixed' or 'grade: poor'",
                );
                Grade::Mixed
            }
        };
        let goto = match self.first(&block, "goto") {
            Some(f) => Spanned::new(f.value.clone(), f.line),
            None => {
                self.problem(
                    block.line,
                    format!("choice '{}' has no 'goto'", block.id),
                    "add 'goto: <id of the next step or ending>'",
                );
                Spanned::new(String::new(), block.line)
            }
        };
        Choice {
            label: self.required(&block, "label"),
            condition: self.condition(&block),
            effects: self.effects(&block),
            goto,
            grade,
            notes: self.notes(&block),
            credits: self
                .all(&block, "credit")
                .iter()
                .flat_map(|f| list_at(&f.value, f.line))
                .collect(),
            errors: self
                .all(&block, "error")
                .iter()
                .flat_map(|f| list_at(&f.value, f.line))
                .collect(),
            statements: self.statements(&block),
            feedback: Prose::Markdown(block.info.body),
            id: block.info.id,
            line: block.info.line,
        }
    }

    fn event(&mut self, block: Block) -> RandomEvent {
        let chance = match self
            .first(&block, "chance")
            .map(|f| (f.value.clone(), f.line))
        {
            Some((v, line)) => match v.trim_end_matches('%').trim().parse::<u8>() {
                Ok(c) if (1..=100).contains(&c) => c,
                _ => {
                    self.problem(
                        line,
                        format!("chance '{v}' is not a percentage from 1 to 100"),
                        "e.g. 'chance: 40%'",
                    );
                    0
                }
            },
            None => {
                self.problem(
                    block.line,
                    format!("event '{}' has no 'chance'", block.id),
                    "add e.g. 'chance: 30%'",
                );
                0
            }
        };
        RandomEvent {
            chance,
            condition: self.condition(&block),
            effects: self.effects(&block),
            goto: self
                .first(&block, "goto")
                .map(|f| Spanned::new(f.value.clone(), f.line)),
            notes: self.notes(&block),
            statements: self.statements(&block),
            text: Prose::Markdown(block.info.body),
            id: block.info.id,
            line: block.info.line,
        }
    }

    /// `level: childrens-social-care child-in-need`: what the story says a service's level is
    /// here. Whether it holds is checked against the area by `crate::paths`.
    fn statements(&mut self, block: &Block) -> Vec<LevelStatement> {
        let mut out = Vec::new();
        for f in self
            .all(block, "level")
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
        {
            match f.value.split_whitespace().collect::<Vec<_>>().as_slice() {
                [service, level] if is_valid_id(service) && is_valid_id(level) => {
                    out.push(LevelStatement {
                        service: service.to_string(),
                        level: level.to_string(),
                        line: f.line,
                    })
                }
                _ => self.problem(
                    f.line,
                    format!("cannot read the level statement '{}'", f.value),
                    "write 'level: <service id> <level id>', e.g. 'level: childrens-social-care child-in-need'",
                ),
            }
        }
        out
    }

    /// `if: asked-about-children and not social-care knows methadone-in-fridge`
    fn condition(&mut self, block: &Block) -> Condition {
        let Some(f) = self.first(block, "if").cloned() else {
            return Condition::default();
        };
        let mut tests = Vec::new();
        for part in f.value.split(" and ") {
            let words: Vec<&str> = part.split_whitespace().collect();
            let (negated, words) = match words.first() {
                Some(&"not") => (true, &words[1..]),
                _ => (false, &words[..]),
            };
            let what = match words {
                [flag] if is_valid_id(flag) => TestKind::Flag(flag.to_string()),
                [service, "knows", fact] if is_valid_id(service) && is_valid_id(fact) => {
                    TestKind::Knows {
                        service: service.to_string(),
                        fact: fact.to_string(),
                    }
                }
                _ => {
                    self.problem(
                        f.line,
                        format!("cannot read the condition '{}'", part.trim()),
                        "a condition is 'flag', 'not flag', 'service knows fact' or 'not service knows fact', joined by 'and'",
                    );
                    continue;
                }
            };
            tests.push(Test {
                negated,
                what,
                line: f.line,
            });
        }
        Condition { tests }
    }

    fn effects(&mut self, block: &Block) -> Vec<Effect> {
        let mut effects = Vec::new();
        for f in block.fields.clone() {
            match f.key.as_str() {
                // reveal: fact-a, fact-b [to service]
                "reveal" => {
                    let (facts, to) = match f.value.rsplit_once(" to ") {
                        Some((facts, to)) => (facts, Spanned::new(to.trim().to_string(), f.line)),
                        None => (f.value.as_str(), Spanned::new(String::new(), f.line)),
                    };
                    effects.push(Effect::Reveal {
                        facts: list_at(facts, f.line),
                        to,
                    });
                }
                // share: fact-a, fact-b [from service] with service [basis b] [parent told|not-told]
                "share" => {
                    let Some((facts, tail)) = f.value.rsplit_once(" with ") else {
                        self.problem(
                            f.line,
                            "a share needs a recipient",
                            "write 'share: fact-a, fact-b with <service>'",
                        );
                        continue;
                    };
                    let (facts, from) = match facts.rsplit_once(" from ") {
                        Some((facts, from)) => {
                            (facts, Spanned::new(from.trim().to_string(), f.line))
                        }
                        None => (facts, Spanned::new(String::new(), f.line)),
                    };
                    let words: Vec<&str> = tail.split_whitespace().collect();
                    let (mut basis, mut parent_told) = (None, None);
                    let mut rest = words.get(1..).unwrap_or(&[]);
                    while let [key, value, more @ ..] = rest {
                        match (*key, *value) {
                            ("basis", b) if Basis::parse(b).is_some() => basis = Basis::parse(b),
                            ("parent", "told") => parent_told = Some(true),
                            ("parent", "not-told") => parent_told = Some(false),
                            _ => break,
                        }
                        rest = more;
                    }
                    if !rest.is_empty() {
                        self.problem(
                            f.line,
                            format!("cannot read '{}' after the recipient", rest.join(" ")),
                            if rest.first() == Some(&"basis") && rest.get(1) == Some(&"child-at-risk") {
                                "the bases are now 'safeguarding', 'emergency', 'consent' and 'none': a share to protect a child is 'basis safeguarding'"
                            } else {
                                "after 'with <service>' write 'basis safeguarding|emergency|consent|none' and/or 'parent told|not-told'"
                            },
                        );
                    }
                    if basis.is_none() {
                        self.problem(
                            f.line,
                            "a share needs a basis",
                            "add 'basis safeguarding' (the usual basis to protect a child), 'basis emergency', 'basis consent' or 'basis none' after the recipient",
                        );
                    }
                    let to = Spanned::new(words.first().unwrap_or(&"").to_string(), f.line);
                    effects.push(Effect::Share {
                        facts: list_at(facts, f.line),
                        from,
                        to,
                        basis,
                        parent_told,
                    });
                }
                "set" => effects.extend(list_at(&f.value, f.line).into_iter().map(Effect::SetFlag)),
                "clear" => {
                    effects.extend(list_at(&f.value, f.line).into_iter().map(Effect::ClearFlag))
                }
                _ => {}
            }
        }
        for effect in &effects {
            let names: Vec<&Spanned<String>> = match effect {
                Effect::Reveal { facts, .. } | Effect::Share { facts, .. } => {
                    facts.iter().collect()
                }
                Effect::SetFlag(f) | Effect::ClearFlag(f) => vec![f],
            };
            if names.is_empty() {
                self.problem(
                    block.line,
                    "an effect names nothing",
                    "list at least one fact or flag",
                );
            }
            for name in names {
                if !is_valid_id(&name.value) {
                    self.problem(
                        name.line,
                        format!("'{}' is not a valid id", name.value),
                        "ids use a-z, 0-9, '-', '_' and '.'; separate several with commas",
                    );
                }
            }
        }
        effects
    }
}

fn list(value: &str) -> Vec<Spanned<String>> {
    list_at(value, 0)
}

fn list_at(value: &str, line: u32) -> Vec<Spanned<String>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Spanned::new(s.to_string(), line))
        .collect()
}
