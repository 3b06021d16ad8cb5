//! The case studies bundled into the app, compiled by `build.rs`: each is either ready to play
//! (already validated, bodies already sanitised HTML) or a list of `file:line` problems that the
//! home screen shows instead of starting it.

use std::sync::Arc;

use thresholds_core::{load, Scenario};

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
            // Validated at build time; checked again so a build-script fault cannot start a bad case.
            match load(file, text) {
                Ok(s) => CaseFile::Ready(Arc::new(s)),
                Err(found) => CaseFile::Broken {
                    file: file.to_string(),
                    problems: found.iter().map(|p| p.to_string()).collect(),
                },
            }
        })
        .collect()
}
