//! Information sharing inferred from each share the trainee's service made: more than the
//! recipient needed (`proportionate`), no lawful basis or consent as the basis (`lawful-basis`;
//! May 2024 advice, golden rule 3), and whether the parent was told when that was safe, or told
//! when it was not (`be-open`; golden rule 2). Returns the referrals: shares with the front door,
//! one per decision and basis.

use super::history::History;
use super::{openness_fault, telling_unsafe_at, Inferred, OpennessFault, Tally};
use crate::engine::LogEntry;
use crate::model::Basis;
use crate::thresholds::not_needed;

pub(super) fn shares(h: &History, tally: &mut Tally) -> Vec<(u32, Option<Basis>)> {
    let (area, s, run, trainee) = (h.area, h.s, h.run, h.trainee.clone());
    let name = |id: &str| h.name(id);
    let label = |id: &str| h.label(id);
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
            tally.infer(
                Inferred::Proportionate,
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
            tally.infer(
                Inferred::LawfulBasis,
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
            tally.infer(
                Inferred::LawfulBasis,
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
                Some(OpennessFault::NotToldThoughSafe) => tally.infer(
                Inferred::BeOpen,
                    -1,
                    0,
                    *turn,
                    None,
                    format!(
                        "You shared with {} without telling the parent, though telling them was safe",
                        name(to)
                    ),
                ),
                Some(OpennessFault::ToldThoughUnsafe) => tally.infer(
                Inferred::BeOpen,
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
    referral_turns
}
