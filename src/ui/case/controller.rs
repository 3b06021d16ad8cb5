//! The case screen's controller: the session and the screen's own state (the feedback shown,
//! whether the trainee is reading it, the panel and prompts, votes being typed), and every
//! change to them. Handlers only call these methods; saving and the address follow the session
//! from one place (`follow_the_session`).

use std::sync::Arc;

use leptos::prelude::*;
use thresholds_core::area::Area;
use thresholds_core::html;
use thresholds_core::model::Share;
use thresholds_core::score::Rubrics;
use thresholds_core::session::path_text;
use thresholds_core::{Mode, Scenario, Session};
use thresholds_views::ui::element::*;
use thresholds_views::{
    csv, feedback_html, json, panel_html, recorded_html, share_result_html, step_html, CaseView,
    SafeHtml,
};

use super::super::dom::{after_paint, current_address, download, focus_and_show, replace_address};
use super::super::{fresh_seed, AppState};
use crate::catalogue::Setting;
use crate::route::Route;
use crate::saves::{self, now};

/// The case screen's state. `Copy`: every handler holds one.
#[derive(Clone, Copy)]
pub struct Ctrl {
    pub mode: Mode,
    scenario: StoredValue<Arc<Scenario>>,
    area: StoredValue<Arc<Area>>,
    rubrics: StoredValue<Arc<Rubrics>>,
    pub session: RwSignal<Session>,
    /// The live region's content: feedback on the last decision or share.
    pub live: RwSignal<SafeHtml>,
    pub error: RwSignal<String>,
    /// After a decision, the trainee reads the feedback (or the room discusses it) before the
    /// next step is shown.
    pub awaiting: RwSignal<bool>,
    pub panel_shown: RwSignal<bool>,
    pub prompts_open: RwSignal<bool>,
    /// Votes typed but not yet recorded, by choice id: re-rendering the form keeps them.
    pub drafts: StoredValue<Vec<(String, String)>>,
    /// Edits that do not re-render anything (a reflection being typed) but must be saved.
    edits: Trigger,
    pub ended: Memo<bool>,
    /// The ending's report shows once the trainee has gone on from the last feedback.
    pub report: Memo<bool>,
}

impl Ctrl {
    pub fn new(
        scenario: Arc<Scenario>,
        setting: Setting,
        session: Session,
        problem: String,
    ) -> Self {
        let mode = session.mode;
        let scenario = StoredValue::new(scenario);
        let session = RwSignal::new(session);
        let ended =
            Memo::new(move |_| scenario.with_value(|s| session.with(|x| x.run.is_ended(s))));
        let awaiting = RwSignal::new(false);
        let report = Memo::new(move |_| ended.get() && !awaiting.get());
        Ctrl {
            mode,
            scenario,
            area: StoredValue::new(setting.area),
            rubrics: StoredValue::new(setting.rubrics),
            session,
            live: RwSignal::new(SafeHtml::default()),
            error: RwSignal::new(problem),
            awaiting,
            panel_shown: RwSignal::new(!mode.panel_hidden_until_revealed()),
            prompts_open: RwSignal::new(false),
            drafts: StoredValue::new(Vec::new()),
            edits: Trigger::new(),
            ended,
            report,
        }
    }

    /// Writes a view of `session`, which need not be the one in the signal yet. Not generic: one
    /// copy of this code serves every region (see ARCHITECTURE.md, "Size").
    pub fn view(self, session: &Session, f: &dyn Fn(&CaseView) -> SafeHtml) -> SafeHtml {
        self.write(session, self.prompts_open.get_untracked(), f)
    }

    /// A view of the session in the signal, tracked: a region that renders with it follows it.
    pub fn render(self, f: &dyn Fn(&CaseView) -> SafeHtml) -> SafeHtml {
        let prompts_open = self.prompts_open.get();
        self.session.with(|x| self.write(x, prompts_open, f))
    }

    fn write(
        self,
        session: &Session,
        prompts_open: bool,
        f: &dyn Fn(&CaseView) -> SafeHtml,
    ) -> SafeHtml {
        let mut out = SafeHtml::default();
        self.with_view(session, prompts_open, &mut |v| out = f(v));
        out
    }

    /// Runs `f` on a view of `session`. Not generic: one copy serves the regions and the
    /// exports.
    fn with_view(self, session: &Session, prompts_open: bool, f: &mut dyn FnMut(&CaseView)) {
        self.scenario.with_value(|s| {
            self.area.with_value(|a| {
                self.rubrics.with_value(|r| {
                    f(&CaseView {
                        area: a,
                        rubrics: r,
                        scenario: s,
                        session,
                        prompts_open,
                    })
                })
            })
        })
    }

    pub fn with_scenario<T>(self, f: impl FnOnce(&Scenario) -> T) -> T {
        self.scenario.with_value(|s| f(s))
    }

    pub fn with_area<T>(self, f: impl FnOnce(&Area) -> T) -> T {
        self.area.with_value(|a| f(a))
    }

    /// The choices open now, by id, in the order they are numbered.
    pub fn choice_ids(self) -> Vec<String> {
        self.with_scenario(|s| {
            self.session.with_untracked(|x| {
                x.run
                    .available_choices(s)
                    .iter()
                    .map(|c| c.id.clone())
                    .collect()
            })
        })
    }

    pub fn choose(self, choice: &str) {
        if self.awaiting.get_untracked() {
            return;
        }
        let mut next = self.session.get_untracked();
        match self.with_scenario(|s| next.choose(s, choice)) {
            Ok(outcome) => {
                let html = self.view(&next, &|v| {
                    if self.mode.feedback_now() {
                        feedback_html(v, &outcome)
                    } else {
                        recorded_html(v, &outcome)
                    }
                });
                self.live.set(html);
                self.prompts_open.set(false);
                self.drafts.set_value(Vec::new());
                self.error.set(String::new());
                if self.mode == Mode::Assessment {
                    focus_and_show(STEP_HEADING);
                } else {
                    // Feedback first: the trainee reads it (the room discusses it, and predicts
                    // before the panel shows) before the next step.
                    self.awaiting.set(true);
                    if self.mode.panel_hidden_until_revealed() {
                        self.panel_shown.set(false);
                    }
                    focus_and_show(FEEDBACK_HEADING);
                }
                self.session.set(next);
            }
            Err(e) => self.error.set(format!("That did not work: {e}.")),
        }
    }

    /// On from the feedback to the next step (or the ending).
    pub fn go_next(self) {
        if self.awaiting.get_untracked() {
            self.awaiting.set(false);
            self.live.set(SafeHtml::default());
            if self.mode.panel_hidden_until_revealed() {
                // The room predicts the new step before the panel shows.
                self.panel_shown.set(false);
            }
            focus_and_show(STEP_HEADING);
        }
    }

    /// Back one step (`None`), or to just before decision `n`.
    pub fn go_back_to(self, decision: Option<u32>) {
        let mut next = self.session.get_untracked();
        let result = self.with_scenario(|s| match decision {
            Some(n) => next.restart_before(s, n),
            None => next.back_one_step(s),
        });
        match result {
            Ok(()) => {
                self.live.set(SafeHtml::default());
                self.awaiting.set(false);
                self.drafts.set_value(Vec::new());
                self.prompts_open.set(false);
                if self.mode.panel_hidden_until_revealed() {
                    // A step gone back to is predicted afresh, like a new one.
                    self.panel_shown.set(false);
                }
                self.session.set(next);
                focus_and_show(STEP_HEADING);
            }
            Err(e) => self.error.set(format!("Could not go back: {e}.")),
        }
    }

    pub fn restart(self, seed: u64) {
        let fresh = self.with_scenario(|s| Session::start(s, self.mode, seed, &now()));
        let fresh = match fresh {
            Ok(fresh) => fresh,
            Err(e) => {
                self.error.set(format!("Could not restart: {e}."));
                return;
            }
        };
        {
            self.live.set(SafeHtml::default());
            self.awaiting.set(false);
            self.error.set(String::new());
            self.drafts.set_value(Vec::new());
            self.panel_shown
                .set(!self.mode.panel_hidden_until_revealed());
            self.session.set(fresh);
            focus_and_show(STEP_HEADING);
        }
    }

    pub fn restart_new(self) {
        self.restart(fresh_seed());
    }

    /// A share through the form. `Err` is what to tell the trainee beside the form.
    pub fn share(self, share: Share) -> Result<(), String> {
        let mut next = self.session.get_untracked();
        let outcome = self
            .with_scenario(|s| next.share(s, &share))
            .map_err(|e| format!("Not shared: {e}."))?;
        let html = self.view(&next, &|v| share_result_html(v, &outcome, &share));
        self.live.set(html);
        self.session.set(next);
        focus_and_show(SHARE_RESULT_HEADING);
        Ok(())
    }

    /// The room's votes for the decision about to be made.
    pub fn record_votes(self, counts: Vec<(String, u32)>) {
        let total: u32 = counts.iter().map(|(_, n)| n).sum();
        self.drafts.set_value(Vec::new());
        self.session.update(|x| x.set_votes(counts));
        self.live.set(html!(
            "<p class=\"feedback\">Recorded the room's votes: {} in all. Now enter the room's choice.</p>",
            total
        ));
        focus_and_show(STEP_HEADING);
    }

    /// A vote count typed (not yet recorded).
    pub fn draft_vote(self, choice: String, typed: String) {
        self.drafts
            .update_value(|d| match d.iter_mut().find(|(id, _)| *id == choice) {
                Some(slot) => slot.1 = typed,
                None => d.push((choice, typed)),
            });
    }

    /// A reflection as it is typed: kept without re-rendering the box being typed in.
    pub fn reflect(self, text: &str) {
        self.session.update_untracked(|x| x.set_reflection(text));
        self.edits.notify();
    }

    pub fn toggle_panel(self) {
        self.panel_shown.update(|s| *s = !*s);
    }

    pub fn export(self, kind: &str) {
        let when = now();
        let json_wanted = kind == "json";
        // The exports are data (JSON, CSV), not HTML.
        let mut text = String::new();
        self.session.with_untracked(|x| {
            self.with_view(x, false, &mut |v| {
                text = if json_wanted {
                    json(v, &when)
                } else {
                    csv(v, &when)
                }
            })
        });
        let stem =
            self.with_scenario(|s| format!("thresholds-{}-{}", s.id, &when[..when.len().min(10)]));
        let (name, mime) = if json_wanted {
            (format!("{stem}.json"), "application/json")
        } else {
            (format!("{stem}.csv"), "text/csv;charset=utf-8")
        };
        if download(&name, mime, &text).is_err() {
            self.error
                .set("The file could not be made in this browser.".to_string());
        }
    }

    /// After every change to the session, once the feedback has been painted, the address is
    /// pointed at this exact point and the save is written (both cost a frame if done before
    /// the paint). A `pagehide` listener, and leaving the screen, write a save still pending at
    /// once. The address is only replaced if it is still the one this screen last wrote: in
    /// those few milliseconds the trainee may have followed a link or gone back, and that wins.
    pub fn follow_the_session(self) {
        let state = expect_context::<AppState>();
        let pending = StoredValue::new(false);
        let shown = StoredValue::new(current_address());
        let point_address_here = move || {
            let Some(hash) = self.address() else { return };
            if shown
                .try_get_value()
                .is_some_and(|s| s == current_address())
            {
                replace_address(&hash);
                shown.set_value(current_address());
            }
        };
        let save_now = move || {
            pending.try_set_value(false);
            let saved = self
                .scenario
                .try_with_value(|s| self.session.try_with_untracked(|x| saves::write(s, x)))
                .flatten();
            if let Some(Err(notice)) = saved {
                state.notify(notice);
            }
            // Launched from an organisation's LMS: the same point reported there.
            let reported = self
                .scenario
                .try_with_value(|s| {
                    self.session.try_with_untracked(|x| {
                        self.area.with_value(|a| {
                            self.rubrics
                                .with_value(|r| thresholds::lms::record(s, x, a, r))
                        })
                    })
                })
                .flatten()
                .flatten();
            if let Some(notice) = reported {
                state.notify(notice);
            }
        };
        let save_if_pending = move || {
            if pending.try_get_value() == Some(true) {
                save_now();
            }
        };
        // A fresh address (no seed yet) becomes one that can be reloaded at once.
        point_address_here();
        Effect::new(move |first: Option<()>| {
            self.session.track();
            self.edits.track();
            if first.is_some() {
                pending.set_value(true);
                after_paint(move || {
                    point_address_here();
                    save_now();
                });
            }
        });
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| save_if_pending());
        // A cmi5 launch asks as the page closes, before it says "terminated" (src/lms/cmi5.rs).
        let asked =
            window_event_listener_untyped(thresholds::lms::LEAVING, move |_| save_if_pending());
        on_cleanup(move || {
            leaving.remove();
            asked.remove();
            save_if_pending();
        });
    }

    /// The address of this exact point: mode, seed and the path of actions so far. Read with
    /// `try_`, as it is also used after a paint, when the screen may have gone.
    fn address(self) -> Option<String> {
        self.scenario
            .try_with_value(|s| {
                self.session.try_with_untracked(|x| {
                    Route::Case {
                        id: s.id.clone(),
                        mode: self.mode,
                        seed: Some(x.run.seed()),
                        path: Some(path_text(&x.actions)),
                    }
                    .to_hash()
                })
            })
            .flatten()
    }

    /// While the trainee reads the first step, runs a decision on a copy once: the browser
    /// compiles WebAssembly functions when they are first called, and the first real decision
    /// then renders its feedback as fast as the rest (see ARCHITECTURE.md, "Speed").
    pub fn warm_up(self) {
        // Three tasks, not one: on a slow phone one would block input for over 50 ms (it
        // counted in Lighthouse's total blocking time on a deep link).
        after_paint(move || {
            let _ = self.session.try_with_untracked(|x| {
                let mut copy = x.clone();
                let first = self.choice_ids().into_iter().next()?;
                let outcome = self.with_scenario(|s| copy.choose(s, &first).ok())?;
                self.view(&copy, &|v| feedback_html(v, &outcome));
                let later = copy.clone();
                // The screen may have gone by then (its signals with it): checked each time.
                let here = move || self.session.try_with_untracked(|_| ()).is_some();
                set_timeout(
                    move || {
                        if !here() {
                            return;
                        }
                        self.view(&later, &step_html);
                        set_timeout(
                            move || {
                                if here() {
                                    self.view(&copy, &panel_html);
                                }
                            },
                            std::time::Duration::ZERO,
                        );
                    },
                    std::time::Duration::ZERO,
                );
                Some(())
            });
        });
    }
}
