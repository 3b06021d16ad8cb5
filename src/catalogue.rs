//! The case studies bundled into the app, compiled by `build.rs`: each is either ready to play
//! (already validated, bodies already sanitised HTML) or a list of `file:line` problems that the
//! home screen shows instead of starting it. Also the area's thresholds and the rubrics.

use std::sync::Arc;

use thresholds_core::area::{load_area, Area};
use thresholds_core::parse::parse;
use thresholds_core::score::{load_rubrics, Rubrics};
use thresholds_core::Scenario;

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

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

/// The rubrics (checked at build time). Should they not load, scores are simply empty.
pub fn rubrics() -> Arc<Rubrics> {
    Arc::new(load_rubrics(RUBRICS.0, RUBRICS.1).unwrap_or_default())
}
