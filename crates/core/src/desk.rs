//! The authoring desk: what the in-browser authoring screen asks of the core, and what it gets
//! back. The browser runs this in a Web Worker of its own (src/bin/desk.rs), so the parser,
//! the validators, the Markdown sanitiser and the compiler are fetched only when a trainer
//! opens the screen, and a long check never freezes the page. The message handling is this
//! plain function over the core, tested natively.
//!
//! A request carries the files the trainer has open (each as bytes, as they came from a file
//! picker, a drop or the editor) and the area and rubrics every case is checked against (in
//! `codec`'s compiled form, as the app already holds them). The answer holds, for each file,
//! its problems as `file:line: message (hint)` with the line to go to, its drift warnings, its
//! summary, and, for a sound case, the compiled case the player can start at once.

use crate::area::Area;
use crate::authoring::check_case;
use crate::codec::{decode_area, decode_rubrics, encode_case};

use crate::model::Prose;
use crate::problem::{text_of, Problem};
use crate::score::Rubrics;
use crate::summary::summarise;

/// The largest case file the desk reads: ten times the largest bundled case, which leaves room
/// for any real case and keeps a pasted novel (or a wrong file) from tying the worker up.
pub const MAX_FILE_BYTES: usize = 400_000;

/// One file the trainer has open.
#[derive(Clone)]
pub struct DeskFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub struct DeskRequest {
    pub files: Vec<DeskFile>,
    /// The area every case is checked against.
    pub area: DeskArea,
    /// The rubrics, compiled (`codec::encode_rubrics`).
    pub rubrics: Vec<u8>,
    /// Cases re-checked against the area but not being edited (the bundled cases' sources,
    /// when a trainer tries another area): reported apart, and never compiled.
    pub references: Vec<DeskFile>,
}

/// The area: the one in use, compiled (`codec::encode_area`), or an area a trainer is trying,
/// as its two files.
pub enum DeskArea {
    Compiled(Vec<u8>),
    Files {
        framework: DeskFile,
        services: DeskFile,
    },
}

/// What the desk found in an area's two files.
pub struct AreaReport {
    pub problems: Vec<Finding>,
    /// The framework's title and nation, when it could be read.
    pub title: String,
    pub nation: String,
    /// The area compiled as the app uses it (no notes), when it has no problems.
    pub compiled: Option<Vec<u8>>,
}

/// One problem or warning, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub file: String,
    pub line: u32,
    /// The whole `file:line: message (hint: ...)` line, as the authoring check prints it.
    pub text: String,
}

impl From<&Problem> for Finding {
    fn from(p: &Problem) -> Self {
        Finding {
            file: p.file.clone(),
            line: p.line,
            text: p.to_string(),
        }
    }
}

/// What the desk found in one file.
pub struct DeskReport {
    pub name: String,
    /// The case's id and title, when they could be read.
    pub id: String,
    pub title: String,
    pub version: u32,
    pub problems: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// The summary as the authoring check prints it (steps, endings, longest and shortest
    /// path, services, facts nothing reveals, choices with no feedback), and the level
    /// statements' line.
    pub summary: String,
    /// Decisions on the shortest and the longest path (for how long the case takes).
    pub decisions: (u32, u32),
    /// The compiled case (`codec`), only when there are no problems: a broken case is never
    /// started.
    pub compiled: Option<Vec<u8>>,
}

pub struct DeskAnswer {
    /// A problem with the request itself (the area or the rubrics could not be read): no file
    /// was checked.
    pub trouble: Option<String>,
    pub reports: Vec<DeskReport>,
    /// The area's own report, when the request carried its files.
    pub area: Option<AreaReport>,
    /// The references, re-checked against the area.
    pub references: Vec<DeskReport>,
}

/// Checks every file in the request against the area and the rubrics, as the authoring check
/// and the app's build do.
pub fn respond(request: &DeskRequest) -> DeskAnswer {
    let trouble = |why: &str| DeskAnswer {
        trouble: Some(why.to_string()),
        reports: Vec::new(),
        area: None,
        references: Vec::new(),
    };
    let Some(rubrics) = decode_rubrics(&request.rubrics) else {
        return trouble("The rubrics could not be read, so no case can be checked. Reload the page; if it happens again, the app needs rebuilding.");
    };
    let (area, area_report) = match &request.area {
        DeskArea::Compiled(bytes) => match decode_area(bytes) {
            Some(a) => (Some(a), None),
            None => return trouble("The area's thresholds could not be read, so no case can be checked. Reload the page; if it happens again, the app needs rebuilding."),
        },
        DeskArea::Files {
            framework,
            services,
        } => {
            let (area, report) = area_report(framework, services);
            (area, Some(report))
        }
    };
    let Some(area) = area else {
        // The area's own problems say why nothing else was checked.
        return DeskAnswer {
            trouble: None,
            reports: Vec::new(),
            area: area_report,
            references: Vec::new(),
        };
    };
    let check = |files: &[DeskFile], compile: bool| {
        files
            .iter()
            .map(|f| report(&area, &rubrics, f, compile))
            .collect()
    };
    DeskAnswer {
        trouble: None,
        reports: check(&request.files, true),
        area: area_report,
        references: check(&request.references, false),
    }
}

/// An area's two files loaded and checked, as the build loads the built-in area.
fn area_report(framework: &DeskFile, services: &DeskFile) -> (Option<Area>, AreaReport) {
    let text = |f: &DeskFile| {
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(Problem::new(
                &f.name,
                1,
                "the file is too large to be an area's file",
                "check that this is the file you meant",
            ));
        }
        text_of(&f.name, &f.bytes)
    };
    let (fw, sv) = match (text(framework), text(services)) {
        (Ok(fw), Ok(sv)) => (fw, sv),
        (a, b) => {
            let problems = [a.err(), b.err()]
                .iter()
                .flatten()
                .map(Finding::from)
                .collect();
            return (
                None,
                AreaReport {
                    problems,
                    title: String::new(),
                    nation: String::new(),
                    compiled: None,
                },
            );
        }
    };
    match crate::area::load_area((&framework.name, &fw), (&services.name, &sv)) {
        Ok(area) => {
            let report = AreaReport {
                problems: Vec::new(),
                title: area.framework.title.clone(),
                nation: area.framework.nation.clone(),
                compiled: Some(crate::codec::encode_area(&area.shown())),
            };
            (Some(area), report)
        }
        Err(problems) => (
            None,
            AreaReport {
                problems: problems.iter().map(Finding::from).collect(),
                title: String::new(),
                nation: String::new(),
                compiled: None,
            },
        ),
    }
}

fn unreadable(name: &str, problem: Problem) -> DeskReport {
    DeskReport {
        name: name.to_string(),
        id: String::new(),
        title: String::new(),
        version: 0,
        problems: vec![Finding::from(&problem)],
        warnings: Vec::new(),
        summary: String::new(),
        decisions: (0, 0),
        compiled: None,
    }
}

fn report(area: &Area, rubrics: &Rubrics, file: &DeskFile, compile: bool) -> DeskReport {
    let name = file.name.as_str();
    if file.bytes.len() > MAX_FILE_BYTES {
        return unreadable(
            name,
            Problem::new(
                name,
                1,
                format!(
                    "the file is {} KB, more than a case file can be ({} KB)",
                    file.bytes.len() / 1000,
                    MAX_FILE_BYTES / 1000
                ),
                "check that this is the case file you meant; split a very long case into two",
            ),
        );
    }
    let text = match text_of(name, &file.bytes) {
        Ok(t) => t,
        Err(p) => return unreadable(name, p),
    };
    let checked = check_case(area, rubrics, name, &text);
    let s = &checked.scenario;
    let summarised = summarise(s);
    let length = |p: &Option<(u32, Vec<String>)>| p.as_ref().map_or(0, |(n, _)| *n);
    let decisions = (length(&summarised.shortest), length(&summarised.longest));
    let mut summary = summarised.to_string();
    if let Some(line) = checked.expert_line(area, rubrics) {
        summary = format!("{line}\n{summary}");
    }
    if let Some(line) = checked.statements_line() {
        summary = format!("{line}\n{summary}");
    }
    let compiled = (compile && checked.problems.is_empty()).then(|| {
        // As the build does: the case's own notes and the facts' details are for its authors.
        let mut shown = s.clone();
        shown.notes.clear();
        for f in &mut shown.facts {
            f.detail = Prose::default();
        }
        encode_case(&shown, &crate::markdown::to_safe_html)
    });
    DeskReport {
        name: name.to_string(),
        id: s.id.clone(),
        title: s.title.clone(),
        version: s.version,
        problems: checked.problems.iter().map(Finding::from).collect(),
        warnings: checked.warnings.iter().map(Finding::from).collect(),
        summary,
        decisions,
        compiled,
    }
}
