//! Reporting to an organisation's learning management system. Nothing here runs unless the
//! app is a package built for an LMS (`scripts/package --scorm` or `--cmi5` writes the
//! `thresholds-lms` meta tag) and that LMS launched it: in every other build nothing ever
//! leaves the device. Two standards, each in its own file: SCORM 1.2 (`scorm`), where the
//! LMS's API is a script in a parent frame, and cmi5 (`cmi5`), where the app sends xAPI
//! statements to the LMS's learning record store. What to report is worked out natively, in
//! `core::lms` and `views::cmi5`.

pub mod cmi5;
pub use cmi5::LEAVING;
mod scorm;

use js_sys::Reflect;
use thresholds_core::area::Area;
use thresholds_core::score::Rubrics;
use thresholds_core::{Mode, Scenario, Session};
use wasm_bindgen::JsValue;

/// Which standard a package speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Standard {
    #[default]
    Scorm12,
    Cmi5,
}

/// What the package says: its standard, the way to train, the mastery score (0 to 100), which
/// cases it carries.
#[derive(Clone, Debug, Default)]
pub struct Package {
    pub standard: Standard,
    pub mode: Option<Mode>,
    pub mastery: Option<u32>,
    pub cases: Vec<String>,
}

/// The package's settings, from `<meta name="thresholds-lms" content="scorm12 mode=... ">` (or
/// `cmi5 ...`); `None` in every other build.
pub fn package() -> Option<Package> {
    let meta = web_sys::window()?
        .document()?
        .query_selector("meta[name=\"thresholds-lms\"]")
        .ok()??;
    let content = meta.get_attribute("content")?;
    let mut words = content.split_whitespace();
    let standard = match words.next() {
        Some("scorm12") => Standard::Scorm12,
        Some("cmi5") => Standard::Cmi5,
        _ => return None,
    };
    let mut p = Package {
        standard,
        ..Package::default()
    };
    for w in words {
        match w.split_once('=') {
            Some(("mode", m)) => p.mode = Mode::parse(m),
            Some(("mastery", m)) => p.mastery = m.parse().ok().filter(|m| *m <= 100),
            Some(("cases", c)) => p.cases = c.split(',').map(str::to_string).collect(),
            _ => {}
        }
    }
    Some(p)
}

/// A property of a JavaScript object, if it has one (a frame of another origin throws on
/// access: then it has none).
pub(crate) fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// At a program's start: the session with the LMS started (once per page) and anything it
/// kept put back. Returns notices for the learner.
pub fn begin() -> Vec<String> {
    match package().map(|p| p.standard) {
        Some(Standard::Scorm12) => scorm::begin(),
        // The cmi5 program of the package starts itself (src/bin/lms.rs).
        Some(Standard::Cmi5) => Vec::new(),
        None => Vec::new(),
    }
}

/// After each decision: the run reported to the LMS. Returns a notice when the LMS refused.
pub fn record(s: &Scenario, session: &Session, area: &Area, rubrics: &Rubrics) -> Option<String> {
    match package().map(|p| p.standard) {
        Some(Standard::Scorm12) => scorm::record(s, session, area, rubrics),
        Some(Standard::Cmi5) => {
            to_cmi5_program(s, session, area, rubrics);
            None
        }
        None => None,
    }
}

/// Hands the run to the cmi5 program, which queues and sends it: only its statements are worked
/// out here (`views::cmi5::record_json`), so the player carries none of the sending. If that
/// program has not started yet, the run waits on `window` for it.
fn to_cmi5_program(s: &Scenario, session: &Session, area: &Area, rubrics: &Rubrics) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let v = thresholds_views::CaseView {
        area,
        rubrics,
        scenario: s,
        session,
        prompts_open: false,
    };
    let text = JsValue::from_str(&thresholds_views::cmi5::record_json(&v));
    let program = get(&window, "__thresholdsCmi5");
    match program.as_ref().and_then(|p| get(p, "record")) {
        Some(f) => {
            let _ =
                js_sys::Function::from(f).call1(program.as_ref().unwrap_or(&JsValue::NULL), &text);
        }
        None => {
            let _ = Reflect::set(&window, &cmi5::WAITING.into(), &text);
        }
    }
}
