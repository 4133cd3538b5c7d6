//! Contract tests against a mock server of the whole description: for every
//! API area with an operation that takes and returns JSON, one such operation
//! is called through the generated client, with a body built from the spec's
//! own request example, and the mock (Prism) must accept the request and the
//! client must decode the answer.
//!
//! [`harness`] emits a `#[cfg(test)]` module into the generated crate
//! (`--contract-tests`); it reads the mock's URL from `APIGEN_PRISM_URL`, and
//! allows the failures of areas listed (as `` `title` ``) in the file named by
//! `APIGEN_KNOWN_CONTRACT_ERRORS`.

use serde_json::Value;

use crate::model::{
    AreaId, BodyKind, Decode, Model, OperationDef, ParamPlace, Presence, TypeKind, TypeRef,
};
use crate::normalize::Normalizer;
use crate::proofs::values::DEFAULT_ID;
use crate::spec::{json_media, ParameterLocation, Spec};

/// Candidates tried per area and kind (without a body, with one).
const PER_KIND: usize = 2;

/// A request body of a candidate call.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateBody {
    /// Its JSON.
    pub json: String,
    /// Whether the description gives it whole (a request example), rather
    /// than the harness assembling it from property examples.
    pub from_description: bool,
}

/// One candidate call: an operation, its path parameters and body.
#[derive(Clone, Debug)]
pub struct Candidate<'m> {
    /// The operation.
    pub op: &'m OperationDef,
    /// The JSON body, if it takes one.
    pub body: Option<CandidateBody>,
    /// The value of each path parameter, in template order.
    pub path_values: Vec<String>,
    /// The value of each required query, header or cookie parameter, in
    /// the order of the method's arguments.
    pub param_values: Vec<Value>,
    /// The statuses the description declares when none is a success (the
    /// Petstore's `addPet` declares only `405`): such an answer is what
    /// the description promises, so it passes when the request was valid.
    pub declared_errors: Vec<String>,
}

/// The candidates of one area, best first: calls without a body, then those
/// whose body is the description's own example, then assembled ones; or why
/// the area cannot be called.
pub fn candidates<'m>(
    model: &'m Model,
    spec: &Spec,
    area: AreaId,
) -> Result<Vec<Candidate<'m>>, String> {
    let (mut out, skipped) = collect(model, spec, area, false);
    if out.is_empty() {
        let reason: std::collections::BTreeSet<&str> = skipped.iter().map(|(_, r)| *r).collect();
        let reason: Vec<&str> = reason.into_iter().collect();
        return Err(if reason.is_empty() {
            "no operation".to_string()
        } else {
            reason.join("; ")
        });
    }
    // Without a body first (GET before other methods), then the
    // description's own bodies, then assembled ones; shorter bodies first.
    out.sort_by_key(|c| {
        (
            c.body
                .as_ref()
                .map_or(0, |b| if b.from_description { 1 } else { 2 }),
            c.op.method != "GET",
            c.body.as_ref().map_or(0, |b| b.json.len()),
        )
    });
    let mut without = 0;
    let mut with = 0;
    out.retain(|c| {
        let count = if c.body.is_some() {
            &mut with
        } else {
            &mut without
        };
        *count += 1;
        *count <= PER_KIND
    });
    Ok(out)
}

/// The candidate call of every operation of `area` that can be called, in
/// the model's order, and each other operation with why it cannot. With
/// `every`, operations whose success response is text or bytes are called
/// too (their answer is checked for its status only).
pub fn collect<'m>(
    model: &'m Model,
    spec: &Spec,
    area: AreaId,
    every: bool,
) -> (Vec<Candidate<'m>>, Vec<(&'m OperationDef, &'static str)>) {
    let normalizer = Normalizer::new(&spec.schemas);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for op in model.operations.iter().filter(|o| o.area == area) {
        match candidate(model, spec, &normalizer, op, every) {
            Ok(candidate) => out.push(candidate),
            Err(reason) => skipped.push((op, reason)),
        }
    }
    (out, skipped)
}

/// The candidate call of `op`, or why it cannot be called.
fn candidate<'m>(
    model: &'m Model,
    spec: &Spec,
    normalizer: &Normalizer,
    op: &'m OperationDef,
    every: bool,
) -> Result<Candidate<'m>, &'static str> {
    if op.response.decode.is_stream() {
        return Err("its response is a stream");
    }
    let json = matches!(
        op.response.decode,
        Decode::Envelope | Decode::Json | Decode::Empty
    );
    if !json && !every {
        return Err("its responses are not JSON");
    }
    let Some(source) = spec.operations.iter().find(|o| o.id == op.operation_id) else {
        return Err("not in the description");
    };
    let param_values = param_values(model, normalizer, op, source);
    let body = body(normalizer, op, source, every)?;
    let path_values = op
        .path_params
        .iter()
        .map(|p| {
            source
                .parameters
                .iter()
                .find(|sp| sp.location == ParameterLocation::Path && sp.name == p.wire)
                .map(|sp| path_value(normalizer, &sp.schema))
                .unwrap_or_else(|| DEFAULT_ID.to_string())
        })
        .collect();
    let declared_errors = if source.success_response().is_none() {
        source.responses.iter().map(|r| r.status.clone()).collect()
    } else {
        Vec::new()
    };
    Ok(Candidate {
        op,
        body,
        path_values,
        param_values,
        declared_errors,
    })
}

/// Required query, header and cookie parameters are arguments: each gets a
/// value its schema allows (optional ones are left out).
fn param_values(
    model: &Model,
    normalizer: &Normalizer,
    op: &OperationDef,
    source: &crate::spec::Operation,
) -> Vec<Value> {
    let mut param_values = Vec::new();
    if let Some((id, _)) = op.params {
        if let TypeKind::Params { fields } = &model.types[id.0].kind {
            for p in fields
                .iter()
                .filter(|p| p.field.presence == Presence::Required)
            {
                let location = match p.place {
                    ParamPlace::Query => ParameterLocation::Query,
                    ParamPlace::Header => ParameterLocation::Header,
                    ParamPlace::Cookie => ParameterLocation::Cookie,
                };
                let value = source
                    .parameters
                    .iter()
                    .find(|sp| sp.location == location && sp.name == p.field.wire)
                    .map(|sp| crate::proofs::values::value_for(normalizer, &sp.schema))
                    .unwrap_or_else(|| Value::String(DEFAULT_ID.into()));
                param_values.push(value);
            }
        }
    }
    param_values
}

/// The request body of the call (none when the operation takes none or an
/// optional one that is not JSON), or why the operation cannot be called.
fn body(
    normalizer: &Normalizer,
    op: &OperationDef,
    source: &crate::spec::Operation,
    every: bool,
) -> Result<Option<CandidateBody>, &'static str> {
    match op.body.as_ref().map(|b| (&b.kind, b.required)) {
        None | Some((BodyKind::Json(TypeRef::Unit), false)) => Ok(None),
        Some((BodyKind::Json(TypeRef::Unit), true)) => Err("its request body has no schema"),
        Some((BodyKind::Json(_), _)) => {
            let media = source
                .request_body
                .as_ref()
                .and_then(|b| json_media(&b.content));
            let given = media.and_then(|m| {
                m.example.clone().or_else(|| {
                    let schema = m.schema.as_ref()?;
                    schema
                        .example
                        .clone()
                        .or_else(|| normalizer.resolve(schema).ok()?.example)
                })
            });
            let schema = media.and_then(|m| m.schema.as_ref());
            let body = match given {
                Some(example) => Some((example, true)),
                None => schema
                    .and_then(|s| crate::proofs::examples::example(normalizer, s))
                    // Calling every operation: a body its schema allows.
                    .or_else(|| {
                        let schema = schema.filter(|_| every)?;
                        Some(crate::proofs::values::value_for(normalizer, schema))
                    })
                    .map(|v| (v, false)),
            };
            let Some((value, from_description)) = body else {
                return Err("no request body example, and none can be assembled");
            };
            Ok(Some(CandidateBody {
                json: value.to_string(),
                from_description,
            }))
        }
        Some((_, true)) => Err("its request bodies are not JSON"),
        Some((_, false)) => Ok(None),
    }
}

/// The value sent for a path parameter: the description's `example`, else
/// the first `enum` value, else a value its `format`, `pattern` and length
/// or range constraints allow (`values::value_for`).
pub fn path_value(normalizer: &Normalizer, schema: &crate::spec::Schema) -> String {
    match crate::proofs::values::value_for(normalizer, schema) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

mod harness;
pub use harness::{harness, harness_every_operation};

#[cfg(test)]
mod tests;
