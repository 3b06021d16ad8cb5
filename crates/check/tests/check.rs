//! The authoring check as a trainer runs it: over every bundled case, over a broken file, and
//! with a path that does not exist.

use std::path::Path;
use std::process::Command;

fn check(args: &[&str]) -> (i32, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_thresholds-check"))
        .args(args)
        .current_dir(&root)
        .output()
        .expect("the check runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_bundled_case_passes_and_is_summarised() {
    let (code, out, err) = check(&[]);
    assert_eq!(code, 0, "{out}{err}");
    let cases: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && n != "README.md")
            .collect();
    assert!(cases.len() >= 3, "{cases:?}");
    for case in &cases {
        assert!(
            out.contains(&format!("scenarios/{case}: ")),
            "{case} missing:\n{out}"
        );
    }
    assert_eq!(out.matches("): no problems").count(), cases.len(), "{out}");
    for line in [
        "longest path: ",
        "shortest path: ",
        "services involved: ",
        "facts never revealed: none",
        "choices with no feedback: none",
    ] {
        assert_eq!(out.matches(line).count(), cases.len(), "{line}:\n{out}");
    }
}

#[test]
fn a_broken_file_is_reported_by_file_and_line_with_a_hint_and_fails() {
    let (code, out, _) = check(&[
        "--area",
        "scenarios/area",
        "--rubrics",
        "scenarios/guidance/rubrics.md",
        "tests/fixtures/invalid/flow.md",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "tests/fixtures/invalid/flow.md:61: step 'dead-end' has no way forward (hint: "
        ),
        "{out}"
    );
    assert!(
        out.contains("tests/fixtures/invalid/flow.md: ") && out.contains(" problems"),
        "{out}"
    );
    // The summary is still printed for what could be read.
    assert!(out.contains("decision steps"), "{out}");
}

#[test]
fn a_missing_path_is_an_error_of_the_command() {
    let (code, _, err) = check(&["scenarios/no-such-case.md"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}
