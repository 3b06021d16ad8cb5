//! Reporting to an organisation's learning management system, SCORM 1.2. It runs only in a
//! SCORM package (`scripts/package --scorm`, which writes the `thresholds-lms` meta tag) and
//! only when the LMS offers its API: otherwise nothing here does anything, and nothing ever
//! leaves the device. What to report is worked out in `core::lms`; this file finds the API,
//! calls it, and keeps going whatever it answers.
//!
//! Both programs (the home screen and the player) see the same `window`, not the same memory:
//! the session with the LMS is kept on `window` (`__thresholdsLms`), so it is started once.

use js_sys::{Function, Object, Reflect};
use thresholds_core::area::Area;
use thresholds_core::score::Rubrics;
use thresholds_core::{Scenario, Session};
use wasm_bindgen::{JsCast, JsValue};

use super::{get, package};

const STATE: &str = "__thresholdsLms";

/// The API in this window or up to seven of its parents; `None` at the top, or at a parent of
/// another origin, which cannot be read.
fn find_in(mut here: JsValue) -> Option<JsValue> {
    for _ in 0..8 {
        if let Some(api) = get(&here, "API").filter(|a| get(a, "LMSInitialize").is_some()) {
            return Some(api);
        }
        let parent = get(&here, "parent")?;
        if Object::is(&parent, &here) {
            return None;
        }
        here = parent;
    }
    None
}

/// SCORM 1.2's API discovery: this window and its parents, then the opener and its parents.
fn find_api() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    find_in(window.clone()).or_else(|| get(&window, "opener").and_then(find_in))
}

fn state() -> Option<JsValue> {
    get(&web_sys::window()?.into(), STATE)
}

/// Calls an API function with string arguments; its answer as text ("" when it has none).
fn call(api: &JsValue, name: &str, args: &[&str]) -> String {
    let Some(f) = get(api, name).and_then(|f| f.dyn_into::<Function>().ok()) else {
        return String::new();
    };
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    f.apply(api, &args)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Starts the session with the LMS, once per page, in a package only. Returns what the LMS
/// kept from an earlier session (`cmi.suspend_data`), if anything, and a notice for the
/// learner when the LMS could not be reached or refused to start.
fn start() -> (Option<String>, Option<String>) {
    if state().is_some() {
        return (None, None);
    }
    let Some(window) = web_sys::window() else {
        return (None, None);
    };
    let record = Object::new();
    let _ = Reflect::set(&window, &STATE.into(), &record);
    let Some(api) = find_api() else {
        return (None, Some(NO_LMS.to_string()));
    };
    if call(&api, "LMSInitialize", &[""]) != "true" {
        return (None, Some(LMS_REFUSED.to_string()));
    }
    let _ = Reflect::set(&record, &"api".into(), &api);
    let _ = Reflect::set(&record, &"started".into(), &js_sys::Date::now().into());
    let kept = call(&api, "LMSGetValue", &["cmi.suspend_data"]);
    let finish = wasm_bindgen::closure::Closure::<dyn Fn()>::new(finish).into_js_value();
    let _ = window.add_event_listener_with_callback("pagehide", finish.unchecked_ref());
    (Some(kept).filter(|k| !k.is_empty()), None)
}

const NO_LMS: &str = "This copy of Thresholds was packaged for a learning management system, but none answered. You can play every case; your progress is kept on this device only.";
const LMS_REFUSED: &str = "Your learning management system did not start a session for Thresholds. You can play every case; your progress is kept on this device only.";
const LMS_ERROR: &str = "Your learning management system did not accept the latest record. You can keep playing; your progress is kept on this device as well.";

fn api() -> Option<JsValue> {
    state().and_then(|s| get(&s, "api"))
}

/// Reports a run after each decision: where the learner is, the save to resume from, and at
/// an ending the score and the status. Returns a notice when the LMS refused something
/// (said once per page).
pub fn record(s: &Scenario, session: &Session, area: &Area, rubrics: &Rubrics) -> Option<String> {
    let api = api()?;
    let package = package().unwrap_or_default();
    let ended = session.run.is_ended(s);
    let mut ok = true;
    let mut set = |key: &str, value: &str| ok &= call(&api, "LMSSetValue", &[key, value]) == "true";
    set(
        "cmi.core.lesson_location",
        &thresholds_core::lms::location(s, session),
    );
    // "suspend" while the run is unfinished, so the LMS starts the next session as a resume.
    set("cmi.core.exit", if ended { "" } else { "suspend" });
    if let Some((data, _)) = thresholds_core::lms::suspend_data(s, session, &crate::saves::now()) {
        set("cmi.suspend_data", &data);
    }
    let score = ended.then(|| {
        thresholds_core::lms::overall(&thresholds_core::score::score(
            area,
            rubrics,
            s,
            &session.run,
        ))
    });
    if let Some(score) = score {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", &score.to_string());
    }
    set(
        "cmi.core.lesson_status",
        thresholds_core::lms::lesson_status(
            ended,
            session.mode,
            score.unwrap_or(0),
            package.mastery,
        ),
    );
    ok &= call(&api, "LMSCommit", &[""]) == "true";
    warn_once(ok)
}

fn warn_once(ok: bool) -> Option<String> {
    let record = state()?;
    if ok || get(&record, "warned").is_some() {
        return None;
    }
    let _ = Reflect::set(&record, &"warned".into(), &true.into());
    Some(LMS_ERROR.to_string())
}

/// On leaving: the time spent, then the end of the session (once).
fn finish() {
    let (Some(record), Some(api)) = (state(), api()) else {
        return;
    };
    if get(&record, "finished").is_some() {
        return;
    }
    let _ = Reflect::set(&record, &"finished".into(), &true.into());
    let started = get(&record, "started")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let spent = (js_sys::Date::now() - started).max(0.0) as u64;
    call(
        &api,
        "LMSSetValue",
        &[
            "cmi.core.session_time",
            &thresholds_core::lms::session_time(spent),
        ],
    );
    call(&api, "LMSCommit", &[""]);
    call(&api, "LMSFinish", &[""]);
}

/// At a program's start: the session with the LMS started (once per page), and a run the LMS
/// kept from an earlier session put back as this device's save of it, so "Resume" offers it
/// (the LMS's copy wins: the learner may have played it on another computer). A launch at the
/// home screen with such a run goes straight back to it. Returns notices for the learner.
pub fn begin() -> Vec<String> {
    let (kept, notice) = start();
    let mut notices: Vec<String> = notice.into_iter().collect();
    let Some(kept) = kept else {
        return notices;
    };
    match crate::saves::import(&kept) {
        Ok(href) => {
            let hash = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default();
            if crate::route::Route::parse(&hash) == crate::route::Route::Home {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash(&href);
                }
            }
        }
        Err(why) => notices.push(format!(
            "The progress your learning management system kept could not be read ({why}); you can start again."
        )),
    }
    notices
}
