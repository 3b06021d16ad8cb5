//! The screens as HTML and the exports: content, escaping, what each mode shows, and exports
//! that parse. One test binary; each test plays real cases through the core.

use thresholds_core::model::{Basis, Share};
use thresholds_core::safe::SafeHtml;
use thresholds_core::{load, LogEntry, Mode, Session};
use thresholds_views::*;

mod common;
use common::*;

/// The debrief as the screen shows it: the summary, then the sections.
fn debrief_region_html(v: &CaseView) -> SafeHtml {
    debrief_summary_html(v, "") + &debrief_html(v)
}

/// Counts non-overlapping occurrences.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The part of `html` from `from` up to the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("{from} not found"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn the_debrief_has_scores_decisions_chart_grid_timeline_and_expert_path() {
    let (area, rubrics, s) = setup();
    let session = play(&s, Mode::SelfPaced, 2013, GOOD);
    let run = &session.run;
    let v = view(&area, &rubrics, &s, &session);
    let html = step_html(&v) + &debrief_region_html(&v);
    assert!(html.contains("<h2 id=\"step-heading\" tabindex=\"-1\">Ending: "));
    for rubric in [
        "information-sharing",
        "child-focus",
        "threshold-judgement",
        "timeliness",
    ] {
        assert!(
            html.contains(&format!("data-rubric=\"{rubric}\"")),
            "{rubric}"
        );
    }
    let chart = between(&html, "class=\"level-chart\"", "</table>");
    assert_eq!(
        count(chart, "<tr"),
        1 + 1 + s.services.len(),
        "header, full picture, one row per service"
    );
    assert_eq!(
        count(chart, "class=\"level-cell"),
        (run.turn() as usize + 1) * (s.services.len() + 1)
    );
    assert_eq!(count(chart, "class=\"bar\""), count(chart, "level-cell"));
    let grid = between(&html, "class=\"knowledge-grid\"", "</table>");
    let in_play = s
        .facts
        .iter()
        .filter(|f| run.knowledge().values().any(|k| k.contains_key(&f.id)))
        .count();
    assert_eq!(count(grid, "<tr data-fact="), in_play);
    assert_eq!(
        count(
            between(&html, "<ol class=\"timeline\">", "</ol>"),
            "<strong>Decision "
        ),
        run.turn() as usize,
        "every decision in the timeline"
    );
    for n in 1..=run.turn() {
        let decision = between(
            &html,
            &format!("<li class=\"decision\" id=\"decision-{n}\""),
            "</li>",
        );
        let (step, choice) = session.run.decisions()[n as usize - 1];
        let c = s.choice(step, choice).unwrap();
        assert!(
            decision.contains(&format!("<h4>Decision {n}: ")),
            "{decision}"
        );
        assert!(
            decision.contains(c.feedback.html().as_str()),
            "the reason for decision {n}"
        );
        assert!(
            decision.contains(c.grade.label()),
            "the grade of decision {n}"
        );
    }
    // Marks link to their decisions.
    assert!(html.contains("data-action=\"show-decision\" data-decision=\"1\""));
    assert_eq!(count(&html, "<li class=\"decision\""), run.turn() as usize);
    assert!(html.contains("class=\"expert\""));
    // The good path chose as the expert would at every step they share, numbered by decision.
    let expert = between(&html, "<ol class=\"expert\">", "</ol>");
    assert!(
        count(expert, "(your choice too, at decision ") >= 8,
        "{expert}"
    );
    assert!(
        expert.contains("<li value=\"1\"><strong>Decision 1, "),
        "{expert}"
    );
    // Each source is listed once, and cited by number.
    let sources = between(&html, "<ol class=\"source-list\">", "</ol>");
    let listed: Vec<&str> = sources.split("<li id=").skip(1).collect();
    let unique: std::collections::BTreeSet<&str> = listed
        .iter()
        .map(|l| l.split_once('>').unwrap().1)
        .collect();
    assert_eq!(
        listed.len(),
        unique.len(),
        "a source listed twice: {sources}"
    );
    assert!(html.contains("data-action=\"show-source\" data-source=\"1\""));
    let meta = between(&html, "data-testid=\"record-meta\"", "</dl>");
    for part in ["version 2", "Self-paced", "2013", "23 November 2026, 10:00"] {
        assert!(meta.contains(part), "{part} in {meta}");
    }
    for action in ["print", "export-json", "export-csv"] {
        assert!(
            html.contains(&format!("data-action=\"{action}\"")),
            "{action}"
        );
    }
}

#[test]
fn the_debrief_orders_a_good_and_a_poor_path() {
    let (area, rubrics, s) = setup();
    let poor = [
        "recovery-only",
        "not-my-client",
        "keep-it-in",
        "no-visit",
        "keep-prescription",
        "wait-for-more",
        "keep-monitoring",
        "agree-increase",
        "drive-over",
        "accept-decision",
        "parent-tasks",
    ];
    let percent = |html: &str, rubric: &str| -> u32 {
        let li = between(html, &format!("data-rubric=\"{rubric}\""), ">");
        let p = between(li, "data-percent=\"", "\" ");
        p["data-percent=\"".len()..].parse().unwrap()
    };
    for seed in [1, 5, 2013] {
        let good = play(&s, Mode::SelfPaced, seed, GOOD);
        let bad = play(&s, Mode::SelfPaced, seed, &poor);
        let g = debrief_region_html(&view(&area, &rubrics, &s, &good));
        let b = debrief_region_html(&view(&area, &rubrics, &s, &bad));
        for rubric in ["information-sharing", "child-focus", "timeliness"] {
            assert!(
                percent(&g, rubric) > percent(&b, rubric),
                "seed {seed} {rubric}: {} vs {}",
                percent(&g, rubric),
                percent(&b, rubric)
            );
        }
    }
}

#[test]
fn case_and_trainee_text_is_escaped_everywhere() {
    assert_eq!(
        esc("<script>\"&'").as_str(),
        "&lt;script&gt;&quot;&amp;&#39;"
    );
    let (area, rubrics, _) = setup();
    let text = read("scenarios/imran.md")
        .replace(
            "label: Ask about David and Misha",
            "label: <img src=x onerror=alert(1)> Ask about David and Misha",
        )
        .replace(
            "label: The methadone is kept",
            "label: <b>The</b> methadone is kept",
        )
        .replace(
            "name: Health visiting (David)",
            "name: <i>Health</i> visiting",
        );
    let s = compiled(load("imran.md", &text).unwrap());
    let mut session = play(&s, Mode::SelfPaced, 1, GOOD);
    session.set_reflection("</li><script>alert(1)</script>");
    let v = view(&area, &rubrics, &s, &session);
    let mut all = step_html(&v);
    all.push(&debrief_region_html(&v));
    all.push(&reflection_html(&v));
    all.push(&tools_html(&v));
    let mut early = Session::start(&s, Mode::Facilitator, 1, "").unwrap();
    let outcome = early.choose(&s, "ask-children").unwrap();
    let ev = view(&area, &rubrics, &s, &early);
    all.push(&feedback_html(&ev, &outcome));
    all.push(&step_html(&ev));
    all.push(&share_form_html(&ev));
    all.push(&panel_html(&ev));
    for raw in ["<img", "<b>The", "<i>Health", "<script"] {
        assert!(!all.contains(raw), "raw HTML {raw} reached a screen");
    }
    assert!(all.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(all.contains("&lt;b&gt;The&lt;/b&gt; methadone"));
    assert!(all.contains("&lt;/li&gt;&lt;script&gt;"));
}

#[test]
fn the_json_export_parses_and_lists_every_decision_share_vote_and_reflection() {
    let (area, rubrics, s) = setup();
    let mut session = Session::start(&s, Mode::Facilitator, 7, "2026-11-23T10:00:00.000Z").unwrap();
    session.set_votes(vec![
        ("ask-children".into(), 9),
        ("recovery-only".into(), 3),
    ]);
    session.set_reflection("I asked first: the children come first.");
    session.choose(&s, "ask-children").unwrap();
    session
        .share(
            &s,
            &Share::new(
                &["methadone-in-fridge"],
                "health-visiting",
                Basis::Consent,
                true,
            ),
        )
        .unwrap();
    while !session.run.is_ended(&s) {
        let id = session.run.available_choices(&s)[0].id.clone();
        session.choose(&s, &id).unwrap();
    }
    let v = view(&area, &rubrics, &s, &session);
    let json = json(&v, "2026-11-23T11:00:00.000Z");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    // A list of xAPI statements, each whole: an id, a time, the actor, a verb IRI, an object.
    let statements = parsed.as_array().expect("a list of statements");
    let ext = |st: &serde_json::Value, key: &str| {
        st["context"]["extensions"][format!("urn:thresholds:xapi:{key}")].clone()
    };
    let mut ids = std::collections::BTreeSet::new();
    for st in statements {
        let id = st["id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(&id[14..15], "4", "a version 4 form: {id}");
        assert!(ids.insert(id.to_string()), "ids are unique: {id}");
        assert_eq!(st["timestamp"], "2026-11-23T11:00:00.000Z");
        assert_eq!(st["actor"]["account"]["name"], "trainee");
        assert!(st["verb"]["id"]
            .as_str()
            .unwrap()
            .starts_with("http://adlnet.gov/expapi/verbs/"));
        assert!(st["object"]["id"]
            .as_str()
            .unwrap()
            .starts_with("urn:thresholds:case:imran"));
        assert_eq!(ext(st, "mode"), "facilitator");
        assert_eq!(ext(st, "version"), 2);
        assert_eq!(ext(st, "seed"), 7);
        assert_eq!(ext(st, "started"), "2026-11-23T10:00:00.000Z");
        // Which area's levels the run was judged against (a trainer may have chosen another).
        assert_eq!(ext(st, "area"), area.framework.title.as_str());
        assert_eq!(
            st["context"]["registration"],
            statements[0]["context"]["registration"]
        );
    }
    // The same run exported again: the same statements, which a store keeps once.
    assert_eq!(json, thresholds_views::json(&v, "2026-11-23T11:00:00.000Z"));
    let verb = |name: &str| -> Vec<&serde_json::Value> {
        statements
            .iter()
            .filter(|s| s["verb"]["id"] == format!("http://adlnet.gov/expapi/verbs/{name}"))
            .collect()
    };
    let chose = verb("answered");
    assert_eq!(chose.len(), session.run.decisions().len());
    for (n, (st, (step, choice))) in chose.iter().zip(session.run.decisions()).enumerate() {
        assert_eq!(
            st["object"]["id"],
            format!("urn:thresholds:case:imran:step:{step}")
        );
        assert_eq!(st["object"]["definition"]["interactionType"], "choice");
        assert_eq!(st["result"]["response"], *choice);
        assert_eq!(ext(st, "decision"), n as u64 + 1, "decisions count from 1");
    }
    assert_eq!(
        chose[0]["result"]["extensions"]["urn:thresholds:xapi:room-votes"]["ask-children"],
        9
    );
    let shares = session
        .run
        .log()
        .iter()
        .filter(|e| matches!(e, LogEntry::Shared { .. }))
        .count();
    assert_eq!(verb("shared").len(), shares);
    assert_eq!(
        verb("shared")[0]["result"]["extensions"]["urn:thresholds:xapi:basis"],
        "consent"
    );
    let reflected = verb("commented");
    assert_eq!(reflected.len(), 1);
    assert_eq!(
        reflected[0]["result"]["response"],
        "I asked first: the children come first."
    );
    let done = verb("completed");
    assert_eq!(done.len(), 1);
    let raw = done[0]["result"]["score"]["raw"].as_u64().unwrap();
    assert!(raw <= 100);
    assert_eq!(
        done[0]["result"]["score"]["scaled"].as_f64().unwrap(),
        raw as f64 / 100.0
    );
    assert!(
        done[0]["result"]["extensions"]["urn:thresholds:xapi:rubrics"]["child-focus"]
            .as_u64()
            .unwrap()
            <= 100
    );
}

#[test]
fn the_csv_export_has_a_row_per_decision_share_and_reflection_and_defuses_formulas() {
    let (area, rubrics, _) = setup();
    let text = read("scenarios/imran.md").replace(
        "label: Ask about David and Misha",
        "label: =HYPERLINK(\"x\") Ask about David and Misha",
    );
    let s = compiled(load("imran.md", &text).unwrap());
    let mut session = Session::start(&s, Mode::Assessment, 3, "").unwrap();
    session.choose(&s, "ask-children").unwrap();
    session
        .share(
            &s,
            &Share::new(
                &["methadone-in-fridge", "children-at-home"],
                "health-visiting",
                Basis::Safeguarding,
                false,
            ),
        )
        .unwrap();
    session.set_reflection("+ a thought");
    while !session.run.is_ended(&s) {
        let id = session.run.available_choices(&s)[0].id.clone();
        session.choose(&s, &id).unwrap();
    }
    let csv = csv(&view(&area, &rubrics, &s, &session), "2026-11-23T11:00:00Z");
    assert!(
        csv.contains(&format!("; area {};", area.framework.title)),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        1 + 1 + session.run.decisions().len() + 1 + 1,
        "header, record, decisions, one share, one reflection:\n{csv}"
    );
    assert!(csv
        .lines()
        .nth(1)
        .unwrap()
        .contains("mode assessment; seed 3"));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\") Ask about David and Misha"),
        "{csv}"
    );
    assert!(csv.contains("\"'+ a thought\""));
    assert!(csv.contains("\"share\",\"\",\"methadone-in-fridge children-at-home\""));
}

#[test]
fn feedback_says_what_changed_for_the_children_and_names_the_rubric_items_with_sources() {
    let (area, rubrics, s) = setup();
    let mut session = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    let outcome = session.choose(&s, "ask-children").unwrap();
    let html = feedback_html(&view(&area, &rubrics, &s, &session), &outcome);
    assert!(html.contains("Your decision: Ask about David and Misha"));
    assert!(html.contains("Good practice"));
    assert!(html.contains("For the children:") && html.contains("Child protection"));
    assert!(html.contains("found out: The methadone is kept in the kitchen fridge"));
    let rubric = between(&html, "<ul class=\"rubric-marks\">", "</ul>");
    assert!(rubric.contains("Shows <strong>Ask about every child</strong>"));
    assert!(rubric.contains("Source: Anderson"));
    assert!(rubric.contains("Finds out what the children"), "{rubric}");

    let mut poor = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    let outcome = poor.choose(&s, "recovery-only").unwrap();
    let html = feedback_html(&view(&area, &rubrics, &s, &poor), &outcome);
    assert!(html.contains("Falls short on <strong>Treatment compliance is not child safety"));
    assert!(html.contains("Falls short on <strong>Finds out what the children"));

    // An untagged choice that finds nothing out lists no rubric items.
    let mut plain = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    for c in ["ask-children", "secure-and-refer", "day-in-the-life"] {
        plain.choose(&s, c).unwrap();
    }
    let outcome = plain.choose(&s, "tell-hv-and-nurse").unwrap();
    let html = feedback_html(&view(&area, &rubrics, &s, &plain), &outcome);
    assert!(!html.contains("rubric-marks"), "{html}");
}

#[test]
fn a_share_result_points_out_over_sharing_no_basis_and_openness_except_in_assessment() {
    let (area, rubrics, s) = setup();
    for mode in Mode::ALL {
        let mut session = Session::start(&s, mode, 1, "").unwrap();
        let share = Share::new(
            &["imran-hep-c", "children-at-home"],
            "school",
            Basis::None,
            false,
        );
        let outcome = session.share(&s, &share).unwrap();
        let html = share_result_html(&view(&area, &rubrics, &s, &session), &outcome, &share);
        assert!(html.contains("now knows: Imran has hepatitis C"));
        let judged = html.contains("over-sharing")
            && html.contains("no lawful basis")
            && html.contains("golden rule 2");
        assert_eq!(judged, mode != Mode::Assessment, "{mode:?}: {html}");
    }
}

#[test]
fn what_each_mode_shows_at_a_step() {
    let (area, rubrics, s) = setup();
    let text = read("scenarios/imran.md");
    assert!(text.contains("prompt:"), "Imran carries discussion prompts");
    let mut session = Session::start(&s, Mode::Facilitator, 1, "").unwrap();
    session.set_votes(vec![
        ("ask-children".into(), 12),
        ("ask-jennifer".into(), 1),
    ]);
    let mut v = view(&area, &rubrics, &s, &session);
    let html = step_html(&v);
    let votes = votes_html(&v, &[]);
    let prompts = prompts_html(&v);
    assert!(
        debrief_region_html(&v).is_empty(),
        "no debrief before the ending"
    );
    assert_eq!(count(&html, "data-action=\"choose\""), 3);
    assert!(html.contains("<span class=\"key\" aria-hidden=\"true\">1</span>"));
    assert!(votes.contains("data-form=\"votes\""));
    assert!(html.contains("<span class=\"vote-count\">12 votes</span>"));
    assert!(html.contains("<span class=\"vote-count\">1 vote</span>"));
    assert!(votes.contains("name=\"ask-children\" value=\"12\""));
    // Counts typed but not recorded come back when the form is written again.
    let typed = votes_html(&v, &[("ask-children".to_string(), "7".to_string())]);
    assert!(typed.contains("name=\"ask-children\" value=\"7\"") && typed.contains(" open>"));
    assert!(prompts.contains("aria-expanded=\"false\""));
    assert!(prompts.contains("<ul id=\"prompt-list\" class=\"prompt-list\" hidden>"));
    v.prompts_open = true;
    let open = prompts_html(&v);
    assert!(open.contains("<ul id=\"prompt-list\" class=\"prompt-list\">"));
    assert!(open.contains("aria-expanded=\"true\""));
    for mode in [Mode::SelfPaced, Mode::Assessment] {
        let session = Session::start(&s, mode, 1, "").unwrap();
        let v = view(&area, &rubrics, &s, &session);
        assert!(votes_html(&v, &[]).is_empty());
        assert!(prompts_html(&v).is_empty());
    }
    // Assessment: a decision is recorded without its grade or feedback.
    let mut session = Session::start(&s, Mode::Assessment, 1, "").unwrap();
    let outcome = session.choose(&s, "recovery-only").unwrap();
    let html = recorded_html(&view(&area, &rubrics, &s, &session), &outcome);
    assert!(html.contains("Decision recorded: Keep the review on his recovery"));
    assert!(!html.contains("Poor practice") && !html.contains("grade"));
    // Facilitator tools list every decision to go back to.
    let mut session = Session::start(&s, Mode::Facilitator, 1, "").unwrap();
    session.choose(&s, "ask-children").unwrap();
    session.choose(&s, "lockbox").unwrap();
    let tools = tools_html(&view(&area, &rubrics, &s, &session));
    assert_eq!(count(&tools, "data-action=\"restart-before\""), 2);
}

#[test]
fn the_panel_html_shows_levels_reasons_and_missing_information() {
    let (area, rubrics, s) = setup();
    let mut session = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    let html = panel_html(&view(&area, &rubrics, &s, &session));
    assert_eq!(count(&html, "<li class=\"service-row\""), s.services.len());
    assert!(html.contains("<div class=\"full-picture\" data-level=\"child-in-need\">"));
    assert!(html.contains("data-service=\"childrens-social-care\" data-level=\"universal\""));
    session.choose(&s, "ask-children").unwrap();
    let html = panel_html(&view(&area, &rubrics, &s, &session));
    let hv = between(&html, "data-service=\"health-visiting\"", "</li>");
    assert!(
        hv.contains("Missing: ") && hv.contains("kitchen fridge"),
        "{hv}"
    );
    assert!(html.contains("<span class=\"level-name\">Child protection: section 47 enquiry</span>"));
}

#[test]
fn the_home_screen_offers_modes_cases_saves_and_clearing_data() {
    let (_, _, s) = setup();
    let cards = [CaseCard {
        scenario: &s,
        decisions: (8, 12),
        unavailable: Some("The case could not be loaded (offline).".to_string()),
        own: false,
        saves: vec![
            SaveStatus::Resumable {
                mode: Mode::SelfPaced,
                decisions: 4,
                saved: "2026-11-23T10:05:00.000Z".into(),
                href: "#/case/imran?mode=self-paced&seed=3&path=ask-children".into(),
                note: Some("The case has been updated since you saved.".into()),
            },
            SaveStatus::Refused {
                mode: Mode::Assessment,
                why: "step 'review' no longer offers the choice 'gone'".into(),
            },
        ],
    }];
    let problems = vec!["x.md:3: unknown step 'y' (hint: did you mean 'z'?)".to_string()];
    let broken = [Broken {
        file: "x.md",
        problems: &problems,
    }];
    let modes = modes_html(Mode::SelfPaced);
    assert_eq!(count(&modes, "data-input=\"mode\""), 3);
    assert!(
        modes.contains("id=\"mode-self-paced\" value=\"self-paced\" data-input=\"mode\" checked")
    );
    let html = cases_html(Mode::SelfPaced, &cards, &broken, &[], &[], false);
    assert!(html
        .contains("href=\"#/case/imran?mode=self-paced&amp;seed=3&amp;path=ask-children\">Resume"));
    assert!(html.contains("4 decisions, saved 23 November 2026, 10:05"));
    assert!(html.contains("<p class=\"card-problem\"><span aria-hidden=\"true\">⚠ </span>The case could not be loaded (offline).</p>"));
    assert!(
        html.contains("About 25 to 30 minutes on your own; 55 to 75 with a room."),
        "a time for a trainer planning a session"
    );
    assert!(html.contains("cannot be resumed: step &#39;review&#39; no longer offers"));
    assert!(
        html.contains("data-action=\"discard-save\" data-case=\"imran\" data-mode=\"assessment\"")
    );
    assert!(
        html.contains(">Start again<"),
        "a saved run in this mode: starting again is explicit"
    );
    assert!(html.contains("<code>x.md:3: unknown step &#39;y&#39;"));
    assert!(html.contains("data-action=\"clear-data\""));
    let confirming = cases_html(Mode::SelfPaced, &cards, &[], &[], &[], true);
    assert!(
        confirming.contains("data-action=\"clear-data-confirm\"")
            && confirming.contains("data-action=\"clear-data-cancel\"")
    );
    let orphans = cases_html(
        Mode::SelfPaced,
        &[],
        &[],
        &[("gone", Mode::Assessment, "2026-11-20T09:30:00.000Z")],
        &[],
        false,
    );
    assert!(orphans.contains(
        "A saved assessment run of the case &#39;gone&#39;, from 20 November 2026, 09:30."
    ));
    let other = cases_html(Mode::Facilitator, &cards, &[], &[], &[], false);
    assert!(other.contains("href=\"#/case/imran?mode=facilitator\">Start<"));
}

/// A trainer can show only the cases played from one agency's seat.
#[test]
fn the_seat_filter_groups_cases_by_the_service_the_trainee_plays() {
    let (_, _, imran) = setup();
    let seat = |id: &str, name: &str, title: &str| {
        let mut s = imran.clone();
        s.title = title.into();
        for svc in &mut s.services {
            svc.trainee = false;
        }
        s.services.push(thresholds_core::model::Service {
            id: id.into(),
            name: name.into(),
            trainee: true,
            ..Default::default()
        });
        s
    };
    let police = seat("police", "Police (you)", "Call-outs");
    let school = seat("school", "School (designated safeguarding lead)", "Caring");
    let card = |s| CaseCard {
        scenario: s,
        saves: vec![],
        decisions: (8, 12),
        unavailable: None,
        own: false,
    };
    let cards = [card(&imran), card(&police), card(&school), card(&imran)];
    assert_eq!(
        seat_of(&police),
        ("police", "Police"),
        "the case's '(you)' goes"
    );
    let all = seats(&cards);
    let listed: Vec<(&str, usize)> = all.iter().map(|s| (s.id.as_str(), s.cases)).collect();
    assert_eq!(
        listed,
        [("drug-service", 2), ("police", 1), ("school", 1)],
        "each seat once, in the order the cases are listed, with its number of cases"
    );
    let filter = seats_html(&all);
    assert!(filter.contains("<label for=\"seat-filter\">"));
    assert!(filter.contains("<option value=\"\">every service (4 cases)</option>"));
    assert!(filter.contains("<option value=\"police\">Police (1 case)</option>"));
    assert!(filter.contains("role=\"status\""));
    assert!(
        !filter.contains("selected"),
        "the choice is set by the screen, so choosing never re-draws the list box"
    );
    assert_eq!(
        seat_status(&all, Some("police")),
        "Showing 1 of 4 cases: played as Police."
    );
    assert_eq!(seat_status(&all, None), "Showing all 4 cases.");
    assert_eq!(seat_status(&all, Some("gone")), "Showing all 4 cases.");
    assert!(
        seats_html(&seats(&cards[..1])).is_empty(),
        "one seat: nothing to filter"
    );
    let html = cases_html(Mode::SelfPaced, &cards[1..2], &[], &[], &[], false);
    assert!(html.contains("data-seat=\"police\""));
    assert!(html.contains(&format!("You are: {}", esc(&police.role))));
}

#[test]
fn the_share_form_asks_for_the_lawful_basis_and_the_result_cautions_against_consent() {
    let (area, rubrics, s) = setup();
    let mut session = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    let form = share_form_html(&view(&area, &rubrics, &s, &session));
    assert!(form.contains("<legend>The lawful basis for sharing</legend>"));
    for b in Basis::ALL {
        assert!(
            form.contains(&format!("value=\"{}\"", b.as_str())),
            "{form}"
        );
    }
    assert!(!form.contains("child-at-risk"));
    let share = Share::new(
        &["children-at-home"],
        "health-visiting",
        Basis::Consent,
        true,
    );
    let outcome = session.share(&s, &share).unwrap();
    let html = share_result_html(&view(&area, &rubrics, &s, &session), &outcome, &share);
    assert!(html.contains("rarely the right lawful basis"), "{html}");
}

#[test]
fn the_panel_says_what_was_put_right() {
    // A case where the lockbox, fitted and seen, resolves the fridge for the drug service.
    let (area, rubrics, _) = setup();
    let text = "# Put right\nid: pr\nrole: r\nsummary: s\nstart: one\n\n## service drug-service\nname: You\ntrainee: yes\nknows: child, fridge\n\n## fact child\nlabel: A toddler lives at home\nindicators: child.lives_with_parent, child.under_5\n\n## fact fridge\nlabel: Methadone in the fridge door\nindicators: storage.unsafe\n\n## fact lockbox\nlabel: A lockbox seen in use\nindicators: storage.safe\nresolves: fridge\n\n## step one\ntitle: One\n\nText.\n\n### choice fix\nlabel: Fix\ngoto: end\ngrade: good\nreveal: lockbox\n\nF.\n\n## ending end\ntitle: End\noutcome: o.\n\nDone.\n";
    let s = compiled(thresholds_core::load("pr.md", text).unwrap());
    let mut session = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    let before = panel_html(&view(&area, &rubrics, &s, &session));
    assert!(before.contains("data-service=\"drug-service\" data-level=\"child-protection\""));
    assert!(!before.contains("Put right"));
    session.choose(&s, "fix").unwrap();
    let after = panel_html(&view(&area, &rubrics, &s, &session));
    assert!(
        after.contains("data-service=\"drug-service\" data-level=\"universal\""),
        "{after}"
    );
    assert!(
        after.contains("Put right, so no longer counted: ")
            && after.contains("A lockbox seen in use"),
        "{after}"
    );
}

#[test]
fn about_the_law_names_the_framework_and_cites_every_difference_by_nation() {
    let html = thresholds_views::law_html("Continuum of need", "England");
    assert!(html.contains("<h1 id=\"law-heading\""));
    assert!(html.contains(
        "id=\"law-framework\">Continuum of need</strong> (<span id=\"law-nation\">England</span>)"
    ));
    // The page the build writes leaves both places empty, for the UI to fill as text.
    assert!(thresholds_views::law_body_html()
        .contains("id=\"law-framework\"></strong> (<span id=\"law-nation\"></span>)"));
    for (id, must) in [
        ("england", "s47"),
        ("wales", "Social Services and Well-being (Wales) Act 2014"),
        ("scotland", "Hearings (Scotland) Act 2011"),
        ("northern-ireland", "Art 66"),
    ] {
        let section = between(&html, &format!("id=\"nation-{id}\""), "</section>");
        assert!(section.contains(must), "{id}: {section}");
        // Every point carries its source.
        assert_eq!(
            count(section, "<li>"),
            count(section, "<span class=\"source\">Source: "),
            "{id}"
        );
        assert!(count(section, "<li>") >= 5, "{id}");
    }
    // Text is escaped like everything else.
    let hostile = thresholds_views::law_html("<script>x</script>", "E");
    assert!(!hostile.contains("<script>"));
}

#[test]
fn the_ui_finds_every_region_and_element_it_looks_for() {
    use thresholds_views::ui::{element, region, CASE_SKELETON};
    for id in region::ALL {
        assert_eq!(
            count(CASE_SKELETON, &format!("id=\"{id}\"")),
            1,
            "region {id} in the skeleton"
        );
    }
    // Everything the screens write, across a run: the ids the UI moves focus to or reads.
    let (area, rubrics, s) = setup();
    let mut all = SafeHtml::default();
    let mut f = Session::start(&s, Mode::Facilitator, 1, "").unwrap();
    all.push(&votes_html(&view(&area, &rubrics, &s, &f), &[]));
    let outcome = f.choose(&s, "ask-children").unwrap();
    let fv = view(&area, &rubrics, &s, &f);
    for part in [
        feedback_html(&fv, &outcome),
        next_html(&fv),
        step_html(&fv),
        panel_top_html(&area, true, false),
        tools_html(&fv),
    ] {
        all.push(&part);
    }
    let mut x = play(&s, Mode::SelfPaced, 1, GOOD);
    x.set_reflection("done");
    let v = view(&area, &rubrics, &s, &x);
    for part in [
        debrief_summary_html(&v, "Sam"),
        debrief_html(&v),
        reflection_html(&v),
    ] {
        all.push(&part);
    }
    let mut early = Session::start(&s, Mode::SelfPaced, 1, "").unwrap();
    all.push(&share_form_html(&view(&area, &rubrics, &s, &early)));
    all.push(&reflection_html(&view(&area, &rubrics, &s, &early)));
    let share = Share::new(&["children-at-home"], "school", Basis::Safeguarding, true);
    let shared = early.share(&s, &share).unwrap();
    all.push(&share_result_html(
        &view(&area, &rubrics, &s, &early),
        &shared,
        &share,
    ));
    for id in [
        element::STEP_HEADING,
        element::FEEDBACK_HEADING,
        element::SHARE_RESULT_HEADING,
        element::NEXT_BUTTON,
        element::PANEL_HEADING,
        element::PANEL_TOGGLE,
        element::REFLECTION,
        element::REFLECTION_PRINT,
        element::LEARNER_NAME,
        element::NAME_PRINT,
        element::SHARE_ERROR,
        element::SEED_ERROR,
    ] {
        assert!(all.contains(&format!("id=\"{id}\"")), "no element {id}");
    }
    for prefix in [
        element::VOTE_PREFIX,
        element::DECISION_PREFIX,
        element::SOURCE_PREFIX,
        element::SECTION_PREFIX,
    ] {
        assert!(
            all.contains(&format!("id=\"{prefix}")),
            "no element {prefix}…"
        );
    }
    assert!(CASE_SKELETON.contains(&format!("id=\"{}\"", element::CASE_LAYOUT)));
    // Every action a control asks for is one the UI reads back.
    for action in thresholds_views::ui::UiAction::ALL {
        assert_eq!(
            thresholds_views::ui::UiAction::parse(action.as_str()),
            Some(action)
        );
    }
}

/// The authoring screen (issue 14): every element the UI finds is in the skeleton, each
/// problem is a button to its line with the text escaped, and the cursor lands on the line.
#[test]
fn the_authoring_screen_lists_each_problem_as_a_button_to_its_line() {
    use thresholds_core::desk::{DeskReport, Finding};
    use thresholds_views::ui::{desk, UiAction};
    for id in desk::ALL {
        assert_eq!(count(DESK_SKELETON, &format!(" id=\"{id}\"")), 1, "{id}");
    }
    let report = DeskReport {
        name: "mine.md".into(),
        id: "mine".into(),
        title: "Mine".into(),
        version: 1,
        problems: vec![Finding {
            file: "mine.md".into(),
            line: 7,
            text: "mine.md:7: unknown step '<img onerror=x>' (hint: check the id)".into(),
        }],
        warnings: vec![Finding {
            file: "mine.md".into(),
            line: 9,
            text: "mine.md:9: drift".into(),
        }],
        summary: "steps: 3 <b>".into(),
        decisions: (3, 5),
        compiled: None,
    };
    let html = desk_problems_html(std::slice::from_ref(&report), None, None).into_string();
    assert_eq!(count(&html, UiAction::GoToLine.attr().as_str()), 2);
    assert!(html.contains("data-line=\"7\"") && html.contains("data-file=\"mine.md\""));
    assert!(html.contains("&lt;img onerror=x&gt;"));
    assert!(!html.contains("<img"));
    assert!(html.contains("warning: "));
    let summary = desk_summary_html(Some(&report)).into_string();
    assert!(summary.contains("steps: 3 &lt;b&gt;"));
    assert_eq!(
        desk_status_text(Some(&report), false),
        "mine.md: 1 problem."
    );
    assert_eq!(desk_status_text(Some(&report), true), "Checking…");
    let none = desk_problems_html(
        &[DeskReport {
            problems: vec![],
            warnings: vec![],
            ..report
        }],
        None,
        None,
    );
    assert!(none.as_str().contains("No problems."));
    assert!(desk_problems_html(&[], None, Some("The area <x>"))
        .as_str()
        .contains("role=\"alert\">The area &lt;x&gt;"));

    let text = "a\nbé😀c\n\nlast";
    assert_eq!(gutter_text(text), "1\n2\n3\n4");
    // UTF-16 units: 'é' is one, the emoji two.
    assert_eq!(line_span(text, 1), (0, 1));
    assert_eq!(line_span(text, 2), (2, 7));
    assert_eq!(line_span(text, 3), (8, 8));
    assert_eq!(line_span(text, 4), (9, 13));
}

#[test]
fn the_files_on_the_desk_mark_the_one_being_edited() {
    let html =
        desk_files_html(&[("a.md", Some(0)), ("b<.md", Some(2)), ("c.md", None)], 0).into_string();
    assert!(html.contains(
        "<li aria-current=\"true\"><strong>a.md</strong> (no problems), being edited</li>"
    ));
    assert!(html.contains("b&lt;.md (2 problems)"));
    assert!(html.contains("data-file=\"1\""));
    assert!(html.contains("c.md (not checked yet)"));
    assert_eq!(count(&html, "Edit "), 2);
    assert!(desk_files_html(&[], 0).is_empty());
}

#[test]
fn the_area_section_says_what_is_in_use_and_lists_each_statement_that_no_longer_holds() {
    use thresholds_core::desk::{AreaReport, DeskReport, Finding};
    use thresholds_views::ui::UiAction;
    let choices = [("england", "England"), ("wales", "Wales")];
    let built_in = desk_area_html(&AreaView {
        in_use: ("Continuum of need", "England", false),
        unreadable: false,
        choices: &choices,
    })
    .into_string();
    assert!(built_in.contains("<strong>Continuum of need</strong> (England), built in."));
    assert!(!built_in.contains(UiAction::BuiltInArea.attr().as_str()));
    assert!(built_in.contains("data-key=\"england\">England (built in)</button>"));
    assert!(built_in.contains("data-key=\"wales\">Wales</button>"));
    assert!(!built_in.contains(UiAction::UseArea.attr().as_str()));

    let report = |problems: Vec<Finding>| AreaReport {
        problems,
        title: "Wales <b>".into(),
        nation: "Wales".into(),
        compiled: Some(vec![1]),
    };
    let finding = |file: &str, line: u32| Finding {
        file: file.into(),
        line,
        text: format!("{file}:{line}: the level 'x' <y>"),
    };
    let case = |name: &str, problems: Vec<Finding>| DeskReport {
        name: name.into(),
        id: String::new(),
        title: String::new(),
        version: 1,
        problems,
        warnings: vec![],
        summary: String::new(),
        decisions: (0, 0),
        compiled: None,
    };
    let refs = [
        case("scenarios/tom.md", vec![finding("scenarios/tom.md", 40)]),
        case("scenarios/abby.md", vec![]),
    ];
    let ok = report(vec![]);
    let chosen = desk_area_html(&AreaView {
        in_use: ("Wales", "Wales", true),
        unreadable: false,
        choices: &choices,
    })
    .into_string()
        + desk_area_trial_html(Some(&ok), &refs).as_str();
    assert!(chosen.contains(UiAction::BuiltInArea.attr().as_str()));
    assert!(chosen.contains("<strong>Wales &lt;b&gt;</strong> (Wales) loads with no problems"));
    assert!(chosen.contains("scenarios/tom.md: 1 problem under this area:<ul><li><code>scenarios/tom.md:40: the level &#39;x&#39; &lt;y&gt;</code>"), "{chosen}");
    assert!(chosen.contains("scenarios/abby.md: every level statement holds."));
    assert!(chosen.contains(UiAction::UseArea.attr().as_str()));

    let broken = report(vec![finding("framework.md", 3)]);
    let trying = desk_area_trial_html(Some(&broken), &[]).into_string();
    assert!(trying.contains("The area's files have 1 problem"));
    assert!(!trying.contains(UiAction::UseArea.attr().as_str()));
    let listed = desk_problems_html(&[], Some(&broken), None).into_string();
    assert!(listed.contains("data-file=\"framework.md\" data-line=\"3\""));
    let checking = desk_area_trial_html(None, &[]).into_string();
    assert!(checking.contains("Checking the area…"));
    let unreadable = desk_area_html(&AreaView {
        in_use: ("C", "England", false),
        unreadable: true,
        choices: &choices,
    })
    .into_string();
    assert!(unreadable.contains("role=\"alert\">The area chosen on this device cannot be read"));
    assert!(unreadable.contains(UiAction::BuiltInArea.attr().as_str()));
}

/// An area with no fixed levels (issue 14): the panel shows what each service would do and what
/// it is missing, with no level names, numbers or chart; the marks that depend on a level are
/// not given, and the debrief says so.
#[test]
fn an_area_with_no_fixed_levels_shows_no_levels_and_says_level_scoring_does_not_apply() {
    let (fixed, rubrics, s) = setup();
    let mut none = thresholds_core::area::load_area(
        ("f", &read("scenarios/area/examples/no-fixed-levels.md")),
        ("s", &read("scenarios/area/services.md")),
    )
    .unwrap();
    assert!(none.framework.no_fixed_levels);
    // The compiled form keeps the choice.
    let bytes = thresholds_core::codec::encode_area(&none.shown());
    none = thresholds_core::codec::decode_area(&bytes).unwrap();
    assert!(none.framework.no_fixed_levels);

    let session = play(&s, Mode::SelfPaced, 3, GOOD);
    let (with, without) = (
        view(&fixed, &rubrics, &s, &session),
        view(&none, &rubrics, &s, &session),
    );
    // ("Universal" alone is also health visiting's own word for its offer, in what it does.)
    let level_names: Vec<&str> = fixed
        .framework
        .levels
        .iter()
        .map(|l| l.name.as_str())
        .filter(|n| *n != "Universal")
        .collect();
    assert!(level_names.len() >= 4);
    let panel = panel_html(&without).into_string() + panel_top_html(&none, true, false).as_str();
    assert!(panel_html(&with).as_str().contains("class=\"level level-"));
    assert!(!panel.contains("class=\"level level-"), "no badge");
    for name in &level_names {
        assert!(!panel.contains(name), "the panel names the level '{name}'");
    }
    assert!(panel.contains("uses no fixed levels"));
    assert!(
        panel.contains("class=\"does\""),
        "what each service would do is still there"
    );

    let debrief = debrief_region_html(&without).into_string();
    assert!(debrief.contains("no level chart"));
    assert!(!debrief.contains("class=\"level-chart\""));
    assert!(debrief.contains("does not apply: this area uses no fixed levels"));
    let fixed_scores = thresholds_core::score::score(&fixed, &rubrics, &s, &session.run);
    let none_scores = thresholds_core::score::score(&none, &rubrics, &s, &session.run);
    assert!(fixed_scores.levels_apply && !none_scores.levels_apply);
    let marks = |sc: &thresholds_core::score::Scores| {
        sc.dimensions.iter().map(|d| d.marks.len()).sum::<usize>()
    };
    assert!(
        marks(&none_scores) < marks(&fixed_scores),
        "the level marks are not given"
    );
}

/// Issue 16, cmi5: the launch read from the address, and the statements sent to the store.
mod cmi5 {
    use super::*;
    use thresholds_core::lms::Cmi5Verb;
    use thresholds_views::cmi5::{
        allowed, defined, encode, launch, record_json, statement_id, Launch,
    };

    const REG: &str = "6f1c2b1e-2f4c-4a55-9d41-7f3e0c2a1b99";

    fn query(actor: &str) -> String {
        format!(
            "?endpoint={}&fetch={}&actor={}&registration={REG}&activityId={}",
            encode("https://lrs.example.org/xAPI"),
            encode("https://lms.example.org/fetch?k=1&x=2"),
            encode(actor),
            encode("urn:thresholds:course:all:assessment:au")
        )
    }

    fn good() -> Launch {
        launch(&query(r#"{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"Zoë 7"}}"#))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_launch_is_read_from_its_five_parameters_and_a_broken_one_says_what_is_wrong() {
        let l = good();
        assert_eq!(l.endpoint, "https://lrs.example.org/xAPI/", "a slash added");
        assert_eq!(l.fetch, "https://lms.example.org/fetch?k=1&x=2");
        assert!(l.actor.contains("\"name\":\"Zoë 7\""), "{}", l.actor);
        assert_eq!(l.registration, REG);
        assert_eq!(
            l.statements_url(),
            "https://lrs.example.org/xAPI/statements"
        );
        assert!(l
            .launch_data_url()
            .starts_with("https://lrs.example.org/xAPI/activities/state?stateId=LMS.LaunchData&activityId=urn%3Athresholds"));
        assert!(l
            .launch_data_url()
            .ends_with(&format!("&registration={REG}")));
        assert!(l
            .preferences_url()
            .ends_with("&profileId=cmi5LearnerPreferences"));
        // Some of the parameters: which are missing.
        assert_eq!(
            launch("?endpoint=a+b").unwrap().unwrap_err(),
            "the launch address has no fetch, actor, registration, activityId"
        );
        // No cmi5 parameter at all: no launch, and nothing is ever sent.
        assert_eq!(launch(""), None);
        assert_eq!(launch("?mode=assessment&seed=3"), None);
        let broken = |from: &str, to: &str| {
            launch(&query("{\"account\":{}}").replace(from, to))
                .unwrap()
                .unwrap_err()
        };
        assert!(broken(REG, "not-a-uuid").contains("registration"));
        assert!(broken("https%3A%2F%2Flrs", "javascript%3Alrs").contains("web addresses"));
        assert!(broken("actor=%7B", "actor=x%7B").contains("actor"));
        assert!(broken("activityId=urn", "activityId=a%20urn").contains("activity id"));
        assert!(broken("&fetch=", "&fetched=").contains("no fetch"));
    }

    #[test]
    fn defined_statements_carry_the_cmi5_rules() {
        let l = good();
        let parse =
            |o: &thresholds_views::cmi5::Outgoing| -> (serde_json::Value, serde_json::Value) {
                (
                    serde_json::from_str(&format!("{{{}}}", o.body)).expect("body"),
                    serde_json::from_str(&o.context).expect("context"),
                )
            };
        let categories = |c: &serde_json::Value| -> Vec<String> {
            c["contextActivities"]["category"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    x["id"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        let init = defined(Cmi5Verb::Initialized, &l, "s1", 0, 0, None);
        let (body, context) = parse(&init);
        assert_eq!(
            body["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/initialized"
        );
        assert_eq!(
            body["object"]["id"],
            "urn:thresholds:course:all:assessment:au"
        );
        assert!(body.get("result").is_none(), "no empty result");
        assert_eq!(categories(&context), ["cmi5"]);
        let passed = defined(Cmi5Verb::Passed, &l, "s1", 61_250, 85, Some("0.8"));
        let (body, context) = parse(&passed);
        assert_eq!(body["result"]["success"], true);
        assert_eq!(body["result"]["score"]["scaled"], 0.85);
        assert_eq!(body["result"]["score"]["raw"], 85);
        assert_eq!(body["result"]["duration"], "PT61.25S");
        assert_eq!(categories(&context), ["cmi5", "moveon"]);
        assert_eq!(
            context["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"],
            0.8
        );
        let (body, context) = parse(&defined(Cmi5Verb::Failed, &l, "s1", 1, 40, None));
        assert_eq!(body["result"]["success"], false);
        assert!(
            context.get("extensions").is_none(),
            "a mastery score only when the LMS gave one"
        );
        let (body, _) = parse(&defined(Cmi5Verb::Completed, &l, "s1", 1, 40, None));
        assert_eq!(body["result"]["completion"], true);
        assert!(
            body["result"].get("score").is_none(),
            "cmi5: a score only with a judgement"
        );
        // One id per verb per session: queued twice, still one statement.
        assert_eq!(
            passed.id,
            defined(Cmi5Verb::Passed, &l, "s1", 99, 85, Some("0.8")).id
        );
        assert_ne!(
            passed.id,
            defined(Cmi5Verb::Passed, &l, "s2", 61_250, 85, Some("0.8")).id
        );
        assert_ne!(init.id, passed.id);
        // Scores written as decimals without float formatting: 100 is 1.00, 5 is 0.05.
        let (body, _) = parse(&defined(Cmi5Verb::Passed, &l, "s1", 1, 100, None));
        assert_eq!(body["result"]["score"]["scaled"], 1.0);
        let (body, _) = parse(&defined(Cmi5Verb::Failed, &l, "s1", 1, 5, None));
        assert_eq!(body["result"]["score"]["scaled"], 0.05);
    }

    #[test]
    fn the_runs_own_statements_have_ids_fixed_by_registration_and_place() {
        let (area, rubrics, s) = setup();
        let mut session =
            Session::start(&s, Mode::Assessment, 7, "2026-11-30T10:00:00.000Z").unwrap();
        session.choose(&s, "ask-children").unwrap();
        let early: Vec<String> = allowed(&view(&area, &rubrics, &s, &session))
            .into_iter()
            .map(|o| o.id)
            .collect();
        session.set_reflection("The children first.");
        while !session.run.is_ended(&s) {
            let id = session.run.available_choices(&s)[0].id.clone();
            session.choose(&s, &id).unwrap();
        }
        let v = view(&area, &rubrics, &s, &session);
        let later = allowed(&v);
        // What was made early keeps its id as the run goes on (a reflection added later does
        // not move it), so the app can tell what it has already queued.
        assert_eq!(early.len(), 1);
        assert_eq!(later[0].id, early[0]);
        let ids: std::collections::BTreeSet<&str> = later.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), later.len(), "ids are unique");
        assert_eq!(later.iter().filter(|o| o.ends_run).count(), 1, "one ending");
        for o in &later {
            let body: serde_json::Value = serde_json::from_str(&format!("{{{}}}", o.body)).unwrap();
            assert!(body["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("urn:thresholds:case:imran"));
            let context: serde_json::Value = serde_json::from_str(&o.context).unwrap();
            assert!(
                context.get("registration").is_none(),
                "the LMS's registration is added when sent"
            );
            assert!(
                context["contextActivities"].get("category").is_none(),
                "cmi5 allowed, not defined"
            );
        }
        // Each key becomes a UUID per registration: another registration, other ids.
        let other = "0b9e8b1e-2f4c-4a55-9d41-7f3e0c2a1b99";
        for o in &later {
            let (a, b) = (statement_id(REG, &o.id), statement_id(other, &o.id));
            assert_eq!(a.len(), 36);
            assert_ne!(a, b);
            assert_eq!(a, statement_id(REG, &o.id));
        }
        // What the player hands the cmi5 program: the mode, the score at the ending, and
        // every statement with its key.
        let handed: serde_json::Value = serde_json::from_str(&record_json(&v)).expect("JSON");
        assert_eq!(handed["mode"], "assessment");
        let score = handed["score"].as_u64().expect("a score at the ending");
        assert!(score <= 100);
        let list = handed["statements"].as_array().unwrap();
        assert_eq!(list.len(), later.len());
        assert_eq!(list[0]["key"], later[0].id.as_str());
        assert_eq!(list.iter().filter(|s| s["ends"] == true).count(), 1);
        let start = Session::start(&s, Mode::SelfPaced, 7, "2026-11-30T10:00:00.000Z").unwrap();
        let handed: serde_json::Value =
            serde_json::from_str(&record_json(&view(&area, &rubrics, &s, &start))).unwrap();
        assert!(handed["score"].is_null(), "no score before the ending");
        // Only the ending ends the run, whatever a reflection says.
        let mut early = Session::start(&s, Mode::SelfPaced, 7, "2026-11-30T10:00:00.000Z").unwrap();
        early.set_reflection("ask |completed| first");
        early.choose(&s, "ask-children").unwrap();
        let said = allowed(&view(&area, &rubrics, &s, &early));
        assert!(
            said.iter().any(|o| o.id.contains("|completed|")),
            "the reflection is there"
        );
        assert!(said.iter().all(|o| !o.ends_run));
        assert_eq!(handed["statements"], serde_json::json!([]));
    }
}

/// Issue 13: the still a deep link shows while the player loads is the player's first screen.
#[test]
fn the_still_of_a_case_is_its_first_screen_in_each_mode() {
    let (area, rubrics, s) = setup();
    for mode in [Mode::SelfPaced, Mode::Facilitator, Mode::Assessment] {
        let session = Session::start(&s, mode, s.default_seed, "").unwrap();
        let v = view(&area, &rubrics, &s, &session);
        let still = still_html(&v);
        let html = still.as_str();
        // The skeleton's every region, once, with the header and the step drawn in theirs.
        for region in thresholds_views::ui::region::ALL {
            assert_eq!(count(html, &format!("id=\"{region}\"")), 1, "{region}");
        }
        assert!(html.contains(header_html(&v).as_str()));
        assert!(html.contains(step_html(&v).as_str()));
        assert!(html.contains(&format!("<h1>{}</h1>", s.title)));
        assert!(html.contains("id=\"step-heading\""));
        // The layout as the player sets it: the panel open from the start or not.
        assert_eq!(
            html.contains("class=\"case-layout panel-open\""),
            !mode.panel_hidden_until_revealed(),
            "{mode:?}"
        );
        assert!(!html.contains("<script"));
    }
}
