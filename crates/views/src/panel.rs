//! The threshold panel: the full picture, then each involved service's level, what it would
//! do, what moved with the last action (was → now, and why), what it is missing and (on
//! demand) why it sits where it does and what it knows. Levels come from
//! `core::thresholds::panel`; this only writes them out.

use thresholds_core::area::Area;
use thresholds_core::thresholds::{panel, LevelChange, Panel, ServiceResponse};

use crate::case::CaseView;
use crate::feedback::{because, changes, level_words};
use crate::html::{esc, html, markup, push_html, SafeHtml};
use crate::ui::UiAction;

/// A level as a meter of filled and empty cells, a short code and its name: never colour alone.
/// The meter is drawn by the stylesheet (empty cells are outlines, not glyphs a font may lack).
///
/// In an area with no fixed levels there is no badge: the row says what the service would do.
pub fn level_badge(area: &Area, rank: usize) -> SafeHtml {
    if area.framework.no_fixed_levels {
        return SafeHtml::default();
    }
    let levels = &area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let steps = levels.iter().filter(|l| !l.emergency).count();
    let mut meter = SafeHtml::from_static("<span class=\"meter\" aria-hidden=\"true\">");
    if level.emergency {
        meter.push_static("<span class=\"meter-alert\">!</span>");
    } else {
        for i in 0..steps {
            meter.push_static(if i <= rank {
                "<span class=\"cell on\"></span>"
            } else {
                "<span class=\"cell\"></span>"
            });
        }
    }
    meter.push_static("</span>");
    html!(
        "<span class=\"level level-{}\" title=\"{}\">{}<span class=\"level-short\">{}</span><span class=\"level-name\">{}</span></span>",
        rank,
        esc(&level.law),
        meter,
        esc(&level.short),
        esc(&level.name)
    )
}

/// The panel's body for the session as it stands, with what its last action moved.
pub fn panel_html(v: &CaseView) -> SafeHtml {
    let p = panel(v.area, v.scenario, &v.session.run);
    let moved = changes(v);
    let mut h = SafeHtml::default();
    full_picture_html(v, &p, moved.iter().find(|c| c.service.is_none()), &mut h);
    h.push_static("<ul class=\"service-list\">");
    for row in &p.services {
        let change = moved
            .iter()
            .find(|c| c.service.as_deref() == Some(row.service.as_str()));
        service_row_html(v, row, change, &mut h);
    }
    h.push_static("</ul>");
    h
}

fn full_picture_html(v: &CaseView, p: &Panel, change: Option<&LevelChange>, h: &mut SafeHtml) {
    push_html!(
        h,
        "<div class=\"full-picture\" data-level=\"{}\"><p class=\"row-line\"><strong class=\"service-name\">Full picture</strong> {}{}</p><p class=\"why\">Everything any service knows{}</p></div>",
        esc(&p.full.level),
        level_badge(v.area, p.full.rank),
        change.map(|c| change_html(v, c)).unwrap_or_default(),
        if p.full.because.is_empty() {
            SafeHtml::default()
        } else {
            html!(": {}", reasons(v, &p.full.because))
        }
    );
}

fn service_row_html(
    v: &CaseView,
    row: &ServiceResponse,
    change: Option<&LevelChange>,
    h: &mut SafeHtml,
) {
    let held = v.session.run.facts_known_by(v.scenario, &row.service);
    push_html!(
        h,
        "<li class=\"service-row{}\" data-service=\"{}\" data-level=\"{}\"><p class=\"row-line\"><strong class=\"service-name\">{}</strong> {}{}{}</p><p class=\"does\">{}</p>",
        markup(if change.is_some() { " changed" } else { "" }),
        esc(&row.service),
        esc(&row.response.level),
        esc(&v.service(&row.service)),
        level_badge(v.area, row.response.rank),
        change.map(|c| change_html(v, c)).unwrap_or_default(),
        // On a projector the row is one line: the missing facts as a count.
        if row.missing.is_empty() {
            SafeHtml::default()
        } else {
            html!(
                " <span class=\"missing-count\" aria-hidden=\"true\">⚠ missing {}</span>",
                row.missing.len()
            )
        },
        esc(&row.response.does)
    );
    if let Some(c) = change {
        push_html!(
            h,
            "<p class=\"change-why\">Moved with your last action{}.</p>",
            because(v, c)
        );
    }
    if !row.missing.is_empty() {
        push_html!(h, "<p class=\"missing\"><span aria-hidden=\"true\">⚠ </span><strong>Missing: </strong>{}</p>", reasons(v, &row.missing));
    }
    push_html!(
        h,
        "<details class=\"held\"><summary>Why, and what it knows ({})</summary>",
        held.len()
    );
    if !row.response.because.is_empty() {
        push_html!(
            h,
            "<p class=\"why\">Its level comes from: {}</p>",
            reasons(v, &row.response.because)
        );
    }
    if !row.response.put_right.is_empty() {
        let (risks, remedies): (Vec<String>, Vec<String>) =
            row.response.put_right.iter().cloned().unzip();
        push_html!(
            h,
            "<p class=\"put-right\"><strong>Put right, so no longer counted: </strong>{} (because it knows: {})</p>",
            reasons(v, &risks),
            reasons(v, &remedies)
        );
    }
    h.push_static("<ul>");
    for f in held {
        push_html!(h, "<li>{}</li>", esc(&f.label));
    }
    h.push_static("</ul></details></li>");
}

/// "was 2 → now 4", in words for a screen reader ("response changed" in an area with no fixed
/// levels).
fn change_html(v: &CaseView, c: &LevelChange) -> SafeHtml {
    if v.area.framework.no_fixed_levels {
        return markup(" <span class=\"was-now\">response changed</span>");
    }
    let short = |rank: usize| {
        v.area
            .framework
            .levels
            .get(rank)
            .map_or_else(SafeHtml::default, |l| esc(&l.short))
    };
    html!(
        " <span class=\"was-now\" data-was=\"{}\" data-now=\"{}\"><span aria-hidden=\"true\">was {} → now {}</span><span class=\"visually-hidden\">: was {}, now {}</span></span>",
        c.was,
        c.now,
        short(c.was),
        short(c.now),
        level_words(v, c.was),
        level_words(v, c.now)
    )
}

fn reasons(v: &CaseView, ids: &[String]) -> SafeHtml {
    esc(&ids.iter().map(|f| v.fact(f)).collect::<Vec<_>>().join("; "))
}

/// The threshold panel's heading and Hide/Show control (its body is `panel_html`, a region of
/// its own). In assessment mode the panel is withheld until the debrief, and says so.
pub fn panel_top_html(area: &Area, shown: bool, withheld: bool) -> SafeHtml {
    if withheld {
        return markup("<div class=\"panel-top\"><h2 id=\"panel-heading\">How each service would respond</h2></div><p class=\"panel-note\">In assessment mode this panel opens in the debrief, at the end.</p>");
    }
    let key = if area.framework.no_fixed_levels {
        html!(
            "<p class=\"panel-note\">A service responds to what it knows, not to the truth. This area ({}) uses no fixed levels: each service shows what it would do and what it is missing.</p>",
            esc(&area.framework.title)
        )
    } else {
        html!(
            "<p class=\"panel-note\">A service responds to what it knows, not to the truth. Levels: {}.</p><p class=\"panel-note level-key\">{}</p>",
            esc(&area.framework.title),
            esc(&area
                .framework
                .levels
                .iter()
                .map(|l| format!("{} {}", l.short, l.name))
                .collect::<Vec<_>>()
                .join(" · "))
        )
    };
    html!(
        "<div class=\"panel-top\"><h2 id=\"panel-heading\" tabindex=\"-1\">How each service would respond</h2><button type=\"button\" class=\"button small\" id=\"panel-toggle\" {} aria-expanded=\"{}\" aria-controls=\"panel-body\">{}<span class=\"visually-hidden\"> the threshold panel</span><span class=\"key-hint\"> (T)</span></button></div>{}",
        UiAction::TogglePanel.attr(),
        shown,
        if shown { "Hide" } else { "Show" },
        key
    )
}
