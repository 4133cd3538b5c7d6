//! Whether the tests that need Prism (`prism.rs`) can run here. Prism is a
//! Node.js program: without `node` and `npm` (and no `PRISM_BIN`) those
//! tests skip, saying why, so a plain `cargo test --workspace` passes on a
//! machine without Node. CI, which has Node, sets `APIGEN_REQUIRE_PRISM=1`
//! (`.ci/run`): there a skip is a failure, so the contract tests cannot
//! silently stop running.

use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The environment variable that turns a skip into a failure.
pub const REQUIRE: &str = "APIGEN_REQUIRE_PRISM";

/// What a test that needs Prism does here.
#[derive(Debug, PartialEq, Eq)]
pub enum Need {
    Run,
    Skip(String),
    Fail(String),
}

/// The decision: run when `PRISM_BIN` names an executable or no tool is
/// missing; else skip with the reason, or fail when Prism is required.
pub fn need(prism_bin_set: bool, missing_tools: &[&str], required: bool) -> Need {
    if prism_bin_set || missing_tools.is_empty() {
        return Need::Run;
    }
    let reason = format!(
        "Prism needs {} (not found); install Node.js and npm, or set PRISM_BIN to a Prism \
         executable",
        missing_tools.join(" and ")
    );
    if required {
        Need::Fail(format!(
            "{reason}; {REQUIRE}=1 requires the Prism tests to run"
        ))
    } else {
        Need::Skip(reason)
    }
}

fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn here() -> &'static Need {
    static NEED: OnceLock<Need> = OnceLock::new();
    NEED.get_or_init(|| {
        let prism_bin_set = std::env::var_os("PRISM_BIN").is_some_and(|bin| !bin.is_empty());
        let npm = std::env::var("NPM").unwrap_or_else(|_| "npm".into());
        let missing: Vec<&str> = [("node", "node"), ("npm", npm.as_str())]
            .into_iter()
            .filter(|(_, command)| !prism_bin_set && !runs(command))
            .map(|(name, _)| name)
            .collect();
        let required = std::env::var(REQUIRE).is_ok_and(|value| value == "1");
        need(prism_bin_set, &missing, required)
    })
}

/// Whether `test` should go on: `false` (after saying why on stderr, shown
/// with `--nocapture`) when Prism cannot run here and is not required;
/// a panic when it is required.
pub fn prism_can_run(test: &str) -> bool {
    match here() {
        Need::Run => true,
        Need::Skip(reason) => {
            eprintln!("SKIPPED {test}: {reason}");
            false
        }
        Need::Fail(reason) => panic!("{test}: {reason}"),
    }
}

#[test]
fn without_node_the_prism_tests_skip_unless_required() {
    assert_eq!(need(false, &[], false), Need::Run);
    assert_eq!(need(false, &[], true), Need::Run);
    // `PRISM_BIN` needs no Node of the tests' own.
    assert_eq!(need(true, &["node", "npm"], true), Need::Run);
    let Need::Skip(reason) = need(false, &["node"], false) else {
        panic!("no Node, not required: a skip");
    };
    assert!(reason.contains("needs node (not found)"), "{reason}");
    let Need::Fail(reason) = need(false, &["node", "npm"], true) else {
        panic!("no Node, required: a failure");
    };
    assert!(
        reason.contains("node and npm") && reason.contains("APIGEN_REQUIRE_PRISM=1"),
        "{reason}"
    );
}

#[test]
fn ci_requires_prism_for_the_workspace_tests() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    let required = ci
        .find(&format!("\nexport {REQUIRE}=1\n"))
        .expect(".ci/run exports APIGEN_REQUIRE_PRISM=1");
    let tests = ci
        .find("\ncargo test --workspace\n")
        .expect(".ci/run runs the workspace tests");
    assert!(
        required < tests,
        "APIGEN_REQUIRE_PRISM=1 is set before the tests run"
    );
}
