//! The corpus of broken specs in `tests/bad-specs/`: each must be rejected
//! with a diagnostic (never a panic), rendered rustc-style with the file,
//! line, JSON pointer and help. The rendered text is snapshotted, so a change
//! in any diagnostic is a reviewable diff. Cases whose first line says
//! `# expect: warning` are approximations instead: accepted with a warning,
//! and rejected with `--deny-warnings`.

use std::path::{Path, PathBuf};

use apigen::{CrateSettings, Diagnostic, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn options(input: PathBuf, deny_warnings: bool) -> Options {
    let settings = CrateSettings::new("bad");
    Options {
        deny_warnings,
        ..Options::new(vec![input], settings)
    }
}

/// What is wrong with the diagnostics of one case, if anything.
fn check(name: &str, case: &Path, problems: &mut Vec<String>) -> Option<Vec<Diagnostic>> {
    let warns_only =
        std::fs::read_to_string(case).is_ok_and(|text| text.starts_with("# expect: warning"));
    if warns_only {
        match apigen::generate(&options(case.to_path_buf(), false)) {
            Ok(generated) if !generated.warnings.is_empty() => {}
            Ok(_) => problems.push(format!("{name}: accepted without a warning")),
            Err(diagnostics) => problems.push(format!("{name}: refused: {diagnostics:?}")),
        }
    }
    let diagnostics = match apigen::generate(&options(case.to_path_buf(), warns_only)) {
        Ok(generated) => {
            problems.push(format!(
                "{name}: accepted, with {} warnings; it must be rejected",
                generated.warnings.len()
            ));
            return None;
        }
        Err(diagnostics) => diagnostics,
    };
    if !warns_only && !diagnostics.iter().any(Diagnostic::is_error) {
        problems.push(format!("{name}: no error among {diagnostics:?}"));
    }
    for diagnostic in &diagnostics {
        if diagnostic.help.is_none() {
            problems.push(format!("{name}: no help in: {diagnostic}"));
        }
        if diagnostic.location.file.is_none() {
            problems.push(format!("{name}: no file in: {diagnostic}"));
        }
    }
    Some(diagnostics)
}

#[test]
fn every_bad_spec_is_rejected_with_a_located_diagnostic() {
    let root = root();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("tests/bad-specs"))
        .expect("tests/bad-specs exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_dir()
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "the corpus has {} cases; keep at least 30",
        cases.len()
    );
    let mut problems = Vec::new();
    for case in cases {
        let name = case
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(diagnostics) = check(&name, &case, &mut problems) {
            let rendered = apigen::render(&diagnostics, &root);
            insta::assert_snapshot!(format!("bad_spec__{name}"), rendered);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
