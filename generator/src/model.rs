//! The intermediate model: the client to generate, in terms of Rust concepts
//! (structs, enums, methods) but with no `syn` or token in sight.
//!
//! **Invariants:** every name here is already a valid, unique Rust identifier
//! (made by `naming`) and sits next to its wire name; types are sorted by
//! name and operations by area and name, so emitting is a plain walk.

pub mod direction;
mod operation;
pub mod paging;
pub mod size;

pub use self::operation::{
    Body, BodyKind, Decode, ErrorDef, OperationDef, ParamField, ParamPlace, ParamStyle, PathParam,
    ResponseDef,
};

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of an area in [`Model::areas`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AreaId(pub usize);

/// The whole client.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Named types.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by area and method name.
    pub operations: Vec<OperationDef>,
    /// API areas (one module and cargo feature each), sorted by module name.
    pub areas: Vec<Area>,
    /// The resource tree the operations hang on (`client.zero_trust().gateway()`);
    /// the first is the root, the client itself. Empty for a model that was
    /// not lowered from a spec.
    pub resources: Vec<Resource>,
    /// Umbrella features: areas whose tags share a first word (`Zero Trust
    /// accounts`, `Zero Trust lists`) can be enabled together (`zero-trust`).
    pub feature_groups: Vec<FeatureGroup>,
    /// The description's security schemes, sorted by wire name.
    pub auth: Vec<AuthScheme>,
    /// The first of the description's `servers`: the default base URL.
    pub server: Option<crate::spec::Server>,
    /// The prefix of the environment variables the client reads
    /// (`CLOUDFLARE`: `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_BASE_URL`).
    pub env_prefix: String,
    /// The generated crate's name as code outside it writes it
    /// (`cloudflare_api`), for the crate docs' example; set after lowering.
    pub crate_name: String,
    /// The description's webhooks whose payloads are typed (in the area
    /// `webhooks`).
    pub webhooks: Vec<WebhookDef>,
    /// Whether most JSON responses are enveloped: the client is built with
    /// `envelope(true)`, and its `get`, `post`, ... shortcuts decode
    /// [`Decode::Envelope`] (otherwise [`Decode::Json`]).
    pub envelope: bool,
    /// The types larger than `size::MAX_TYPE_SIZE` with every generated
    /// value they hold boxed (warned about; their size is not asserted).
    pub oversized: Vec<TypeId>,
    /// Headers the generated `Client::builder` sends with every request
    /// (`apigen generate --header 'Stripe-Version: 2020-08-27'`), as
    /// `(name, value)`; set after lowering, from the options.
    pub default_headers: Vec<(String, String)>,
    /// For each type (by [`TypeId`]) that identical anonymous schemas were
    /// merged into: every use, as `(the name the use would have given it,
    /// the JSON pointer of its schema)`. Empty for other types.
    pub type_uses: Vec<Vec<(String, String)>>,
}

/// A webhook's payload type: what a server receiving it decodes.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookDef {
    /// Its name under `webhooks`.
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The payload's type.
    pub ty: TypeRef,
    /// The area its types live in.
    pub area: AreaId,
}

/// A security scheme, as the generated crate offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthScheme {
    /// Its name in `components.securitySchemes`.
    pub wire: String,
    /// The Rust name of its credential constructor (`api_token`).
    pub method: String,
    /// How the credential is sent.
    pub kind: crate::spec::SecuritySchemeKind,
    /// Documentation lines (already sanitized).
    pub doc: Vec<String>,
    /// The environment variable named by `x-apigen-env`, if any.
    pub env: Option<String>,
    /// An `oauth2` scheme's client-credentials flow.
    pub client_credentials: Option<ClientCredentialsAuth>,
}

/// The constructors of an `oauth2` scheme's client-credentials flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCredentialsAuth {
    /// The Rust name of its constructor (`oauth_client_credentials`),
    /// distinct from every scheme's.
    pub method: String,
    /// The Rust name of the function giving its token provider
    /// (`oauth_token_request`).
    pub request: String,
    /// The token URL, made absolute against the first server when that is
    /// possible.
    pub token_url: String,
    /// The flow's scopes, sorted.
    pub scopes: Vec<String>,
}

/// A cargo feature that enables several areas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureGroup {
    /// The feature name.
    pub feature: String,
    /// The areas it enables.
    pub areas: Vec<AreaId>,
}

/// A part of the API: one tag. Each becomes a module and a cargo feature.
#[derive(Clone, Debug)]
pub struct Area {
    /// The tag's name, as in the spec.
    pub title: String,
    /// The tag's description.
    pub description: Option<String>,
    /// Module and accessor method name (`zero_trust_accounts`).
    pub module: String,
    /// Cargo feature name (`zero-trust-accounts`).
    pub feature: String,
    /// The accessor struct's name (`ZeroTrustAccounts`).
    pub accessor: String,
}

/// Index of a resource in [`Model::resources`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub usize);

/// A resource: a group of operations on one URL path (`/gateway/configuration`),
/// reached from the client by one accessor method per level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The accessor method on its parent (`configuration`); empty for the root.
    pub method: String,
    /// The accessor struct's name (`ZeroTrustGatewayConfiguration`); empty for the root.
    pub name: String,
    /// Its parent; `None` for the root.
    pub parent: Option<ResourceId>,
    /// The accessor methods from the client (`["zero_trust", "gateway"]`).
    pub chain: Vec<String>,
    /// The areas that have an operation on it or below it (it is compiled
    /// when one of their features is on).
    pub areas: Vec<AreaId>,
}

/// Where a type is emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Home {
    /// In the module of one area (compiled only with its feature).
    Area(AreaId),
    /// In the `shared` module (always compiled).
    Shared,
}

/// A reference to a type in a field, parameter or result.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated type.
    Named(TypeId),
    /// A generated type behind a `Box`: it breaks a recursive cycle, or
    /// keeps the type that holds it within `size::MAX_TYPE_SIZE`.
    Boxed(TypeId),
    /// `apigen_runtime::Expandable<T>` of a generated type: a reference the
    /// server sends as an id string, or as the whole object when expanded
    /// (`anyOf` of a plain string and objects with an `id`). The object is
    /// boxed, so this never grows its holder and breaks cycles as `Boxed`.
    Expandable(TypeId),
    /// `bool`.
    Bool,
    /// A Rust integer type chosen by the schema's `format`.
    Integer(IntWidth),
    /// `apigen_runtime::Number`: a `number` without a format, which keeps
    /// whole numbers whole on the way in and out.
    Number,
    /// `f64`: a `number` with format `float` or `double`.
    Float,
    /// `String`.
    String,
    /// `apigen_runtime::DateTime`: a `string` with `format: date-time`, kept
    /// as sent and parsed on demand.
    DateTime,
    /// `apigen_runtime::Date`: a `string` with `format: date`.
    Date,
    /// `apigen_runtime::Bytes`: the content of a multipart body's file part
    /// (`format: binary`, or a part declared with a binary `contentType`);
    /// elsewhere a `format: binary` string stays `String`.
    Bytes,
    /// `serde_json::Value`: any JSON.
    Json,
    /// `serde_json::Map<String, Value>`: any JSON object.
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: the value may be `null`.
    Option(Box<TypeRef>),
    /// `()`.
    Unit,
}

/// The Rust integer an `integer` schema becomes, from its `format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntWidth {
    /// `int32`: `i32`.
    I32,
    /// `int64` or no format: `i64`.
    I64,
    /// `uint32`: `u32`.
    U32,
    /// `uint64`: `u64`.
    U64,
}

impl IntWidth {
    /// The width an `integer` schema's `format` asks for (`i64` when it
    /// names none the generator knows).
    pub fn from_format(format: Option<&str>) -> Self {
        match format {
            Some("int32" | "int8" | "int16") => IntWidth::I32,
            Some("uint32" | "uint8" | "uint16") => IntWidth::U32,
            Some("uint64") => IntWidth::U64,
            _ => IntWidth::I64,
        }
    }
}

impl TypeRef {
    /// The type of a `string` schema (without `enum`) with this `format`.
    pub fn string(format: Option<&str>) -> Self {
        match format {
            Some("date-time") => TypeRef::DateTime,
            Some("date") => TypeRef::Date,
            _ => TypeRef::String,
        }
    }

    /// The type of a `number` schema with this `format`.
    pub fn number(format: Option<&str>) -> Self {
        match format {
            Some("float" | "double") => TypeRef::Float,
            _ => TypeRef::Number,
        }
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Documentation lines (already sanitized).
    pub doc: Vec<String>,
    /// What it is.
    pub kind: TypeKind,
    /// JSON pointer of the schema it comes from.
    pub origin: String,
    /// Where it is emitted.
    pub home: Home,
    /// The areas whose operations use it (a shared type is compiled only when
    /// one of their features is on).
    pub used_by: Vec<AreaId>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// For a request-side struct: the wire names of the properties left
    /// out because the description marks them `readOnly`. Its `extra` map
    /// never sends them, sorted.
    pub read_only: Vec<String>,
    /// For a response-side struct or union: the request-side types of the
    /// same schema (`FooRequest`) it converts into (`From<&Foo>`), sorted.
    pub requests: Vec<TypeId>,
    /// Whether it is sent, received or both (set by the lowering once the
    /// operations are final; see [`direction`]).
    pub direction: direction::Direction,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object.
    Struct {
        /// Known properties.
        fields: Vec<Field>,
        /// Type of the values of properties the spec does not list (kept in a
        /// flattened map so nothing is lost).
        extra: TypeRef,
    },
    /// A string enum that also keeps values it does not know.
    Enum {
        /// Known values.
        variants: Vec<EnumVariant>,
    },
    /// `oneOf`/`anyOf`: a sum type.
    Union {
        /// Branches, in spec order; the last catches anything else.
        variants: Vec<UnionVariant>,
        /// The property whose value tells the branches apart, when one does.
        tag: Option<String>,
    },
    /// The query and header parameters of one operation.
    Params {
        /// One field per parameter.
        fields: Vec<ParamField>,
    },
}

/// How a field may be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, left out when `None`.
    Optional,
    /// May be absent or null: `Option<Option<T>>`, three ways to serialize.
    OptionalNullable,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// JSON name.
    pub wire: String,
    /// The value's type, without the `Option` that [`Field::presence`] adds.
    pub ty: TypeRef,
    /// Whether it may be absent or null.
    pub presence: Presence,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Deprecated in the spec.
    pub deprecated: bool,
}

/// A value of a string enum.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// Rust name.
    pub name: String,
    /// The string on the wire.
    pub wire: String,
}

/// A branch of a union.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// Rust name.
    pub name: String,
    /// The branch's type.
    pub ty: TypeRef,
    /// For tagged unions: the tag values that select this branch.
    pub tag_values: Vec<String>,
    /// The catch-all the lowering adds (raw JSON no declared branch took),
    /// which `apigen_runtime::Unknown` reports; not a branch of the spec.
    pub catch_all: bool,
}

impl TypeRef {
    /// Calls `f` with the type this reference names, if any (through `Vec`,
    /// `Map` and `Option`).
    pub fn each_id(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) | TypeRef::Boxed(id) | TypeRef::Expandable(id) => f(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => inner.each_id(f),
            _ => {}
        }
    }

    /// [`TypeRef::each_id`], with the id to change.
    pub fn each_id_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        match self {
            TypeRef::Named(id) | TypeRef::Boxed(id) | TypeRef::Expandable(id) => f(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
                inner.each_id_mut(f)
            }
            _ => {}
        }
    }
}

impl TypeKind {
    /// Calls `f` with every type reference in the kind: fields and the
    /// `extra` map, parameters, union branches.
    pub fn each_ref(&self, f: &mut impl FnMut(&TypeRef)) {
        match self {
            TypeKind::Struct { fields, extra } => {
                fields.iter().for_each(|field| f(&field.ty));
                f(extra);
            }
            TypeKind::Params { fields } => fields.iter().for_each(|p| f(&p.field.ty)),
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Enum { .. } => {}
        }
    }

    /// [`TypeKind::each_ref`], with the references to change.
    pub fn each_ref_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match self {
            TypeKind::Struct { fields, extra } => {
                fields.iter_mut().for_each(|field| f(&mut field.ty));
                f(extra);
            }
            TypeKind::Params { fields } => fields.iter_mut().for_each(|p| f(&mut p.field.ty)),
            TypeKind::Union { variants, .. } => variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Enum { .. } => {}
        }
    }

    /// Calls `f` with every type id the kind refers to.
    pub fn each_id(&self, f: &mut impl FnMut(TypeId)) {
        self.each_ref(&mut |ty| ty.each_id(f));
    }

    /// [`TypeKind::each_id`], with the ids to change.
    pub fn each_id_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        self.each_ref_mut(&mut |ty| ty.each_id_mut(f));
    }
}
/// Visits every type reachable from `roots`, depth first. `enter` is called
/// with each id met (roots and the ids in entered kinds, in no promised
/// order); it returns the kind whose references to follow, or `None` for a
/// type already seen (or with nothing to follow), which ends cycles.
pub fn walk_reachable<'k>(
    roots: impl IntoIterator<Item = TypeId>,
    mut enter: impl FnMut(TypeId) -> Option<&'k TypeKind>,
) {
    let mut stack: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if let Some(kind) = enter(id) {
            kind.each_id(&mut |next| stack.push(next));
        }
    }
}

#[cfg(test)]
mod tests;
