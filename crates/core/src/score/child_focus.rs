//! Child focus inferred from the run (`finds-out`): at each decision, the facts about the
//! children's lives that the chosen option brought to light for the trainee's service, against
//! the most that any option open at that moment would have (NSPCC learning from case reviews:
//! workers treated the parent without asking what life was like for the children).

use super::history::{known_at, History};
use super::{about_the_children, Inferred, Tally};
use crate::model::{Choice, Effect};

pub(super) fn finds_out(h: &History, tally: &mut Tally) {
    let (s, run, trainee) = (h.s, h.run, h.trainee.clone());
    let label = |id: &str| h.label(id);
    // Finding out what the children's lives are like: at each decision, the facts about the
    // children that the chosen option brought to light for the trainee's service, against the
    // most that any option open at that moment would have.
    for d in &h.decisions {
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
        tally.infer(
            Inferred::FindsOut,
            got.len().min(best.len()) as i32,
            best.len() as i32,
            d.turn,
            d.id(),
            why,
        );
    }
}
