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
    // Each case's model path is scored, and in a bundled case it earns every mark.
    let expert: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with("expert path (seed "))
        .collect();
    assert_eq!(expert.len(), cases.len(), "{out}");
    for line in expert {
        let marks: Vec<&str> = line.split(": ").nth(1).unwrap().split(", ").collect();
        assert!(marks.len() >= 4, "{line}");
        assert!(marks.iter().all(|m| m.ends_with(" 100%")), "{line}");
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

/// Issue 12: a file that is not UTF-8 is a problem at its line and the other files are still
/// checked; an empty file is reported at line 1, not 0; control characters are shown escaped.
#[test]
fn bad_bytes_empty_files_and_control_characters_get_exact_answers() {
    let dir = std::env::temp_dir().join(format!("thresholds-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut latin1 = b"# Title\nid: x\nrole: caf".to_vec();
    latin1.push(0xe9); // 'é' in Latin-1: not UTF-8
    latin1.extend_from_slice(b"\nsummary: s\n");
    std::fs::write(dir.join("a-latin1.md"), &latin1).unwrap();
    std::fs::write(dir.join("b-empty.md"), "").unwrap();
    std::fs::write(dir.join("c-control.md"), "# T\u{1b}[31mred\nid: c\n").unwrap();
    let (code, out, err) = check(&[
        "--area",
        "scenarios/area",
        "--rubrics",
        "scenarios/guidance/rubrics.md",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let a = dir.join("a-latin1.md").display().to_string();
    assert!(
        out.contains(&format!(
            "{a}:3: the file is not UTF-8 text (byte 24 cannot be read)"
        )),
        "{out}"
    );
    // The files after it were checked too.
    assert!(out.contains("b-empty.md:1: "), "{out}");
    assert!(!out.contains(".md:0:"), "{out}");
    assert!(out.contains("c-control.md: "), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "a raw escape reached the terminal:\n{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Piped into `head`, the check stops quietly instead of panicking on a closed pipe.
#[test]
fn a_closed_pipe_ends_the_check_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_thresholds-check"))
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    // The reader is gone now (stdout dropped above).
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{:?} {err}",
        out.status
    );
}
