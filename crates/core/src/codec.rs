//! A compact binary form of a validated case, the area and the rubrics. `build.rs` writes it;
//! the browser reads it. Decoding is a few small functions with no messages to carry, where
//! parsing the text format in the browser needed the whole reader and every problem message
//! (see ARCHITECTURE.md, "Size"). Only validated data is ever encoded, so the decoder checks
//! shape, not meaning: malformed bytes give `None`, never a panic.
//!
//! Lines and file names are not kept (the browser reports no problems). Numbers are LEB128;
//! a string is its length then its UTF-8 bytes; a list is its length then its items.

use crate::area::{Area, AreaService, Framework, Level, LevelAction, Rule, ServiceLevel};
use crate::model::*;
use crate::safe::SafeHtml;
use crate::score::{Item, Rubric, Rubrics};

/// The first byte of every encoding: a version, so a stale build can never be misread.
const VERSION: u8 = 5;

/// The writer. A string written before is written again as a reference to it: a case repeats
/// its sources and ids many times, and gzip's window does not reach back far enough to fold
/// them all (measured: see ARCHITECTURE.md, "Size").
struct W(Vec<u8>, Vec<String>);

impl W {
    fn new() -> W {
        W(vec![VERSION], Vec::new())
    }

    fn u(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    /// A body: Markdown through the build's renderer; an already compiled body as it is.
    fn prose(&mut self, p: &Prose, body: &dyn Fn(&str) -> SafeHtml) {
        match p {
            Prose::Markdown(m) => self.s(body(m).as_str()),
            Prose::Html(h) => self.s(h.as_str()),
        }
    }

    /// A string: `2 × length` then its bytes, or `2 × n + 1` for the n-th distinct string
    /// written before.
    fn s(&mut self, s: &str) {
        if let Some(n) = self.1.iter().position(|seen| seen == s) {
            self.u(2 * n as u64 + 1);
            return;
        }
        self.u(2 * s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
        self.1.push(s.to_string());
    }

    fn b(&mut self, b: bool) {
        self.u(u64::from(b));
    }

    fn strs<'a>(&mut self, items: impl ExactSizeIterator<Item = &'a str>) {
        self.u(items.len() as u64);
        for s in items {
            self.s(s);
        }
    }

    fn spans(&mut self, items: &[Spanned<String>]) {
        self.strs(items.iter().map(|i| i.value.as_str()));
    }

    fn list<T>(&mut self, items: &[T], f: impl Fn(&mut W, &T)) {
        self.u(items.len() as u64);
        for item in items {
            f(self, item);
        }
    }
}

struct R<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The distinct strings read so far, for references to them.
    seen: Vec<String>,
}

impl R<'_> {
    fn u(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn n(&mut self) -> Option<u32> {
        u32::try_from(self.u()?).ok()
    }

    /// A compiled body: HTML the build's sanitiser wrote.
    fn prose(&mut self) -> Option<Prose> {
        Some(Prose::Html(SafeHtml::trusted(self.s()?)))
    }

    fn s(&mut self) -> Option<String> {
        let code = usize::try_from(self.u()?).ok()?;
        if code % 2 == 1 {
            return self.seen.get(code / 2).cloned();
        }
        let end = self.at.checked_add(code / 2)?;
        let text = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        self.seen.push(text.to_string());
        Some(text.to_string())
    }

    fn b(&mut self) -> Option<bool> {
        Some(self.u()? == 1)
    }

    fn list<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len = self.u()?;
        // Each item takes at least one byte: a length beyond the input is damage.
        if len > (self.bytes.len() - self.at) as u64 {
            return None;
        }
        (0..len).map(|_| f(self)).collect()
    }

    fn strs(&mut self) -> Option<Vec<String>> {
        self.list(|r| r.s())
    }

    fn spans(&mut self) -> Option<Vec<Spanned<String>>> {
        self.list(|r| r.s().map(|v| Spanned::new(v, 0)))
    }

    fn span(&mut self) -> Option<Spanned<String>> {
        self.s().map(|v| Spanned::new(v, 0))
    }
}

/// FNV-1a over the payload: damaged or altered bytes are refused before anything is read from
/// them (a wrong length or index could otherwise reach code that trusts a validated case).
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The version, the payload, then the payload's checksum (8 bytes, little-endian).
fn seal(mut w: W) -> Vec<u8> {
    let sum = checksum(&w.0[1..]);
    w.0.extend_from_slice(&sum.to_le_bytes());
    w.0
}

/// Runs a decoder over bytes that must start with this module's version and end with the
/// payload's checksum.
fn read<T>(bytes: &[u8], f: impl FnOnce(&mut R) -> Option<T>) -> Option<T> {
    let (&version, rest) = bytes.split_first()?;
    if version != VERSION || rest.len() < 8 {
        return None;
    }
    let (payload, sum) = rest.split_at(rest.len() - 8);
    if checksum(payload).to_le_bytes() != sum {
        return None;
    }
    let mut r = R {
        bytes: payload,
        at: 0,
        seen: Vec::new(),
    };
    let out = f(&mut r)?;
    (r.at == payload.len()).then_some(out)
}

fn condition(w: &mut W, c: &Condition) {
    w.list(&c.tests, |w, t| {
        w.b(t.negated);
        match &t.what {
            TestKind::Flag(flag) => {
                w.u(0);
                w.s(flag);
            }
            TestKind::Knows { service, fact } => {
                w.u(1);
                w.s(service);
                w.s(fact);
            }
        }
    });
}

fn read_condition(r: &mut R) -> Option<Condition> {
    let tests = r.list(|r| {
        let negated = r.b()?;
        let what = match r.u()? {
            0 => TestKind::Flag(r.s()?),
            1 => TestKind::Knows {
                service: r.s()?,
                fact: r.s()?,
            },
            _ => return None,
        };
        Some(Test {
            negated,
            what,
            line: 0,
        })
    })?;
    Some(Condition { tests })
}

fn basis_code(b: Option<Basis>) -> u64 {
    match b {
        None => 0,
        Some(Basis::Safeguarding) => 1,
        Some(Basis::Emergency) => 2,
        Some(Basis::Consent) => 3,
        Some(Basis::None) => 4,
    }
}

fn effects(w: &mut W, effects: &[Effect]) {
    w.list(effects, |w, e| match e {
        Effect::Reveal { facts, to } => {
            w.u(0);
            w.spans(facts);
            w.s(&to.value);
        }
        Effect::Share {
            facts,
            from,
            to,
            basis,
            parent_told,
        } => {
            w.u(1);
            w.spans(facts);
            w.s(&from.value);
            w.s(&to.value);
            w.u(basis_code(*basis));
            w.u(match parent_told {
                None => 0,
                Some(true) => 1,
                Some(false) => 2,
            });
        }
        Effect::SetFlag(f) => {
            w.u(2);
            w.s(&f.value);
        }
        Effect::ClearFlag(f) => {
            w.u(3);
            w.s(&f.value);
        }
    });
}

fn read_effects(r: &mut R) -> Option<Vec<Effect>> {
    r.list(|r| {
        Some(match r.u()? {
            0 => Effect::Reveal {
                facts: r.spans()?,
                to: r.span()?,
            },
            1 => Effect::Share {
                facts: r.spans()?,
                from: r.span()?,
                to: r.span()?,
                basis: match r.u()? {
                    0 => None,
                    1 => Some(Basis::Safeguarding),
                    2 => Some(Basis::Emergency),
                    3 => Some(Basis::Consent),
                    4 => Some(Basis::None),
                    _ => return None,
                },
                parent_told: match r.u()? {
                    0 => None,
                    1 => Some(true),
                    2 => Some(false),
                    _ => return None,
                },
            },
            2 => Effect::SetFlag(r.span()?),
            3 => Effect::ClearFlag(r.span()?),
            _ => return None,
        })
    })
}

fn event(w: &mut W, e: &RandomEvent, body: &dyn Fn(&str) -> SafeHtml) {
    w.s(&e.id);
    w.u(u64::from(e.chance));
    condition(w, &e.condition);
    effects(w, &e.effects);
    w.s(e.goto.as_ref().map_or("", |g| g.value.as_str()));
    w.prose(&e.text, body);
    w.strs(e.notes.iter().map(String::as_str));
}

fn read_event(r: &mut R) -> Option<RandomEvent> {
    Some(RandomEvent {
        id: r.s()?,
        chance: u8::try_from(r.u()?).ok()?,
        condition: read_condition(r)?,
        effects: read_effects(r)?,
        goto: Some(r.span()?).filter(|g| !g.value.is_empty()),
        text: r.prose()?,
        notes: r.strs()?,
        statements: Vec::new(),
        line: 0,
    })
}

/// Encodes a case, passing every Markdown body through `body` (the build renders it to safe
/// HTML there).
pub fn encode_case(s: &Scenario, body: &dyn Fn(&str) -> SafeHtml) -> Vec<u8> {
    let mut w = W::new();
    for field in [
        &s.id,
        &s.title,
        &s.nation,
        &s.role,
        &s.summary,
        &s.content_note,
        &s.start.value,
    ] {
        w.s(field);
    }
    w.prose(&s.intro, body);
    w.u(u64::from(s.version));
    w.u(s.default_seed);
    w.strs(s.notes.iter().map(String::as_str));
    w.spans(&s.key_services);
    w.list(&s.services, |w, x| {
        w.s(&x.id);
        w.s(&x.name);
        w.b(x.trainee);
        w.spans(&x.knows_at_start);
    });
    w.list(&s.facts, |w, f| {
        w.s(&f.id);
        w.s(&f.label);
        w.strs(f.indicators.iter().map(String::as_str));
        w.spans(&f.resolves);
        w.prose(&f.detail, body);
    });
    w.list(&s.steps, |w, st| {
        w.s(&st.id);
        w.s(&st.title);
        w.s(&st.time);
        w.prose(&st.body, body);
        w.strs(st.prompts.iter().map(String::as_str));
        w.strs(st.notes.iter().map(String::as_str));
        match &st.kind {
            StepKind::Ending { outcome, events } => {
                w.u(1);
                w.s(outcome);
                w.list(events, |w, e| event(w, e, body));
            }
            StepKind::Decision { choices, events } => {
                w.u(0);
                w.list(choices, |w, c| {
                    w.s(&c.id);
                    w.s(&c.label);
                    condition(w, &c.condition);
                    effects(w, &c.effects);
                    w.s(&c.goto.value);
                    w.u(c.grade as u64);
                    w.prose(&c.feedback, body);
                    w.strs(c.notes.iter().map(String::as_str));
                    w.spans(&c.credits);
                    w.spans(&c.errors);
                });
                w.list(events, |w, e| event(w, e, body));
            }
        }
    });
    seal(w)
}

pub fn decode_case(file: &str, bytes: &[u8]) -> Option<Scenario> {
    let s = read(bytes, |r| case_from(file, r))?;
    // Structural checks: every step the case can move to is one of its steps.
    let known = |id: &str| s.steps.iter().any(|st| st.id == id);
    let sound = known(&s.start.value)
        && s.steps.iter().all(|st| {
            st.choices().iter().all(|c| known(&c.goto.value))
                && st
                    .events()
                    .iter()
                    .all(|e| e.goto.as_ref().is_none_or(|g| known(&g.value)))
        });
    sound.then_some(s)
}

fn case_from(file: &str, r: &mut R) -> Option<Scenario> {
    {
        let (id, title, nation, role, summary, content_note, start) =
            (r.s()?, r.s()?, r.s()?, r.s()?, r.s()?, r.s()?, r.span()?);
        Some(Scenario {
            file: file.to_string(),
            id,
            title,
            nation,
            role,
            summary,
            content_note,
            start,
            intro: r.prose()?,
            version: r.n()?,
            default_seed: r.u()?,
            notes: r.strs()?,
            key_services: r.spans()?,
            services: r.list(|r| {
                Some(Service {
                    id: r.s()?,
                    name: r.s()?,
                    trainee: r.b()?,
                    knows_at_start: r.spans()?,
                    line: 0,
                })
            })?,
            facts: r.list(|r| {
                Some(Fact {
                    id: r.s()?,
                    label: r.s()?,
                    indicators: r.strs()?,
                    resolves: r.spans()?,
                    detail: r.prose()?,
                    line: 0,
                })
            })?,
            steps: r.list(|r| {
                let (id, title, time, body, prompts, notes) =
                    (r.s()?, r.s()?, r.s()?, r.prose()?, r.strs()?, r.strs()?);
                let kind = match r.u()? {
                    1 => StepKind::Ending {
                        outcome: r.s()?,
                        events: r.list(read_event)?,
                    },
                    0 => StepKind::Decision {
                        choices: r.list(|r| {
                            Some(Choice {
                                id: r.s()?,
                                label: r.s()?,
                                condition: read_condition(r)?,
                                effects: read_effects(r)?,
                                goto: r.span()?,
                                grade: match r.u()? {
                                    0 => Grade::Good,
                                    1 => Grade::Mixed,
                                    2 => Grade::Poor,
                                    _ => return None,
                                },
                                feedback: r.prose()?,
                                notes: r.strs()?,
                                credits: r.spans()?,
                                errors: r.spans()?,
                                statements: Vec::new(),
                                line: 0,
                            })
                        })?,
                        events: r.list(read_event)?,
                    },
                    _ => return None,
                };
                Some(Step {
                    id,
                    title,
                    time,
                    body,
                    prompts,
                    notes,
                    statements: Vec::new(),
                    kind,
                    line: 0,
                })
            })?,
            line: 0,
        })
    }
}

fn rules(w: &mut W, rules: &[Rule]) {
    w.list(rules, |w, r| w.strs(r.all_of.iter().map(String::as_str)));
}

fn read_rules(r: &mut R) -> Option<Vec<Rule>> {
    r.list(|r| {
        Some(Rule {
            all_of: r.strs()?,
            line: 0,
        })
    })
}

/// Encodes a page the build writes (the "About the law" screen): safe HTML, sealed like a case,
/// so the browser reads it back as the same `SafeHtml` or not at all.
pub fn encode_page(page: &SafeHtml) -> Vec<u8> {
    let mut w = W::new();
    w.s(page.as_str());
    seal(w)
}

pub fn decode_page(bytes: &[u8]) -> Option<SafeHtml> {
    read(bytes, |r| Some(SafeHtml::trusted(r.s()?)))
}

pub fn encode_area(a: &Area) -> Vec<u8> {
    let mut w = W::new();
    let fw = &a.framework;
    w.s(&fw.title);
    w.s(&fw.nation);
    w.b(fw.no_fixed_levels);
    w.strs(fw.notes.iter().map(String::as_str));
    w.list(&fw.levels, |w, l| {
        for field in [&l.id, &l.name, &l.short, &l.law, &l.nation] {
            w.s(field);
        }
        w.b(l.emergency);
        w.u(l.action as u64);
        rules(w, &l.rules);
        w.strs(l.notes.iter().map(String::as_str));
    });
    w.list(&a.services, |w, s| {
        w.s(&s.id);
        w.s(&s.name);
        w.b(s.front_door);
        w.strs(s.notes.iter().map(String::as_str));
        w.list(&s.levels, |w, l| {
            w.s(&l.level);
            rules(w, &l.rules);
            w.s(&l.does);
            w.strs(l.notes.iter().map(String::as_str));
        });
    });
    seal(w)
}

pub fn decode_area(bytes: &[u8]) -> Option<Area> {
    let area = read(bytes, area_from)?;
    // Structural checks: what the panel indexes into must be there.
    (!area.framework.levels.is_empty()).then_some(area)
}

fn area_from(r: &mut R) -> Option<Area> {
    {
        Some(Area {
            framework: Framework {
                title: r.s()?,
                nation: r.s()?,
                no_fixed_levels: r.b()?,
                notes: r.strs()?,
                levels: r.list(|r| {
                    Some(Level {
                        id: r.s()?,
                        name: r.s()?,
                        short: r.s()?,
                        law: r.s()?,
                        nation: r.s()?,
                        emergency: r.b()?,
                        action: match r.u()? {
                            0 => LevelAction::None,
                            1 => LevelAction::SeekAdvice,
                            2 => LevelAction::Refer,
                            _ => return None,
                        },
                        rules: read_rules(r)?,
                        notes: r.strs()?,
                        line: 0,
                    })
                })?,
            },
            services: r.list(|r| {
                Some(AreaService {
                    id: r.s()?,
                    name: r.s()?,
                    front_door: r.b()?,
                    notes: r.strs()?,
                    levels: r.list(|r| {
                        Some(ServiceLevel {
                            level: r.s()?,
                            rules: read_rules(r)?,
                            does: r.s()?,
                            notes: r.strs()?,
                            line: 0,
                        })
                    })?,
                    line: 0,
                })
            })?,
        })
    }
}

pub fn encode_rubrics(rubrics: &Rubrics) -> Vec<u8> {
    let mut w = W::new();
    w.list(&rubrics.rubrics, |w, rb| {
        w.s(&rb.id);
        w.s(&rb.name);
        w.list(&rb.items, |w, i| {
            for field in [&i.id, &i.name, &i.good, &i.errors, &i.source] {
                w.s(field);
            }
        });
    });
    seal(w)
}

pub fn decode_rubrics(bytes: &[u8]) -> Option<Rubrics> {
    read(bytes, |r| {
        Some(Rubrics {
            rubrics: r.list(|r| {
                Some(Rubric {
                    id: r.s()?,
                    name: r.s()?,
                    items: r.list(|r| {
                        Some(Item {
                            id: r.s()?,
                            name: r.s()?,
                            good: r.s()?,
                            errors: r.s()?,
                            source: r.s()?,
                            line: 0,
                        })
                    })?,
                })
            })?,
        })
    })
}
