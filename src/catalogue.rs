//! The case studies bundled with the app, the area's thresholds and the rubrics, compiled by
//! `build.rs` into the core's binary form (`core::codec`).
//!
//! The first load carries only the catalogue: each sound case's header (what its card shows)
//! and the name of its own content-hashed file, or a broken file's `file:line` problems. A case
//! is fetched and decoded when it is first opened (or when a save of it needs checking), so the
//! first load does not grow with the number of cases. A file that cannot be fetched or decoded
//! is a plain message, never a blank screen or a panic.

use std::sync::Arc;

use thresholds_core::area::Area;
use thresholds_core::codec::{decode_area, decode_case, decode_page, decode_rubrics};
use thresholds_core::safe::SafeHtml;
use thresholds_core::score::Rubrics;
use thresholds_core::Scenario;
use wasm_bindgen::JsCast;

/// One bundled case file, as `build.rs` lists it.
pub enum Listing {
    Sound {
        file: &'static str,
        id: &'static str,
        title: &'static str,
        summary: &'static str,
        content_note: &'static str,
        role: &'static str,
        /// The trainee's service: its id and the area's name for it (the case's seat).
        seat: (&'static str, &'static str),
        nation: &'static str,
        version: u32,
        /// Decisions on the shortest and the longest path (for the time a case takes).
        decisions: (u32, u32),
        /// The compiled case, relative to the app.
        asset: &'static str,
    },
    // Only a build with a broken case file lists one (the browser tests make such a build).
    #[allow(dead_code)]
    Broken {
        file: &'static str,
        problems: &'static [&'static str],
    },
}

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

/// A bundled case: its header, ready to list, or the problems that keep it from starting.
#[derive(Clone)]
pub enum CaseFile {
    Listed(Entry),
    Broken { file: String, problems: Vec<String> },
}

/// Where a case's own file is: being fetched, ready to play, or failed with a message.
#[derive(Clone)]
pub enum Loaded {
    Loading,
    Ready(Arc<Scenario>),
    Failed(String),
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Loaded::Loading, Loaded::Loading) => true,
            (Loaded::Ready(a), Loaded::Ready(b)) => Arc::ptr_eq(a, b),
            (Loaded::Failed(a), Loaded::Failed(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone)]
pub struct Entry {
    /// The case's header only (no steps): enough for its card on the home screen.
    pub header: Arc<Scenario>,
    /// Decisions on the shortest and the longest path.
    pub decisions: (u32, u32),
    pub source: Source,
}

/// Where a case's compiled form is: a file of the app, or kept on this device (a trainer's
/// own case: `crate::own`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    File(&'static str),
    Own,
}

pub fn bundled() -> Vec<CaseFile> {
    CATALOGUE
        .iter()
        .map(|listing| match listing {
            Listing::Broken { file, problems } => CaseFile::Broken {
                file: file.to_string(),
                problems: problems.iter().map(|p| p.to_string()).collect(),
            },
            Listing::Sound {
                file,
                id,
                title,
                summary,
                content_note,
                role,
                seat,
                nation,
                version,
                decisions,
                asset,
            } => CaseFile::Listed(Entry {
                header: Arc::new(Scenario {
                    file: file.to_string(),
                    id: id.to_string(),
                    title: title.to_string(),
                    summary: summary.to_string(),
                    content_note: content_note.to_string(),
                    role: role.to_string(),
                    nation: nation.to_string(),
                    version: *version,
                    // The header keeps only the trainee's service, under the area's name.
                    services: vec![thresholds_core::model::Service {
                        id: seat.0.to_string(),
                        name: seat.1.to_string(),
                        trainee: true,
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                decisions: *decisions,
                source: Source::File(asset),
            }),
        })
        .collect()
}

/// The bundled cases, then the trainer's own cases kept on this device (one kept by a version
/// of the app that cannot read it is listed as a file with that problem).
pub fn all() -> Vec<CaseFile> {
    // A package for an LMS carries the cases it was made with (all, unless it names some),
    // and none of a trainer's own: it is the organisation's course.
    if let Some(package) = crate::lms::package() {
        return bundled()
            .into_iter()
            .filter(|c| match c {
                CaseFile::Listed(e) => {
                    package.cases.is_empty() || package.cases.contains(&e.header.id)
                }
                CaseFile::Broken { .. } => true,
            })
            .collect();
    }
    let mut cases = bundled();
    cases.extend(crate::own::list().iter().map(own_listing));
    cases
}

fn own_listing(own: &crate::own::OwnCase) -> CaseFile {
    match own.scenario() {
        Some(s) => CaseFile::Listed(Entry {
            header: Arc::new(s),
            decisions: own.kept.decisions,
            source: Source::Own,
        }),
        None => CaseFile::Broken {
            file: own.kept.file.clone(),
            problems: vec![format!("{}:1: this copy of your case cannot be read by this version of Thresholds (hint: open it on Your cases and check it again)", own.kept.file)],
        },
    }
}

/// A trainer's own case by the id it plays as.
pub fn own_entry(id: &str) -> Option<Entry> {
    match own_listing(&crate::own::get(id)?) {
        CaseFile::Listed(e) => Some(e),
        CaseFile::Broken { .. } => None,
    }
}

/// Fetches a file of the app: `Err` says why, for a message that starts "… could not be
/// loaded (why)".
async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    // The single-file package (scripts/package) carries each file in the page, base64 in a
    // data block named for it: opened as file://, there is nothing to fetch.
    if let Some(block) = window
        .document()
        .and_then(|d| d.get_element_by_id(&format!("file:{path}")))
    {
        let text = block.text_content().unwrap_or_default();
        let binary = window
            .atob(text.trim())
            .map_err(|_| "the file in this page is damaged")?;
        return Ok(binary.chars().map(|c| c as u8).collect());
    }
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| "the network did not answer")?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response")?;
    if !response.ok() {
        return Err(format!("the server said {}", response.status()));
    }
    let buffer = response.array_buffer().map_err(|_| "no body")?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|_| "the download broke off")?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Fetches and decodes a case's file. Validated in full at build time; decoding checks that the
/// bytes are whole and are this case, so a damaged or stale file cannot start.
pub async fn fetch_case(entry: &Entry) -> Result<Arc<Scenario>, String> {
    let title = &entry.header.title;
    let asset = match entry.source {
        Source::File(asset) => asset,
        Source::Own => {
            return crate::own::get(&entry.header.id)
                .and_then(|own| own.scenario())
                .map(Arc::new)
                .ok_or_else(|| format!("Your case \u{201c}{title}\u{201d} could not be read from this device: it may have been removed, or kept by another version of Thresholds. Open it on Your cases and check it again."));
        }
    };
    let bytes = fetch_bytes(asset).await.map_err(|why| {
        format!(
            "The case \u{201c}{title}\u{201d} could not be loaded ({why}). Check the connection and try again."
        )
    })?;
    match decode_case(&entry.header.file, &bytes) {
        Some(s) if s.id == entry.header.id => Ok(Arc::new(s)),
        _ => Err(format!(
            "The case \u{201c}{title}\u{201d} was downloaded but is damaged or out of date, so it cannot start. Reload the page; if it happens again, the app needs rebuilding."
        )),
    }
}

pub async fn fetch_law() -> Result<SafeHtml, String> {
    let bytes = fetch_bytes(LAW_PAGE).await.map_err(|why| {
        format!("The page could not be loaded ({why}). Check the connection and try again.")
    })?;
    decode_page(&bytes).ok_or_else(|| {
        "The page was downloaded but is damaged or out of date. Reload the page.".to_string()
    })
}

/// The area's thresholds and the rubrics every case is played and scored against.
#[derive(Clone)]
pub struct Setting {
    pub area: Arc<Area>,
    pub rubrics: Arc<Rubrics>,
}

/// The problems in the area and rubric files, found at build time (none in a sound build).
pub fn setting_problems() -> Vec<String> {
    SETTING_PROBLEMS.iter().map(|p| p.to_string()).collect()
}

/// The area's (the one in use: a trainer's choice kept on this device, or the built-in one) and
/// the rubrics' compiled files as they are, for the authoring desk's worker, which decodes them
/// itself.
pub async fn setting_bytes() -> Result<(Vec<u8>, Vec<u8>), String> {
    if !SETTING_PROBLEMS.is_empty() {
        return Err("The area's threshold files have problems (listed on the home screen), so no case can be checked.".to_string());
    }
    let why = |why: String| {
        format!("The area's thresholds could not be loaded ({why}). Check the connection and try again.")
    };
    let area = match crate::local_area::get() {
        Some(local) => local.compiled,
        None => fetch_bytes(AREA_FILE).await.map_err(why)?,
    };
    let rubrics = fetch_bytes(RUBRICS_FILE).await.map_err(why)?;
    Ok((area, rubrics))
}

/// A source file of the app (a bundled case's, an area's), as text, for the authoring desk.
pub async fn fetch_source(path: &str) -> Result<Vec<u8>, String> {
    fetch_bytes(path).await.map_err(|why| {
        format!("The file {path} could not be loaded ({why}). Check the connection and try again.")
    })
}

/// Fetches and decodes the area and the rubrics: their own files, fetched when a case or the
/// "About the law" screen first needs them, so they are no part of the first load. The area is
/// the trainer's choice kept on this device when there is one (`local_area`).
pub async fn fetch_setting() -> Result<Setting, String> {
    if !SETTING_PROBLEMS.is_empty() {
        return Err("The area's threshold files have problems (listed on the home screen), so no case can start.".to_string());
    }
    let fetch = |path: &'static str| async move {
        fetch_bytes(path).await.map_err(|why| {
            format!("The area's thresholds could not be loaded ({why}). Check the connection and try again.")
        })
    };
    let area = match crate::local_area::get() {
        Some(local) => local.compiled,
        None => fetch(AREA_FILE).await?,
    };
    let rubrics = fetch(RUBRICS_FILE).await?;
    match (decode_area(&area), decode_rubrics(&rubrics)) {
        (Some(area), Some(rubrics)) => Ok(Setting {
            area: Arc::new(area),
            rubrics: Arc::new(rubrics),
        }),
        _ => Err("The area's thresholds were downloaded but are damaged or out of date. Reload the page; if it happens again, the app needs rebuilding.".to_string()),
    }
}
