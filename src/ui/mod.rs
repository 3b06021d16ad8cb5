//! The UI layer: one file per screen, shared pieces beside them. Components hold state in
//! signals, call the core on every click or key press, and insert what `thresholds_views`
//! writes; no safeguarding rule is decided here.

mod case;
mod desk;
mod dom;
mod law;

use leptos::prelude::*;
use thresholds_views::{markup, SafeHtml};

pub use crate::catalogue::Loaded;
use crate::catalogue::{self, CaseFile, Entry, Setting};
use crate::route::Route;
use crate::saves;

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub route: RwSignal<Route>,
    pub cases: StoredValue<Vec<CaseFile>>,
    /// The area's thresholds and the rubrics: fetched when first needed; `None` until then.
    pub setting: RwSignal<Option<SettingState>>,
    /// Whether the case screen's stylesheet has loaded (or failed: the screen then still works).
    pub case_styles: RwSignal<bool>,
    /// Plain-language notices about this device's storage, shown on every screen.
    pub notices: RwSignal<Vec<String>>,
    /// Cases fetched (or being fetched) so far, by id.
    pub loaded: RwSignal<Vec<(String, Loaded)>>,
    /// When the area in use was chosen (empty: the built-in one), as it was when the setting
    /// was fetched.
    pub area_stamp: StoredValue<String>,
}

/// Where the area and the rubrics are: on their way, ready, or failed with a message.
#[derive(Clone)]
pub enum SettingState {
    Loading,
    Ready(Setting),
    Failed(String),
}

impl AppState {
    pub fn notify(&self, notice: String) {
        self.notices.update(|n| {
            if !n.contains(&notice) {
                n.push(notice);
            }
        });
    }

    pub fn entry(&self, id: &str) -> Option<Entry> {
        if id.starts_with(thresholds::own::ID_PREFIX) {
            return catalogue::own_entry(id);
        }
        self.cases.with_value(|cases| {
            cases.iter().find_map(|c| match c {
                CaseFile::Listed(e) if e.header.id == id => Some(e.clone()),
                _ => None,
            })
        })
    }

    /// A case's load state, tracked (a screen that reads it follows it).
    pub fn status(&self, id: &str) -> Option<Loaded> {
        self.loaded
            .with(|l| l.iter().find(|(k, _)| k == id).map(|(_, v)| v.clone()))
    }

    /// Starts fetching a case's file unless it is loaded or on its way. A failed fetch is tried
    /// again only when `retry` (the trainee opened the case again), never by a screen that
    /// merely shows the failure, which would otherwise fetch for ever.
    pub fn load(&self, entry: &Entry, retry: bool) {
        let id = entry.header.id.clone();
        let already = self.loaded.with_untracked(|l| {
            l.iter()
                .any(|(k, v)| *k == id && (!retry || !matches!(v, Loaded::Failed(_))))
        });
        if already {
            return;
        }
        let set = move |l: &mut Vec<(String, Loaded)>, id: &str, v: Loaded| match l
            .iter_mut()
            .find(|(k, _)| k == id)
        {
            Some(slot) => slot.1 = v,
            None => l.push((id.to_string(), v)),
        };
        self.loaded.update(|l| set(l, &id, Loaded::Loading));
        let (state, entry) = (*self, entry.clone());
        leptos::task::spawn_local(async move {
            let result = match catalogue::fetch_case(&entry).await {
                Ok(s) => Loaded::Ready(s),
                Err(why) => Loaded::Failed(why),
            };
            // The home screen is another program: it says so on the case's card.
            let why = match &result {
                Loaded::Failed(why) => Some(why.as_str()),
                _ => None,
            };
            thresholds::handover::set_unavailable(&entry.header.id, why);
            state.loaded.update(|l| set(l, &entry.header.id, result));
        });
    }
}

impl AppState {
    /// Starts fetching the area and the rubrics unless they are loaded or on their way; a
    /// failure is tried again when a screen asks again (`retry`).
    pub fn load_setting(&self, retry: bool) {
        // The area in use may have changed since it was fetched (chosen on Your cases, or
        // cleared with this device's data on the home screen): fetched afresh then.
        let stamp = thresholds::local_area::get()
            .map(|a| a.saved)
            .unwrap_or_default();
        if self.area_stamp.with_value(|s| *s != stamp) {
            self.area_stamp.set_value(stamp);
            if self.setting.with_untracked(Option::is_some) {
                self.setting.set(None);
            }
        }
        let wanted = self.setting.with_untracked(|s| match s {
            None => true,
            Some(SettingState::Failed(_)) => retry,
            Some(_) => false,
        });
        if !wanted {
            return;
        }
        self.setting.set(Some(SettingState::Loading));
        let state = *self;
        leptos::task::spawn_local(async move {
            let fetched = match catalogue::fetch_setting().await {
                Ok(s) => SettingState::Ready(s),
                Err(why) => SettingState::Failed(why),
            };
            state.setting.set(Some(fetched));
        });
    }

    /// Adds the case screen's stylesheet to the page once (see build.rs: it is a file of its
    /// own, so the first load carries only the home screen's styles).
    pub fn load_case_styles(&self) {
        // Already on the page: added before, or carried inline by the single-file package.
        if document().get_element_by_id("case-styles").is_some() {
            if !self.case_styles.get_untracked() {
                self.case_styles.set(true);
            }
            return;
        }
        let state = *self;
        let ready = move || state.case_styles.set(true);
        match dom::add_stylesheet("case-styles", catalogue::CASE_STYLES, ready) {
            Ok(()) => {}
            Err(_) => ready(),
        }
    }
}

/// A seed the trainee did not choose: short, so it can be read out to a room.
pub fn fresh_seed() -> u64 {
    (js_sys::Math::random() * 900_000.0) as u64 + 100_000
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        route: RwSignal::new(Route::parse(
            &window().location().hash().unwrap_or_default(),
        )),
        cases: StoredValue::new(catalogue::bundled()),
        setting: RwSignal::new(None),
        case_styles: RwSignal::new(false),
        notices: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(Vec::new()),
        area_stamp: StoredValue::new(String::new()),
    };
    provide_context(state);
    // Storage is checked once at start: the app runs whatever it finds.
    if let Err(notice) = saves::probe() {
        state.notify(notice);
    }
    for notice in thresholds::lms::begin()
        .into_iter()
        .chain(saves::load_all().1)
    {
        state.notify(notice);
    }
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = window().location().hash().unwrap_or_default();
        // An address within the page (the skip link's "#main") is not a route: stay put.
        if !Route::is_route(&hash) {
            return;
        }
        let route = Route::parse(&hash);
        if route != state.route.get_untracked() {
            state.route.set(route);
        }
    });
    on_cleanup(move || listener.remove());

    // The load state of the case the address names, and nothing else: another case arriving
    // in the background must not rebuild the screen.
    let opened = Memo::new(move |_| match state.route.get() {
        Route::Case { id, .. } => state.entry(&id).map(|_| state.status(&id)),
        _ => None,
    });
    Effect::new(move |_| match state.route.get() {
        Route::Case { id, .. } => {
            state.load_setting(true);
            state.load_case_styles();
            if let Some(entry) = state.entry(&id) {
                state.load(&entry, true);
            }
        }
        Route::Law => state.load_setting(true),
        Route::Desk => {
            state.load_case_styles();
            state.load_setting(true);
        }
        Route::Home => {}
    });
    let ready = move || match state.setting.get() {
        Some(SettingState::Ready(setting)) if state.case_styles.get() => Some(Ok(setting)),
        Some(SettingState::Failed(why)) => Some(Err(why)),
        _ => None,
    };
    let screen = move || match state.route.get() {
        // The home screen is a program of its own (src/home.rs): nothing here.
        Route::Home => ().into_any(),
        Route::Law => law::Law().into_any(),
        Route::Desk => desk::Desk(),
        Route::Case {
            mode, seed, path, ..
        } => match (opened.get(), ready()) {
            (Some(Some(Loaded::Ready(scenario))), Some(Ok(setting))) => {
                view! { <case::CaseScreen scenario setting mode seed path/> }.into_any()
            }
            (Some(Some(Loaded::Failed(why))), _) | (Some(_), Some(Err(why))) => {
                case_unavailable(why)
            }
            (Some(_), _) => case_loading(),
            _ => not_found(),
        },
    };
    dom::region("notices", move || {
        let list = state.notices.get();
        // The home screen shows its own.
        if list.is_empty() || state.route.get() == Route::Home {
            return thresholds_views::SafeHtml::default();
        }
        let items: thresholds_views::SafeHtml = list
            .iter()
            .map(|n| thresholds_core::html!("<li>{}</li>", n))
            .collect();
        thresholds_core::html!("<ul>{}</ul>", items)
    });
    view! {
        <div class="notices" role="status" data-testid="notices" id="notices"></div>
        {screen}
    }
}

/// A screen that is only a message: one element whose markup the views write (each view! tree
/// of its own costs kilobytes of download; see ARCHITECTURE.md, "Size").
pub(super) fn message(html: SafeHtml) -> AnyView {
    host("message", html)
}

/// One element with an id, filled with views' HTML: the one `view!` tree the message screens
/// and "About the law" share.
pub(super) fn host(id: &'static str, html: SafeHtml) -> AnyView {
    view! { <div id=id inner_html=html.into_string()></div> }.into_any()
}

fn case_loading() -> AnyView {
    message(markup("<h1 tabindex=\"-1\" class=\"screen-heading\">Opening the case</h1><p role=\"status\">Loading the case study…</p>"))
}

fn case_unavailable(why: String) -> AnyView {
    dom::focus_after_render("unavailable-heading");
    message(thresholds_core::html!(
        "<h1 tabindex=\"-1\" id=\"unavailable-heading\" class=\"screen-heading\">This case cannot open</h1><p role=\"alert\">{}</p><p><a href=\"#/\">Back to all cases</a></p>",
        why
    ))
}

fn not_found() -> AnyView {
    message(markup("<h1 tabindex=\"-1\" class=\"screen-heading\">Case not found</h1><p>This link points to a case that is not on this device. Check the address, or go back to the list of cases.</p><p><a href=\"#/\">Back to all cases</a></p>"))
}
