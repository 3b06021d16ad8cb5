//! Timeliness for the key services (`timely`): each should have the facts that would put it
//! where it would be if it knew all that the trainee's service held or could have found out,
//! soon after a choice in the story (other than a poor one) first offered to pass them on. The
//! share form is always there too, so a fact passed on before the story offered it is prompt.

use super::decision_count;
use super::history::{offered_to, History};
use super::{Inferred, Tally};
use crate::engine::Source;
use crate::model::Fact;
use crate::thresholds::respond;

pub(super) fn key_services(h: &History, tally: &mut Tally) {
    let (area, s, run, trainee) = (h.area, h.s, h.run, h.trainee.clone());
    let name = |id: &str| h.name(id);
    let (decisions, findable) = (&h.decisions, &h.findable);
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
        let offered = offered_to(run, decisions, &key.value, &trainee, findable);
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
            tally.infer(
                Inferred::Timely,
                points,
                2,
                theirs.map_or(run.turn, |t| t.since),
                None,
                why,
            );
        }
    }
}
