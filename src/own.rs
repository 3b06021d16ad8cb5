//! The trainer's own cases, kept on this device (issue 14): each as it was checked on the
//! authoring screen, its source (to edit again or export back as a file) and its compiled form
//! (to play: the browser has no parser outside the authoring desk's worker). Only a case with no
//! problems is ever kept, so a broken one is never started.
//!
//! Key `thresholds/own/<id>`; the value is text:
//! `thresholds-own 1`, then `file:`, `saved:`, `shortest:`, `longest:` and `compiled:` (base64)
//! lines, a blank line, and the source. An own case plays as `own-<id>`, so it never mixes its
//! saves with a bundled case of the same id.

use thresholds_core::base64;
use thresholds_core::codec::decode_case;
use thresholds_core::Scenario;

use crate::storage;

const PREFIX: &str = "thresholds/own/";
const FORMAT: &str = "thresholds-own 1";
/// The prefix an own case's id carries in the app (its route, its saves).
pub const ID_PREFIX: &str = "own-";

pub struct OwnCase {
    /// The id it plays as: `own-` and the case's own id.
    pub id: String,
    pub file: String,
    /// When it was kept (ISO 8601).
    pub saved: String,
    pub decisions: (u32, u32),
    pub compiled: Vec<u8>,
    pub source: String,
}

impl OwnCase {
    /// The case, ready to play under its own id; `None` if the record is damaged or was kept by
    /// a version of the app whose compiled form this one cannot read.
    pub fn scenario(&self) -> Option<Scenario> {
        let mut s = decode_case(&self.file, &self.compiled)?;
        s.id = self.id.clone();
        Some(s)
    }

    fn encode(&self) -> String {
        format!(
            "{FORMAT}\nfile: {}\nsaved: {}\nshortest: {}\nlongest: {}\ncompiled: {}\n\n{}",
            self.file.replace('\n', " "),
            self.saved,
            self.decisions.0,
            self.decisions.1,
            base64::encode(&self.compiled),
            self.source
        )
    }

    fn decode(id: &str, text: &str) -> Option<OwnCase> {
        let names = ["file", "saved", "shortest", "longest", "compiled"];
        let (f, source) = storage::read_record(text, FORMAT, &names)?;
        Some(OwnCase {
            id: id.to_string(),
            file: f[0].to_string(),
            saved: f[1].to_string(),
            decisions: (f[2].parse().ok()?, f[3].parse().ok()?),
            compiled: base64::decode(f[4])?,
            source: source.to_string(),
        })
    }
}

fn key(id: &str) -> String {
    format!("{PREFIX}{}", id.strip_prefix(ID_PREFIX).unwrap_or(id))
}

/// Keeps a checked case (replacing an earlier one with the same id); returns the id it plays as.
pub fn keep(case: &OwnCase) -> Result<(), String> {
    storage::set(&key(&case.id), &case.encode()).map_err(|e| {
        format!("Your case could not be kept on this device ({e}). You can still play it now; export it to keep it.")
    })
}

/// The id an own case plays as, from the case's own id.
pub fn play_id(case_id: &str) -> String {
    format!("{ID_PREFIX}{case_id}")
}

/// Every own case kept on this device, by id; damaged records are skipped (and left alone).
pub fn list() -> Vec<OwnCase> {
    // In id order, by insertion (the standard sort costs the first load kilobytes: see
    // ARCHITECTURE.md, "Size").
    let mut found: Vec<OwnCase> = Vec::new();
    for k in storage::keys(PREFIX).unwrap_or_default() {
        let id = play_id(&k[PREFIX.len()..]);
        if let Some(case) = storage::get(&k)
            .ok()
            .flatten()
            .and_then(|t| OwnCase::decode(&id, &t))
        {
            let at = found
                .iter()
                .position(|x| x.id > case.id)
                .unwrap_or(found.len());
            found.insert(at, case);
        }
    }
    found
}

pub fn get(id: &str) -> Option<OwnCase> {
    OwnCase::decode(id, &storage::get(&key(id)).ok()??)
}

pub fn remove(id: &str) -> Result<(), String> {
    storage::remove(&key(id))
}
