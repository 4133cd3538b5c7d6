//! Cloudflare's envelope lists: a `GET` whose envelope declares
//! `result_info` beside a `result` array, with a `page` or `cursor` query
//! parameter, pages as the runtime's `Call::pages` follows `result_info`
//! (the next page number, or the cursor it gives).

use super::{unusable, Detection};
use crate::model::paging::{Items, Paging, Strategy};
use crate::model::{OperationDef, ParamField, ParamPlace, TypeRef};

/// The query parameters `result_info` pages with.
const PARAMS: &[&str] = &["page", "cursor"];

/// How an envelope list pages, if its description shows it.
pub(super) fn detect(op: &OperationDef, fields: &[ParamField]) -> Detection {
    let params: Vec<_> = fields
        .iter()
        .filter(|p| p.place == ParamPlace::Query && PARAMS.contains(&p.field.wire.as_str()))
        .map(|p| &p.field)
        .collect();
    if params.is_empty() {
        return Detection::None;
    }
    if let Some(why) = params.iter().find_map(|param| unusable(param, fields)) {
        return Detection::Ambiguous(why);
    }
    let names = || {
        let names: Vec<String> = params.iter().map(|p| format!("`{}`", p.wire)).collect();
        match names.as_slice() {
            [one] => format!("the query parameter {one} pages"),
            several => format!("the query parameters {} page", several.join(" and ")),
        }
    };
    if !op.response.paginated {
        return Detection::Ambiguous(format!(
            "{}, but the envelope declares no `result_info` to say \
             which page follows",
            names()
        ));
    }
    let TypeRef::Vec(item) = &op.response.ty else {
        return Detection::Ambiguous(format!(
            "{}, but the envelope's `result` is not a list",
            names()
        ));
    };
    Detection::Paged(Box::new(Paging {
        strategy: Strategy::ResultInfo {
            params: params.iter().map(|p| p.wire.clone()).collect(),
        },
        items: Items {
            field: None,
            ty: (**item).clone(),
        },
        total_pages: None,
        total: None,
        more: None,
        next_link: None,
    }))
}
