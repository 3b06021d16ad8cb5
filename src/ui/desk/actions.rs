//! The authoring screen's buttons: go to a problem's line, edit another file, play the case
//! being edited (kept on this device first), export, the kept cases, and the area: try a
//! framework, use the area being tried for every case, or go back to the built-in one.

use leptos::prelude::*;
use thresholds::local_area;
use thresholds::own::{self, OwnCase};
use thresholds_core::kept::{KeptArea, KeptCase};
use thresholds_core::Mode;
use thresholds_views::ui::{desk as id, UiAction};

use super::editor::{go_to_line, show_file};
use super::worker::{check_now, framework_source, load_setting};
use super::Desk;
use crate::route::Route;
use crate::ui::dom::{closest_with, download, focus_after_render};

pub(super) fn on_click(desk: Desk, ev: &web_sys::MouseEvent) {
    let Some((el, action)) = closest_with(ev, "data-action") else {
        return;
    };
    let attr = |name: &str| el.get_attribute(name).unwrap_or_default();
    match UiAction::parse(&action) {
        Some(UiAction::EditFile) => {
            desk.editing.set(attr("data-file").parse().unwrap_or(0));
            show_file(desk);
            focus_after_render(id::EDITOR);
        }
        Some(UiAction::GoToLine) => {
            // A problem names its file; one not open (a bundled case re-checked) has no line
            // to go to here.
            let name = attr("data-file");
            let Some(at) = desk
                .files
                .with_untracked(|f| f.iter().position(|(n, _)| *n == name))
            else {
                return;
            };
            if desk.editing.get_untracked() != at {
                desk.editing.set(at);
                show_file(desk);
            }
            let line = el
                .get_attribute("data-line")
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(1);
            go_to_line(line);
        }
        Some(UiAction::PlayOwn) => {
            let mode = el
                .get_attribute("data-mode")
                .and_then(|m| Mode::parse(&m))
                .unwrap_or_default();
            play(desk, mode);
        }
        Some(UiAction::ExportFile) => {
            let (name, bytes) = desk
                .files
                .with_untracked(|f| f.get(desk.editing.get_untracked()).cloned())
                .unwrap_or_default();
            export(desk, &name, &String::from_utf8_lossy(&bytes));
        }
        Some(UiAction::EditOwn) | Some(UiAction::ExportOwn) | Some(UiAction::RemoveOwn) => {
            kept_action(desk, UiAction::parse(&action), &attr("data-case"));
        }
        Some(UiAction::TryFramework) => try_framework(desk, attr("data-key")),
        Some(UiAction::UseArea) => use_area(desk),
        Some(UiAction::BuiltInArea) => built_in_area(desk),
        _ => {}
    }
}

/// Opens a shipped framework (and the built-in services file) as the area's two files, to be
/// checked, with every case re-checked against it.
fn try_framework(desk: Desk, key: String) {
    let Some((_, label, path)) = crate::catalogue::FRAMEWORK_SOURCES
        .iter()
        .find(|(k, _, _)| *k == key)
    else {
        return;
    };
    desk.said
        .set(Some(format!("Opening the framework: {label}…")));
    leptos::task::spawn_local(async move {
        let fetched = framework_source(path).await;
        if !desk.alive() {
            return;
        }
        match fetched {
            Ok((framework, services)) => {
                let at = desk.open("framework.md".to_string(), framework);
                desk.open("services.md".to_string(), services);
                desk.editing.set(at);
                desk.said.set(None);
                desk.answer.set(None);
                show_file(desk);
                check_now(desk);
                focus_after_render(id::AREA_HEADING);
            }
            Err(why) => desk.said.set(Some(why)),
        }
    });
}

/// Uses the area being tried (it loads with no problems) for every case on this device.
fn use_area(desk: Desk) {
    let text = |name: &str| {
        desk.files.with_untracked(|f| {
            f.iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        })
    };
    if !(desk.answered_as_is("framework.md") || desk.answered_as_is("services.md")) {
        return not_checked_yet(desk);
    }
    let area = desk.answer.with_untracked(|a| {
        let r = a.as_ref()?.area.as_ref()?;
        Some(KeptArea {
            title: r.title.clone(),
            nation: r.nation.clone(),
            saved: crate::saves::now(),
            compiled: r.compiled.clone()?,
            framework: text("framework.md"),
            services: text("services.md"),
        })
    });
    let Some(area) = area else { return };
    let said = match local_area::keep(&area) {
        Ok(()) => format!(
            "Every case on this device now uses {} ({}).",
            area.title, area.nation
        ),
        Err(why) => why,
    };
    area_changed(desk, said);
}

fn built_in_area(desk: Desk) {
    let said = match local_area::clear() {
        Ok(()) => "Every case on this device uses the built-in area again.".to_string(),
        Err(e) => format!("The area chosen here could not be removed ({e})."),
    };
    area_changed(desk, said);
}

/// The player and the checker read the area in use afresh.
fn area_changed(desk: Desk, said: String) {
    desk.app.setting.set(None);
    desk.app.load_setting(true);
    desk.area_changed.update(|n| *n += 1);
    desk.said.set(Some(said));
    load_setting(desk);
    focus_after_render(id::AREA_HEADING);
}

/// Plays the case being edited (it has no problems): kept on this device, then opened in the
/// chosen way. If it cannot be kept, the trainer is told and nothing they typed is lost.
fn play(desk: Desk, mode: Mode) {
    let i = desk.editing.get_untracked();
    let Some((file, source)) = desk.files.with_untracked(|f| f.get(i).cloned()) else {
        return;
    };
    // The answer must be about the text as it is now: typing since, and it is checked again.
    if !desk.answered_as_is(&file) {
        return not_checked_yet(desk);
    }
    let case = desk.answer.with_untracked(|a| {
        let r = a.as_ref()?.reports.iter().find(|r| r.name == file)?;
        Some(OwnCase {
            id: own::play_id(&r.id),
            kept: KeptCase {
                file: file.clone(),
                saved: crate::saves::now(),
                decisions: r.decisions,
                compiled: r.compiled.clone()?,
                source: String::from_utf8_lossy(&source).into_owned(),
            },
        })
    });
    let Some(case) = case else { return };
    if let Err(why) = own::keep(&case) {
        desk.said.set(Some(why));
        return;
    }
    // A case played before under this id is replaced: the player reads it afresh.
    desk.app.loaded.update(|l| l.retain(|(k, _)| *k != case.id));
    let route = Route::Case {
        id: case.id,
        mode,
        seed: None,
        path: None,
    };
    let _ = window().location().set_hash(&route.to_hash());
}

/// Said when Play (or "Use this area") comes before the check of the latest changes; the
/// check's own result replaces it.
pub(super) const NOT_CHECKED_YET: &str =
    "Your latest changes are being checked: try again once the check is done.";

fn not_checked_yet(desk: Desk) {
    desk.said.set(Some(NOT_CHECKED_YET.to_string()));
    check_now(desk);
}

fn export(desk: Desk, name: &str, text: &str) {
    let said = match download(name, "text/markdown;charset=utf-8", text) {
        Ok(()) => format!("Exported {name}."),
        Err(_) => format!(
            "{name} could not be exported by this browser. Copy its text from the editor instead."
        ),
    };
    desk.said.set(Some(said));
}

/// Editing, exporting or removing a case kept on this device.
fn kept_action(desk: Desk, action: Option<UiAction>, id: &str) {
    let Some(case) = own::get(id) else {
        desk.said
            .set(Some("That case is no longer on this device.".to_string()));
        desk.kept.update(|n| *n += 1);
        return;
    };
    match action {
        Some(UiAction::EditOwn) => {
            // Opened beside what is open: a file of the same name being edited keeps its text.
            let at = desk.open(case.kept.file.clone(), case.kept.source.into_bytes());
            desk.editing.set(at);
            desk.answer.set(None);
            desk.said.set(None);
            show_file(desk);
            check_now(desk);
            focus_after_render(id::EDITOR);
        }
        Some(UiAction::ExportOwn) => export(desk, &case.kept.file, &case.kept.source),
        Some(UiAction::RemoveOwn) => {
            desk.said.set(Some(match own::remove(id) {
                Ok(()) => format!("Removed {} from this device.", case.kept.file),
                Err(e) => format!("{} could not be removed ({e}).", case.kept.file),
            }));
            desk.app.loaded.update(|l| l.retain(|(k, _)| k != id));
            desk.kept.update(|n| *n += 1);
            focus_after_render(id::KEPT_HEADING);
        }
        _ => {}
    }
}
