//! Finishing: drops aliases, names the live types uniquely in sorted order,
//! renumbers every reference, and builds the [`Model`].

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::place::{feature_groups, home};
use super::report::RENAME_HELP;
use super::requests::prune_requests;
use super::Lowerer;
use crate::diagnostic::{Diagnostic, Kind};
use crate::docs::sanitize;
use crate::model::{
    Area, AreaId, AuthScheme, ClientCredentialsAuth, Decode, Home, Model, OperationDef, TypeDef,
    TypeId, TypeKind, WebhookDef,
};
use crate::naming::{snake, Namespace};
use crate::spec::{Server, Spec};

impl Lowerer<'_> {
    /// Drops aliases, places each type in an area or `shared`, names types
    /// uniquely in sorted order, and renumbers.
    pub(super) fn finalize(
        &mut self,
        mut areas: Vec<Area>,
        mut operations: Vec<OperationDef>,
    ) -> Model {
        let mut webhooks = std::mem::take(&mut self.webhooks);
        let users = self.users(&operations, &webhooks);
        let (mut types, renumber) = self.name_types(&users, &areas);
        let type_uses = self.type_uses(&renumber, types.len());
        let map = |id: TypeId| renumber[&self.canonical(id).0];
        for ty in &mut types {
            ty.kind.each_id_mut(&mut |id| *id = map(*id));
        }
        self.link_requests(&mut types, &renumber);
        prune_requests(&mut types);
        for op in &mut operations {
            op.each_id_mut(&mut |id| *id = map(*id));
        }
        for webhook in &mut webhooks {
            webhook.ty.each_id_mut(&mut |id| *id = map(*id));
        }
        name_payloads(&webhooks, &types, &mut areas);
        operations.sort_by(|a, b| (a.area, &a.name).cmp(&(b.area, &b.name)));
        let feature_groups = feature_groups(&areas);
        let enveloped = |decode| {
            operations
                .iter()
                .filter(|op| op.response.decode == decode)
                .count()
        };
        let envelope = enveloped(Decode::Envelope) > enveloped(Decode::Json);
        Model {
            envelope,
            feature_groups,
            auth: auth_schemes(self.spec),
            server: self.spec.servers.first().cloned(),
            env_prefix: String::new(),
            crate_name: String::new(),
            default_headers: Vec::new(),
            webhooks,
            title: self.spec.title.clone(),
            version: self.spec.version.clone(),
            description: self.spec.description.clone(),
            types,
            operations,
            areas,
            resources: Vec::new(),
            oversized: Vec::new(),
            type_uses,
        }
    }

    /// The live types (not aliases, used by some area) in name order, named
    /// uniquely (a renamed component is reported), with their old ids'
    /// new ones. References inside are still old ids.
    fn name_types(
        &mut self,
        users: &[BTreeSet<AreaId>],
        areas: &[Area],
    ) -> (Vec<TypeDef>, FxHashMap<usize, TypeId>) {
        let mut live: Vec<usize> = (0..self.drafts.len())
            .filter(|i| {
                self.drafts[*i].redirect.is_none()
                    && self.drafts[*i].kind.is_some()
                    && !users[*i].is_empty()
            })
            .collect();
        self.name_merged(&live, users, areas);
        live.sort_by(|a, b| {
            let (da, db) = (&self.drafts[*a], &self.drafts[*b]);
            (&da.preferred, &da.origin).cmp(&(&db.preferred, &db.origin))
        });
        // Area names are modules (`crate::account`), never types: a type
        // may be called after its area (`account::Account`).
        let mut type_names = Namespace::for_types();
        let mut renumber: FxHashMap<usize, TypeId> = FxHashMap::default();
        let mut types = Vec::with_capacity(live.len());
        for old in live {
            let draft = &self.drafts[old];
            let (name, renamed) = type_names.claim(&draft.preferred);
            // Only worth a warning when two component schemas collide.
            if renamed && draft.origin.starts_with("/components/") {
                let location = self.origins.locate(&draft.origin);
                let message = format!(
                    "type `{}` is named `{name}`: the name is taken",
                    draft.preferred
                );
                self.diagnostics.push(
                    Diagnostic::warning(Kind::NameCollision, location, message)
                        .with_help(RENAME_HELP),
                );
            }
            // Moved out: what is left of the draft (its requests, its
            // redirect) is all that is read from here on.
            let draft = &mut self.drafts[old];
            renumber.insert(old, TypeId(types.len()));
            types.push(TypeDef {
                name,
                doc: std::mem::take(&mut draft.doc),
                kind: draft
                    .kind
                    .take()
                    .unwrap_or(TypeKind::Params { fields: Vec::new() }),
                origin: std::mem::take(&mut draft.origin),
                home: home(&users[old]),
                used_by: users[old].iter().copied().collect(),
                deprecated: draft.deprecated,
                read_only: std::mem::take(&mut draft.read_only).into_iter().collect(),
                requests: Vec::new(),
                direction: crate::model::direction::Direction::BOTH,
            });
        }
        (types, renumber)
    }

    /// The uses of each merged live type, by new id.
    fn type_uses(
        &mut self,
        renumber: &FxHashMap<usize, TypeId>,
        len: usize,
    ) -> Vec<Vec<(String, String)>> {
        let mut uses = vec![Vec::new(); len];
        for (old, new) in renumber {
            // A type that took a component's name is named after it.
            let draft = &mut self.drafts[*old];
            match draft.shared.take() {
                Some(shared) if draft.class.is_none() => uses[new.0] = shared.uses,
                _ => {}
            }
        }
        uses
    }

    /// The request counterparts of each live type that are live themselves
    /// (operations use them), renumbered.
    fn link_requests(&self, types: &mut [TypeDef], renumber: &FxHashMap<usize, TypeId>) {
        for (old, new) in renumber {
            let requests: BTreeSet<TypeId> = self.drafts[*old]
                .requests
                .iter()
                .filter_map(|id| renumber.get(&self.canonical(*id).0).copied())
                .filter(|request| request != new)
                .collect();
            types[new.0].requests = requests.into_iter().collect();
        }
    }
}

/// Names each webhook and its payload type in the webhooks area's docs, now
/// that types have names.
fn name_payloads(webhooks: &[WebhookDef], types: &[TypeDef], areas: &mut [Area]) {
    for webhook in webhooks {
        let mut ids = Vec::new();
        webhook.ty.each_id(&mut |id| ids.push(id));
        let payload = match ids.first() {
            Some(id) => {
                let def = &types[id.0];
                let module = match def.home {
                    Home::Shared => "shared".to_owned(),
                    Home::Area(area) => areas[area.0].module.clone(),
                };
                format!(": `crate::{module}::{}`", def.name)
            }
            None => String::new(),
        };
        if let Some(description) = areas[webhook.area.0].description.as_mut() {
            description.push_str(&format!(
                "\n- `{}` (`{}`){payload}",
                webhook.name, webhook.method
            ));
        }
    }
}

/// The description's security schemes with the names of their credential
/// constructors (snake case, distinct, never `new`).
pub(super) fn auth_schemes(spec: &Spec) -> Vec<AuthScheme> {
    let mut names = Namespace::new();
    names.reserve("new");
    let mut schemes: Vec<AuthScheme> = spec
        .security_schemes
        .iter()
        .map(|(wire, scheme)| AuthScheme {
            wire: wire.clone(),
            method: names.claim(&snake(wire)).0,
            kind: scheme.kind.clone(),
            doc: scheme
                .description
                .as_deref()
                .map(sanitize)
                .unwrap_or_default(),
            env: scheme.env.clone(),
            client_credentials: None,
        })
        .collect();
    // Claimed after every scheme's own name, which they must not take.
    for (scheme, spec_scheme) in schemes.iter_mut().zip(spec.security_schemes.values()) {
        let Some(flow) = &spec_scheme.client_credentials else {
            continue;
        };
        scheme.client_credentials = Some(ClientCredentialsAuth {
            method: names
                .claim(&format!("{}_client_credentials", scheme.method))
                .0,
            request: names.claim(&format!("{}_token_request", scheme.method)).0,
            token_url: absolute_url(&flow.token_url, spec.servers.first()),
            scopes: flow.scopes.clone(),
        });
    }
    schemes
}

/// `url` resolved against the first server (its variables at their
/// defaults) when it is relative and that server's URL is absolute
/// (RFC 3986 §5.2, without dot segments); else `url` as it is (the runtime
/// then asks for an absolute one).
fn absolute_url(url: &str, server: Option<&Server>) -> String {
    let is_absolute = |url: &str| url.contains("://");
    let Some(server) = server.filter(|_| !is_absolute(url)) else {
        return url.to_owned();
    };
    let mut base = server.url.clone();
    for (name, default, _) in &server.variables {
        base = base.replace(&format!("{{{name}}}"), default);
    }
    let Some((scheme, rest)) = base.split_once("://").filter(|_| !base.contains('{')) else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    if let Some(network_path) = url.strip_prefix("//") {
        format!("{scheme}://{network_path}")
    } else if url.starts_with('/') {
        format!("{scheme}://{authority}{url}")
    } else {
        let directory = &path[..path.rfind('/').map_or(0, |end| end + 1)];
        let directory = if directory.is_empty() { "/" } else { directory };
        format!("{scheme}://{authority}{directory}{url}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_credentials_constructors_take_no_scheme_name() {
        let (model, _) = super::super::fixtures::lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://api.test/v1"}]
paths: {}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: /oauth/token, scopes: {b: "", a: ""}}}
    oauth2_clientCredentials:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://auth.test/t", scopes: {}}}
"#,
        );
        let names: Vec<(&str, &str, &str)> = model
            .auth
            .iter()
            .filter_map(|scheme| {
                let flow = scheme.client_credentials.as_ref()?;
                Some((
                    scheme.method.as_str(),
                    flow.method.as_str(),
                    flow.token_url.as_str(),
                ))
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "oauth2",
                    "oauth2_client_credentials_2",
                    "https://api.test/oauth/token"
                ),
                (
                    "oauth2_client_credentials",
                    "oauth2_client_credentials_client_credentials",
                    "https://auth.test/t"
                ),
            ]
        );
        assert_eq!(
            model.auth[0].client_credentials.as_ref().unwrap().scopes,
            ["a", "b"]
        );
    }

    #[test]
    fn a_relative_token_url_is_resolved_against_the_first_server() {
        use super::absolute_url;
        use crate::spec::Server;
        let server = |url: &str| Server {
            url: url.into(),
            description: None,
            variables: vec![("region".into(), "eu".into(), None)],
        };
        let api = server("https://{region}.api.test/v2/");
        assert_eq!(
            absolute_url("/oauth/token", Some(&api)),
            "https://eu.api.test/oauth/token"
        );
        assert_eq!(
            absolute_url("token", Some(&api)),
            "https://eu.api.test/v2/token"
        );
        let bare = server("https://api.test");
        assert_eq!(absolute_url("token", Some(&bare)), "https://api.test/token");
        assert_eq!(
            absolute_url("//auth.test/t", Some(&bare)),
            "https://auth.test/t"
        );
        assert_eq!(
            absolute_url("https://auth.test/t", Some(&api)),
            "https://auth.test/t"
        );
        // A relative server, or none: left for the program to set.
        assert_eq!(absolute_url("/token", Some(&server("/v1"))), "/token");
        assert_eq!(absolute_url("/token", None), "/token");
    }

    use super::super::fixtures::{lowered, type_named, ZONES};
    use crate::model::{TypeKind, TypeRef};

    #[test]
    fn live_types_are_named_in_sorted_order_and_references_renumbered() {
        let (model, _) = lowered(ZONES);
        let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Problem",
                "Record",
                "Zone",
                "ZoneRequest",
                "ZonesRecordsGetCall"
            ],
            "sorted, and `unused` is left out"
        );
        let TypeKind::Struct { fields, .. } = &type_named(&model, "Record").kind else {
            panic!("not a struct")
        };
        let zone = fields
            .iter()
            .find(|f| f.wire == "zone")
            .expect("zone field");
        let TypeRef::Named(id) = zone.ty else {
            panic!("{:?}", zone.ty)
        };
        assert_eq!(
            model.types[id.0].name, "Zone",
            "the reference follows the renumbering"
        );
    }

    #[test]
    fn operations_are_sorted_by_area_and_name() {
        let (model, _) = lowered(ZONES);
        let got: Vec<(usize, &str)> = model
            .operations
            .iter()
            .map(|op| (op.area.0, op.operation_id.as_str()))
            .collect();
        assert_eq!(
            got,
            [(0, "records-get"), (1, "zones-create"), (1, "zones-list")]
        );
    }
}
