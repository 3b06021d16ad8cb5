//! The home screen: how the trainee is using Thresholds, the case studies with any saved
//! progress (resumable or not, and why), broken case files, and clearing this device's data.
//! The markup comes from `thresholds_views`; this wires it to saves and clicks with plain DOM
//! calls, no UI framework, because it is the page's first download (see src/lib.rs).
//!
//! The screen owns `#home` in index.html: its static opening (the heading, the lede) and
//! `#home-root`, filled here. It follows the address: shown and re-drawn on the home route,
//! hidden on the player's routes.

use std::cell::RefCell;

use thresholds_core::save::{resume, Saved};
use thresholds_core::session::path_text;
use thresholds_core::{html, Mode};
use thresholds_views::ui::UiAction;
use thresholds_views::{
    cases_html, modes_html, seat_of, seat_status, seats, seats_html, Broken, CaseCard, SafeHtml,
    SaveStatus, Seat,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalogue::{self, CaseFile, Entry, Loaded};
use crate::page::{closest_with, element, focus_now};
use crate::route::Route;
use crate::{handover, saves};

/// What the screen holds between renders.
struct Home {
    cases: Vec<CaseFile>,
    mode: Mode,
    /// The seat a trainer chose to show cases from (a service id), or every seat.
    seat: Option<String>,
    /// Asking "are you sure?" before clearing this device's data.
    confirming: bool,
    /// Plain-language notices about this device's storage.
    notices: Vec<String>,
    /// Cases fetched (or being fetched) to check their saves against, by id.
    loaded: Vec<(String, Loaded)>,
    /// The markup last put in each region, so a re-draw that changes nothing touches nothing
    /// (and never takes focus from a link the trainee is on).
    drawn: Vec<(&'static str, SafeHtml)>,
}

thread_local! {
    static HOME: RefCell<Home> = RefCell::new(Home {
        cases: catalogue::all(),
        mode: saves::mode(),
        seat: None,
        confirming: false,
        notices: Vec::new(),
        loaded: Vec::new(),
        drawn: Vec::new(),
    });
}

/// Starts the screen: storage checked once, the skeleton drawn, clicks and the address followed.
pub fn start() {
    let mut notices = Vec::new();
    if let Err(notice) = saves::probe() {
        notices.push(notice);
    }
    notices.extend(crate::lms::begin());
    notices.extend(saves::load_all().1);
    HOME.with_borrow_mut(|h| h.notices = notices);
    let Some(root) = element("home-root") else {
        web_sys::console::error_1(&"the page has no #home-root".into());
        return;
    };
    let mode = HOME.with_borrow(|h| h.mode);
    // A package for an LMS that sets the way to train says so instead of offering a choice.
    let modes = match crate::lms::package().and_then(|p| p.mode) {
        Some(m) => html!(
            "<section aria-labelledby=\"mode-heading\"><h2 id=\"mode-heading\">How this course is played</h2><p><strong>{}</strong>: {}</p></section>",
            m.label(),
            m.describe()
        ),
        None => modes_html(mode),
    };
    root.set_inner_html(&html!(
        "<div class=\"notices\" role=\"status\" id=\"home-notices\" data-testid=\"home-notices\"></div><div class=\"home\"><div>{}</div><div><div id=\"home-seats\"></div><div id=\"home-cases\"></div></div></div>",
        modes
    ));
    listen(&root, "click", on_click);
    listen(&root, "change", on_change);
    if let Some(window) = web_sys::window() {
        listen(&window, "hashchange", |_| follow_address(true));
        listen(&window, saves::SAVED_EVENT, |_| {
            if element("home").is_some_and(|el| !el.has_attribute("hidden")) {
                render();
            }
        });
    }
    follow_address(false);
}

fn listen(target: &web_sys::EventTarget, event: &str, f: fn(web_sys::Event)) {
    let closure = Closure::<dyn Fn(web_sys::Event)>::new(f).into_js_value();
    let _ = target.add_event_listener_with_callback(event, closure.unchecked_ref());
}

/// Shown and re-drawn on the home route (saves may have changed while a case was played),
/// hidden on the player's; an address within the page (the skip link's `#main`) changes
/// nothing once the screen is running.
fn follow_address(changed: bool) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if changed && !Route::is_route(&hash) {
        return;
    }
    let home = Route::parse(&hash) == Route::Home;
    if let Some(el) = element("home") {
        let _ = if home {
            el.remove_attribute("hidden")
        } else {
            el.set_attribute("hidden", "")
        };
    }
    if home {
        // An own case may have been edited since its saves were checked against it: checked
        // afresh (never within `render`, which a finished check calls).
        HOME.with_borrow_mut(|h| {
            h.loaded
                .retain(|(id, _)| !id.starts_with(crate::own::ID_PREFIX))
        });
        render();
        focus_after_render("screen-heading");
    }
}

/// Draws the notices and the cases (only what changed is touched).
fn render() {
    // The trainer's own cases may have changed on the authoring screen.
    HOME.with_borrow_mut(|h| h.cases = catalogue::all());
    let (notices, (all, filter, cases)) =
        HOME.with_borrow(|h| (notices_html(&h.notices), cases_markup(h)));
    put("home-notices", notices);
    put("home-seats", filter);
    put("home-cases", cases);
    show_seat_choice(&all);
    // Saved runs are checked against their case, fetched for the purpose (once).
    let wanted: Vec<Entry> = HOME.with_borrow(|h| {
        let (saved, _) = saves::load_all();
        listed(h)
            .filter(|e| saved.iter().any(|s| s.case == e.header.id))
            .filter(|e| !h.loaded.iter().any(|(id, _)| *id == e.header.id))
            .cloned()
            .collect()
    });
    for entry in wanted {
        fetch(entry);
    }
}

fn put(id: &'static str, markup: SafeHtml) {
    let same = HOME.with_borrow(|h| h.drawn.iter().any(|(k, m)| *k == id && *m == markup));
    if same {
        return;
    }
    if let Some(el) = element(id) {
        el.set_inner_html(&markup);
    }
    HOME.with_borrow_mut(|h| match h.drawn.iter_mut().find(|(k, _)| *k == id) {
        Some(slot) => slot.1 = markup,
        None => h.drawn.push((id, markup)),
    });
}

fn notices_html(notices: &[String]) -> SafeHtml {
    if notices.is_empty() {
        return SafeHtml::default();
    }
    let items: SafeHtml = notices.iter().map(|n| html!("<li>{}</li>", n)).collect();
    html!("<ul>{}</ul>", items)
}

fn listed(h: &Home) -> impl Iterator<Item = &Entry> {
    h.cases.iter().filter_map(|c| match c {
        CaseFile::Listed(e) => Some(e),
        CaseFile::Broken { .. } => None,
    })
}

/// Fetches a case to check its saves against; the screen is re-drawn when it arrives.
fn fetch(entry: Entry) {
    let id = entry.header.id.clone();
    HOME.with_borrow_mut(|h| h.loaded.push((id.clone(), Loaded::Loading)));
    wasm_bindgen_futures::spawn_local(async move {
        let result = match catalogue::fetch_case(&entry).await {
            Ok(s) => Loaded::Ready(s),
            Err(why) => Loaded::Failed(why),
        };
        HOME.with_borrow_mut(|h| {
            if let Some(slot) = h.loaded.iter_mut().find(|(k, _)| *k == id) {
                slot.1 = result;
            }
        });
        let shown = element("home").is_some_and(|el| !el.has_attribute("hidden"));
        if shown {
            render();
        }
    });
}

/// The seat filter's list box shows the choice, and its status line says how many cases show.
/// A choice whose seat has no case now (an own case removed) falls back to every seat.
fn show_seat_choice(all: &[Seat]) {
    let chosen = HOME.with_borrow_mut(|h| {
        if h.seat
            .as_ref()
            .is_some_and(|c| !all.iter().any(|s| s.id == *c))
        {
            h.seat = None;
        }
        h.seat.clone()
    });
    if let Some(select) =
        element("seat-filter").and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        select.set_value(chosen.as_deref().unwrap_or(""));
    }
    if let Some(status) = element("seat-shown") {
        let text = seat_status(all, chosen.as_deref());
        if status.text_content().as_deref() != Some(text.as_str()) {
            status.set_text_content(Some(&text));
        }
    }
}

/// The seat filter, then the case cards (those from the chosen seat), with each case's saves
/// checked against the case itself, broken files, saves of cases not on this device, and the
/// data controls.
fn cases_markup(h: &Home) -> (Vec<Seat>, SafeHtml, SafeHtml) {
    let (saved, _) = saves::load_all();
    let mut cards = Vec::new();
    let mut broken = Vec::new();
    for case in &h.cases {
        match case {
            CaseFile::Listed(entry) => {
                let id = &entry.header.id;
                let full = h.loaded.iter().find(|(k, _)| k == id).map(|(_, v)| v);
                let saves = saved
                    .iter()
                    .filter(|x| x.case == *id)
                    .map(|x| save_status(entry, x, full))
                    .collect();
                // A case that failed to load says so on its card (a saved run's line says it
                // already when the failure was the home screen's own check).
                let unavailable = match full {
                    Some(Loaded::Failed(_)) => None,
                    _ => handover::unavailable(id),
                };
                cards.push(CaseCard {
                    scenario: entry.header.as_ref(),
                    saves,
                    decisions: entry.decisions,
                    unavailable,
                    own: entry.source == catalogue::Source::Own,
                });
            }
            CaseFile::Broken { file, problems } => broken.push(Broken { file, problems }),
        }
    }
    let orphans: Vec<(&str, Mode, &str)> = saved
        .iter()
        .filter(|x| !listed(h).any(|e| e.header.id == x.case))
        .map(|x| (x.case.as_str(), x.mode, x.saved.as_str()))
        .collect();
    let area_problems = catalogue::setting_problems();
    let all = seats(&cards);
    let filter = seats_html(&all);
    // A seat with no case now (an own case removed) shows every seat.
    let chosen = h.seat.as_deref().filter(|c| all.iter().any(|s| s.id == *c));
    cards.retain(|c| chosen.is_none_or(|seat| seat_of(c.scenario).0 == seat));
    let cases = cases_html(
        h.mode,
        &cards,
        &broken,
        &orphans,
        &area_problems,
        h.confirming,
    );
    (all, filter, cases)
}

/// A saved run: resumable (checked against the case once it has arrived) or refused, and why.
fn save_status(entry: &Entry, x: &Saved, full: Option<&Loaded>) -> SaveStatus {
    let href = Route::Case {
        id: entry.header.id.clone(),
        mode: x.mode,
        seed: Some(x.seed),
        path: Some(path_text(&x.actions)),
    }
    .to_hash();
    match full {
        Some(Loaded::Ready(full)) => match resume(full, x) {
            Ok(r) => SaveStatus::Resumable {
                mode: x.mode,
                decisions: r.session.run.turn(),
                saved: x.saved.clone(),
                href,
                note: r.note,
            },
            Err(why) => SaveStatus::Refused { mode: x.mode, why },
        },
        Some(Loaded::Failed(why)) => SaveStatus::Refused {
            mode: x.mode,
            why: why.clone(),
        },
        _ => SaveStatus::Resumable {
            mode: x.mode,
            decisions: x.decisions(),
            saved: x.saved.clone(),
            href,
            note: None,
        },
    }
}

fn focus_after_render(id: &'static str) {
    let focus = Closure::once_into_js(move || focus_now(id));
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(focus.unchecked_ref());
    }
}

fn notify(notice: String) {
    HOME.with_borrow_mut(|h| {
        if !h.notices.contains(&notice) {
            h.notices.push(notice);
        }
    });
}

/// The way to train: kept, and written into every card's links. The seat to show cases from.
fn on_change(ev: web_sys::Event) {
    if let Some((el, input)) = closest_with(&ev, "data-input") {
        if input == "seat" {
            let value = el
                .dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            HOME.with_borrow_mut(|h| h.seat = (!value.is_empty()).then_some(value));
            render();
            return;
        }
        if let Some(m) = el.get_attribute("value").and_then(|v| Mode::parse(&v)) {
            saves::set_mode(m);
            HOME.with_borrow_mut(|h| h.mode = m);
            render();
        }
    }
}

/// Removing a save that cannot resume, and clearing this device's data (after asking).
fn on_click(ev: web_sys::Event) {
    let Some((el, action)) = closest_with(&ev, "data-action") else {
        return;
    };
    match UiAction::parse(&action) {
        Some(UiAction::DiscardSave) => {
            let case = el.get_attribute("data-case").unwrap_or_default();
            let m = el
                .get_attribute("data-mode")
                .and_then(|m| Mode::parse(&m))
                .unwrap_or_default();
            notify(match saves::discard(&case, m) {
                Ok(()) => format!("Removed the saved {} run of '{case}'.", m.lower()),
                Err(e) => format!("The save could not be removed ({e})."),
            });
            render();
            focus_after_render("cases-heading");
        }
        Some(UiAction::ClearData) => confirm_clearing(true, "clear-confirm"),
        Some(UiAction::ClearDataCancel) => confirm_clearing(false, "clear-data"),
        Some(UiAction::ClearDataConfirm) => clear_data(),
        _ => {}
    }
}

fn confirm_clearing(asking: bool, focus: &'static str) {
    HOME.with_borrow_mut(|h| h.confirming = asking);
    render();
    focus_after_render(focus);
}

fn clear_data() {
    let notice = match saves::clear_all() {
        Ok(n) => format!("Cleared your data on this device ({n} saved items)."),
        Err(e) => format!("Your data could not be cleared ({e})."),
    };
    HOME.with_borrow_mut(|h| {
        h.confirming = false;
        h.notices = vec![notice];
        h.mode = Mode::default();
    });
    if let Some(radio) =
        element("mode-self-paced").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        radio.set_checked(true);
    }
    render();
    focus_after_render("data-heading");
}
