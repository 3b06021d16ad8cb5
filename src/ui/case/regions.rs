//! The case screen's regions, each filled from one view function by one small component named
//! for what the trainee sees there (`ui::region` in the views crate names the ids).

use leptos::prelude::*;
use thresholds_views::ui::region as id;
use thresholds_views::{
    debrief_html, debrief_summary_html, esc, header_html, next_html, panel_html, panel_top_html,
    prompts_html, reflection_html, share_form_html, step_html, tools_html, votes_html, SafeHtml,
};

use super::super::dom::{region, region_after_paint};
use super::controller::Ctrl;
use crate::storage;

/// Where the trainee's name for the printed record is kept (this device only).
pub const NAME_KEY: &str = "thresholds/settings/name";

pub fn fill_all(c: Ctrl) {
    header(c);
    region(id::ERROR, move || esc(&c.error.get()));
    region(id::FEEDBACK, move || c.live.get());
    story(c);
    prompts(c);
    votes(c);
    sharing(c);
    reflection(c);
    tools(c);
    panel(c);
    debrief(c);
    layout(c);
}

fn header(c: Ctrl) {
    region(id::HEADER, move || c.render(&header_html));
}

/// The step and its choices, or, while the trainee reads the feedback, the way on.
fn story(c: Ctrl) {
    region(id::STORY, move || {
        if c.awaiting.get() {
            c.render(&next_html)
        } else {
            c.render(&step_html)
        }
    });
}

fn prompts(c: Ctrl) {
    region(id::PROMPTS, move || {
        if c.awaiting.get() {
            SafeHtml::default()
        } else {
            c.render(&prompts_html)
        }
    });
}

/// The room's votes form: re-rendered only when the session moves, with any counts typed.
fn votes(c: Ctrl) {
    region(id::VOTES, move || {
        if c.awaiting.get() {
            return SafeHtml::default();
        }
        let drafts = c.drafts.get_value();
        c.session.with(|x| c.view(x, &|v| votes_html(v, &drafts)))
    });
}

fn sharing(c: Ctrl) {
    region(id::SHARE, move || {
        if c.ended.get() || c.awaiting.get() {
            SafeHtml::default()
        } else {
            c.render(&share_form_html)
        }
    });
}

fn reflection(c: Ctrl) {
    let html = Memo::new(move |_| {
        if c.awaiting.get() {
            SafeHtml::default()
        } else {
            c.session.with(|x| c.view(x, &reflection_html))
        }
    });
    region(id::REFLECTION, move || html.get());
}

fn tools(c: Ctrl) {
    region(id::TOOLS, move || c.render(&tools_html));
}

/// The panel's heading and toggle at once; its body a frame later, so the feedback is painted
/// first (see `dom::region_after_paint`).
fn panel(c: Ctrl) {
    let withheld = move || !c.mode.panel_during_play() && !c.ended.get();
    region(id::PANEL_TOP, move || {
        c.with_area(|a| panel_top_html(a, c.panel_shown.get(), withheld()))
    });
    region_after_paint(id::PANEL_BODY, move || {
        if !c.panel_shown.get() || withheld() {
            return SafeHtml::default();
        }
        c.session.with(|x| c.view(x, &panel_html))
    });
}

/// At an ending: the summary with the trainee's name (read once: typing it re-renders
/// nothing), then the report's sections.
fn debrief(c: Ctrl) {
    region_after_paint(id::DEBRIEF_SUMMARY, move || {
        if !c.report.get() {
            return SafeHtml::default();
        }
        let name = storage::get(NAME_KEY).ok().flatten().unwrap_or_default();
        c.session
            .with(|x| c.view(x, &|v| debrief_summary_html(v, &name)))
    });
    region_after_paint(id::DEBRIEF, move || {
        c.session.with(|x| c.view(x, &debrief_html))
    });
}

/// Classes on the layout that the stylesheet lays out by: the panel open (on a projector it
/// takes the stage), and the case ended (the report takes the full width).
fn layout(c: Ctrl) {
    Effect::new(move |_| {
        let (open, ended) = (c.panel_shown.get(), c.report.get());
        if let Some(el) = document().get_element_by_id(thresholds_views::ui::element::CASE_LAYOUT) {
            let class = match (open, ended) {
                (false, false) => "case-layout",
                (true, false) => "case-layout panel-open",
                (false, true) => "case-layout ended",
                (true, true) => "case-layout panel-open ended",
            };
            let _ = el.set_attribute("class", class);
        }
    });
}
