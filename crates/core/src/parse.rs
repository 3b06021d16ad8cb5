//! Reads the scenario text format (described in `scenarios/README.md`) into the model.
//!
//! The format is line based so that every problem has a line number: a `# Title` line, header
//! fields, then `## kind id` blocks (`service`, `fact`, `step`, `ending`) with `### choice id`
//! and `### event id` blocks inside a step. A block is its heading, then `key: value` field
//! lines, then a blank line and Markdown body text. The parser never stops at the first
//! problem: it reports as many as it can and leaves cross-references to the validator.

use crate::model::*;
use crate::problem::Problem;

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

struct Parser<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

#[derive(Debug)]
struct Block {
    kind: BlockKind,
    id: String,
    line: u32,
    fields: Vec<Field>,
    body: String,
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

impl BlockKind {
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

    /// Field names this kind of block accepts, and whether each may repeat.
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
                ("note", true),
            ],
            BlockKind::Service => &[("name", false), ("trainee", false), ("knows", true)],
            BlockKind::Fact => &[("label", false), ("indicators", true)],
            BlockKind::Step => &[("title", false), ("time", false), ("note", true)],
            BlockKind::Ending => &[
                ("title", false),
                ("time", false),
                ("outcome", false),
                ("note", true),
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
                ("note", true),
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
            ],
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    key: String,
    value: String,
    line: u32,
}

/// `[a-z0-9]` then `[a-z0-9._-]*`: stable, URL- and file-safe, and never positional.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn field_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key_ok = !key.is_empty()
        && key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    key_ok.then(|| (key, value.trim()))
}

impl Parser<'_> {
    fn problem(&mut self, line: u32, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Problem::new(self.file, line, message, hint));
    }

    /// Splits the text into blocks at structural headings.
    fn blocks(&mut self, text: &str) -> Vec<Block> {
        let mut blocks: Vec<Block> = Vec::new();
        let mut current: Option<(Block, Vec<(u32, String)>)> = None;
        let mut seen_title = false;
        for (i, raw) in text.lines().enumerate() {
            let n = i as u32 + 1;
            let line = raw.trim_end();
            let heading = if let Some(rest) = line.strip_prefix("# ") {
                if seen_title {
                    self.problem(
                        n,
                        "a second '# ' title line",
                        "a case has one title; use '####' for headings inside narrative",
                    );
                    None
                } else {
                    seen_title = true;
                    Some((BlockKind::Header, rest.trim().to_string(), n))
                }
            } else if let Some(rest) = line.strip_prefix("### ") {
                self.heading(
                    n,
                    rest,
                    &[("choice", BlockKind::Choice), ("event", BlockKind::Event)],
                )
            } else if let Some(rest) = line.strip_prefix("## ") {
                self.heading(
                    n,
                    rest,
                    &[
                        ("service", BlockKind::Service),
                        ("fact", BlockKind::Fact),
                        ("step", BlockKind::Step),
                        ("ending", BlockKind::Ending),
                    ],
                )
            } else {
                None
            };
            match heading {
                Some((kind, id, line_no)) => {
                    if let Some((block, lines)) = current.take() {
                        blocks.push(self.finish(block, lines));
                    }
                    current = Some((
                        Block {
                            kind,
                            id,
                            line: line_no,
                            fields: Vec::new(),
                            body: String::new(),
                        },
                        Vec::new(),
                    ));
                }
                None => match current.as_mut() {
                    Some((_, lines)) => lines.push((n, line.to_string())),
                    None => {
                        if !line.trim().is_empty()
                            && !line.starts_with("## ")
                            && !line.starts_with("### ")
                        {
                            self.problem(
                                n,
                                "text before the '# Title' line",
                                "a case file starts with '# ' and the case title",
                            );
                        }
                    }
                },
            }
        }
        if let Some((block, lines)) = current.take() {
            blocks.push(self.finish(block, lines));
        }
        if !seen_title {
            self.problem(
                1,
                "no '# Title' line",
                "start the file with '# ' and the case title",
            );
        }
        blocks
    }

    /// Reads `kind id` after a `##`/`###`; reports an unknown kind or a bad id.
    fn heading(
        &mut self,
        n: u32,
        rest: &str,
        kinds: &[(&str, BlockKind)],
    ) -> Option<(BlockKind, String, u32)> {
        let mut words = rest.split_whitespace();
        let word = words.next().unwrap_or("");
        let id = words.next().unwrap_or("").to_string();
        let extra = words.next().is_some();
        let Some(&(_, kind)) = kinds.iter().find(|(name, _)| *name == word) else {
            let names: Vec<&str> = kinds.iter().map(|(name, _)| *name).collect();
            self.problem(
                n,
                format!("unknown block kind '{word}'"),
                format!(
                    "expected one of: {}; use '####' for headings inside narrative",
                    names.join(", ")
                ),
            );
            return None;
        };
        if id.is_empty() || extra || !is_valid_id(&id) {
            self.problem(
                n,
                format!(
                    "'{}' needs one id made of a-z, 0-9, '-', '_' or '.', got '{}'",
                    word,
                    rest[word.len()..].trim()
                ),
                "for example '## step first-visit'",
            );
        }
        Some((kind, id, n))
    }

    /// Separates a block's field lines from its Markdown body.
    fn finish(&mut self, mut block: Block, lines: Vec<(u32, String)>) -> Block {
        let mut in_fields = true;
        let mut body: Vec<&str> = Vec::new();
        for (n, line) in &lines {
            if in_fields {
                if line.trim().is_empty() {
                    in_fields = false;
                    continue;
                }
                if let Some((key, value)) = field_line(line) {
                    block.fields.push(Field {
                        key: key.to_string(),
                        value: value.to_string(),
                        line: *n,
                    });
                    continue;
                }
                in_fields = false;
            }
            body.push(line);
        }
        while body.first().is_some_and(|l| l.trim().is_empty()) {
            body.remove(0);
        }
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        block.body = body.join("\n");
        self.check_fields(&block);
        block
    }

    fn check_fields(&mut self, block: &Block) {
        let allowed = block.kind.fields();
        let mut seen: Vec<&str> = Vec::new();
        for f in &block.fields {
            match allowed.iter().find(|(k, _)| *k == f.key) {
                None => {
                    let names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                    self.problem(
                        f.line,
                        format!("unknown field '{}' in a {}", f.key, block.kind.name()),
                        format!("a {} takes: {}", block.kind.name(), names.join(", ")),
                    );
                }
                Some((_, repeatable)) => {
                    if !repeatable && seen.contains(&f.key.as_str()) {
                        self.problem(
                            f.line,
                            format!("field '{}' given twice", f.key),
                            "keep one of them",
                        );
                    }
                    seen.push(&f.key);
                }
            }
        }
    }

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
                        detail: block.body.clone(),
                        id: block.id,
                        line: block.line,
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
                        notes: self.notes(&block),
                        body: block.body,
                        kind: StepKind::default(),
                        id: block.id,
                        line: block.line,
                    };
                    scenario.steps.push(step);
                }
                BlockKind::Ending => {
                    let step = Step {
                        title: self.required(&block, "title"),
                        time: self.optional(&block, "time"),
                        notes: self.notes(&block),
                        kind: StepKind::Ending {
                            outcome: self.required(&block, "outcome"),
                        },
                        body: block.body,
                        id: block.id,
                        line: block.line,
                    };
                    scenario.steps.push(step);
                }
                BlockKind::Choice | BlockKind::Event => {
                    let owner = scenario.steps.last_mut().filter(|s| !s.is_ending());
                    let Some(step) = owner else {
                        self.problem(
                            block.line,
                            format!("a {} outside a step", block.kind.name()),
                            "put '### choice' and '### event' blocks after the '## step' they belong to",
                        );
                        continue;
                    };
                    let StepKind::Decision { choices, events } = &mut step.kind else {
                        unreachable!()
                    };
                    if block.kind == BlockKind::Choice {
                        let choice = Self::choice(self, block);
                        choices.push(choice);
                    } else {
                        let event = Self::event(self, block);
                        events.push(event);
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
        s.intro = block.body;
    }

    fn service(&mut self, block: Block) -> Service {
        let trainee = match self
            .first(&block, "trainee")
            .map(|f| (f.value.clone(), f.line))
        {
            None => false,
            Some((v, _)) if v == "yes" => true,
            Some((v, _)) if v == "no" => false,
            Some((v, line)) => {
                self.problem(
                    line,
                    format!("'trainee: {v}' should be yes or no"),
                    "mark the trainee's own service with 'trainee: yes'",
                );
                false
            }
        };
        Service {
            name: self.required(&block, "name"),
            trainee,
            knows_at_start: self
                .all(&block, "knows")
                .iter()
                .flat_map(|f| list_at(&f.value, f.line))
                .collect(),
            id: block.id,
            line: block.line,
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
            feedback: block.body,
            id: block.id,
            line: block.line,
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
            text: block.body,
            id: block.id,
            line: block.line,
        }
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
                // share: fact-a, fact-b [from service] with service
                "share" => {
                    let Some((facts, to)) = f.value.rsplit_once(" with ") else {
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
                    effects.push(Effect::Share {
                        facts: list_at(facts, f.line),
                        from,
                        to: Spanned::new(to.trim().to_string(), f.line),
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

    fn first<'b>(&self, block: &'b Block, key: &str) -> Option<&'b Field> {
        block.fields.iter().find(|f| f.key == key)
    }

    fn all<'b>(&self, block: &'b Block, key: &str) -> Vec<&'b Field> {
        block.fields.iter().filter(|f| f.key == key).collect()
    }

    fn line_of(&self, block: &Block, key: &str) -> u32 {
        self.first(block, key).map_or(block.line, |f| f.line)
    }

    fn optional(&self, block: &Block, key: &str) -> String {
        self.first(block, key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    fn required(&mut self, block: &Block, key: &str) -> String {
        match self.first(block, key) {
            Some(f) if !f.value.is_empty() => f.value.clone(),
            Some(f) => {
                let line = f.line;
                self.problem(
                    line,
                    format!("'{key}' is empty"),
                    format!("give the {} a {key}", block.kind.name()),
                );
                String::new()
            }
            None => {
                self.problem(
                    block.line,
                    format!("{} '{}' has no '{key}'", block.kind.name(), block.id),
                    format!("add a '{key}: ...' line under the heading"),
                );
                String::new()
            }
        }
    }

    fn notes(&self, block: &Block) -> Vec<String> {
        self.all(block, "note")
            .into_iter()
            .map(|f| f.value.clone())
            .collect()
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
