//! The manifest part of a paged operation: how it pages, so that gaining
//! or losing `pages()`/`items()` shows in the API diff.

use crate::model::paging::Strategy;
use crate::model::OperationDef;

/// The manifest part of a paged operation (`pages cursor ?cursor=meta.next_cursor
/// items data`), or nothing.
pub(super) fn manifest_part(op: &OperationDef) -> String {
    let Some(paging) = &op.paging else {
        return String::new();
    };
    let mut part = match &paging.strategy {
        Strategy::Cursor { param, next } => format!("pages cursor ?{param}={}", next.join(".")),
        Strategy::AfterLastId {
            param,
            id,
            has_more,
        } => {
            format!(
                "pages last-id ?{param}=items[-1].{id} while {}",
                has_more.join(".")
            )
        }
        Strategy::Page { param, first } => format!("pages number ?{param}={first}.."),
        Strategy::Offset { param } => format!("pages offset ?{param}"),
        Strategy::ResultInfo { params } => {
            let params: Vec<String> = params.iter().map(|p| format!("?{p}")).collect();
            format!("pages result_info {}", params.join(" "))
        }
    };
    match &paging.items.field {
        Some((_, wire, _)) => part.push_str(&format!(" items {wire}")),
        None => part.push_str(" items [..]"),
    }
    for (name, found) in [
        ("total_pages", &paging.total_pages),
        ("total", &paging.total),
        ("more", &paging.more),
        ("next", &paging.next_link),
    ] {
        if let Some(found) = found {
            part.push_str(&format!(" {name} {}", found.join(".")));
        }
    }
    // A wire name cannot break the line into parts.
    part.replace('|', "\\u{7c}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::paging_fixture::{model, op};

    #[test]
    fn the_manifest_says_how_an_operation_pages() {
        let model = model();
        assert_eq!(
            manifest_part(op(&model, "cursor-list")),
            "pages cursor ?cursor=meta.next_cursor items data"
        );
        assert_eq!(
            manifest_part(op(&model, "numbered-list")),
            "pages number ?page=1.. items results total_pages pagination.total_pages \
             total pagination.total next next"
        );
        assert_eq!(
            manifest_part(op(&model, "pages-list")),
            "pages number ?page=0.. items [..]"
        );
        assert_eq!(manifest_part(op(&model, "plain-list")), "");
    }

    #[test]
    fn gaining_pagination_is_minor_and_losing_it_major() {
        use crate::manifest::{compare, Manifest, Verdict};
        let line = |part: &str| {
            Manifest::parse(&format!(
                "fn a::A::list() -> ListCall -> Vec<Pet> | GET /pets{part}\n"
            ))
            .expect("parses")
        };
        let plain = line("");
        let paged = line(" | pages number ?page=1.. items [..]");
        let offset = line(" | pages offset ?offset items [..]");
        assert_eq!(compare(&plain, &paged).verdict(), Verdict::Minor);
        assert_eq!(compare(&paged, &plain).verdict(), Verdict::Major);
        let changed = compare(&paged, &offset);
        assert_eq!(changed.verdict(), Verdict::Minor, "{:?}", changed.changes);
    }
}
