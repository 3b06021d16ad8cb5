//! Thresholds' screens as HTML, and a run's exports. Everything a screen shows is computed by the
//! core (`thresholds`, `score`, the session and its log); this crate only writes it out, as
//! escaped HTML strings that the Leptos UI inserts, and as JSON and CSV for export.
//!
//! Why strings and not Leptos views: the screens are mostly read-only documents (a step, its
//! feedback, the threshold panel, the debrief), the same HTML is the printed record, and string
//! building costs a fraction of the 180 KB first-load budget that generic view code costs (see
//! ARCHITECTURE.md, "Size"). It also means every screen is tested natively.
//!
//! Safety: every piece of case or trainee text is escaped with [`esc`]. The one exception is
//! Markdown bodies (narrative, feedback, event text), which `build.rs` already rendered through
//! the core's sanitiser, so they are safe HTML by construction.
//!
//! Interaction: buttons and forms carry `data-action` / `data-form` attributes that the UI's one
//! delegated listener per screen reads. Nothing here runs script.

mod case;
pub mod cmi5;
mod debrief;
mod desk;
mod export;
mod feedback;
mod home;
mod html;
mod law;
mod panel;
pub mod ui;

pub use case::{
    header_html, next_html, prompts_html, reflection_html, step_html, still_html, tools_html,
    votes_html, CaseView,
};
pub use debrief::{debrief_html, debrief_summary_html, SECTIONS};
pub use desk::{
    desk_area_html, desk_area_trial_html, desk_files_html, desk_kept_html, desk_play_html,
    desk_problems_html, desk_status_text, desk_summary_html, gutter_text, line_span, AreaView,
    KeptCase, DESK_SKELETON,
};
pub use export::{csv, json};
pub use feedback::{feedback_html, recorded_html, share_form_html, share_result_html};
pub use home::{
    cases_html, modes_html, seat_of, seat_status, seats, seats_html, Broken, CaseCard, SaveStatus,
    Seat,
};
pub use html::{esc, markup, uk_date, SafeHtml};
pub use law::{law_body_html, law_html};
pub use panel::{level_badge, panel_html, panel_top_html};
