//! OpenAPI parameter serialization: how a value is written for each `style`
//! and `explode` (the 3.0.3 specification's "Style Values" and "Style
//! Examples").
//!
//! A value is first serialized into a [`Node`], an ordered tree (struct
//! fields keep their declaration order, unlike `serde_json::Value`'s sorted
//! maps), then rendered for its location: query, cookie and form-body pairs
//! ([`pairs`]), one path segment ([`path`]) or a header value
//! ([`header`]). Values are percent-encoded as the path and query code
//! always did (everything but `A-Z a-z 0-9 - . _ ~`, unless
//! `allowReserved`); the delimiters a style adds (`,` `|` `.` `;` `=` `[`
//! `]`) are written as they are, and `spaceDelimited`'s space as `%20`.
//!
//! A nested array or object where the style defines none (an object inside
//! a `form` array, say) is sent as its JSON text, except with `deepObject`,
//! which nests brackets (`a[b][c]=x`, `a[]=x`, `a[0][b]=x` for objects in
//! arrays, as Stripe reads them).

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use super::path::COMPONENT;

/// How a parameter (or a form-body property) is serialized: OpenAPI's
/// `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `form`: `name=value`, arrays `a,b` (or `name=a&name=b` exploded),
    /// objects `k,v` (or `k=v&...` exploded). The default of query and
    /// cookie parameters and of form-body properties.
    Form,
    /// `spaceDelimited`: arrays `a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: arrays `a|b`.
    PipeDelimited,
    /// `deepObject`: objects `name[k]=v`.
    DeepObject,
    /// `simple`: `a,b`, objects `k,v` (or `k=v,...` exploded). The default of
    /// path and header parameters.
    Simple,
    /// `label`: `.a.b`, objects `.k.v` (or `.k=v` exploded).
    Label,
    /// `matrix`: `;name=a,b` (or `;name=a;name=b` exploded), objects
    /// `;name=k,v` (or `;k=v` exploded).
    Matrix,
}

/// A parameter's serialization: its [`Style`], whether it is exploded, and
/// (query parameters only) whether reserved characters are sent as they
/// are (`allowReserved`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamStyle {
    pub(crate) style: Style,
    pub(crate) explode: bool,
    pub(crate) allow_reserved: bool,
}

impl ParamStyle {
    /// `style` with `explode` as given, reserved characters encoded.
    pub const fn new(style: Style, explode: bool) -> Self {
        ParamStyle {
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// Sends RFC 3986's reserved characters (`:/?#[]@!$&'()*+,;=`)
    /// without percent-encoding them (`allowReserved: true`).
    pub const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }

    /// OpenAPI's default for a query or cookie parameter: `form`, exploded.
    pub const FORM: ParamStyle = ParamStyle::new(Style::Form, true);
}

/// [`COMPONENT`] less RFC 3986's reserved characters, for `allowReserved`.
const UNRESERVED_OR_RESERVED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// A serialized value, in the order serde produced it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    /// `null` (`Option::None`): left out.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as its JSON text (`2`, never `2.0` for an
    /// `apigen_runtime::Number`).
    Number(String),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<Node>),
    /// An object, fields in order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// Serializes `value` (through its JSON text, which keeps field order).
    pub(crate) fn from_value<V: Serialize + ?Sized>(value: &V) -> Result<Node, String> {
        let text = serde_json::to_string(value).map_err(|error| error.to_string())?;
        serde_json::from_str(&text).map_err(|error| error.to_string())
    }

    /// The text of a scalar; the JSON text of an array or object; `None`
    /// for `null`.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Node::Null => None,
            Node::Bool(b) => Some(b.to_string()),
            Node::Number(n) => Some(n.clone()),
            Node::Str(s) => Some(s.clone()),
            Node::List(_) | Node::Map(_) => Some(self.json()),
        }
    }

    /// The JSON text of this node.
    fn json(&self) -> String {
        match self {
            Node::Null => "null".to_owned(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) => n.clone(),
            Node::Str(s) => serde_json::Value::from(s.as_str()).to_string(),
            Node::List(items) => {
                let items: Vec<String> = items.iter().map(Node::json).collect();
                format!("[{}]", items.join(","))
            }
            Node::Map(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), v.json()))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
        }
    }

    /// Array items that are not `null`.
    fn items(items: &[Node]) -> impl Iterator<Item = &Node> {
        items.iter().filter(|item| !matches!(item, Node::Null))
    }

    /// Object fields that are not `null`.
    fn fields(fields: &[(String, Node)]) -> impl Iterator<Item = (&String, &Node)> {
        fields
            .iter()
            .filter(|(_, value)| !matches!(value, Node::Null))
            .map(|(key, value)| (key, value))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;

        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
                Ok(Node::Number(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
                Ok(Node::Number(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
                Ok(serde_json::Number::from_f64(n)
                    .map_or(Node::Null, |n| Node::Number(n.to_string())))
            }
            fn visit_str<E>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Str(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Node, E> {
                Ok(Node::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut fields: Vec<(String, Node)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Node>()? {
                    // A flattened map may repeat a known key: the last wins.
                    fields.retain(|(existing, _)| *existing != key);
                    fields.push((key, value));
                }
                Ok(Node::Map(fields))
            }
        }

        deserializer
            .deserialize_any(NodeVisitor)
            .map_err(de::Error::custom)
    }
}

/// One `name=value` pair of a query string, a cookie header or a form body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    /// The name, not encoded (`color`, `color[R]`).
    pub(crate) name: String,
    /// The value, not encoded (delimiters included: `blue,black`).
    pub(crate) value: String,
    /// `name=value` as sent, percent-encoded.
    pub(crate) encoded: String,
}

/// Percent-encodes `text` for a query, cookie or form value.
fn encode(text: &str, allow_reserved: bool) -> String {
    let set = if allow_reserved {
        UNRESERVED_OR_RESERVED
    } else {
        COMPONENT
    };
    utf8_percent_encode(text, set).to_string()
}

/// Builds pairs, keeping the raw and the encoded text side by side.
struct Pairs {
    allow_reserved: bool,
    out: Vec<Pair>,
}

impl Pairs {
    /// `name=value`, both encoded as a whole.
    fn push(&mut self, name: &str, value: &str) {
        self.push_joined(name, &[value], "", "");
    }

    /// `name=v1<delimiter>v2...`: each value encoded, the delimiter
    /// written as `encoded_delimiter`.
    fn push_joined(&mut self, name: &str, values: &[&str], delimiter: &str, encoded: &str) {
        let raw = values.join(delimiter);
        let wire: Vec<String> = values
            .iter()
            .map(|v| encode(v, self.allow_reserved))
            .collect();
        self.out.push(Pair {
            name: name.to_owned(),
            value: raw,
            encoded: format!("{}={}", encode(name, false), wire.join(encoded)),
        });
    }

    /// `deepObject`: `name[key]`, brackets as they are.
    fn push_deep(&mut self, path: &[String], value: &str) {
        let mut name = path[0].clone();
        let mut wire = encode(&path[0], false);
        for key in &path[1..] {
            name.push('[');
            name.push_str(key);
            name.push(']');
            wire.push('[');
            wire.push_str(&encode(key, false));
            wire.push(']');
        }
        self.out.push(Pair {
            name,
            value: value.to_owned(),
            encoded: format!("{wire}={}", encode(value, self.allow_reserved)),
        });
    }

    fn deep(&mut self, path: &mut Vec<String>, node: &Node) {
        match node {
            Node::Null => {}
            Node::List(items) => {
                for (index, item) in Node::items(items).enumerate() {
                    match item {
                        // Objects and arrays in arrays need an index to stay
                        // apart: `a[0][b]=x`.
                        Node::List(_) | Node::Map(_) => {
                            path.push(index.to_string());
                            self.deep(path, item);
                        }
                        _ => {
                            path.push(String::new());
                            self.deep(path, item);
                        }
                    }
                    path.pop();
                }
            }
            Node::Map(fields) => {
                for (key, value) in Node::fields(fields) {
                    path.push(key.clone());
                    self.deep(path, value);
                    path.pop();
                }
            }
            scalar => {
                if let Some(text) = scalar.text() {
                    self.push_deep(path, &text);
                }
            }
        }
    }
}

/// The pairs of a query or cookie parameter, or of a form-body property.
///
/// `form`, `spaceDelimited` and `pipeDelimited` follow the style table;
/// `deepObject` nests brackets; the path styles (`simple`, `label`,
/// `matrix`), which the specification does not define here, are sent as
/// `form`.
pub(crate) fn pairs(name: &str, node: &Node, style: ParamStyle) -> Vec<Pair> {
    let mut pairs = Pairs {
        allow_reserved: style.allow_reserved,
        out: Vec::new(),
    };
    let (delimiter, encoded) = match style.style {
        Style::SpaceDelimited => (" ", "%20"),
        Style::PipeDelimited => ("|", "|"),
        _ => (",", ","),
    };
    match node {
        Node::Null => {}
        Node::List(_) | Node::Map(_) if style.style == Style::DeepObject => {
            pairs.deep(&mut vec![name.to_owned()], node);
        }
        Node::List(items) => {
            let texts: Vec<String> = Node::items(items).filter_map(Node::text).collect();
            if style.explode {
                for text in &texts {
                    pairs.push(name, text);
                }
            } else {
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                pairs.push_joined(name, &texts, delimiter, encoded);
            }
        }
        Node::Map(fields) => {
            let fields: Vec<(&String, String)> = Node::fields(fields)
                .filter_map(|(key, value)| Some((key, value.text()?)))
                .collect();
            if style.explode {
                for (key, text) in &fields {
                    pairs.push(key, text);
                }
            } else {
                let texts: Vec<&str> = fields
                    .iter()
                    .flat_map(|(key, text)| [key.as_str(), text.as_str()])
                    .collect();
                pairs.push_joined(name, &texts, delimiter, encoded);
            }
        }
        scalar => {
            if let Some(text) = scalar.text() {
                pairs.push(name, &text);
            }
        }
    }
    pairs.out
}

/// The items of an array or the `(key, value)` texts of an object, for the
/// `simple`, `label` and `matrix` styles; `None` for a scalar.
enum Parts {
    Scalar(String),
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

fn parts(node: &Node) -> Option<Parts> {
    Some(match node {
        Node::Null => return None,
        Node::List(items) => Parts::List(Node::items(items).filter_map(Node::text).collect()),
        Node::Map(fields) => Parts::Map(
            Node::fields(fields)
                .filter_map(|(key, value)| Some((key.clone(), value.text()?)))
                .collect(),
        ),
        scalar => Parts::Scalar(scalar.text()?),
    })
}

/// Renders `simple`, `label` or `matrix` with `encode` applied to every
/// name, key and value (not to the delimiters).
fn render(
    name: &str,
    node: &Node,
    style: ParamStyle,
    encode: &dyn Fn(&str) -> String,
) -> Option<String> {
    let parts = parts(node)?;
    let name = encode(name);
    let join = |texts: &[String], delimiter: &str| {
        texts
            .iter()
            .map(|t| encode(t))
            .collect::<Vec<_>>()
            .join(delimiter)
    };
    let keyed = |fields: &[(String, String)], inner: &str, outer: &str| {
        fields
            .iter()
            .map(|(k, v)| format!("{}{inner}{}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join(outer)
    };
    let flat = |fields: &[(String, String)]| {
        fields
            .iter()
            .flat_map(|(k, v)| [k.clone(), v.clone()])
            .collect::<Vec<_>>()
    };
    Some(match (style.style, style.explode, parts) {
        (Style::Label, _, Parts::Scalar(text)) => format!(".{}", encode(&text)),
        // The 3.0.3 table: `.blue.black.brown` exploded or not.
        (Style::Label, _, Parts::List(items)) => {
            items.iter().map(|t| format!(".{}", encode(t))).collect()
        }
        (Style::Label, false, Parts::Map(fields)) => flat(&fields)
            .iter()
            .map(|t| format!(".{}", encode(t)))
            .collect(),
        (Style::Label, true, Parts::Map(fields)) => format!(".{}", keyed(&fields, "=", ".")),
        (Style::Matrix, _, Parts::Scalar(text)) if text.is_empty() => format!(";{name}"),
        (Style::Matrix, _, Parts::Scalar(text)) => format!(";{name}={}", encode(&text)),
        (Style::Matrix, _, Parts::List(items)) if items.is_empty() => format!(";{name}"),
        (Style::Matrix, false, Parts::List(items)) => format!(";{name}={}", join(&items, ",")),
        (Style::Matrix, true, Parts::List(items)) => items
            .iter()
            .map(|t| format!(";{name}={}", encode(t)))
            .collect(),
        (Style::Matrix, _, Parts::Map(fields)) if fields.is_empty() => format!(";{name}"),
        (Style::Matrix, false, Parts::Map(fields)) => {
            format!(";{name}={}", join(&flat(&fields), ","))
        }
        (Style::Matrix, true, Parts::Map(fields)) => format!(";{}", keyed(&fields, "=", ";")),
        // `simple`, and the query styles, which paths and headers don't
        // define.
        (_, _, Parts::Scalar(text)) => encode(&text),
        (_, _, Parts::List(items)) => join(&items, ","),
        (_, false, Parts::Map(fields)) => join(&flat(&fields), ","),
        (_, true, Parts::Map(fields)) => keyed(&fields, "=", ","),
    })
}

/// A path parameter, percent-encoded as one segment (or the part of one a
/// `label` or `matrix` value fills). `None` for `null`.
pub(crate) fn path(name: &str, node: &Node, style: ParamStyle) -> Option<String> {
    render(name, node, style, &|text| {
        utf8_percent_encode(text, COMPONENT).to_string()
    })
}

/// A header parameter (`simple` style), not percent-encoded. `None` for
/// `null`.
pub(crate) fn header(node: &Node, style: ParamStyle) -> Option<String> {
    let style = ParamStyle::new(Style::Simple, style.explode);
    render("", node, style, &str::to_owned)
}

#[cfg(test)]
mod tests {
    //! The 3.0.3 specification's "Style Examples" table, row by row, for
    //! `color` = `"blue"`, `["blue","black","brown"]` and
    //! `{"R":100,"G":200,"B":150}`.

    use super::*;

    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Color {
        R: u32,
        G: u32,
        B: u32,
    }

    fn string() -> Node {
        Node::from_value("blue").unwrap()
    }
    fn array() -> Node {
        Node::from_value(&["blue", "black", "brown"]).unwrap()
    }
    fn object() -> Node {
        Node::from_value(&Color {
            R: 100,
            G: 200,
            B: 150,
        })
        .unwrap()
    }

    /// A query-style row: the pairs joined as a query string.
    fn query(node: &Node, style: Style, explode: bool) -> String {
        let pairs = pairs("color", node, ParamStyle::new(style, explode));
        let encoded: Vec<&str> = pairs.iter().map(|p| p.encoded.as_str()).collect();
        encoded.join("&")
    }

    fn in_path(node: &Node, style: Style, explode: bool) -> String {
        path("color", node, ParamStyle::new(style, explode)).unwrap()
    }

    #[test]
    fn matrix_not_exploded() {
        assert_eq!(
            in_path(&Node::Str(String::new()), Style::Matrix, false),
            ";color"
        );
        assert_eq!(in_path(&string(), Style::Matrix, false), ";color=blue");
        assert_eq!(
            in_path(&array(), Style::Matrix, false),
            ";color=blue,black,brown"
        );
        assert_eq!(
            in_path(&object(), Style::Matrix, false),
            ";color=R,100,G,200,B,150"
        );
    }

    #[test]
    fn matrix_exploded() {
        assert_eq!(
            in_path(&Node::Str(String::new()), Style::Matrix, true),
            ";color"
        );
        assert_eq!(in_path(&string(), Style::Matrix, true), ";color=blue");
        assert_eq!(
            in_path(&array(), Style::Matrix, true),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(
            in_path(&object(), Style::Matrix, true),
            ";R=100;G=200;B=150"
        );
    }

    #[test]
    fn label_not_exploded() {
        assert_eq!(in_path(&Node::Str(String::new()), Style::Label, false), ".");
        assert_eq!(in_path(&string(), Style::Label, false), ".blue");
        assert_eq!(in_path(&array(), Style::Label, false), ".blue.black.brown");
        assert_eq!(
            in_path(&object(), Style::Label, false),
            ".R.100.G.200.B.150"
        );
    }

    #[test]
    fn label_exploded() {
        assert_eq!(in_path(&Node::Str(String::new()), Style::Label, true), ".");
        assert_eq!(in_path(&string(), Style::Label, true), ".blue");
        assert_eq!(in_path(&array(), Style::Label, true), ".blue.black.brown");
        assert_eq!(in_path(&object(), Style::Label, true), ".R=100.G=200.B=150");
    }

    #[test]
    fn form_not_exploded() {
        assert_eq!(
            query(&Node::Str(String::new()), Style::Form, false),
            "color="
        );
        assert_eq!(query(&string(), Style::Form, false), "color=blue");
        assert_eq!(
            query(&array(), Style::Form, false),
            "color=blue,black,brown"
        );
        assert_eq!(
            query(&object(), Style::Form, false),
            "color=R,100,G,200,B,150"
        );
    }

    #[test]
    fn form_exploded() {
        assert_eq!(
            query(&Node::Str(String::new()), Style::Form, true),
            "color="
        );
        assert_eq!(query(&string(), Style::Form, true), "color=blue");
        assert_eq!(
            query(&array(), Style::Form, true),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(query(&object(), Style::Form, true), "R=100&G=200&B=150");
    }

    #[test]
    fn simple_not_exploded() {
        assert_eq!(in_path(&string(), Style::Simple, false), "blue");
        assert_eq!(in_path(&array(), Style::Simple, false), "blue,black,brown");
        assert_eq!(
            in_path(&object(), Style::Simple, false),
            "R,100,G,200,B,150"
        );
        let style = ParamStyle::new(Style::Simple, false);
        assert_eq!(header(&array(), style).as_deref(), Some("blue,black,brown"));
        assert_eq!(
            header(&object(), style).as_deref(),
            Some("R,100,G,200,B,150")
        );
    }

    #[test]
    fn simple_exploded() {
        assert_eq!(in_path(&string(), Style::Simple, true), "blue");
        assert_eq!(in_path(&array(), Style::Simple, true), "blue,black,brown");
        assert_eq!(in_path(&object(), Style::Simple, true), "R=100,G=200,B=150");
        let style = ParamStyle::new(Style::Simple, true);
        assert_eq!(
            header(&object(), style).as_deref(),
            Some("R=100,G=200,B=150")
        );
    }

    #[test]
    fn space_delimited() {
        assert_eq!(
            query(&array(), Style::SpaceDelimited, false),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            query(&object(), Style::SpaceDelimited, false),
            "color=R%20100%20G%20200%20B%20150"
        );
    }

    #[test]
    fn pipe_delimited() {
        assert_eq!(
            query(&array(), Style::PipeDelimited, false),
            "color=blue|black|brown"
        );
        assert_eq!(
            query(&object(), Style::PipeDelimited, false),
            "color=R|100|G|200|B|150"
        );
    }

    #[test]
    fn deep_object() {
        assert_eq!(
            query(&object(), Style::DeepObject, true),
            "color[R]=100&color[G]=200&color[B]=150"
        );
    }

    #[test]
    fn deep_object_nests_brackets_stripe_style() {
        let node = Node::from_value(&serde_json::json!({
            "a": {"b": "c"},
            "list": ["x", "y"],
            "items": [{"price": "p 1"}],
            "none": null,
        }))
        .unwrap();
        // `json!` sorts keys: a, items, list, none.
        assert_eq!(
            query(&node, Style::DeepObject, true),
            "color[a][b]=c&color[items][0][price]=p%201&color[list][]=x&color[list][]=y"
        );
        assert_eq!(
            query(&array(), Style::DeepObject, true),
            "color[]=blue&color[]=black&color[]=brown"
        );
    }

    #[test]
    fn values_are_encoded_delimiters_are_not() {
        let node = Node::from_value(&["a,b", "c|d e", "é&"]).unwrap();
        assert_eq!(
            query(&node, Style::Form, false),
            "color=a%2Cb,c%7Cd%20e,%C3%A9%26"
        );
        assert_eq!(
            query(&node, Style::PipeDelimited, false),
            "color=a%2Cb|c%7Cd%20e|%C3%A9%26"
        );
        assert_eq!(
            in_path(&node, Style::Label, false),
            ".a%2Cb.c%7Cd%20e.%C3%A9%26"
        );
        // Headers are not percent-encoded.
        let style = ParamStyle::new(Style::Simple, false);
        assert_eq!(header(&node, style).as_deref(), Some("a,b,c|d e,é&"));
    }

    #[test]
    fn allow_reserved_keeps_reserved_characters() {
        let node = Node::from_value("a/b?c=d&e[f]:g é").unwrap();
        let style = ParamStyle::new(Style::Form, true);
        let plain = &pairs("q", &node, style)[0].encoded;
        assert_eq!(plain, "q=a%2Fb%3Fc%3Dd%26e%5Bf%5D%3Ag%20%C3%A9");
        let reserved = &pairs("q", &node, style.allow_reserved())[0].encoded;
        assert_eq!(reserved, "q=a/b?c=d&e[f]:g%20%C3%A9");
    }

    #[test]
    fn nulls_are_left_out_numbers_stay_whole() {
        assert!(pairs("n", &Node::Null, ParamStyle::FORM).is_empty());
        assert_eq!(
            path("n", &Node::Null, ParamStyle::new(Style::Simple, false)),
            None
        );
        let node = Node::from_value(&(crate::Number::from(2u64), None::<u8>, 2.5)).unwrap();
        assert_eq!(query(&node, Style::Form, false), "color=2,2.5");
    }

    #[test]
    fn nested_values_without_a_defined_form_are_json() {
        let node = Node::from_value(&serde_json::json!([{"a": 1}, [2]])).unwrap();
        assert_eq!(
            query(&node, Style::Form, true),
            "color=%7B%22a%22%3A1%7D&color=%5B2%5D"
        );
    }

    #[test]
    fn empty_arrays() {
        let node = Node::List(Vec::new());
        assert_eq!(query(&node, Style::Form, true), "");
        assert_eq!(query(&node, Style::Form, false), "color=");
        assert_eq!(in_path(&node, Style::Matrix, true), ";color");
    }
}
