//! The case studies bundled into the app, compiled by `build.rs` into the core's binary form
//! (`core::codec`): each is either ready to play (validated at build time, bodies already
//! sanitised HTML) or a list of `file:line` problems that the home screen shows instead of
//! starting it. Also the area's thresholds and the rubrics.

use std::sync::Arc;

use thresholds_core::area::Area;
use thresholds_core::codec::{decode_area, decode_case, decode_rubrics};
use thresholds_core::score::Rubrics;
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
        .map(|(file, bytes, problems)| {
            if !problems.is_empty() {
                return CaseFile::Broken {
                    file: file.to_string(),
                    problems: problems.iter().map(|p| p.to_string()).collect(),
                };
            }
            // Validated in full at build time; decoding checks only that the bytes are whole,
            // so a damaged build cannot start a case.
            match decode_case(file, bytes) {
                Some(s) => CaseFile::Ready(Arc::new(s)),
                None => CaseFile::Broken {
                    file: file.to_string(),
                    problems: vec![format!(
                        "{file}: the compiled case could not be read; rebuild the app"
                    )],
                },
            }
        })
        .collect()
}

/// The area's thresholds, or the problems in the area and rubric files (checked at build time).
pub fn area() -> Result<Arc<Area>, Vec<String>> {
    if !SETTING_PROBLEMS.is_empty() {
        return Err(SETTING_PROBLEMS.iter().map(|p| p.to_string()).collect());
    }
    decode_area(AREA)
        .map(Arc::new)
        .ok_or_else(|| vec!["the compiled area could not be read; rebuild the app".to_string()])
}

/// The rubrics. Should they not load, scores are simply empty.
pub fn rubrics() -> Arc<Rubrics> {
    Arc::new(decode_rubrics(RUBRICS).unwrap_or_default())
}
