//! The case studies bundled into the app, compiled by `build.rs`: each is either ready to play
//! (already validated, bodies already sanitised HTML) or a list of `file:line` problems that the
//! home screen shows instead of starting it.

use std::sync::Arc;

use thresholds_core::area::{load_area, Area};
use thresholds_core::parse::parse;
use thresholds_core::Scenario;

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

/// Cases from the source report that are not written yet, shown so trainers know they are coming.
pub const COMING: &[(&str, &str)] = &[
    (
        "Abby and Jada",
        "Abby, 20, uses stimulants; her parents often care for 18-month-old Jada.",
    ),
    (
        "Tom and Danielle",
        "Tom, 40, on take-home methadone, is back in touch with his daughter Danielle, 12.",
    ),
];

#[derive(Clone)]
pub enum CaseFile {
    Ready(Arc<Scenario>),
    Broken { file: String, problems: Vec<String> },
}

pub fn bundled() -> Vec<CaseFile> {
    COMPILED
        .iter()
        .map(|(file, text, problems)| {
            if !problems.is_empty() {
                return CaseFile::Broken {
                    file: file.to_string(),
                    problems: problems.iter().map(|p| p.to_string()).collect(),
                };
            }
            // Validated in full at build time. Only the parser runs here: the validator would
            // add about 10 KB gzip to every first load to re-check what build.rs already checked.
            // A parse problem still stops the case, so a build fault cannot start a broken one.
            match parse(file, text) {
                (s, found) if found.is_empty() => CaseFile::Ready(Arc::new(s)),
                (_, found) => CaseFile::Broken {
                    file: file.to_string(),
                    problems: found.iter().map(|p| p.to_string()).collect(),
                },
            }
        })
        .collect()
}

/// The area's threshold framework and services (checked at build time; checked again here).
pub fn area() -> Result<Arc<Area>, Vec<String>> {
    load_area(AREA[0], AREA[1])
        .map(Arc::new)
        .map_err(|problems| problems.iter().map(|p| p.to_string()).collect())
}
