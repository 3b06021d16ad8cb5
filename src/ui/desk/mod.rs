//! "Your cases": the authoring screen. The trainer opens case files (a file picker, or dropped
//! on the screen) or types in the editor; the authoring desk checks them in its own worker
//! (src/bin/desk.rs, started when the screen opens and stopped when it closes) and every
//! problem shows as `file:line: message (hint)`, a button that takes the cursor to its line.
//! The markup is `thresholds_views::desk`'s; this holds the files and their answer, and
//! draws the regions. `worker` talks to the checker, `editor` holds the editor and the files,
//! `actions` answers the screen's buttons (play, export, the kept cases, the area).
//!
//! Files named `framework.md` and `services.md` are an area's files: while one is open, every
//! case is checked against that area, and the bundled and kept cases are re-checked with it.

mod actions;
mod editor;
mod worker;

use leptos::prelude::*;
use thresholds::local_area::Chosen;
use thresholds::own::{self, OwnCase};
use thresholds_core::desk::{DeskAnswer, DeskReport};
use thresholds_views::ui::desk as id;
use thresholds_views::{
    desk_area_html, desk_area_trial_html, desk_files_html, desk_kept_html, desk_play_html,
    desk_problems_html, desk_status_text, desk_summary_html, AreaView, KeptCase, DESK_SKELETON,
};

use super::dom::{focus_after_render, region};
use super::AppState;
use crate::catalogue;

/// The screen's state. Files are bytes as they came (a file may not be UTF-8: the desk says
/// so); the editor shows the one being edited as text.
#[derive(Clone, Copy)]
struct Desk {
    files: RwSignal<Vec<(String, Vec<u8>)>>,
    editing: RwSignal<usize>,
    answer: RwSignal<Option<DeskAnswer>>,
    checking: RwSignal<bool>,
    /// Why the desk cannot check anything (no worker, no area), if so.
    trouble: RwSignal<Option<String>>,
    /// The latest request's number: older answers are dropped. Also bumped by each key press,
    /// so only the last of a burst of typing is sent.
    sent: StoredValue<u32>,
    /// Bumped when the cases kept on this device change.
    kept: RwSignal<u32>,
    /// What the last play, export or removal said (it goes to the status line).
    said: RwSignal<Option<String>>,
    /// Bumped when the area in use on this device changes.
    area_changed: RwSignal<u32>,
    /// The files as they were sent with the latest request, and as they were when the answer
    /// shown was made: playing a case, or using an area, needs the answer to be about the
    /// text as it is now.
    checked: StoredValue<Vec<(String, Vec<u8>)>>,
    answered: StoredValue<Vec<(String, Vec<u8>)>>,
    app: AppState,
}

/// An area's file, by its name: the framework or the services.
pub(super) fn is_area_file(name: &str) -> bool {
    matches!(name, "framework.md" | "services.md")
}

/// The answer's report on one open file, by its name.
fn report_of<'a>(a: &'a Option<DeskAnswer>, name: &str) -> Option<&'a DeskReport> {
    a.as_ref()?.reports.iter().find(|r| r.name == name)
}

impl Desk {
    /// Whether the screen is still open (work that finishes after it closes does nothing).
    fn alive(&self) -> bool {
        self.sent.try_get_value().is_some()
    }

    /// Opens a file on the desk and returns its place. An area's file replaces the one open
    /// under its name; the same text under the same name is the file already open; a fresh
    /// desk's empty "new-case.md" gives way; any other name already open gets a number
    /// ("mine (2).md"), so no open file is ever overwritten.
    fn open(&self, name: String, bytes: Vec<u8>) -> usize {
        let mut at = 0;
        self.files.update(|f| {
            if let Some(i) = f
                .iter()
                .position(|(n, b)| *n == name && (is_area_file(n) || *b == bytes))
            {
                f[i].1 = bytes;
                at = i;
                return;
            }
            if f.len() == 1 && f[0].1.is_empty() && f[0].0 == "new-case.md" {
                f.clear();
            }
            let mut unique = name.clone();
            let (stem, ext) = name
                .rsplit_once('.')
                .map_or((name.as_str(), ""), |(s, e)| (s, e));
            let mut n = 2;
            while f.iter().any(|(x, _)| *x == unique) {
                unique = if ext.is_empty() {
                    format!("{stem} ({n})")
                } else {
                    format!("{stem} ({n}).{ext}")
                };
                n += 1;
            }
            f.push((unique, bytes));
            at = f.len() - 1;
        });
        at
    }

    /// Whether the answer shown is about this file's text as it is now.
    fn answered_as_is(&self, name: &str) -> bool {
        let now = self
            .files
            .with_untracked(|f| f.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()));
        let then = self
            .answered
            .with_value(|a| a.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()));
        now.is_some() && now == then
    }

    /// The name of the file being edited.
    fn editing_name(&self) -> String {
        self.files.with(|f| {
            f.get(self.editing.get())
                .map(|(n, _)| n.clone())
                .unwrap_or_default()
        })
    }

    /// The report on the file being edited.
    fn with_editing<T>(&self, f: impl FnOnce(Option<&DeskReport>) -> T) -> T {
        let name = self.editing_name();
        self.answer.with(|a| f(report_of(a, &name)))
    }
}

#[component]
pub fn Desk() -> AnyView {
    let desk = Desk {
        files: RwSignal::new(vec![("new-case.md".to_string(), Vec::new())]),
        editing: RwSignal::new(0),
        answer: RwSignal::new(None),
        checking: RwSignal::new(false),
        trouble: RwSignal::new(None),
        sent: StoredValue::new(0),
        kept: RwSignal::new(0),
        said: RwSignal::new(None),
        area_changed: RwSignal::new(0),
        checked: StoredValue::new(Vec::new()),
        answered: StoredValue::new(Vec::new()),
        app: expect_context::<AppState>(),
    };
    worker::start(desk);
    worker::load_setting(desk);
    on_cleanup(worker::stop);
    regions(desk);
    area_region(desk);
    request_animation_frame(move || editor::show_file(desk));
    focus_after_render(id::HEADING);
    view! {
        <div id="desk" class="desk"
            on:click=move |ev| actions::on_click(desk, &ev)
            on:input=move |ev| editor::on_input(desk, &ev)
            on:change=move |ev| editor::on_change(desk, &ev)
            on:dragover=|ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev: web_sys::DragEvent| editor::on_drop(desk, ev)
            inner_html=DESK_SKELETON></div>
    }
    .into_any()
}

/// The regions: the open files, the problems of all of them, the summary and the status of
/// the one being edited, and the cases kept on this device.
fn regions(desk: Desk) {
    region(id::FILES, move || {
        desk.files.with(|files| {
            desk.answer.with(|a| {
                let list: Vec<(&str, Option<usize>)> = files
                    .iter()
                    .map(|(name, _)| (name.as_str(), problem_count(a, name)))
                    .collect();
                desk_files_html(&list, desk.editing.get())
            })
        })
    });
    region(id::PROBLEMS, move || {
        desk.answer.with(|a| match (desk.trouble.get(), a) {
            (Some(t), _) => desk_problems_html(&[], None, Some(&t)),
            (None, Some(a)) => {
                desk_problems_html(&a.reports, a.area.as_ref(), a.trouble.as_deref())
            }
            (None, None) => desk_problems_html(&[], None, None),
        })
    });
    region(id::SUMMARY, move || desk.with_editing(desk_summary_html));
    region(id::PLAY, move || {
        let name = desk.editing_name();
        desk.with_editing(|r| desk_play_html(r, &name))
    });
    region(id::KEPT, move || {
        desk.kept.track();
        let kept: Vec<(OwnCase, Option<thresholds_core::Scenario>)> = own::list()
            .into_iter()
            .map(|o| {
                let s = o.scenario();
                (o, s)
            })
            .collect();
        let list: Vec<KeptCase> = kept
            .iter()
            .map(|(o, s)| KeptCase {
                id: &o.id,
                title: s
                    .as_ref()
                    .map_or(o.kept.file.as_str(), |s| s.title.as_str()),
                version: s.as_ref().map_or(0, |s| s.version),
                file: &o.kept.file,
                saved: &o.kept.saved,
            })
            .collect();
        desk_kept_html(&list)
    });
    Effect::new(move |_| {
        let text = match (desk.said.get(), desk.trouble.get()) {
            (Some(said), _) => said,
            (None, Some(trouble)) => trouble,
            (None, None) => status(desk),
        };
        if let Some(el) = document().get_element_by_id(id::STATUS) {
            // Rewritten only when it changes, so a screen reader is not told the same again.
            if el.text_content().as_deref() != Some(text.as_str()) {
                el.set_text_content(Some(&text));
            }
        }
    });
}

/// The status line for the file being edited: an area's file speaks for the area.
fn status(desk: Desk) -> String {
    let name = desk.editing_name();
    if is_area_file(&name) && !desk.checking.get() {
        return desk
            .answer
            .with(|a| match a.as_ref().and_then(|a| a.area.as_ref()) {
                Some(area) => match problem_count(a, &name).unwrap_or(0) {
                    0 if area.problems.is_empty() => {
                        format!("{name}: no problems; the area loads.")
                    }
                    0 => format!("{name}: no problems; the other file of the area has some."),
                    1 => format!("{name}: 1 problem."),
                    n => format!("{name}: {n} problems."),
                },
                None => String::new(),
            });
    }
    desk.with_editing(|r| desk_status_text(r, desk.checking.get()))
}

/// A file's problem count in the answer: a case file's own, or an area file's share of the
/// area's problems.
fn problem_count(a: &Option<DeskAnswer>, name: &str) -> Option<usize> {
    if is_area_file(name) {
        let area = a.as_ref()?.area.as_ref()?;
        return Some(area.problems.iter().filter(|p| p.file == name).count());
    }
    report_of(a, name).map(|r| r.problems.len())
}

/// The area in use and the frameworks to try (redrawn only when the area in use changes, so
/// its buttons keep focus while checks come and go), and, while area files are open, whether
/// they load and every case re-checked against them.
fn area_region(desk: Desk) {
    region(id::AREA, move || {
        desk.area_changed.track();
        let chosen = thresholds::local_area::chosen();
        let (title, nation, local) = match (&chosen, desk.app.setting.get()) {
            (Chosen::Area(a), _) => (a.title.clone(), a.nation.clone(), true),
            (_, Some(super::SettingState::Ready(s))) => (
                s.area.framework.title.clone(),
                s.area.framework.nation.clone(),
                false,
            ),
            _ => (
                "the built-in area".to_string(),
                "England".to_string(),
                false,
            ),
        };
        let choices: Vec<(&str, &str)> = catalogue::FRAMEWORK_SOURCES
            .iter()
            .map(|(key, label, _)| (*key, *label))
            .collect();
        desk_area_html(&AreaView {
            in_use: (&title, &nation, local),
            unreadable: matches!(chosen, Chosen::Unreadable),
            choices: &choices,
        })
    });
    region(id::AREA_TRIAL, move || {
        let trying = desk.files.with(|f| f.iter().any(|(n, _)| is_area_file(n)));
        if !trying {
            return Default::default();
        }
        desk.answer.with(|a| match a {
            Some(a) if !desk.checking.get() => desk_area_trial_html(a.area.as_ref(), &a.references),
            _ => desk_area_trial_html(None, &[]),
        })
    });
}
