//! `thresholds-check [--area DIR] [--rubrics FILE] [FILE|DIR ...]`: checks case files the way
//! the app's build does (the case itself, the area's services, the rubric tags), prints every
//! problem as `file:line: problem (hint: ...)`, then a summary of each case. Exits 1 if any
//! file has a problem, 2 if the command itself cannot run. With no paths it checks `scenarios/`.
//! Trainers run it as `scripts/check-case` (see `scenarios/README.md`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use thresholds_core::area::Area;
use thresholds_core::authoring::check_case;
use thresholds_core::problem::{text_of, visible};
use thresholds_core::score::Rubrics;
use thresholds_core::summary::summarise;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The case files named on the command line: files as they are, folders' `*.md` files except
/// their README, sorted.
fn case_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in args {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "md")
                        && p.file_name().is_some_and(|n| n != "README.md")
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    Ok(files)
}

struct Options {
    area: Option<PathBuf>,
    rubrics: Option<PathBuf>,
    paths: Vec<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        area: None,
        rubrics: None,
        paths: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--area" => o.area = args.next().map(PathBuf::from),
            "--rubrics" => o.rubrics = args.next().map(PathBuf::from),
            "-h" | "--help" => {
                return Err(
                    "usage: thresholds-check [--area DIR] [--rubrics FILE] [FILE|DIR ...]".into(),
                )
            }
            _ => o.paths.push(PathBuf::from(a)),
        }
    }
    if o.paths.is_empty() {
        o.paths.push(PathBuf::from("scenarios"));
    }
    Ok(o)
}

/// The area and rubrics: as given, or beside the first case (`<dir>/area`,
/// `<dir>/guidance/rubrics.md`), or under `scenarios/`.
fn settings(o: &Options, first: Option<&Path>) -> Result<(Area, Rubrics), String> {
    let base = [
        first.and_then(Path::parent).map(Path::to_path_buf),
        Some(PathBuf::from("scenarios")),
    ];
    let pick = |given: &Option<PathBuf>, rel: &str| -> Option<PathBuf> {
        given.clone().or_else(|| {
            base.iter()
                .flatten()
                .map(|b| b.join(rel))
                .find(|p| p.exists())
        })
    };
    let area_dir = pick(&o.area, "area").ok_or("cannot find the area's files: pass --area DIR")?;
    let rubrics = pick(&o.rubrics, "guidance/rubrics.md")
        .ok_or("cannot find the rubrics: pass --rubrics FILE")?;
    let (fw, sv) = (area_dir.join("framework.md"), area_dir.join("services.md"));
    let (fw_text, sv_text, rb_text) = (read(&fw)?, read(&sv)?, read(&rubrics)?);
    let (area, rubrics) = thresholds_core::authoring::load_setting(
        (&fw.display().to_string(), &fw_text),
        (&sv.display().to_string(), &sv_text),
        (&rubrics.display().to_string(), &rb_text),
    )
    .map_err(|p| {
        p.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok((area, rubrics))
}

/// Checks one case file and writes its problems and summary. A file that is not UTF-8 is a
/// problem at its line, like any other, and the next file is still checked.
fn check_file(
    out: &mut impl Write,
    area: &Area,
    rubrics: &Rubrics,
    path: &Path,
) -> std::io::Result<bool> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            writeln!(out, "{name}:1: cannot read the file ({e})")?;
            return Ok(false);
        }
    };
    let text = match text_of(&name, &bytes) {
        Ok(t) => t,
        Err(p) => {
            writeln!(out, "{p}")?;
            writeln!(out, "{name}: 1 problem")?;
            return Ok(false);
        }
    };
    let checked = check_case(area, rubrics, &name, &text);
    let (scenario, problems) = (&checked.scenario, &checked.problems);
    for p in problems.iter().chain(&checked.warnings) {
        writeln!(out, "{p}")?;
    }
    writeln!(
        out,
        "{name}: {} (version {}, {}): {}",
        visible(&scenario.title),
        scenario.version,
        visible(&scenario.nation),
        match problems.len() {
            0 => "no problems".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        }
    )?;
    if let Some(line) = checked.statements_line() {
        writeln!(out, "  {line}")?;
    }
    if let Some(line) = checked.expert_line(area, rubrics) {
        writeln!(out, "  {line}")?;
    }
    if !checked.warnings.is_empty() {
        writeln!(out, "  warnings: {}", checked.warnings.len())?;
    }
    write!(out, "{}", summarise(scenario))?;
    Ok(problems.is_empty())
}

fn main() -> ExitCode {
    let run = || -> Result<bool, String> {
        let o = options()?;
        let files = case_files(&o.paths)?;
        if files.is_empty() {
            return Err("no case files found".into());
        }
        let (area, rubrics) = settings(&o, files.first().map(PathBuf::as_path))?;
        let mut clean = true;
        let mut out = std::io::stdout().lock();
        for path in &files {
            match check_file(&mut out, &area, &rubrics, path) {
                Ok(ok) => clean &= ok,
                // Piped into `head`: the reader has gone, so stop quietly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(clean),
                Err(e) => return Err(format!("cannot write the report: {e}")),
            }
        }
        Ok(clean)
    };
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("thresholds-check: {e}");
            ExitCode::from(2)
        }
    }
}
