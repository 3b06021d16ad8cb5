//! Marks from a case's own tags: what each decision earned (`credit:`) or lost (`error:`), for
//! what the model cannot see, such as whether the children were seen. The best choice open at a
//! step sets what was achievable there, rubric by rubric.

use super::history::History;
use super::Tally;

pub(super) fn marks(h: &History, tally: &mut Tally) {
    // Tags: what each decision earned or lost; the best choice open at that step sets what was
    // achievable there, rubric by rubric.
    for d in &h.decisions {
        for tag in &d.choice.credits {
            tally.mark(&tag.value, 1, 0, d.turn, d.id(), d.choice.label.clone());
        }
        for tag in &d.choice.errors {
            tally.mark(&tag.value, -1, 0, d.turn, d.id(), d.choice.label.clone());
        }
        for rubric in &tally.rubrics.rubrics {
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
}
