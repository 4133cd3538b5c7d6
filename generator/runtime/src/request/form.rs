//! `application/x-www-form-urlencoded` bodies: an object's properties as
//! `name=value` pairs, each serialized as the media type's `encoding` says
//! (`style` and `explode`), by default `form`, exploded.

use super::style::{pairs, Node, ParamStyle};

/// Encodes `node`, which must be an object, property by property;
/// `encoding` gives the serialization of the properties that don't use
/// the default.
pub(crate) fn encode(node: &Node, encoding: &[(&str, ParamStyle)]) -> Result<String, String> {
    let Node::Map(fields) = node else {
        return Err("a form body must serialize to an object".to_owned());
    };
    let mut out = Vec::new();
    for (name, value) in fields {
        let style = encoding
            .iter()
            .find(|(property, _)| property == name)
            .map_or(ParamStyle::FORM, |(_, style)| *style);
        out.extend(
            pairs(name, value, style)
                .into_iter()
                .map(|pair| pair.encoded),
        );
    }
    Ok(out.join("&"))
}
