//! The home screen: how the trainee is using Thresholds, the case studies (with any saved
//! progress, resumable or not and why), broken case files with their problems, and clearing
//! this device's data.

use thresholds_core::{Mode, Scenario};

use thresholds_core::summary::time_estimate;

use crate::html::{decision_count, esc, html, markup, push_html, uk_date, SafeHtml};
use crate::ui::UiAction;

/// A saved run of a case, as the home screen offers it.
pub enum SaveStatus {
    Resumable {
        mode: Mode,
        decisions: u32,
        /// When it was last saved (ISO 8601).
        saved: String,
        /// The address that resumes it.
        href: String,
        /// Said when the case changed since the save but the save still fits it.
        note: Option<String>,
    },
    /// The save no longer fits the case; `why` says what changed.
    Refused { mode: Mode, why: String },
}

pub struct CaseCard<'a> {
    pub scenario: &'a Scenario,
    pub saves: Vec<SaveStatus>,
    /// Decisions on the case's shortest and longest path, for how long it takes.
    pub decisions: (u32, u32),
    /// Why the case's file could not be loaded when it was last tried (offline before it was
    /// kept, damaged, out of date), shown on its card.
    pub unavailable: Option<String>,
    /// A trainer's own case, kept on this device (written on "Your cases").
    pub own: bool,
}

/// A case file that cannot start, with its `file:line: problem (hint)` lines.
pub struct Broken<'a> {
    pub file: &'a str,
    pub problems: &'a [String],
}

fn problem_list(h: &mut SafeHtml, problems: &[String]) {
    h.push_static("<ul class=\"problems\">");
    for p in problems {
        push_html!(h, "<li><code>{}</code></li>", esc(p));
    }
    h.push_static("</ul>");
}

fn date(iso: &str) -> String {
    uk_date(iso)
}

/// "About 30 to 40 minutes on your own; 60 to 90 with a room."
fn duration(decisions: (u32, u32)) -> String {
    let t = time_estimate(decisions.0, decisions.1);
    let span = |(lo, hi): (u32, u32)| {
        if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo} to {hi}")
        }
    };
    format!(
        "About {} minutes on your own; {} with a room.",
        span(t.alone),
        span(t.room)
    )
}

/// How the trainee is using Thresholds: rendered once, so re-rendering the cases below never
/// takes focus away from these radio buttons.
pub fn modes_html(mode: Mode) -> SafeHtml {
    let mut h = SafeHtml::from_static("<section aria-labelledby=\"mode-heading\"><h2 id=\"mode-heading\">How are you using Thresholds?</h2><fieldset class=\"modes\"><legend class=\"visually-hidden\">Way to train</legend><ul class=\"plain\">");
    for m in Mode::ALL {
        push_html!(
            h,
            "<li><input type=\"radio\" name=\"mode\" id=\"mode-{}\" value=\"{}\" data-input=\"mode\"{}><label for=\"mode-{}\"><strong>{}</strong>: {}</label></li>",
            m.as_str(),
            m.as_str(),
            markup(if m == mode { " checked" } else { "" }),
            m.as_str(),
            m.label(),
            m.describe()
        );
    }
    h.push_static("</ul></fieldset></section>");
    h
}

/// The case studies (with saved progress), broken case files, saves for cases not on this
/// device, and this device's data.
pub fn cases_html(
    mode: Mode,
    cards: &[CaseCard],
    broken: &[Broken],
    orphans: &[(&str, Mode, &str)],
    area_problems: &[String],
    confirm_clear: bool,
) -> SafeHtml {
    let mut h = SafeHtml::default();
    if !area_problems.is_empty() {
        h.push_static("<section class=\"case-card broken\" aria-labelledby=\"area-heading\"><h2 id=\"area-heading\">The area's threshold files have problems</h2><p>No case can start until these are fixed:</p>");
        problem_list(&mut h, area_problems);
        h.push_static("</section>");
    }
    h.push_static("<section aria-labelledby=\"cases-heading\"><h2 id=\"cases-heading\" tabindex=\"-1\">Case studies</h2><ul class=\"case-list\">");
    for card in cards.iter().filter(|c| !c.own) {
        card_html(&mut h, mode, card);
    }
    for b in broken {
        push_html!(
            h,
            "<li class=\"case-card broken\"><h3>{}</h3><p><span aria-hidden=\"true\">⚠ </span>This case file has problems, so it cannot start:</p>",
            esc(b.file)
        );
        problem_list(&mut h, b.problems);
        h.push_static("</li>");
    }
    h.push_static("</ul></section>");
    if !orphans.is_empty() {
        h.push_static("<section aria-labelledby=\"orphans-heading\"><h2 id=\"orphans-heading\">Saved progress for cases not on this device</h2><p>These saves are kept in case the case returns. Clearing your data removes them.</p><ul>");
        for (case, mode, saved) in orphans {
            push_html!(
                h,
                "<li>A saved {} run of the case &#39;{}&#39;, from {}.</li>",
                mode.lower(),
                esc(case),
                esc(&date(saved))
            );
        }
        h.push_static("</ul></section>");
    }
    // A trainer's own cases, kept on this device, under their own heading.
    h.push_static(
        "<section aria-labelledby=\"own-heading\"><h2 id=\"own-heading\">Your cases</h2>",
    );
    if cards.iter().any(|c| c.own) {
        h.push_static("<ul class=\"case-list own-cases\">");
        for card in cards.iter().filter(|c| c.own) {
            card_html(&mut h, mode, card);
        }
        h.push_static("</ul>");
    }
    h.push_static("<p>Write a case about your own area, or check one you have written: <a href=\"#/your-cases\">Your cases and your area</a> shows every problem with its line and what the case holds, plays it, and tries your area's threshold framework. Nothing you open there leaves this device.</p></section>");
    h.push_static("<section aria-labelledby=\"law-link-heading\"><h2 id=\"law-link-heading\">The law these cases use</h2><p>The cases describe England's law and guidance. <a href=\"#/law\">About the law in Wales, Scotland and Northern Ireland</a>: what differs, with sources.</p></section>");
    h.push_static("<section aria-labelledby=\"data-heading\"><h2 id=\"data-heading\" tabindex=\"-1\">Your data on this device</h2><p>Progress is saved only in this browser, on this device. On a shared training-room computer, clear it when you finish.</p>");
    if confirm_clear {
        push_html!(h, "<p id=\"clear-question\"><strong>This removes everything Thresholds keeps on this device: saved progress, the cases you kept on Your cases, the area you chose there, and your settings.</strong> Export any case you want to keep first.</p><button type=\"button\" class=\"button primary\" id=\"clear-confirm\" {} aria-describedby=\"clear-question\">Yes, clear my data</button> <button type=\"button\" class=\"button\" {}>Keep my data</button>", UiAction::ClearDataConfirm.attr(), UiAction::ClearDataCancel.attr());
    } else {
        push_html!(h, "<button type=\"button\" class=\"button\" id=\"clear-data\" {}>Clear my data on this device</button>", UiAction::ClearData.attr());
    }
    h.push_static("</section><p class=\"authoring\">Trainers can write their own case in a text editor: see the authoring guide, <code>scenarios/README.md</code>.</p>");
    h
}

/// The seat a case is played from: the trainee's service, by id, and its name without the
/// case's own "(you)".
pub fn seat_of(s: &Scenario) -> (&str, &str) {
    s.trainee_service().map_or(("", ""), |t| {
        (t.id.as_str(), t.name.trim_end_matches(" (you)").trim())
    })
}

/// One seat on the filter: the service, its name, how many cases are played from it.
pub struct Seat {
    pub id: String,
    pub name: String,
    pub cases: usize,
}

/// The seats the listed cases are played from, in the order the cases are listed; a seat's
/// name is the one its first case gives it.
pub fn seats(cards: &[CaseCard]) -> Vec<Seat> {
    let mut seats: Vec<Seat> = Vec::new();
    for card in cards {
        let (id, name) = seat_of(card.scenario);
        match seats.iter_mut().find(|s| s.id == id) {
            Some(seat) => seat.cases += 1,
            None => seats.push(Seat {
                id: id.to_string(),
                name: name.to_string(),
                cases: 1,
            }),
        }
    }
    seats
}

fn case_count(n: usize) -> String {
    if n == 1 {
        "1 case".to_string()
    } else {
        format!("{n} cases")
    }
}

/// A trainer chooses which agency's seat the room plays from: a list box of every seat with
/// its number of cases, and a status line the screen fills ([`seat_status`]). Drawn apart
/// from the cards, and without the choice in its markup (the screen sets it), so choosing
/// re-draws the cards but never the list box the trainee is on.
pub fn seats_html(seats: &[Seat]) -> SafeHtml {
    let total: usize = seats.iter().map(|s| s.cases).sum();
    let mut h = SafeHtml::default();
    if seats.len() < 2 {
        return h;
    }
    push_html!(
        h,
        "<div class=\"seat-filter\"><label for=\"seat-filter\">Show the cases played from the seat of</label> <select id=\"seat-filter\" data-input=\"seat\" aria-describedby=\"seat-shown\"><option value=\"\">every service ({})</option>",
        case_count(total)
    );
    for seat in seats {
        push_html!(
            h,
            "<option value=\"{}\">{} ({})</option>",
            esc(&seat.id),
            esc(&seat.name),
            case_count(seat.cases)
        );
    }
    h.push_static("</select><p id=\"seat-shown\" class=\"meta\" role=\"status\"></p></div>");
    h
}

/// What the status line under the seat filter says: "Showing 2 of 7 cases: Police."
pub fn seat_status(seats: &[Seat], chosen: Option<&str>) -> String {
    let total: usize = seats.iter().map(|s| s.cases).sum();
    match chosen.and_then(|c| seats.iter().find(|s| s.id == c)) {
        Some(seat) => format!(
            "Showing {} of {}: played as {}.",
            seat.cases,
            case_count(total),
            seat.name
        ),
        None => format!("Showing all {}.", case_count(total)),
    }
}

fn card_html(h: &mut SafeHtml, mode: Mode, card: &CaseCard) {
    let s = card.scenario;
    push_html!(
        h,
        "<li class=\"case-card\" data-case=\"{}\" data-seat=\"{}\"><h3>{}</h3><p>{}</p><p class=\"meta\">You are: {} · Law and guidance: {}</p><p class=\"meta duration\"><span aria-hidden=\"true\">⏱ </span>{}</p>",
        esc(&s.id),
        esc(seat_of(s).0),
        esc(&s.title),
        esc(&s.summary),
        esc(&s.role),
        esc(&s.nation),
        duration(card.decisions)
    );
    if card.own {
        push_html!(
            h,
            "<p class=\"meta own\">Your case, kept on this device · version {} · <a href=\"#/your-cases\">Edit it on Your cases</a></p>",
            s.version
        );
    }
    if !s.content_note.is_empty() {
        push_html!(
            h,
            "<p class=\"content-note\"><strong>Content note: </strong>{}</p>",
            esc(&s.content_note)
        );
    }
    if let Some(why) = &card.unavailable {
        push_html!(
            h,
            "<p class=\"card-problem\"><span aria-hidden=\"true\">⚠ </span>{}</p>",
            why
        );
    }
    let mut saved_in_mode = false;
    if !card.saves.is_empty() {
        h.push_static("<ul class=\"saves\">");
        for save in &card.saves {
            match save {
                SaveStatus::Resumable {
                    mode: m,
                    decisions: n,
                    saved,
                    href,
                    note,
                } => {
                    saved_in_mode |= *m == mode;
                    push_html!(
                        h,
                        "<li class=\"save\" data-mode=\"{}\"><span aria-hidden=\"true\">⏸ </span>In progress ({}): {}, saved {}. <a class=\"button primary\" href=\"{}\">Resume<span class=\"visually-hidden\"> {} ({})</span></a>{}</li>",
                        m.as_str(),
                        m.label(),
                        decision_count(*n),
                        esc(&date(saved)),
                        esc(href),
                        esc(&s.title),
                        m.label(),
                        note.as_ref()
                            .map(|n| html!("<span class=\"save-note\"> {}</span>", esc(n)))
                            .unwrap_or_default()
                    );
                }
                SaveStatus::Refused { mode: m, why } => {
                    push_html!(
                        h,
                        "<li class=\"save refused\" data-mode=\"{}\"><span aria-hidden=\"true\">⚠ </span>Your saved {} run cannot be resumed: {}. <button type=\"button\" class=\"button small\" {} data-case=\"{}\" data-mode=\"{}\">Remove it<span class=\"visually-hidden\"> ({} {})</span></button> You can start again below.</li>",
                        m.as_str(),
                        m.lower(),
                        esc(why),
                        UiAction::DiscardSave.attr(),
                        esc(&s.id),
                        m.as_str(),
                        esc(&s.title),
                        m.label()
                    );
                }
            }
        }
        h.push_static("</ul>");
    }
    push_html!(
        h,
        "<p class=\"start\"><a class=\"button{}\" href=\"#/case/{}?mode={}\">{}<span class=\"visually-hidden\"> {} ({})</span></a> <span class=\"hint\">{}</span></p></li>",
        if saved_in_mode { "" } else { " primary" },
        esc(&s.id),
        mode.as_str(),
        if saved_in_mode { "Start again" } else { "Start" },
        esc(&s.title),
        mode.label(),
        mode.label()
    );
}
