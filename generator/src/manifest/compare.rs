//! Compares two manifests: the items added, removed and changed, each with
//! its semver level and reason (the rules are in the parent module's doc),
//! and a summary grouped by area.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{Item, Manifest};

/// How much a change breaks users, in semver terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Nothing a user can see in Rust or on the wire.
    Patch,
    /// Additions: existing code keeps compiling and working.
    Minor,
    /// Existing code may stop compiling, or decode or send differently.
    Major,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        })
    }
}

/// What happened to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Only in the new manifest.
    Added,
    /// Only in the old manifest.
    Removed,
    /// In both, written differently.
    Changed,
}

/// One item's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The item as it was (removed and changed items).
    pub old: Option<Item>,
    /// The item as it is (added and changed items).
    pub new: Option<Item>,
    /// How much it breaks.
    pub level: Verdict,
    /// Why, in a few words (`removed operation`, `field became required`).
    pub reason: String,
    /// Fields and variants of an added or removed type, counted here rather
    /// than listed.
    pub members: usize,
}

impl Change {
    /// The item (new when there is one).
    pub fn item(&self) -> &Item {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a change has an item")
    }
}

/// The difference between two manifests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// The changes, grouped by area and in manifest order.
    pub changes: Vec<Change>,
}

impl Comparison {
    /// The highest level of any change; `patch` when nothing changed.
    pub fn verdict(&self) -> Verdict {
        self.changes
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Verdict::Patch)
    }

    /// How many changes are of this kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// Whether the manifests are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The one-line headline: counts and verdict.
    pub fn headline(&self) -> String {
        if self.is_empty() {
            return "API: no change; verdict: patch".into();
        }
        format!(
            "API: {} added, {} removed, {} changed; verdict: {}",
            self.count(ChangeKind::Added),
            self.count(ChangeKind::Removed),
            self.count(ChangeKind::Changed),
            self.verdict()
        )
    }
}

/// The summary: headline, reasons for the verdict, changes by area.
impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        if self.is_empty() {
            return Ok(());
        }
        if self.verdict() == Verdict::Major {
            writeln!(f, "major because:")?;
            for change in self.changes.iter().filter(|c| c.level == Verdict::Major) {
                writeln!(f, "  {}: {}", change.reason, change.item().path)?;
            }
        }
        let mut area = "";
        for change in &self.changes {
            if change.item().area() != area {
                area = change.item().area();
                writeln!(f, "\n{area}")?;
            }
            let members = match change.members {
                0 => String::new(),
                1 => " (and its 1 member)".into(),
                n => format!(" (and its {n} members)"),
            };
            let level = format!("[{}: {}]", change.level, change.reason);
            match (&change.old, &change.new) {
                (None, Some(new)) => {
                    writeln!(f, "  + {}{members}  {level}", new.line_without_doc())?
                }
                (Some(old), None) => {
                    writeln!(f, "  - {}{members}  {level}", old.line_without_doc())?
                }
                (Some(old), Some(new)) => {
                    let (old, new) = (old.line_without_doc(), new.line_without_doc());
                    if old == new {
                        writeln!(f, "  ~ {new}  {level}")?;
                    } else {
                        writeln!(
                            f,
                            "  ~ {} {}  {level}",
                            change.item().kind,
                            change.item().path
                        )?;
                        writeln!(f, "      was: {old}")?;
                        writeln!(f, "      now: {new}")?;
                    }
                }
                (None, None) => {}
            }
        }
        Ok(())
    }
}

type Key<'a> = (&'a str, &'a str);

fn index(manifest: &Manifest) -> BTreeMap<Key<'_>, &Item> {
    manifest
        .items
        .iter()
        .map(|i| ((i.kind.as_str(), i.path.as_str()), i))
        .collect()
}

const TYPE_KINDS: [&str; 3] = ["struct", "enum", "union"];

/// The type a field or variant belongs to.
fn owner(item: &Item) -> Option<&str> {
    match item.kind.as_str() {
        "field" => item.path.rsplit_once('.').map(|(owner, _)| owner),
        "variant" => item.path.rsplit_once("::").map(|(owner, _)| owner),
        _ => None,
    }
}

/// The type declared at `path`, if any.
fn type_at<'a>(items: &BTreeMap<Key<'_>, &'a Item>, path: &str) -> Option<&'a Item> {
    TYPE_KINDS
        .iter()
        .find_map(|kind| items.get(&(*kind, path)).copied())
}

/// Compares `old` with `new`.
pub fn compare(old: &Manifest, new: &Manifest) -> Comparison {
    let before = index(old);
    let after = index(new);
    // Types that only one side has: their members are counted, not listed.
    let types_of = |items: &BTreeMap<Key<'_>, &Item>| -> BTreeSet<String> {
        items
            .values()
            .filter(|i| TYPE_KINDS.contains(&i.kind.as_str()))
            .map(|i| format!("{} {}", i.kind, i.path))
            .collect()
    };
    let (old_types, new_types) = (types_of(&before), types_of(&after));
    let mut changes: Vec<Change> = Vec::new();
    let mut folded: BTreeMap<String, usize> = BTreeMap::new();
    let keys: BTreeSet<&Key<'_>> = before.keys().chain(after.keys()).collect();
    for key in keys {
        match (before.get(key), after.get(key)) {
            (Some(old_item), None) => {
                let gone = owner(old_item)
                    .and_then(|o| type_at(&before, o))
                    .map(|t| format!("{} {}", t.kind, t.path))
                    .filter(|t| !new_types.contains(t));
                if let Some(owner) = gone {
                    *folded.entry(format!("- {owner}")).or_default() += 1;
                    continue;
                }
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    old: Some((*old_item).clone()),
                    new: None,
                    level: Verdict::Major,
                    reason: removed_reason(old_item).into(),
                    members: 0,
                });
            }
            (None, Some(new_item)) => {
                let fresh = owner(new_item)
                    .and_then(|o| type_at(&after, o))
                    .map(|t| format!("{} {}", t.kind, t.path))
                    .filter(|t| !old_types.contains(t));
                if let Some(owner) = fresh {
                    *folded.entry(format!("+ {owner}")).or_default() += 1;
                    continue;
                }
                let (level, reason) = added(new_item, &before, &after);
                changes.push(Change {
                    kind: ChangeKind::Added,
                    old: None,
                    new: Some((*new_item).clone()),
                    level,
                    reason,
                    members: 0,
                });
            }
            (Some(old_item), Some(new_item)) if old_item != new_item => {
                let (level, reason) = changed(old_item, new_item);
                changes.push(Change {
                    kind: ChangeKind::Changed,
                    old: Some((*old_item).clone()),
                    new: Some((*new_item).clone()),
                    level,
                    reason,
                    members: 0,
                });
            }
            _ => {}
        }
    }
    sorted(changes, &folded)
}

/// The changes in the order they are listed (features first, then by area
/// and item), each with the count of members folded into it.
fn sorted(mut changes: Vec<Change>, folded: &BTreeMap<String, usize>) -> Comparison {
    for change in &mut changes {
        let sign = if change.kind == ChangeKind::Added {
            "+"
        } else {
            "-"
        };
        let item = change.item();
        let key = format!("{sign} {} {}", item.kind, item.path);
        change.members = folded.get(&key).copied().unwrap_or(0);
    }
    changes.sort_by(|a, b| {
        let (x, y) = (a.item(), b.item());
        (x.area() != "features", x.area(), x.sort_key(), a.kind).cmp(&(
            y.area() != "features",
            y.area(),
            y.sort_key(),
            b.kind,
        ))
    });
    Comparison { changes }
}

fn removed_reason(item: &Item) -> &'static str {
    match item.kind.as_str() {
        "fn" => "removed operation",
        "struct" | "enum" | "union" => "removed type",
        "field" => "removed field",
        "variant" => "removed variant",
        "feature" => "removed feature",
        "mod" => "removed module",
        _ => "removed item",
    }
}

fn added(
    item: &Item,
    before: &BTreeMap<Key<'_>, &Item>,
    after: &BTreeMap<Key<'_>, &Item>,
) -> (Verdict, String) {
    let minor = |reason: &str| (Verdict::Minor, reason.to_string());
    match item.kind.as_str() {
        "fn" => minor("new operation"),
        "struct" | "enum" | "union" => minor("new type"),
        "variant" => minor("new variant"),
        "feature" => minor("new feature"),
        "mod" => minor("new module"),
        "field" => {
            let owner = owner(item).unwrap_or_default();
            let (was, now) = (type_at(before, owner), type_at(after, owner));
            let request = [was, now].iter().flatten().any(|t| t.has("request"));
            let had_default = was.is_some_and(|t| t.has("Default"));
            let required = item
                .parts
                .first()
                .is_some_and(|p| p.starts_with("required"));
            if request && required {
                (
                    Verdict::Major,
                    "new required field in a request type".into(),
                )
            } else if request && !had_default {
                (
                    Verdict::Major,
                    "new field in a request type without Default".into(),
                )
            } else {
                minor("new field")
            }
        }
        _ => minor("new item"),
    }
}

/// The presence word of a field (`required`, `optional nullable`, ...).
fn presence(item: &Item) -> &str {
    item.parts.first().map_or("", String::as_str)
}

/// The verdict on a changed declaration (signature, type, wire value).
fn declaration_changed(old: &Item, new: &Item) -> (Verdict, String) {
    let major = |reason: &str| (Verdict::Major, reason.to_string());
    match old.kind.as_str() {
        "fn" => major("changed signature"),
        "field" => {
            let (was, now) = (presence(old), presence(new));
            if was.starts_with("optional") && now.starts_with("required") {
                major("field became required")
            } else if was.starts_with("required") && now.starts_with("optional") {
                major("field became optional, its type changed")
            } else {
                major("changed type")
            }
        }
        "variant" if old.decl.contains(" = ") => major("changed wire value"),
        "variant" => major("changed variant type"),
        "feature" => {
            let members = |item: &Item| -> BTreeSet<String> {
                item.decl
                    .split_once(" = ")
                    .map(|(_, list)| list.split(", ").map(str::to_string).collect())
                    .unwrap_or_default()
            };
            if members(old).is_subset(&members(new)) {
                (Verdict::Minor, "feature enables more areas".into())
            } else {
                major("feature no longer enables an area")
            }
        }
        _ => major("changed"),
    }
}

/// The verdicts on the parts of an item that changed (presence, HTTP
/// request, wire name, tag values, paging, ...).
fn parts_changed(old: &Item, new: &Item, reasons: &mut Vec<(Verdict, String)>) {
    let mut push = |level: Verdict, reason: String| reasons.push((level, reason));
    let parts = |item: &Item| -> BTreeSet<String> { item.parts_without_doc().cloned().collect() };
    let (was, now) = (parts(old), parts(new));
    let request = was.contains("request") || now.contains("request");
    for part in was.symmetric_difference(&now) {
        let gained = now.contains(part);
        let word = part.split(' ').next().unwrap_or_default();
        match word {
            "Default" if gained => push(Verdict::Minor, "gained Default".into()),
            "Default" if request => push(Verdict::Major, "request type lost Default".into()),
            "Default" => push(Verdict::Minor, "response type lost Default".into()),
            "request" if gained => push(Verdict::Patch, "now used in requests".into()),
            "request" => push(Verdict::Patch, "no longer used in requests".into()),
            "deprecated" => push(Verdict::Patch, "deprecation changed".into()),
            "required" | "optional" if old.decl == new.decl && gained => {
                push(Verdict::Minor, format!("now {part}, same Rust type"))
            }
            "required" | "optional" => {}
            "query" | "header" if gained => push(Verdict::Minor, format!("now sent in the {part}")),
            "query" | "header" => {}
            "GET" | "PUT" | "POST" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "TRACE" => {
                if gained {
                    push(Verdict::Minor, "HTTP request changed".into())
                }
            }
            "wire" => push(Verdict::Major, "changed wire name".into()),
            "extra" => push(Verdict::Major, "changed type of unlisted properties".into()),
            "tag" if old.kind == "variant" => {
                // The tag values that select a union branch: more values
                // decode more of what the server sends.
                if gained || !new.parts.iter().any(|p| p.starts_with("tag ")) {
                    let values = |item: &Item| -> BTreeSet<String> {
                        item.parts
                            .iter()
                            .filter_map(|p| p.strip_prefix("tag "))
                            .flat_map(|list| list.split(", ").map(str::to_string))
                            .collect()
                    };
                    if values(old).is_subset(&values(new)) {
                        push(Verdict::Minor, "branch selected by more tag values".into());
                    } else {
                        push(
                            Verdict::Major,
                            "branch no longer selected by a tag value".into(),
                        );
                    }
                }
            }
            "tag" | "untagged" => push(Verdict::Major, "changed tag".into()),
            "feature" => push(Verdict::Major, "changed feature".into()),
            // `pages()`/`items()` on the call type (`crate::model::paging`).
            "pages" if gained => push(Verdict::Minor, format!("now paged: {part}")),
            "pages" if !now.iter().any(|p| p.starts_with("pages ")) => push(
                Verdict::Major,
                "no longer paged (pages/items removed)".into(),
            ),
            "pages" => {}
            _ => push(Verdict::Major, format!("changed `{part}`")),
        }
    }
}

/// What changed between two versions of an item, and the verdict.
fn changed(old: &Item, new: &Item) -> (Verdict, String) {
    let mut reasons: Vec<(Verdict, String)> = Vec::new();
    if old.decl != new.decl {
        reasons.push(declaration_changed(old, new));
    }
    parts_changed(old, new, &mut reasons);
    if reasons.is_empty() {
        reasons.push((Verdict::Patch, "documentation changed".into()));
    }
    reasons.sort();
    reasons.dedup();
    let level = reasons
        .iter()
        .map(|(l, _)| *l)
        .max()
        .unwrap_or(Verdict::Patch);
    let text: Vec<String> = reasons
        .into_iter()
        .rev()
        .map(|(_, reason)| reason)
        .collect();
    (level, text.join(", "))
}
