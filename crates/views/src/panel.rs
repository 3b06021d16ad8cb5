//! The threshold panel's body: the full picture, then each involved service's level, what it
//! would do, why, what it is missing and (on demand) what it knows. Levels come from
//! `core::thresholds::panel`; this only writes them out.

use std::fmt::Write;

use thresholds_core::area::Area;
use thresholds_core::engine::Run;
use thresholds_core::model::Scenario;

use crate::html::esc;

/// A level as a bar mark, a short code and its name (never colour alone).
pub fn level_badge(area: &Area, rank: usize) -> String {
    let levels = &area.framework.levels;
    let level = &levels[rank.min(levels.len().saturating_sub(1))];
    let steps = levels.iter().filter(|l| !l.emergency).count();
    let mark = if level.emergency {
        "⚠".to_string()
    } else {
        format!(
            "{}{}",
            "▮".repeat(rank + 1),
            "▯".repeat(steps.saturating_sub(rank + 1))
        )
    };
    format!(
        "<span class=\"level level-{rank}\" title=\"{}\"><span class=\"level-mark\" aria-hidden=\"true\">{mark}</span><span class=\"level-short\">{}</span><span class=\"level-name\">{}</span></span>",
        esc(&level.law),
        esc(&level.short),
        esc(&level.name)
    )
}

/// The threshold panel's body: the full picture, then each involved service's level, action,
/// reasons, missing information and (on demand) what it knows. Read-only, so it is written as
/// HTML rather than as view code (see ARCHITECTURE.md, "Size").
pub fn panel_html(area: &Area, s: &Scenario, run: &Run) -> String {
    let p = thresholds_core::thresholds::panel(area, s, run);
    let label = |id: &String| s.fact(id).map_or_else(|| id.clone(), |f| f.label.clone());
    let reasons = |ids: &[String]| esc(&ids.iter().map(label).collect::<Vec<_>>().join("; "));
    let mut h = String::new();
    let _ = write!(
        h,
        "<div class=\"full-picture\" data-level=\"{}\"><p><strong>Full picture</strong> (everything any service knows): {}</p>",
        esc(&p.full.level),
        level_badge(area, p.full.rank)
    );
    if !p.full.because.is_empty() {
        let _ = write!(
            h,
            "<p class=\"why\">Because: {}</p>",
            reasons(&p.full.because)
        );
    }
    h.push_str("</div><ul class=\"service-list\">");
    for row in &p.services {
        let name = s
            .service(&row.service)
            .map_or_else(String::new, |x| x.name.clone());
        let held = run.facts_known_by(s, &row.service);
        let _ = write!(
            h,
            "<li class=\"service-row\" data-service=\"{}\" data-level=\"{}\"><h3 class=\"service-name\">{}</h3>{}<p class=\"does\">{}</p>",
            esc(&row.service),
            esc(&row.response.level),
            esc(&name),
            level_badge(area, row.response.rank),
            esc(&row.response.does)
        );
        if !row.response.because.is_empty() {
            let _ = write!(
                h,
                "<p class=\"why\">Because it knows: {}</p>",
                reasons(&row.response.because)
            );
        }
        if !row.response.put_right.is_empty() {
            let risks: Vec<String> = row
                .response
                .put_right
                .iter()
                .map(|(r, _)| r.clone())
                .collect();
            let remedies: Vec<String> = row
                .response
                .put_right
                .iter()
                .map(|(_, b)| b.clone())
                .collect();
            let _ = write!(
                h,
                "<p class=\"put-right\"><strong>Put right, so no longer counted: </strong>{} (because it knows: {})</p>",
                reasons(&risks),
                reasons(&remedies)
            );
        }
        if !row.missing.is_empty() {
            let _ = write!(h, "<p class=\"missing\"><span aria-hidden=\"true\">⚠ </span><strong>Missing information: </strong>{}</p>", reasons(&row.missing));
        }
        let _ = write!(
            h,
            "<details class=\"held\"><summary>What it knows ({})</summary><ul>",
            held.len()
        );
        for f in held {
            let _ = write!(h, "<li>{}</li>", esc(&f.label));
        }
        h.push_str("</ul></details></li>");
    }
    h.push_str("</ul>");
    h
}

/// The threshold panel's heading and Hide/Show control (its body is `panel_html`, a region of
/// its own). In assessment mode the panel is withheld until the debrief, and says so.
pub fn panel_top_html(area: &Area, shown: bool, withheld: bool) -> String {
    if withheld {
        return "<div class=\"panel-top\"><h2 id=\"panel-heading\">How each service would respond</h2></div><p class=\"panel-note\">In assessment mode this panel opens in the debrief, at the end.</p>".to_string();
    }
    format!(
        "<div class=\"panel-top\"><h2 id=\"panel-heading\">How each service would respond</h2><button type=\"button\" class=\"button small\" id=\"panel-toggle\" data-action=\"toggle-panel\" aria-expanded=\"{shown}\" aria-controls=\"panel-body\">{}<span class=\"visually-hidden\"> the threshold panel</span><span class=\"key-hint\"> (T)</span></button></div><p class=\"panel-note\">A service responds to what it knows, not to the truth. Levels: {}.</p>",
        if shown { "Hide" } else { "Show" },
        esc(&area.framework.title)
    )
}
