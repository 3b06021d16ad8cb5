//! The authoring desk's worker (src/bin/desk.rs): started when the screen opens, stopped when
//! it closes. Each check sends every open file; while an area's files are open, the area is
//! theirs (the built-in file standing in for one not open) and the bundled and kept cases are
//! sent too, to be re-checked against it.

use std::cell::RefCell;

use leptos::prelude::*;
use thresholds::desk_wire::{answer_from_js, request_to_js, seq};
use thresholds::own;
use thresholds_core::desk::{DeskArea, DeskFile, DeskRequest};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{is_area_file, Desk};
use crate::catalogue;

thread_local! {
    /// The worker, and whether it has said it is ready.
    static WORKER: RefCell<Option<(web_sys::Worker, bool)>> = const { RefCell::new(None) };
    /// The area in use and the rubrics, compiled, once they are here.
    static SETTING: RefCell<Option<(Vec<u8>, Vec<u8>)>> = const { RefCell::new(None) };
    /// The built-in area's two files and the bundled cases' sources, fetched the first time an
    /// area is tried.
    static SOURCES: RefCell<Option<Sources>> = const { RefCell::new(None) };
}

#[derive(Clone)]
struct Sources {
    framework: Vec<u8>,
    services: Vec<u8>,
    cases: Vec<DeskFile>,
}

/// Starts the worker; its file's name is in the page (written by the build).
pub(super) fn start(desk: Desk) {
    let url = document()
        .query_selector("meta[name=thresholds-desk]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"));
    let started = url
        .ok_or_else(|| JsValue::from_str("it is not part of this copy"))
        .and_then(|url| {
            let options = web_sys::WorkerOptions::new();
            options.set_type(web_sys::WorkerType::Module);
            web_sys::Worker::new_with_options(&url, &options)
        });
    let worker = match started {
        Ok(w) => w,
        Err(e) => {
            let why = e
                .as_string()
                .unwrap_or_else(|| "this browser refused it".to_string());
            desk.trouble.set(Some(cannot_start(&why)));
            return;
        }
    };
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            if data.as_string().as_deref() == Some("ready") {
                WORKER.with_borrow_mut(|w| {
                    if let Some(w) = w.as_mut() {
                        w.1 = true;
                    }
                });
                check_now(desk);
            } else if Some(seq(&data)) == desk.sent.try_get_value() {
                // The answer is about the files as they were sent with this request.
                if let Some(checked) = desk.checked.try_get_value() {
                    desk.answered.set_value(checked);
                }
                let _ = desk.answer.try_set(Some(answer_from_js(&data)));
                let _ = desk.checking.try_set(false);
                if desk.said.try_get_untracked().flatten().as_deref()
                    == Some(super::actions::NOT_CHECKED_YET)
                {
                    let _ = desk.said.try_set(None);
                }
            }
        })
        .into_js_value();
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        let _ = desk.checking.try_set(false);
        let _ = desk
            .trouble
            .try_set(Some(cannot_start("it stopped unexpectedly")));
    })
    .into_js_value();
    worker.set_onmessage(Some(on_message.unchecked_ref()));
    worker.set_onerror(Some(on_error.unchecked_ref()));
    WORKER.with_borrow_mut(|w| *w = Some((worker, false)));
}

pub(super) fn stop() {
    if let Some((worker, _)) = WORKER.with_borrow_mut(Option::take) {
        worker.terminate();
    }
}

fn cannot_start(why: &str) -> String {
    format!("The checker could not start ({why}). Reload the page; if you opened Thresholds as a single file, open its site instead to check cases.")
}

/// Fetches the area in use and the rubrics (again, after the area in use changed), then checks.
pub(super) fn load_setting(desk: Desk) {
    leptos::task::spawn_local(async move {
        match catalogue::setting_bytes().await {
            Ok(bytes) => {
                SETTING.with_borrow_mut(|s| *s = Some(bytes));
                if desk.alive() {
                    let _ = desk.trouble.try_set(None);
                    check_now(desk);
                }
            }
            Err(why) => {
                let _ = desk.trouble.try_set(Some(why));
            }
        }
    });
}

/// The built-in area's files and the bundled cases' sources, fetched once.
async fn sources() -> Result<Sources, String> {
    if let Some(s) = SOURCES.with_borrow(Clone::clone) {
        return Ok(s);
    }
    let framework = catalogue::fetch_source(catalogue::FRAMEWORK_SOURCES[0].2).await?;
    let services = catalogue::fetch_source(catalogue::SERVICES_SOURCE.1).await?;
    let mut cases = Vec::new();
    for (name, path) in catalogue::CASE_SOURCES {
        cases.push(DeskFile {
            name: name.to_string(),
            bytes: catalogue::fetch_source(path).await?,
        });
    }
    let s = Sources {
        framework,
        services,
        cases,
    };
    SOURCES.with_borrow_mut(|x| *x = Some(s.clone()));
    Ok(s)
}

/// A shipped source file (a nation's framework), fetched.
pub(super) async fn framework_source(path: &str) -> Result<(Vec<u8>, Vec<u8>), String> {
    let s = sources().await?;
    Ok((catalogue::fetch_source(path).await?, s.services))
}

/// Sends every open file to the worker, once it and the area are ready (and, while an area's
/// files are open, the sources to re-check against it).
pub(super) fn check_now(desk: Desk) {
    if !desk.alive() {
        return;
    }
    let Some(setting) = SETTING.with_borrow(Clone::clone) else {
        return;
    };
    let ready = WORKER.with_borrow(|w| w.as_ref().is_some_and(|(_, ready)| *ready));
    if !ready {
        return;
    }
    let open: Vec<DeskFile> = desk.files.with_untracked(|files| {
        files
            .iter()
            .map(|(name, bytes)| DeskFile {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect()
    });
    let n = desk.sent.get_value() + 1;
    desk.sent.set_value(n);
    desk.checked.set_value(
        open.iter()
            .map(|f| (f.name.clone(), f.bytes.clone()))
            .collect(),
    );
    desk.checking.set(true);
    let (area_files, files): (Vec<DeskFile>, Vec<DeskFile>) =
        open.into_iter().partition(|f| is_area_file(&f.name));
    if area_files.is_empty() {
        send(
            n,
            DeskRequest {
                files,
                area: DeskArea::Compiled(setting.0),
                rubrics: setting.1,
                references: Vec::new(),
            },
        );
        return;
    }
    leptos::task::spawn_local(async move {
        let fetched = sources().await;
        // A newer request (or the screen closing) makes this one moot.
        if desk.sent.try_get_value() != Some(n) {
            return;
        }
        let sources = match fetched {
            Ok(s) => s,
            Err(why) => {
                let _ = desk.said.try_set(Some(why));
                let _ = desk.checking.try_set(false);
                return;
            }
        };
        let pick = |name: &str, built_in: &[u8]| DeskFile {
            name: name.to_string(),
            bytes: area_files
                .iter()
                .find(|f| f.name == name)
                .map_or_else(|| built_in.to_vec(), |f| f.bytes.clone()),
        };
        let mut references = sources.cases.clone();
        references.extend(own::list().into_iter().map(|o| DeskFile {
            name: format!("your case {}", o.kept.file),
            bytes: o.kept.source.into_bytes(),
        }));
        send(
            n,
            DeskRequest {
                files,
                area: DeskArea::Files {
                    framework: pick("framework.md", &sources.framework),
                    services: pick("services.md", &sources.services),
                },
                rubrics: setting.1,
                references,
            },
        );
    });
}

fn send(n: u32, request: DeskRequest) {
    WORKER.with_borrow(|w| {
        if let Some((worker, _)) = w {
            let _ = worker.post_message(&request_to_js(n, &request));
        }
    });
}
