//! Threshold judgement and timeliness of the referral, read against the area's framework.

use super::decision_count;
use super::history::{held_at, in_play_at, known_at, History};
use super::{Inferred, Tally, Timeliness};
use crate::model::Basis;
use crate::thresholds::{full_picture, respond};

/// Threshold judgement and timeliness (Working Together 2023: refer immediately where a child
/// may be suffering significant harm; the area's framework says which levels call for a
/// referral). Refers-when-needed: once the trainee's own service holds what puts it at the
/// referral level, the front door is told. Timeliness: how many decisions after that it was
/// told. Over-reaction: a referral while what the services knew between them was below the
/// referral level.
pub(super) fn marks(
    h: &History,
    referral_turns: &[(u32, Option<Basis>)],
    tally: &mut Tally,
) -> Timeliness {
    let (area, s, run, trainee) = (h.area, h.s, h.run, h.trainee.as_str());
    let mut t = Timeliness::default();
    let Some(referral) = area.referral_rank() else {
        return t;
    };
    let door = area.front_door();
    for turn in 0..=run.turn {
        if t.referral_level_at.is_none()
            && full_picture(area, &in_play_at(s, run, turn)).rank >= referral
        {
            t.referral_level_at = Some(turn);
        }
        if t.threshold_met_at.is_none()
            && area
                .service(trainee)
                .is_some_and(|a| respond(area, a, &held_at(s, run, trainee, turn)).rank >= referral)
        {
            t.threshold_met_at = Some(turn);
        }
        if t.front_door_at.is_none()
            && door
                .is_some_and(|d| respond(area, d, &held_at(s, run, &d.id, turn)).rank >= referral)
        {
            t.front_door_at = Some(turn);
        }
    }
    if let Some(met) = t.threshold_met_at {
        // A referral is a share with the front door that leaves it holding what put the
        // trainee's service at the referral level (a share of "uses heroin" alone is not one).
        let because = area.service(trainee).map_or_else(Vec::new, |a| {
            respond(area, a, &held_at(s, run, trainee, met)).because
        });
        let door_holds_all =
            |turn: u32| door.is_some_and(|d| because.iter().all(|f| known_at(run, &d.id, f, turn)));
        // Made at the decision after the one that brought the facts to light, or earlier if the
        // front door already held them then, it is prompt.
        t.referred_at = referral_turns
            .iter()
            .map(|(r, _)| *r)
            .find(|r| *r >= met && door_holds_all(*r));
        let already = door_holds_all(met) && referral_turns.iter().any(|(r, _)| *r <= met);
        // A referral made weeks after the threshold was met is a referral, but the judgement
        // that the threshold was met came late: half the mark.
        let (points, why) = match (already, t.referred_at) {
            (true, _) => (2, "Children's social care already had what it needed when your service reached the referral level".to_string()),
            (false, Some(r)) if r <= met + 3 => (2, format!("Your service reached the referral level at decision {met} and told children's social care at decision {r}")),
            (false, Some(r)) => (1, format!("Your service reached the referral level at decision {met} but told children's social care only at decision {r}")),
            (false, None) => (0, format!("Your service reached the referral level at decision {met} and did not tell children's social care what put it there")),
        };
        tally.infer(
            Inferred::RefersWhenNeeded,
            points,
            2,
            t.referred_at.unwrap_or(met),
            None,
            why,
        );
        let (points, why) = match (already, t.referred_at) {
            (true, _) => (2, "Children's social care had what it needed in time".to_string()),
            (false, Some(r)) if r <= met + 1 => (
                2,
                format!("You referred at decision {r}, as soon as you could after the threshold was met at decision {met}"),
            ),
            (false, Some(r)) => (
                i32::from(r <= met + 3),
                format!(
                    "You referred at decision {r}, {} after your service reached the referral level at decision {met}",
                    decision_count(r - met - 1)
                ),
            ),
            (false, None) => (
                0,
                format!("Your service reached the referral level at decision {met}; children's social care was not told what put it there"),
            ),
        };
        tally.infer(
            Inferred::FrontDoorTimely,
            points,
            2,
            t.referred_at.unwrap_or(met),
            None,
            why,
        );
    }
    for (turn, basis) in referral_turns {
        // Judged on what was known when the trainee decided, before or after the decision: a
        // choice that puts a risk right and refers in one go is not an over-reaction.
        let full = |turn: u32| full_picture(area, &in_play_at(s, run, turn)).rank;
        let at_most = full(*turn).max(full(turn.saturating_sub(1)));
        if matches!(basis, Some(Basis::Safeguarding | Basis::Emergency)) && at_most < referral {
            tally.infer(
                Inferred::ProportionateResponse,
                -1,
                0,
                *turn,
                None,
                "A referral to children's social care before what the services knew between them reached the referral level".to_string(),
            );
        }
    }
    t
}
