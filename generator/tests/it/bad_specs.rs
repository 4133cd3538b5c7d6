//! The corpus of broken specs in `tests/bad-specs/`: each must be rejected
//! with a diagnostic (never a panic), rendered rustc-style with the file,
//! line, JSON pointer and help. The rendered text is snapshotted, so a change
//! in any diagnostic is a reviewable diff.
//!
//! Every case states what it expects in its first line (a `.json` case, which
//! cannot hold a comment, in a sidecar `<case>.expect`):
//!
//! ```text
//! # expect: error[bad-reference] 16 #/paths/~1things/get/$ref — prose…
//! # expect: error[conflicting-definitions] b.yaml:25 #/components/schemas/Thing also a.yaml:19 #/components/schemas/Thing — prose…
//! ```
//!
//! The severity, the kind (as `render` shows it), the line and the JSON
//! pointer of the first diagnostic of that severity must be exactly these;
//! `also` gives its related location (none when absent). A `warning` case is
//! accepted with that warning, and rejected with `--deny-warnings`.

use std::path::{Path, PathBuf};

use apigen::{CrateSettings, Diagnostic, Location, Severity};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn options(input: PathBuf, deny_warnings: bool) -> apigen::Options {
    let settings = CrateSettings::new("bad");
    apigen::Options {
        deny_warnings,
        ..apigen::Options::new(vec![input], settings)
    }
}

/// What a case's header requires of its diagnostic.
#[derive(Debug, PartialEq)]
struct Expect {
    severity: Severity,
    /// The kind as rendered: `bad-reference`, `not-OpenAPI-3.0`, ...
    kind: String,
    at: Place,
    also: Option<Place>,
}

/// A location in a header: `[file:]line #pointer`.
#[derive(Debug, PartialEq)]
struct Place {
    /// The file name inside a directory case; `None` for a one-file case.
    file: Option<String>,
    line: usize,
    pointer: String,
}

/// Parses `# expect: <severity>[<kind>] <place> [also <place>] — <prose>`.
fn parse_header(header: &str) -> Result<Expect, String> {
    let rest = header
        .strip_prefix("# expect: ")
        .ok_or("the first line does not start with `# expect: `")?;
    let (fields, _prose) = rest.split_once(" — ").unwrap_or((rest, ""));
    let mut words = fields.split_whitespace();
    let first = words.next().ok_or("no `<severity>[<kind>]`")?;
    let (severity, kind) = first
        .strip_suffix(']')
        .and_then(|f| f.split_once('['))
        .ok_or_else(|| format!("`{first}` is not `<severity>[<kind>]`"))?;
    let severity = match severity {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        other => return Err(format!("unknown severity `{other}`")),
    };
    let at = parse_place(words.next(), words.next())?;
    let also = match words.next() {
        None => None,
        Some("also") => Some(parse_place(words.next(), words.next())?),
        Some(other) => return Err(format!("expected `also` or ` — `, found `{other}`")),
    };
    if let Some(extra) = words.next() {
        return Err(format!("unexpected `{extra}` before ` — `"));
    }
    Ok(Expect {
        severity,
        kind: kind.to_string(),
        at,
        also,
    })
}

fn parse_place(line: Option<&str>, pointer: Option<&str>) -> Result<Place, String> {
    let line = line.ok_or("no line")?;
    let (file, number) = match line.rsplit_once(':') {
        Some((file, number)) => (Some(file.to_string()), number),
        None => (None, line),
    };
    let line = number
        .parse()
        .map_err(|_| format!("`{number}` is not a line number"))?;
    let pointer = pointer
        .and_then(|p| p.strip_prefix('#'))
        .ok_or("no `#pointer` after the line")?;
    if !(pointer.is_empty() || pointer.starts_with('/')) {
        return Err(format!("`#{pointer}` is not a JSON pointer"));
    }
    Ok(Place {
        file,
        line,
        pointer: pointer.to_string(),
    })
}

/// The header of a case: the first line of its file, of its `.expect`
/// sidecar (JSON), or of every file directly in a directory case (which
/// must agree; files in its subfolders are parts the root reaches).
fn read_header(case: &Path) -> Result<String, String> {
    let first_line = |path: &Path| {
        std::fs::read_to_string(path)
            .map(|text| text.lines().next().unwrap_or_default().to_string())
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    if case.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(case)
            .map_err(|e| e.to_string())?
            .map(|e| e.map(|e| e.path()).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        files.retain(|f| f.is_file());
        files.sort();
        let headers = files
            .iter()
            .map(|f| first_line(f))
            .collect::<Result<Vec<_>, _>>()?;
        match headers.split_first() {
            Some((first, others)) if others.iter().all(|h| h == first) => Ok(first.clone()),
            Some(_) => Err("the files of the case carry different headers".into()),
            None => Err("the case directory is empty".into()),
        }
    } else if case.extension().is_some_and(|e| e == "json")
        || case.with_extension("expect").is_file()
    {
        // JSON holds no comment (nor does a `.yaml` file that holds JSON).
        first_line(&case.with_extension("expect"))
    } else {
        first_line(case)
    }
}

/// Compares a header with the diagnostics of its case: the first diagnostic
/// of the header's severity must have exactly its kind, file, line, pointer
/// and related location.
fn compare(expect: &Expect, diagnostics: &[Diagnostic], case: &Path) -> Result<(), String> {
    let diagnostic = diagnostics
        .iter()
        .find(|d| d.severity == expect.severity)
        .ok_or_else(|| format!("no {:?} among {diagnostics:?}", expect.severity))?;
    let kind = diagnostic.kind.label().replace(' ', "-");
    if kind != expect.kind {
        return Err(format!("kind `{kind}`, header says `{}`", expect.kind));
    }
    compare_place(&expect.at, &diagnostic.location, case)?;
    match (&expect.also, &diagnostic.related) {
        (None, None) => Ok(()),
        (Some(place), Some(related)) => {
            compare_place(place, related, case).map_err(|e| format!("related: {e}"))
        }
        (None, Some(related)) => Err(format!("related location {related}, the header names none")),
        (Some(_), None) => Err("no related location, the header names one".into()),
    }
}

fn compare_place(place: &Place, location: &Location, case: &Path) -> Result<(), String> {
    let file = match &place.file {
        Some(name) => case.join(name),
        None => case.to_path_buf(),
    };
    let actual = (
        location.file.as_deref(),
        location.line,
        location.pointer.as_str(),
    );
    let expected = (
        Some(file.as_path()),
        Some(place.line),
        place.pointer.as_str(),
    );
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "diagnostic at {location}, header says {}:{} at #{}",
            file.display(),
            place.line,
            place.pointer
        ))
    }
}

/// What is wrong with the diagnostics of one case, if anything.
fn check(name: &str, case: &Path, problems: &mut Vec<String>) -> Option<Vec<Diagnostic>> {
    let expect = match read_header(case).and_then(|h| parse_header(&h)) {
        Ok(expect) => Some(expect),
        Err(e) => {
            problems.push(format!("{name}: no parseable `# expect:` header: {e}"));
            None
        }
    };
    let warns_only = expect
        .as_ref()
        .is_some_and(|e| e.severity == Severity::Warning);
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
    if let Some(expect) = &expect {
        if let Err(e) = compare(expect, &diagnostics, case) {
            problems.push(format!("{name}: {e}"));
        }
    }
    Some(diagnostics)
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/bad-specs"))
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
    cases
}

#[test]
fn every_bad_spec_is_rejected_with_the_diagnostic_its_header_names() {
    let root = root();
    let cases = cases();
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

#[test]
fn header_with_kind_line_and_pointer() {
    let expect = parse_header(
        "# expect: error[bad-reference] 16 #/paths/~1things/get/$ref — `Thingy` does not exist",
    );
    assert_eq!(
        expect,
        Ok(Expect {
            severity: Severity::Error,
            kind: "bad-reference".into(),
            at: Place {
                file: None,
                line: 16,
                pointer: "/paths/~1things/get/$ref".into(),
            },
            also: None,
        })
    );
}

#[test]
fn header_with_files_a_related_place_and_the_root_pointer() {
    let expect = parse_header(
        "# expect: warning[not-OpenAPI-3.0] b.yaml:25 # also a.yaml:19 #/components — two",
    )
    .expect("parses");
    assert_eq!(expect.severity, Severity::Warning);
    assert_eq!(expect.kind, "not-OpenAPI-3.0");
    assert_eq!(
        expect.at,
        Place {
            file: Some("b.yaml".into()),
            line: 25,
            pointer: String::new(),
        }
    );
    assert_eq!(
        expect.also,
        Some(Place {
            file: Some("a.yaml".into()),
            line: 19,
            pointer: "/components".into(),
        })
    );
}

#[test]
fn malformed_headers_are_refused() {
    for header in [
        "",
        "openapi: 3.0.3",
        "# expect: bad reference: prose as it used to be (line 16)",
        "# expect: error[bad-reference] #/paths — no line",
        "# expect: error[bad-reference] 16 — no pointer",
        "# expect: error[bad-reference] 16 /paths — pointer without #",
        "# expect: fatal[bad-reference] 16 #/paths — unknown severity",
        "# expect: error[bad-reference] 16 #/paths 17 #/x — second place without also",
    ] {
        assert!(parse_header(header).is_err(), "accepted: {header:?}");
    }
}

#[test]
fn a_wrong_header_fails_the_comparison() {
    let case = root().join("tests/bad-specs/13-ref-missing-schema.yaml");
    let diagnostics = apigen::generate(&options(case.clone(), false)).expect_err("rejected");
    let pointer = "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref";
    let right =
        parse_header(&format!("# expect: error[bad-reference] 16 {pointer}")).expect("parses");
    assert_eq!(compare(&right, &diagnostics, &case), Ok(()));
    for wrong in [
        format!("# expect: error[bad-reference] 17 {pointer}"),
        format!("# expect: error[bad-reference] 16 {pointer}/x"),
        format!("# expect: error[syntax] 16 {pointer}"),
        format!("# expect: warning[bad-reference] 16 {pointer}"),
        format!("# expect: error[bad-reference] other.yaml:16 {pointer}"),
        format!("# expect: error[bad-reference] 16 {pointer} also 3 #/info"),
    ] {
        let expect = parse_header(&wrong).expect("parses");
        assert!(
            compare(&expect, &diagnostics, &case).is_err(),
            "matched: {wrong}"
        );
    }
}

/// A minified document (one line of about 400 KB) with 300 dangling
/// references: every diagnostic is located at its exact column, and every
/// rendered source line is a short window, not the line.
#[test]
fn hundreds_of_errors_on_one_long_line_are_located_and_shown_as_windows() {
    const ERRORS: usize = 300;
    let mut properties = serde_json::Map::new();
    for i in 0..ERRORS {
        properties.insert(
            format!("ref{i:03}"),
            serde_json::json!({ "$ref": format!("#/components/schemas/Missing{i:03}") }),
        );
        properties.insert(
            format!("text{i:03}"),
            serde_json::json!({ "type": "string", "description": "filler ".repeat(180) }),
        );
    }
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": { "title": "Many", "version": "1.0.0" },
        "paths": { "/things": { "get": {
            "operationId": "listThings",
            "responses": { "200": { "description": "OK", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Thing" } } } } }
        } } },
        "components": { "schemas": { "Thing": { "type": "object", "properties": properties } } }
    });
    let text = serde_json::to_string(&document).expect("serializes");
    assert!(!text.contains('\n') && text.len() > 300_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("many.json");
    std::fs::write(&path, &text).expect("written");

    let diagnostics = apigen::generate(&options(path.clone(), false)).expect_err("rejected");
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), ERRORS, "{diagnostics:?}");
    for i in 0..ERRORS {
        let pointer = format!("/components/schemas/Thing/properties/ref{i:03}/$ref");
        let diagnostic = errors
            .iter()
            .find(|d| d.location.pointer == pointer)
            .unwrap_or_else(|| panic!("no diagnostic at {pointer}"));
        // The value of `$ref`, a string: its column is its byte offset + 1
        // (the text is ASCII).
        let value = format!("\"#/components/schemas/Missing{i:03}\"");
        let column = text.find(&value).expect("in the text") + 1;
        assert_eq!(
            (diagnostic.location.line, diagnostic.location.column),
            (Some(1), Some(column)),
            "{pointer}"
        );
    }

    let rendered = apigen::render(&diagnostics, dir.path());
    let mut windows = 0;
    for line in rendered.lines() {
        assert!(
            line.chars().count() <= 200,
            "a rendered line of {} characters",
            line.chars().count()
        );
        if line.starts_with("1 │ …") {
            windows += 1;
            assert!(line.ends_with('…'), "{line}");
        }
    }
    assert_eq!(windows, ERRORS, "one window per diagnostic:\n{rendered}");
    for i in [0, 150, 299] {
        let column = text
            .find(&format!("\"#/components/schemas/Missing{i:03}\""))
            .expect("in the text")
            + 1;
        assert!(
            rendered.contains(&format!("many.json:1:{column}\n")),
            "no header with column {column}"
        );
    }
}
