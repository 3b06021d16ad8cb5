//! The trainer's own cases, kept on this device (issue 14): each as it was checked on the
//! authoring screen (`thresholds_core::kept::KeptCase`: its source, to edit again or export
//! back as a file, and its compiled form, to play: the browser has no parser outside the
//! authoring desk's worker). Only a case with no problems is ever kept, so a broken one is
//! never started.
//!
//! Key `thresholds/own/<id>`. An own case plays as `own-<id>`, so it never mixes its saves
//! with a bundled case of the same id.

use thresholds_core::kept::KeptCase;
use thresholds_core::Scenario;

use crate::storage;

const PREFIX: &str = "thresholds/own/";
/// The prefix an own case's id carries in the app (its route, its saves).
pub const ID_PREFIX: &str = "own-";

pub struct OwnCase {
    /// The id it plays as: `own-` and the case's own id.
    pub id: String,
    pub kept: KeptCase,
}

impl OwnCase {
    /// The case, ready to play under its own id; `None` if the record was kept by a version of
    /// the app whose compiled form this one cannot read.
    pub fn scenario(&self) -> Option<Scenario> {
        self.kept.scenario(&self.id)
    }
}

fn key(id: &str) -> String {
    format!("{PREFIX}{}", id.strip_prefix(ID_PREFIX).unwrap_or(id))
}

/// Keeps a checked case, replacing an earlier one with the same id.
pub fn keep(case: &OwnCase) -> Result<(), String> {
    storage::set(&key(&case.id), &case.kept.encode()).map_err(|e| {
        format!("Your case could not be kept on this device ({e}), so it cannot be played here yet. Export it to keep it; free some space, or allow storage, and play it again.")
    })
}

/// The id an own case plays as, from the case's own id.
pub fn play_id(case_id: &str) -> String {
    format!("{ID_PREFIX}{case_id}")
}

/// Every own case kept on this device, in id order; records this version cannot read are
/// skipped (and left alone).
pub fn list() -> Vec<OwnCase> {
    // In id order, by insertion (the standard sort costs the first load kilobytes: see
    // ARCHITECTURE.md, "Size").
    let mut found: Vec<OwnCase> = Vec::new();
    for k in storage::keys(PREFIX).unwrap_or_default() {
        let id = play_id(&k[PREFIX.len()..]);
        if let Some(case) = read(&id, &k) {
            let at = found
                .iter()
                .position(|x| x.id > case.id)
                .unwrap_or(found.len());
            found.insert(at, case);
        }
    }
    found
}

fn read(id: &str, key: &str) -> Option<OwnCase> {
    let kept = KeptCase::decode(&storage::get(key).ok()??)?;
    Some(OwnCase {
        id: id.to_string(),
        kept,
    })
}

pub fn get(id: &str) -> Option<OwnCase> {
    read(id, &key(id))
}

pub fn remove(id: &str) -> Result<(), String> {
    storage::remove(&key(id))
}
