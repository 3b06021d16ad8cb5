//! Writes a scenario back out in the text format. The app's build script uses it to compile each
//! bundled case: the same format, with every Markdown body replaced by sanitised HTML, so the
//! browser needs the small parser but not a Markdown renderer (see ARCHITECTURE.md, "Size").

use std::fmt::Write;

use crate::model::*;

/// Writes `s` in the text format, passing every Markdown body through `body`.
pub fn write(s: &Scenario, body: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let field = |out: &mut String, key: &str, value: &str| {
        if !value.is_empty() {
            let _ = writeln!(out, "{key}: {}", one_line(value));
        }
    };
    let _ = writeln!(out, "# {}", s.title);
    field(&mut out, "id", &s.id);
    field(&mut out, "version", &s.version.to_string());
    field(&mut out, "nation", &s.nation);
    field(&mut out, "role", &s.role);
    field(&mut out, "summary", &s.summary);
    field(&mut out, "content-note", &s.content_note);
    field(&mut out, "start", &s.start.value);
    field(&mut out, "seed", &s.default_seed.to_string());
    field(&mut out, "key-services", &join(&s.key_services));
    s.notes.iter().for_each(|n| field(&mut out, "note", n));
    write_body(&mut out, &s.intro, body);
    for service in &s.services {
        let _ = writeln!(out, "## service {}", service.id);
        field(&mut out, "name", &service.name);
        field(
            &mut out,
            "trainee",
            if service.trainee { "yes" } else { "no" },
        );
        field(&mut out, "knows", &join(&service.knows_at_start));
        out.push('\n');
    }
    for fact in &s.facts {
        let _ = writeln!(out, "## fact {}", fact.id);
        field(&mut out, "label", &fact.label);
        field(&mut out, "indicators", &fact.indicators.join(", "));
        write_body(&mut out, &fact.detail, body);
    }
    for step in &s.steps {
        let kind = if step.is_ending() { "ending" } else { "step" };
        let _ = writeln!(out, "## {kind} {}", step.id);
        field(&mut out, "title", &step.title);
        field(&mut out, "time", &step.time);
        if let Some(outcome) = step.outcome() {
            field(&mut out, "outcome", outcome);
        }
        step.prompts
            .iter()
            .for_each(|p| field(&mut out, "prompt", p));
        step.notes.iter().for_each(|n| field(&mut out, "note", n));
        write_body(&mut out, &step.body, body);
        for choice in step.choices() {
            let _ = writeln!(out, "### choice {}", choice.id);
            field(&mut out, "label", &choice.label);
            field(&mut out, "goto", &choice.goto.value);
            field(&mut out, "grade", choice.grade.as_str());
            field(&mut out, "if", &condition(&choice.condition));
            effects(&mut out, &choice.effects);
            field(&mut out, "credit", &join(&choice.credits));
            field(&mut out, "error", &join(&choice.errors));
            choice.notes.iter().for_each(|n| field(&mut out, "note", n));
            write_body(&mut out, &choice.feedback, body);
        }
        for event in step.events() {
            let _ = writeln!(out, "### event {}", event.id);
            field(&mut out, "chance", &format!("{}%", event.chance));
            if let Some(goto) = &event.goto {
                field(&mut out, "goto", &goto.value);
            }
            field(&mut out, "if", &condition(&event.condition));
            effects(&mut out, &event.effects);
            event.notes.iter().for_each(|n| field(&mut out, "note", n));
            write_body(&mut out, &event.text, body);
        }
    }
    out
}

fn one_line(value: &str) -> String {
    value.replace(['\n', '\r'], " ")
}

fn join(items: &[Spanned<String>]) -> String {
    items
        .iter()
        .map(|i| i.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A body follows a blank line. No line of it may look like a heading of the format, so a line
/// that starts with '#' is escaped (only HTML output can start that way after rendering).
fn write_body(out: &mut String, text: &str, body: &dyn Fn(&str) -> String) {
    out.push('\n');
    if !text.trim().is_empty() {
        for line in body(text).lines() {
            if let Some(rest) = line.strip_prefix('#') {
                out.push_str("&#35;");
                out.push_str(rest);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

fn condition(c: &Condition) -> String {
    c.tests
        .iter()
        .map(|t| {
            let what = match &t.what {
                TestKind::Flag(flag) => flag.clone(),
                TestKind::Knows { service, fact } => format!("{service} knows {fact}"),
            };
            if t.negated {
                format!("not {what}")
            } else {
                what
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn effects(out: &mut String, effects: &[Effect]) {
    for effect in effects {
        let _ = match effect {
            Effect::Reveal { facts, to } => {
                writeln!(out, "reveal: {} to {}", join(facts), to.value)
            }
            Effect::Share {
                facts,
                from,
                to,
                basis,
                parent_told,
            } => {
                let basis = basis
                    .map(|b| format!(" basis {}", b.as_str()))
                    .unwrap_or_default();
                let told = match parent_told {
                    Some(true) => " parent told",
                    Some(false) => " parent not-told",
                    None => "",
                };
                writeln!(
                    out,
                    "share: {} from {} with {}{basis}{told}",
                    join(facts),
                    from.value,
                    to.value
                )
            }
            Effect::SetFlag(flag) => writeln!(out, "set: {}", flag.value),
            Effect::ClearFlag(flag) => writeln!(out, "clear: {}", flag.value),
        };
    }
}
