//! The library's entry point, `Generator`: relocatable manifests, the
//! preamble, the marker that guards `write_to`, atomic writes, `check`, and
//! the single-file module for build scripts.

use std::path::{Path, PathBuf};

use apigen::{Error, Generator, Runtime};

const SPEC: &str = "openapi: 3.0.3
info: {title: Things, version: '1'}
tags: [{name: Things}]
paths:
  /things/{id}:
    get:
      operationId: get-thing
      tags: [Things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        name: {type: string}
";

struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join("things.yaml"), SPEC).expect("writes");
        Work { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn generator(&self) -> Generator {
        Generator::new()
            .spec(self.path("things.yaml"))
            .crate_name("things-client")
    }
}

/// Every file under `dir`, with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                files.push((name, std::fs::read(&path).expect("readable")));
            }
        }
    }
    files.sort();
    files
}

fn manifest(generator: &Generator) -> String {
    let generated = generator.generate().expect("generation succeeds");
    generated.files[Path::new("Cargo.toml")].clone()
}

#[test]
fn the_manifest_depends_on_the_runtime_by_version_by_default() {
    let work = Work::new();
    let toml = manifest(&work.generator());
    assert!(
        toml.contains(&format!(
            "\napigen-runtime = \"{}\"\n",
            apigen::RUNTIME_VERSION
        )),
        "{toml}"
    );
    assert!(!toml.contains("path ="), "{toml}");
    assert!(toml.contains("name = \"things-client\""), "{toml}");
    // Builds on its own even inside another workspace's directory.
    assert!(toml.contains("\n[workspace]\n"), "{toml}");
    // Blocking calls are the runtime's, turned on through the crate's
    // feature (and not among the defaults).
    let features = toml.split("\n[features]\n").nth(1).expect("features");
    assert!(
        features.contains("\nblocking = [\"apigen-runtime/blocking\"]\n"),
        "{toml}"
    );
    assert!(
        !features.lines().next().unwrap_or("").contains("blocking"),
        "{toml}"
    );
}

#[test]
fn the_manifest_names_a_relative_runtime_path_as_given() {
    let work = Work::new();
    let toml = manifest(
        &work
            .generator()
            .runtime("path=../vendor/apigen-runtime".parse().expect("valid")),
    );
    assert!(
        toml.contains("\napigen-runtime = { path = \"../vendor/apigen-runtime\" }\n"),
        "{toml}"
    );
    let toml = manifest(&work.generator().runtime("=0.1.0".parse().expect("valid")));
    assert!(toml.contains("\napigen-runtime = \"=0.1.0\"\n"), "{toml}");
}

#[test]
fn absolute_runtime_paths_are_refused() {
    for absolute in [
        "path=/home/me/apigen/generator/runtime",
        "path=C:\\apigen\\runtime",
    ] {
        let error = absolute.parse::<Runtime>().expect_err(absolute);
        assert!(error.contains("absolute"), "{error}");
    }
    for bad in ["", "path=", "latest", "1.0\"\nevil = 1"] {
        assert!(bad.parse::<Runtime>().is_err(), "`{bad}` was accepted");
    }
    // A runtime built by hand is checked too, and nothing is generated.
    let work = Work::new();
    let generator = work
        .generator()
        .runtime(Runtime::Path("/opt/apigen-runtime".into()));
    match generator.generate() {
        Err(Error::Settings(message)) => assert!(message.contains("absolute"), "{message}"),
        other => panic!("expected a settings error, got {other:?}"),
    }
    assert!(apigen::generate(generator.options()).is_err());
}

/// The version the generated code is written for is the runtime's version.
#[test]
fn runtime_version_matches_the_runtime_crate() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/Cargo.toml"))
            .expect("readable");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .expect("a version line");
    assert_eq!(version.trim_matches('"'), apigen::RUNTIME_VERSION);
}

#[test]
fn every_file_names_the_command_and_version_that_made_it() {
    let work = Work::new();
    let generated = work
        .generator()
        .command("apigen generate --spec things.yaml --out client")
        .generate()
        .expect("generation succeeds");
    let line = format!(
        "@generated by apigen {} (`apigen generate --spec things.yaml --out client`); do not edit by hand.",
        env!("CARGO_PKG_VERSION")
    );
    assert!(generated.files.len() >= 3);
    for (path, contents) in &generated.files {
        // `API.txt` is data with a header of its own (the manifest format).
        if path == Path::new(apigen::manifest::FILE) {
            continue;
        }
        let first = contents.lines().next().unwrap_or_default();
        let comment = if path.extension().is_some_and(|e| e == "toml") {
            "# "
        } else {
            "// "
        };
        assert_eq!(first, format!("{comment}{line}"), "{}", path.display());
        assert!(!contents.contains("cargo xtask"), "{}", path.display());
    }
    // Without a command, only the version.
    let generated = work.generator().generate().expect("generation succeeds");
    let lib = &generated.files[Path::new("src/lib.rs")];
    assert!(lib.starts_with(&format!(
        "// @generated by apigen {}; do not edit by hand.\n",
        env!("CARGO_PKG_VERSION")
    )));
}

/// The output is the same whether the spec is named by an absolute or a
/// relative path, and no file holds the machine's paths.
#[test]
fn no_absolute_path_reaches_the_output() {
    let work = Work::new();
    let out = work.path("client");
    work.generator().write_to(&out).expect("writes");
    let relative = pathdiff(&work.path("things.yaml"));
    let again = Generator::new()
        .spec(&relative)
        .crate_name("things-client")
        .generate()
        .expect("generation succeeds");
    let written = snapshot(&out);
    let marker = written.iter().find(|(n, _)| n == apigen::MARKER);
    assert!(marker.is_some(), "no marker in {written:?}");
    let mut files = written.clone();
    files.retain(|(n, _)| n != apigen::MARKER);
    let from_relative: Vec<(String, Vec<u8>)> = again
        .files
        .iter()
        .map(|(p, c)| (p.display().to_string(), c.clone().into_bytes()))
        .collect();
    assert_eq!(files, from_relative);
    let cwd = std::env::current_dir().expect("cwd");
    let forbidden = [
        work.dir.path().display().to_string(),
        cwd.display().to_string(),
        env!("CARGO_MANIFEST_DIR").to_string(),
    ];
    for (name, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        for path in &forbidden {
            assert!(!text.contains(path.as_str()), "{name} contains {path}");
        }
    }
}

/// `path` relative to the current directory (through `..`).
fn pathdiff(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().expect("cwd");
    let ups = cwd.components().count() - 1;
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    relative.join(path.strip_prefix("/").expect("absolute"))
}

#[test]
fn write_to_refuses_a_directory_it_did_not_generate() {
    let work = Work::new();
    let out = work.path("project");
    std::fs::create_dir_all(out.join(".git")).expect("creates");
    std::fs::write(out.join("README.md"), "mine").expect("writes");
    let before = snapshot(&out);
    let error = work.generator().write_to(&out).expect_err("refused");
    match &error {
        Error::NotGenerated { dir } => assert_eq!(dir, &out),
        other => panic!("expected NotGenerated, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains(&out.display().to_string()), "{message}");
    assert!(message.contains(".apigen"), "{message}");
    assert_eq!(snapshot(&out), before, "the directory was changed");
    // A file where the directory should be is refused as well.
    std::fs::write(work.path("file"), "x").expect("writes");
    assert!(matches!(
        work.generator().write_to(work.path("file")),
        Err(Error::NotGenerated { .. })
    ));
    // An empty directory is fine.
    let empty = work.path("empty");
    std::fs::create_dir(&empty).expect("creates");
    work.generator().write_to(&empty).expect("writes");
    assert!(empty.join(apigen::MARKER).is_file());
}

#[test]
fn write_to_replaces_its_own_output_keeping_target_and_git() {
    let work = Work::new();
    let out = work.path("client");
    work.generator().write_to(&out).expect("writes");
    std::fs::write(out.join("src/leftover.rs"), "// old").expect("writes");
    std::fs::create_dir_all(out.join("target/debug")).expect("creates");
    std::fs::write(out.join("target/debug/artifact"), "built").expect("writes");
    std::fs::create_dir_all(out.join(".git")).expect("creates");
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main").expect("writes");
    std::fs::write(out.join("Cargo.lock"), "version = 4").expect("writes");

    work.generator().write_to(&out).expect("writes again");
    assert!(!out.join("src/leftover.rs").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("target/debug/artifact")).expect("kept"),
        "built"
    );
    assert!(out.join(".git/HEAD").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.lock")).expect("kept"),
        "version = 4"
    );
    let leftovers: Vec<_> = std::fs::read_dir(work.dir.path())
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".apigen"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn a_failed_write_to_leaves_the_previous_output_untouched() {
    let work = Work::new();
    let out = work.path("client");
    work.generator().write_to(&out).expect("writes");
    let before = snapshot(&out);
    std::fs::write(
        work.path("things.yaml"),
        SPEC.replace(
            "name: {type: string}",
            "name: {$ref: '#/components/schemas/Nope'}",
        ),
    )
    .expect("writes");
    match work.generator().write_to(&out) {
        Err(Error::Spec(diagnostics)) => {
            assert!(diagnostics.iter().any(|d| d.message.contains("Nope")))
        }
        other => panic!("expected spec errors, got {other:?}"),
    }
    assert_eq!(snapshot(&out), before);
    let entries = std::fs::read_dir(work.dir.path())
        .expect("readable")
        .count();
    assert_eq!(entries, 2, "only the spec and the output remain");
}

#[test]
fn check_names_changed_missing_and_extra_files() {
    let work = Work::new();
    let out = work.path("client");
    let generator = work.generator();
    assert_eq!(
        generator.check(&out).expect("checks").len(),
        generator.generate().expect("generates").files.len(),
        "everything is missing before the first write"
    );
    generator.write_to(&out).expect("writes");
    assert!(generator.check(&out).expect("checks").is_empty());
    // The user's directories and the marker are not part of the output.
    std::fs::create_dir_all(out.join("target")).expect("creates");
    std::fs::write(out.join("target/x"), "").expect("writes");
    std::fs::write(out.join("Cargo.lock"), "").expect("writes");
    assert!(generator.check(&out).expect("checks").is_empty());

    std::fs::write(out.join("src/lib.rs"), "// edited").expect("writes");
    std::fs::remove_file(out.join("Cargo.toml")).expect("removes");
    std::fs::write(out.join("src/extra.rs"), "").expect("writes");
    assert_eq!(
        generator.check(&out).expect("checks"),
        vec![
            PathBuf::from("Cargo.toml"),
            PathBuf::from("src/extra.rs"),
            PathBuf::from("src/lib.rs"),
        ]
    );
    // Another command in the preamble makes every file stale.
    let other = work.generator().command("something else");
    std::fs::remove_file(out.join("src/extra.rs")).expect("removes");
    generator.write_to(&out).expect("writes");
    let stale = other.check(&out).expect("checks");
    assert!(stale.contains(&PathBuf::from("src/things.rs")), "{stale:?}");
}

/// One file of items, with no inner attributes, feature gates or
/// crate-absolute paths, so `include!` works inside any module.
#[test]
fn generate_module_gives_one_includable_file() {
    let work = Work::new();
    let module = work
        .generator()
        .command("build.rs")
        .generate_module()
        .expect("generation succeeds");
    let source = &module.source;
    assert!(source.starts_with("// @generated by apigen"), "{source}");
    let syntax: syn::File = syn::parse_str(source).expect("parses");
    assert!(syntax.attrs.is_empty(), "inner attributes at the top");
    assert!(!source.contains("crate::"), "{source}");
    assert!(!source.contains("feature ="), "{source}");
    let modules: Vec<String> = syntax
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => {
                assert!(m.content.is_some(), "module `{}` is not inline", m.ident);
                Some(m.ident.to_string())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        modules,
        ["things", "resources"],
        "no `shared` module: nothing is shared"
    );
    assert!(source.contains("impl super::Client"), "{source}");
    assert!(
        source.contains("impl<'a> super::resources::Things<'a>"),
        "{source}"
    );
    assert_eq!(module.stats.operations, 1);
    assert_eq!(
        apigen::module_file_name("things-client"),
        "things_client.rs"
    );
}

#[test]
fn a_generator_without_a_spec_says_so() {
    match Generator::new().generate() {
        Err(Error::Settings(message)) => assert_eq!(message, "no spec given"),
        other => panic!("expected a settings error, got {other:?}"),
    }
}
