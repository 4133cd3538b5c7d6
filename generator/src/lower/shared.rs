//! Names of merged anonymous types. Identical anonymous shapes are interned
//! into one type (see `intern.rs`); each use would have named it after its
//! own place (`PostChargesBodyShippingAddress`, `PostCustomersBodyAddress`).
//! The merged type is named after what those names share: their common
//! trailing words (`Address`), qualified by their common leading words or
//! the one area they sit in when two types want the same name. Shapes whose
//! names share no trailing word are not merged at all.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::Lowerer;
use crate::model::{Area, AreaId};
use crate::naming::{pascal, RESERVED_TYPES};

/// What the names of a merged type's uses share so far.
#[derive(Clone, Debug, Default)]
pub(super) struct Shared {
    /// `(name, JSON pointer)` of every use, the first type's own first.
    pub uses: Vec<(String, String)>,
    /// The words every use name starts with.
    prefix: Vec<String>,
    /// The words every use name ends with.
    suffix: Vec<String>,
    /// Words every use name has, in order (a common subsequence).
    common: Vec<String>,
}

impl Shared {
    /// The shared words of the first use alone.
    pub(super) fn new(name: &str, origin: &str) -> Self {
        let words: Vec<String> = words(name).into_iter().map(str::to_owned).collect();
        Shared {
            uses: vec![(name.to_owned(), origin.to_owned())],
            prefix: words.clone(),
            suffix: words.clone(),
            common: words,
        }
    }

    /// Whether a use named `name` shares a meaningful trailing word with
    /// every use so far (otherwise it is kept a type of its own).
    pub(super) fn admits(&self, name: &str) -> bool {
        let words = words(name);
        let suffix = common_suffix(&self.suffix, &words);
        meaningful(suffix)
    }

    /// Adds a use.
    pub(super) fn add(&mut self, name: &str, origin: &str) {
        let words = words(name);
        let prefix = common_prefix(&self.prefix, &words).len();
        let suffix = common_suffix(&self.suffix, &words).len();
        self.prefix.truncate(prefix);
        self.suffix.drain(..self.suffix.len() - suffix);
        self.common = common_subsequence(&self.common, &words);
        self.uses.push((name.to_owned(), origin.to_owned()));
    }

    /// The names to try, best first: the shared trailing words (without
    /// leading words that only say where they sit: `Tax` for `BodyTax`),
    /// then all of them, after the shared leading words, after the area's
    /// name, and every word all names have in order; for types only sent,
    /// each also with `Request` after it.
    fn candidates(&self, area: Option<&str>) -> Vec<String> {
        let shortest = self
            .uses
            .iter()
            .map(|(name, _)| words(name).len())
            .min()
            .unwrap_or(0);
        let suffix = self.suffix.concat();
        let room = shortest.saturating_sub(self.suffix.len());
        let prefix = &self.prefix[..self.prefix.len().min(room)];
        let prefix_len = prefix.len();
        let prefix = prefix.concat();
        // `Tax`, not `BodyTax`: the leading words of the suffix that only
        // say where it sits go first (the full suffix is tried next).
        let mut trimmed = &self.suffix[..];
        while trimmed.len() > 1
            && PLACES.contains(&trimmed[0].as_str())
            && meaningful(&trimmed[1..])
        {
            trimmed = &trimmed[1..];
        }
        // Only sent (`AddressRequest`, as request counterparts are named).
        let sent =
            |pointer: &str| pointer.contains("/requestBody/") || pointer.contains("/parameters/");
        let request = self.uses.iter().all(|(_, pointer)| sent(pointer));
        let requested = |name: &str| request.then(|| [name, "Request"].concat());
        let trimmed = trimmed.concat();
        let mut out = vec![trimmed.clone()];
        out.extend(requested(&trimmed));
        out.push(suffix.clone());
        // One word (`Post`, `Get`) says nothing the suffix does not.
        if prefix_len > 1 {
            out.push([prefix.as_str(), &suffix].concat());
        }
        if let Some(area) = area {
            out.push([pascal(area).as_str(), &suffix].concat());
        }
        out.extend(requested(&suffix));
        // Every word all uses have, in order: `RadarGetAttacksTopOriginResponse`
        // for `RadarGetAttacksLayer3TopOriginLocationsResponse` and
        // `RadarGetAttacksLayer7TopOriginLocationResponse`.
        if self.common.ends_with(&self.suffix) {
            let common = self.common.concat();
            out.extend(requested(&common));
            out.insert(out.len() - usize::from(request), common);
        }
        let mut seen = BTreeSet::new();
        out.retain(|name| seen.insert(name.clone()));
        out
    }
}

/// The words of a PascalCase name: a new word at each capital letter.
pub(super) fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        out.push(&name[start..]);
    }
    out
}

/// A longest common subsequence of two word lists.
fn common_subsequence(a: &[String], b: &[&str]) -> Vec<String> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn common_prefix<'a>(a: &'a [String], b: &[&str]) -> &'a [String] {
    let n = a.iter().zip(b).take_while(|(x, y)| x == *y).count();
    &a[..n]
}

fn common_suffix<'a>(a: &'a [String], b: &[&str]) -> &'a [String] {
    let n = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == *y)
        .count();
    &a[a.len() - n..]
}

/// Words that say where a value sits rather than what it is.
const PLACES: &[&str] = &[
    "Body", "Id", "Params", "Query", "Item", "Value", "Response", "Result",
];

/// Whether trailing words name something rather than a position or a
/// structure (`Item`, `Value`, `Enum2`, `Variant1`).
fn meaningful(suffix: &[String]) -> bool {
    const STRUCTURAL: &[&str] = &["Item", "Value", "Body", "Params", "Enum", "Variant"];
    suffix.iter().any(|word| {
        let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
        !stem.is_empty() && !STRUCTURAL.contains(&stem)
    })
}

impl Lowerer<'_> {
    /// Renames each live merged anonymous type after what its uses share;
    /// where two types (or a type and any other type's name) want the same
    /// name, each is qualified by its uses' common leading words, then by
    /// its area, before the namespace numbers anything.
    pub(super) fn name_merged(
        &mut self,
        live: &[usize],
        users: &[BTreeSet<AreaId>],
        areas: &[Area],
    ) {
        let mut merged: Vec<(usize, Vec<String>)> = Vec::new();
        // The names the type namespace keeps (`Result`, `Option`) are taken.
        let mut wanted: FxHashMap<String, usize> = RESERVED_TYPES
            .iter()
            .map(|name| ((*name).to_owned(), 1))
            .collect();
        for &i in live {
            let draft = &self.drafts[i];
            let distinct = draft.shared.as_ref().filter(|shared| {
                draft.class.is_none()
                    && shared.uses.iter().any(|(name, _)| *name != draft.preferred)
            });
            match distinct {
                Some(shared) => {
                    let area = match users[i].iter().collect::<Vec<_>>()[..] {
                        [only] => Some(areas[only.0].module.as_str()),
                        _ => None,
                    };
                    merged.push((i, shared.candidates(area)));
                }
                None => *wanted.entry(draft.preferred.clone()).or_default() += 1,
            }
        }
        // Everyone starts at their best name and moves on while contested.
        let mut choice = vec![0usize; merged.len()];
        loop {
            let mut counts = wanted.clone();
            for ((_, candidates), at) in merged.iter().zip(&choice) {
                *counts.entry(candidates[*at].clone()).or_default() += 1;
            }
            let mut moved = false;
            for ((_, candidates), at) in merged.iter().zip(choice.iter_mut()) {
                if counts[&candidates[*at]] > 1 && *at + 1 < candidates.len() {
                    *at += 1;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let mut counts = wanted;
        for ((_, candidates), at) in merged.iter().zip(&choice) {
            *counts.entry(candidates[*at].clone()).or_default() += 1;
        }
        for ((i, candidates), at) in merged.into_iter().zip(choice) {
            let best = &candidates[at];
            if counts[best] == 1 {
                self.drafts[i].preferred.clone_from(best);
                continue;
            }
            // Every shared name is contested: rather than numbering it, the
            // name its use in a component gives (the component it sits in).
            let fallback = self.drafts[i].shared.as_ref().and_then(|shared| {
                shared
                    .uses
                    .iter()
                    .filter(|(name, pointer)| {
                        pointer.starts_with("/components/") && !counts.contains_key(name)
                    })
                    .min_by_key(|(name, _)| (name.len(), name.clone()))
                    .map(|(name, _)| name.clone())
            });
            // Numbered last, from the plainest name.
            let name = fallback.unwrap_or_else(|| candidates[0].clone());
            *counts.entry(name.clone()).or_default() += 1;
            self.drafts[i].preferred = name;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words_at_capitals() {
        assert_eq!(
            words("PostChargesBodyShippingAddress"),
            ["Post", "Charges", "Body", "Shipping", "Address"]
        );
        assert_eq!(words("Ipv4Enum2"), ["Ipv4", "Enum2"]);
    }

    #[test]
    fn uses_share_their_trailing_and_leading_words() {
        let mut shared = Shared::new("PostChargesBodyShippingAddress", "/a");
        assert!(shared.admits("PostCustomersBodyAddress"));
        assert!(
            !shared.admits("PostCustomersBodyShipping"),
            "nothing trailing is shared"
        );
        shared.add("PostCustomersBodyAddress", "/b");
        assert_eq!(
            shared.candidates(None),
            ["Address", "PostBodyAddress"],
            "`Post` alone is no prefix"
        );
        assert_eq!(
            shared.candidates(Some("customers")),
            ["Address", "CustomersAddress", "PostBodyAddress"]
        );
        shared.add("PostChargesBodyBillingAddress", "/c");
        assert_eq!(shared.candidates(None), ["Address", "PostBodyAddress"]);
        let mut same_body = Shared::new("PostChargesBodyShippingAddress", "/a");
        same_body.add("PostChargesBodyBillingAddress", "/b");
        assert_eq!(
            same_body.candidates(None),
            ["Address", "PostChargesBodyAddress"]
        );
        let mut sent = Shared::new("PostChargesBodyShippingAddress", "/paths/a/requestBody/x");
        sent.add("PostCustomersBodyAddress", "/paths/b/requestBody/x");
        assert_eq!(
            sent.candidates(None),
            [
                "Address",
                "AddressRequest",
                "PostBodyAddress",
                "PostBodyAddressRequest"
            ]
        );
        let mut enums = Shared::new("PostAccountBodyUrlEnum2", "/a");
        assert!(
            !enums.admits("PostCustomersBodyNameEnum2"),
            "`Enum2` is a position"
        );
        enums.add("PostAccountBodyNameEnum2", "/b");
        assert_eq!(enums.candidates(None), ["Enum2", "PostAccountBodyEnum2"]);
    }
}
