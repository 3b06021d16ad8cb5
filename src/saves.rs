//! Saved progress on this device: one save per case and mode, written after every action, in
//! the core's save format (`core::save`). A save that cannot be read is copied to a backup key
//! before it is moved out of the way, so nothing is lost; if the copy fails, it is left alone.
//! Every failure comes back as a sentence for the notice bar: the app keeps running.

use thresholds_core::save::{self, SaveError, Saved};
use thresholds_core::{Mode, Scenario, Session};

use crate::storage;

const PREFIX: &str = "thresholds/";
const SAVES: &str = "thresholds/save/";
const MODE_KEY: &str = "thresholds/settings/mode";

fn key(case: &str, mode: Mode) -> String {
    format!("{SAVES}{case}/{}", mode.as_str())
}

pub fn now() -> String {
    // The device's local time with its offset (ISO 8601), so the record shows the time the
    // trainee saw on their clock: "2026-11-30T09:15:00+00:00".
    let d = js_sys::Date::new_0();
    let east = -(d.get_timezone_offset() as i32);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        if east < 0 { '-' } else { '+' },
        east.abs() / 60,
        east.abs() % 60
    )
}

/// Checks that storage accepts a write; `Err` is a notice for the trainee.
pub fn probe() -> Result<(), String> {
    let probe = format!("{PREFIX}probe");
    storage::set(&probe, "1")
        .and_then(|_| storage::remove(&probe))
        .map_err(|e| format!("This browser is not letting Thresholds save your progress ({e}). You can still play every case, but progress will not be kept when you close the page: download your record at the end."))
}

/// Every readable save, and a notice for each one that could not be read.
pub fn load_all() -> (Vec<Saved>, Vec<String>) {
    let mut saves = Vec::new();
    let mut notices = Vec::new();
    let keys = match storage::keys(SAVES) {
        Ok(k) => k,
        Err(e) => {
            notices.push(format!(
                "Saved progress cannot be read on this device ({e})."
            ));
            return (saves, notices);
        }
    };
    for k in keys {
        let raw = match storage::get(&k) {
            Ok(Some(raw)) => raw,
            Ok(None) => continue,
            Err(e) => {
                notices.push(format!(
                    "Saved progress in {k} cannot be read ({e}); it has been left as it is."
                ));
                continue;
            }
        };
        match save::decode(&raw) {
            Ok(saved) => saves.push(saved),
            Err(e @ SaveError::Newer(_)) => {
                notices.push(format!("A saved run ({k}) cannot be opened here: {e}."))
            }
            Err(e) => {
                let backup = format!("{PREFIX}backup/{}/{}", now(), &k[PREFIX.len()..]);
                let kept = storage::set(&backup, &raw).and_then(|_| storage::remove(&k));
                notices.push(match kept {
                    Ok(()) => format!("A saved run could not be read because {e}. A copy was kept on this device as {backup}; your other progress is safe."),
                    Err(w) => format!("A saved run ({k}) could not be read because {e}, and could not be backed up ({w}); it has been left as it is."),
                });
            }
        }
    }
    (saves, notices)
}

pub fn read(case: &str, mode: Mode) -> Option<Saved> {
    storage::get(&key(case, mode))
        .ok()
        .flatten()
        .and_then(|raw| save::decode(&raw).ok())
}

/// The event a save sends on `window`: the home screen, a program of its own, re-draws its
/// cards when a save lands after it was drawn (the player saves a run as it closes, which can
/// be after the home screen has already followed the address back).
pub const SAVED_EVENT: &str = "thresholds-saved";

/// Saves a session; `Err` is a notice for the trainee.
pub fn write(s: &Scenario, session: &Session) -> Result<(), String> {
    storage::set(
        &key(&s.id, session.mode),
        &save::encode(s, session, &now()),
    )
    .map_err(|e| format!("Your progress could not be saved just now ({e}). You can keep playing; download your record at the end to keep it."))?;
    if let (Some(w), Ok(ev)) = (web_sys::window(), web_sys::Event::new(SAVED_EVENT)) {
        let _ = w.dispatch_event(&ev);
    }
    Ok(())
}

/// Keeps a save made elsewhere (an LMS's `cmi.suspend_data`) as this device's save of its case
/// and mode; the address that resumes it, or why it cannot be read.
pub fn import(text: &str) -> Result<String, String> {
    let saved = save::decode(text).map_err(|e| e.to_string())?;
    storage::set(&key(&saved.case, saved.mode), text)?;
    Ok(crate::route::Route::Case {
        id: saved.case.clone(),
        mode: saved.mode,
        seed: Some(saved.seed),
        path: Some(thresholds_core::session::path_text(&saved.actions)),
    }
    .to_hash())
}

pub fn discard(case: &str, mode: Mode) -> Result<(), String> {
    storage::remove(&key(case, mode))
}

/// Removes everything Thresholds keeps on this device; returns how many items.
pub fn clear_all() -> Result<usize, String> {
    let keys = storage::keys(PREFIX)?;
    for k in &keys {
        storage::remove(k)?;
    }
    Ok(keys.len())
}

/// The way to train last chosen on this device.
pub fn mode() -> Mode {
    // A package for an LMS sets the way to train (assessment for students, say).
    if let Some(mode) = crate::lms::package().and_then(|p| p.mode) {
        return mode;
    }
    storage::get(MODE_KEY)
        .ok()
        .flatten()
        .and_then(|m| Mode::parse(&m))
        .unwrap_or_default()
}

pub fn set_mode(mode: Mode) {
    // A preference only: if it cannot be kept, the choice still applies now.
    let _ = storage::set(MODE_KEY, mode.as_str());
}
