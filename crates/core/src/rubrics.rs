//! The rubric file (`scenarios/guidance/rubrics.md`): rubrics, each with items that name what
//! good practice looks like, its common errors and its source. Loading it checks that every item
//! the scoring infers exists in the file, so a mark can never be dropped for a missing id; a
//! case's `credit:` and `error:` tags are checked against it when the case is checked.

use crate::vecmap::VecMap;

use crate::blocks::{Kind, Reader};
use crate::model::{Basis, Effect, Grade, Scenario};
use crate::problem::Problem;
use crate::score::Inferred;

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
    for inferred in Inferred::ALL {
        if !seen.contains_key(inferred.id()) {
            r.problem(
                1,
                format!(
                    "the scoring infers the item '{}', but no item in this file has that id",
                    inferred.id()
                ),
                format!(
                    "add '### item {}' to the rubric it belongs to",
                    inferred.id()
                ),
            );
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
