//! Operations: path, query, header and cookie parameters, the request body,
//! the response (seeing through the envelope), typed errors, and the
//! resource tree the methods hang on.

use std::collections::{BTreeMap, BTreeSet};

use super::types::option;
use super::{Dir, Lowerer};
use crate::docs::sanitize;
use crate::model::*;
use crate::naming::{pascal, snake, Namespace};
use crate::resources::{Overrides, Route};
use crate::spec::{
    is_form, is_json, is_text, json_media, Operation, ParameterLocation, Schema, SchemaKind, Style,
};

/// The name hint of an error response's type (`NotFound`, `ClientError`).
pub(super) fn error_name(status: &str) -> String {
    match status {
        "400" => "BadRequest".into(),
        "401" => "Unauthorized".into(),
        "403" => "Forbidden".into(),
        "404" => "NotFound".into(),
        "405" => "MethodNotAllowed".into(),
        "409" => "Conflict".into(),
        "410" => "Gone".into(),
        "422" => "UnprocessableEntity".into(),
        "429" => "TooManyRequests".into(),
        "500" => "InternalServerError".into(),
        "502" => "BadGateway".into(),
        "503" => "ServiceUnavailable".into(),
        "4XX" | "4xx" => "ClientError".into(),
        "5XX" | "5xx" => "ServerError".into(),
        "default" => "Error".into(),
        other => format!("Error{other}"),
    }
}

/// `client.zero_trust().gateway().`: how a resource's methods are reached.
pub(super) fn accessor_path(resources: &[Resource], node: usize) -> String {
    let mut methods = Vec::new();
    let mut at = Some(ResourceId(node));
    while let Some(id) = at {
        if id.0 != 0 {
            methods.push(resources[id.0].method.trim_start_matches("r#"));
        }
        at = resources[id.0].parent;
    }
    let mut path = "client.".to_owned();
    for method in methods.iter().rev() {
        path.push_str(method);
        path.push_str("().");
    }
    path
}

impl Lowerer<'_> {
    pub(super) fn operation(
        &mut self,
        op: &Operation,
        area: AreaId,
        area_def: &Area,
        names: &mut Namespace,
    ) -> OperationDef {
        let full = snake(&op.id);
        let short = full
            .strip_prefix(&format!("{}_", area_def.module))
            .filter(|rest| !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()))
            .map(snake)
            .unwrap_or(full);
        // The name before resources: a doc alias of the method, and the
        // stem of the operation's type names (numbered when it repeats, so
        // they stay apart; the method's own name is checked in `resources`).
        let (name, _) = names.claim(&short);
        let hint = pascal(&name);

        let mut path_params = Vec::new();
        let mut param_names = Namespace::new();
        for segment in op.path.split('{').skip(1) {
            let Some((wire, _)) = segment.split_once('}') else {
                continue;
            };
            let Some(parameter) = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::Path && p.name == wire)
            else {
                continue;
            };
            let ty = match self.norm.resolve(&parameter.schema).map(|s| s.kind) {
                Ok(SchemaKind::Integer { format, .. }) => {
                    TypeRef::Integer(IntWidth::from_format(format.as_deref()))
                }
                Ok(SchemaKind::Number { format }) => TypeRef::number(format.as_deref()),
                Ok(SchemaKind::Boolean) => TypeRef::Bool,
                // Arrays and objects are typed (and serialized as `style` says).
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_)) => match self.ty(
                    &parameter.schema,
                    &format!("{hint}{}", pascal(wire)),
                    Dir::Write,
                ) {
                    TypeRef::Option(inner) => *inner,
                    other => other,
                },
                _ => TypeRef::String,
            };
            let (param_name, _) = param_names.claim(&snake(wire));
            path_params.push(PathParam {
                name: param_name,
                wire: wire.to_string(),
                ty,
                style: ParamStyle::resolve(parameter.serialization, Style::Simple),
                doc: parameter
                    .description
                    .as_deref()
                    .map(sanitize)
                    .unwrap_or_default(),
            });
        }

        let mut fields = Vec::new();
        let mut field_names = Namespace::new();
        for parameter in &op.parameters {
            let place = match parameter.location {
                ParameterLocation::Path => continue,
                ParameterLocation::Query => ParamPlace::Query,
                ParameterLocation::Header => ParamPlace::Header,
                ParameterLocation::Cookie => ParamPlace::Cookie,
            };
            let composite = matches!(
                self.norm.resolve(&parameter.schema).map(|s| s.kind),
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_))
            );
            // A header is a string unless it is an array or an object, which
            // are typed and serialized in `simple` style.
            let ty = if place == ParamPlace::Header && !composite {
                TypeRef::String
            } else {
                match self.ty(
                    &parameter.schema,
                    &format!("{hint}{}", pascal(&parameter.name)),
                    Dir::Write,
                ) {
                    TypeRef::Option(inner) => *inner,
                    other => other,
                }
            };
            let style = ParamStyle::resolve(
                parameter.serialization,
                Style::default_for(parameter.location),
            );
            let (field_name, _) = field_names.claim(&snake(&parameter.name));
            fields.push(ParamField {
                field: Field {
                    name: field_name,
                    wire: parameter.name.clone(),
                    ty,
                    presence: if parameter.required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    doc: parameter
                        .description
                        .as_deref()
                        .map(sanitize)
                        .unwrap_or_default(),
                    deprecated: parameter.deprecated,
                },
                place,
                style,
            });
        }
        let params = if fields.is_empty() {
            None
        } else {
            let all_optional = fields
                .iter()
                .all(|f| f.field.presence == Presence::Optional);
            let placeholder = Schema::new(op.pointer.clone(), SchemaKind::Any);
            let mut doc_schema = placeholder;
            doc_schema.description = Some(format!("Query and header parameters of `{}`.", op.id));
            let id = self.alloc(&format!("{hint}Params"), &doc_schema, op.pointer.clone());
            let id = self.finish(id, TypeKind::Params { fields });
            Some((id, all_optional))
        };

        let body = op.request_body.as_ref().and_then(|body| {
            let chosen = json_media(&body.content).or_else(|| body.content.first())?;
            let kind = if is_json(&chosen.media_type) {
                BodyKind::Json(match &chosen.schema {
                    Some(schema) => self.ty(schema, &format!("{hint}Body"), Dir::Write),
                    None => TypeRef::Json,
                })
            } else if let (true, Some(schema)) = (is_form(&chosen.media_type), &chosen.schema) {
                let encoding = chosen
                    .encoding
                    .iter()
                    .map(|(name, declared)| {
                        (name.clone(), ParamStyle::resolve(*declared, Style::Form))
                    })
                    .collect();
                BodyKind::Form(
                    self.ty(schema, &format!("{hint}Body"), Dir::Write),
                    encoding,
                )
            } else if chosen.media_type.starts_with("multipart/") {
                BodyKind::Multipart
            } else if is_text(&chosen.media_type) {
                BodyKind::Text(chosen.media_type.clone())
            } else {
                BodyKind::Bytes(chosen.media_type.clone())
            };
            Some(Body {
                kind,
                required: body.required,
            })
        });

        let response = self.response(op, &hint);
        let errors = self.errors(op, &hint);

        // Only schemes the description defines (`oas30` reports the others).
        let security = op.security.as_ref().map(|requirements| {
            requirements
                .iter()
                .map(|requirement| {
                    requirement
                        .iter()
                        .filter(|name| self.spec.security_schemes.contains_key(*name))
                        .cloned()
                        .collect()
                })
                .collect()
        });

        let mut doc = Vec::new();
        if let Some(summary) = &op.summary {
            doc.extend(sanitize(summary));
        }
        if let Some(description) = &op.description {
            if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
                if !doc.is_empty() {
                    doc.push(String::new());
                }
                doc.extend(sanitize(description));
            }
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!(
            "Sends a `{}` request to `{}` (operation `{}`).",
            op.method.to_uppercase(),
            op.path,
            op.id
        ));
        if let Some(success) = op.success_response() {
            let description = success
                .description
                .as_deref()
                .map(sanitize)
                .unwrap_or_default();
            if !description.is_empty() {
                doc.push(String::new());
                doc.push(format!(
                    "Response `{}`: {}",
                    success.status,
                    description.join(" ")
                ));
            }
        }

        OperationDef {
            legacy_name: name.clone(),
            resource: ResourceId(0),
            name,
            operation_id: op.id.clone(),
            area,
            method: op.method.to_uppercase(),
            path: op.path.clone(),
            path_params,
            params,
            body,
            response,
            errors,
            security,
            doc,
            deprecated: op.deprecated,
        }
    }

    pub(super) fn response(&mut self, op: &Operation, hint: &str) -> ResponseDef {
        let untyped = ResponseDef {
            decode: Decode::Json,
            ty: TypeRef::Json,
            paginated: false,
        };
        let Some(success) = op.success_response() else {
            return untyped;
        };
        let Some(media) = json_media(&success.content).or_else(|| success.content.first()) else {
            return ResponseDef {
                decode: Decode::Empty,
                ty: TypeRef::Unit,
                paginated: false,
            };
        };
        if !is_json(&media.media_type) {
            let text = is_text(&media.media_type);
            return ResponseDef {
                decode: if text { Decode::Text } else { Decode::Bytes },
                ty: if text { TypeRef::String } else { TypeRef::Unit },
                paginated: false,
            };
        }
        let Some(schema) = &media.schema else {
            return untyped;
        };
        let resolved = self.norm.resolve(schema);
        self.drain_overrides();
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(problem) => {
                self.problem(problem, &schema.pointer);
                return untyped;
            }
        };
        if let SchemaKind::Object(object) = &resolved.kind {
            if object.is_envelope() {
                let ty = match object.properties.get("result") {
                    Some(result) => {
                        let ty = self.ty(result, &format!("{hint}Result"), Dir::Read);
                        self.null_if_typeless(result, ty)
                    }
                    None => TypeRef::Json,
                };
                return ResponseDef {
                    decode: Decode::Envelope,
                    ty,
                    paginated: object.properties.contains_key("result_info"),
                };
            }
        }
        let ty = self.ty(schema, &format!("{hint}Response"), Dir::Read);
        ResponseDef {
            decode: Decode::Json,
            ty: self.null_if_typeless(schema, ty),
            paginated: false,
        }
    }

    /// `Option<ty>` when `schema` declares no `type` (following references):
    /// JSON Schema then allows `null`, and servers and mocks send it.
    pub(super) fn null_if_typeless(&self, schema: &Schema, ty: TypeRef) -> TypeRef {
        let mut schema = schema;
        let mut hops = 0;
        while let Some(name) = schema.reference() {
            match self.spec.schemas.get(name) {
                Some(target) if hops < 64 => schema = target,
                _ => return ty,
            }
            hops += 1;
        }
        if schema.typeless {
            option(ty)
        } else {
            ty
        }
    }

    /// The error responses whose JSON bodies the description types, in
    /// status order. Envelopes are left to `ApiError`'s codes and messages.
    pub(super) fn errors(&mut self, op: &Operation, hint: &str) -> Vec<ErrorDef> {
        let mut errors = Vec::new();
        for response in &op.responses {
            let status = response.status.as_str();
            if status.starts_with(['1', '2', '3']) {
                continue;
            }
            let Some(schema) = json_media(&response.content).and_then(|m| m.schema.as_ref()) else {
                continue;
            };
            let resolved = self.norm.resolve(schema);
            self.drain_overrides();
            match resolved {
                Ok(resolved) => {
                    if let SchemaKind::Object(object) = &resolved.kind {
                        if object.is_envelope() {
                            continue;
                        }
                    }
                }
                Err(problem) => {
                    self.problem(problem, &schema.pointer);
                    continue;
                }
            }
            let ty = self.ty(schema, &format!("{hint}{}", error_name(status)), Dir::Read);
            errors.push(ErrorDef {
                status: status.to_owned(),
                ty,
                description: response
                    .description
                    .as_deref()
                    .map(|d| sanitize(d).join(" "))
                    .filter(|d| !d.is_empty()),
            });
        }
        errors
    }

    /// Hangs every operation (in `spec.operations` order) on the resource
    /// tree and names its method (`resources::place`); a method that would
    /// collide is numbered, with a warning. Names each operation's call
    /// type after its method.
    pub(super) fn resources(
        &mut self,
        operations: &mut [OperationDef],
        overrides: &Overrides,
    ) -> Vec<Resource> {
        let spec = self.spec;
        let routes: Vec<Route<'_>> = spec
            .operations
            .iter()
            .zip(operations.iter())
            .map(|(op, def)| Route {
                id: &op.id,
                method: &op.method,
                path: &op.path,
                returns_list: def.response.paginated
                    || matches!(&def.response.ty, TypeRef::Vec(_))
                    || matches!(&def.response.ty, TypeRef::Option(inner) if matches!(**inner, TypeRef::Vec(_))),
            })
            .collect();
        let placements = crate::resources::place(&routes, overrides);
        // Every chain and its prefixes, in sorted order: the root first, a
        // parent before its children.
        let mut chains: BTreeSet<Vec<String>> = BTreeSet::new();
        chains.insert(Vec::new());
        for placement in &placements {
            for len in 1..=placement.chain.len() {
                chains.insert(placement.chain[..len].to_vec());
            }
        }
        let index: BTreeMap<Vec<String>, usize> = chains
            .iter()
            .enumerate()
            .map(|(i, chain)| (chain.clone(), i))
            .collect();
        let mut struct_names = Namespace::new();
        let mut resources: Vec<Resource> = chains
            .iter()
            .map(|chain| {
                let plain: Vec<&str> = chain.iter().map(|c| c.trim_start_matches("r#")).collect();
                Resource {
                    method: chain.last().cloned().unwrap_or_default(),
                    name: if chain.is_empty() {
                        String::new()
                    } else {
                        struct_names.claim(&pascal(&plain.join("_"))).0
                    },
                    parent: (!chain.is_empty())
                        .then(|| ResourceId(index[&chain[..chain.len() - 1]])),
                    chain: chain.clone(),
                    areas: Vec::new(),
                }
            })
            .collect();
        // The first operation under each resource, to point a warning at.
        let mut first_under: Vec<Option<usize>> = vec![None; resources.len()];
        let mut node_areas: Vec<BTreeSet<AreaId>> = vec![BTreeSet::new(); resources.len()];
        for (i, placement) in placements.iter().enumerate() {
            for len in 0..=placement.chain.len() {
                let node = index[&placement.chain[..len]];
                first_under[node].get_or_insert(i);
                node_areas[node].insert(operations[i].area);
            }
        }
        // Methods of each accessor: child accessors first, then operations.
        let mut methods: Vec<Namespace> = resources.iter().map(|_| Namespace::new()).collect();
        for reserved in crate::naming::CLIENT_METHODS {
            methods[0].reserve(reserved);
        }
        let mut claimed: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); resources.len()];
        for node in 1..resources.len() {
            let parent = resources[node].parent.map_or(0, |p| p.0);
            let wanted = resources[node].method.clone();
            let (method, renamed) = methods[parent].claim(&wanted);
            if renamed {
                let op = &spec.operations[first_under[node].unwrap_or(0)];
                let path = accessor_path(&resources, parent);
                self.name_collision(
                    &op.pointer,
                    format!("resource `{path}{wanted}()` is reached by `{path}{method}()`: `{wanted}` is taken"),
                );
            }
            claimed[parent].insert(method.clone(), format!("resource `{}`", wanted));
            resources[node].method = method;
        }
        for (i, placement) in placements.iter().enumerate() {
            let node = index[&placement.chain];
            let (name, renamed) = methods[node].claim(&placement.verb);
            let op = &spec.operations[i];
            if renamed {
                let path = accessor_path(&resources, node);
                let by = claimed[node]
                    .get(&placement.verb)
                    .cloned()
                    .unwrap_or_else(|| "a method of the client".to_owned());
                self.name_collision(
                    &op.pointer,
                    format!(
                        "operation `{}` becomes `{path}{name}()`: `{path}{}()` is {by}",
                        op.id, placement.verb
                    ),
                );
            }
            claimed[node].insert(name.clone(), format!("operation `{}`", op.id));
            let def = &mut operations[i];
            def.resource = ResourceId(node);
            if let Some((id, _)) = def.params {
                let mut stem: Vec<&str> = resources[node]
                    .chain
                    .iter()
                    .map(|c| c.trim_start_matches("r#"))
                    .collect();
                stem.push(name.trim_start_matches("r#"));
                self.drafts[id.0].preferred = format!("{}Call", pascal(&stem.join("_")));
            }
            def.name = name;
        }
        for (resource, areas_of) in resources.iter_mut().zip(node_areas) {
            resource.areas = areas_of.into_iter().collect();
        }
        resources
    }
}
