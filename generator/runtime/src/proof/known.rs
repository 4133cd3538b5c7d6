//! The known errors file and the verdict against it.

use std::collections::BTreeSet;

use super::Failure;

/// The known errors and expected counts of a Markdown file.
///
/// Each table row whose first four cells are `` `operationId` ``,
/// `` `status` ``, `` `pointer` `` and `` `class` `` excuses exactly that
/// failure; each line `expected <name>: <n>` states a count. A row given
/// twice, or a count given twice, is a problem of the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Known {
    /// The rows, in file order.
    pub entries: Vec<[String; 4]>,
    /// The counts stated, in file order.
    pub expected: Vec<(String, usize)>,
    /// What is wrong with the file itself (duplicated rows or counts).
    pub problems: Vec<String>,
    /// Whether a file was read: without one, counts are only printed.
    pub given: bool,
}

impl Known {
    /// The file named by the environment variable `variable`; none (no
    /// entry, no count) when it is not set.
    pub fn from_env(variable: &str) -> Known {
        match std::env::var(variable) {
            Ok(path) => Known::parse(
                &std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{variable}={path}: {e}")),
            ),
            Err(_) => Known::default(),
        }
    }

    /// Reads a known errors file.
    pub fn parse(text: &str) -> Known {
        let mut known = Known {
            given: true,
            ..Known::default()
        };
        let mut rows = BTreeSet::new();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("expected ") {
                let Some((name, count)) = rest.split_once(':') else {
                    known
                        .problems
                        .push(format!("a count without `:`: `{line}`"));
                    continue;
                };
                let name = name.trim().to_string();
                match count.trim().parse() {
                    Ok(n) if known.expected.iter().all(|(m, _)| *m != name) => {
                        known.expected.push((name, n))
                    }
                    Ok(_) => known.problems.push(format!("count given twice: `{line}`")),
                    Err(_) => known.problems.push(format!("not a count: `{line}`")),
                }
                continue;
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() < 6 || !cells[1].starts_with('`') {
                continue;
            }
            let code = |cell: &str| cell.trim_matches('`').to_string();
            let entry = [
                code(cells[1]),
                code(cells[2]),
                code(cells[3]),
                code(cells[4]),
            ];
            if !rows.insert(entry.clone()) {
                known
                    .problems
                    .push(format!("row given twice: {}", show(&entry)));
            }
            known.entries.push(entry);
        }
        known
    }

    /// Whether a row names exactly `key`.
    pub fn lists(&self, key: [&str; 4]) -> bool {
        self.entries
            .iter()
            .any(|e| e.iter().zip(key).all(|(a, b)| a == b))
    }
}

fn show(key: &[String; 4]) -> String {
    format!("`{}` `{}` `{}` `{}`", key[0], key[1], key[2], key[3])
}

/// The problems of a run against its known errors: each failure not
/// listed, each row listing no failure (stale), each count that differs
/// from its `expected` line, each count without a line and each line
/// naming no count (misspelt), and the problems of the file itself. Prints
/// every failure (`known` or `FAILED`) as a row of the file.
pub fn verdict(
    name: &str,
    known: &Known,
    counts: &[(&str, usize)],
    failures: &[Failure],
) -> Vec<String> {
    let mut problems = known.problems.clone();
    for failure in failures {
        let listed = known.lists(failure.key());
        println!(
            "{} | `{}` | `{}` | `{}` | `{}` | {} |",
            if listed { "known " } else { "FAILED" },
            failure.operation,
            failure.status,
            failure.pointer,
            failure.class,
            failure.detail,
        );
        if !listed {
            let [o, s, p, c] = failure.key();
            problems.push(format!(
                "not a known error: `{o}` `{s}` `{p}` `{c}`: {}",
                failure.detail
            ));
        }
    }
    for entry in &known.entries {
        let key = [
            entry[0].as_str(),
            entry[1].as_str(),
            entry[2].as_str(),
            entry[3].as_str(),
        ];
        if !failures.iter().any(|f| f.key() == key) {
            problems.push(format!("stale entry: remove it: {}", show(entry)));
        }
    }
    for (count, actual) in counts {
        match known.expected.iter().find(|(n, _)| n == count) {
            Some((_, expected)) if expected != actual => problems.push(format!(
                "expected {count}: {expected}, but it is {actual} (a regen that changes it updates the known errors file)"
            )),
            Some(_) => {}
            None if known.given => problems.push(format!("no `expected {count}:` line; it is {actual}")),
            None => println!("{name}: no known errors file; {count}: {actual}"),
        }
    }
    for (line, _) in &known.expected {
        if !counts.iter().any(|(count, _)| count == line) {
            problems.push(format!(
                "`expected {line}:` names no count (they are: {:?})",
                names(counts)
            ));
        }
    }
    problems
}

fn names<'a>(counts: &[(&'a str, usize)]) -> Vec<&'a str> {
    counts.iter().map(|(name, _)| *name).collect()
}

/// [`verdict`], printed, and a panic when it found problems.
pub(crate) fn assert_verdict(
    name: &str,
    known: &Known,
    counts: &[(&str, usize)],
    failures: &[Failure],
) {
    let problems = verdict(name, known, counts, failures);
    for problem in &problems {
        println!("{name}: {problem}");
    }
    assert!(
        problems.is_empty(),
        "{name}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
