//! The OpenAPI 3.1 document: info, the bearer scheme and shared schemas; the
//! paths come from the handlers' `#[utoipa::path]` as they are routed.

use utoipa::{
    Modify, Number, OpenApi,
    openapi::{
        ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder, Schema,
        path::{Operation, Parameter, ParameterIn},
        schema::{SchemaType, Type},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use souk_core::pagination::MAX_LIMIT;

use crate::error::ErrorBody;

/// The largest `page` `PageQuery` accepts (`limit` is at most `MAX_LIMIT`).
const MAX_PAGE: u64 = 1_000_000;

/// The document root.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Souk API",
        description = "Services marketplace backend: accounts, jobs, quotes, escrow, chat, reviews, disputes. Errors are always `{message, code, details}`; messages follow `Accept-Language` (en, ar).",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerScheme),
    tags(
        (name = "system", description = "Health, meta, docs"),
        (name = "auth", description = "Registration, login, sessions, recovery"),
        (name = "users", description = "Profiles and the user directory"),
        (name = "admin", description = "Staff operations"),
        (name = "wallet", description = "Balance, statement, top-up, withdrawals, fees due"),
        (name = "payments", description = "Gateway payments and their signed webhooks"),
        (name = "escrow", description = "A contract's escrow and tips"),
        (name = "chat", description = "Conversations (per contract and direct), messages numbered by `seq`, files, read receipts, blocking"),
        (name = "reviews", description = "Double-blind reviews after a completed contract, replies, reports"),
        (name = "disputes", description = "Disputes before completion: evidence, deadlines, settlement proposals, staff decisions"),
        (name = "offerings", description = "Craftsmen's priced services"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Completes the document once every route is merged: the shared error
/// answers of each operation and the bounds of offset pagination.
pub fn complete(openapi: &mut utoipa::openapi::OpenApi) {
    add_shared_error_responses(openapi);
    bound_pagination(openapi);
    optional_bodies_are_objects(openapi);
}

/// An optional body (`content = Option<T>`) may be left out, but when sent
/// it is a `T`: utoipa also offers `null`, which the server refuses.
fn optional_bodies_are_objects(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(openapi) {
        let Some(RefOr::T(body)) = &mut operation.request_body else {
            continue;
        };
        if body.required == Some(Required::True) {
            continue;
        }
        for content in body.content.values_mut() {
            let RefOr::T(content) = content else {
                continue;
            };
            let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
                continue;
            };
            let not_null: Vec<_> = one_of
                .items
                .iter()
                .filter(|item| !matches!(item, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null)))
                .cloned()
                .collect();
            if let [only] = not_null.as_slice() {
                content.schema = Some(only.clone());
            }
        }
    }
}

/// Every operation of the document.
fn operations_mut(openapi: &mut utoipa::openapi::OpenApi) -> impl Iterator<Item = &mut Operation> {
    openapi.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
    })
}

/// `page` and `limit` query parameters are read by `PageQuery`: declares
/// the bounds it enforces (outside them the answer is 400).
fn bound_pagination(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(openapi) {
        for parameter in operation.parameters.iter_mut().flatten() {
            let RefOr::T(parameter) = parameter else {
                continue;
            };
            if parameter.parameter_in != ParameterIn::Query {
                continue;
            }
            let max = match parameter.name.as_str() {
                "page" => MAX_PAGE,
                "limit" => MAX_LIMIT,
                _ => continue,
            };
            if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema {
                schema.minimum = Some(Number::UInt(1));
                schema.maximum = Some(Number::UInt(usize::try_from(max).unwrap_or(usize::MAX)));
            }
        }
    }
}

/// Adds the error answers every operation can give by what it has, so the
/// document lists them without each handler repeating them: a required JSON
/// body → 400 (malformed, missing or mistyped fields), 413 (too large) and
/// 415 (not JSON); any other body → 400 and 413; query or header parameters → 400;
/// an `Idempotency-Key` header → 409 (same key, different body); path
/// parameters → 404 (`invalid_id`, or nothing there); bearer security → 401
/// (missing, invalid, expired, revoked) and 403 (banned, wrong role, not the
/// owner); and always 408 (timed out), 429 (rate limited) and 500. Answers a handler already
/// documents keep its description.
fn add_shared_error_responses(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(openapi) {
        for (status, description) in shared_errors(operation) {
            operation
                .responses
                .responses
                .entry(status.to_owned())
                .or_insert_with(|| RefOr::T(error_response(description)));
        }
    }
}

/// The shared error answers of one operation.
fn shared_errors(operation: &Operation) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    let parameters: Vec<&Parameter> = operation
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
        .collect();
    let (body_types, body_required): (Vec<&str>, bool) = match &operation.request_body {
        Some(RefOr::T(body)) => (
            body.content.keys().map(String::as_str).collect(),
            body.required == Some(Required::True),
        ),
        _ => (Vec::new(), false),
    };
    // Required JSON bodies are read by `ApiJson`, which checks the content
    // type; the optional ones (logout, cancelling a job) are parsed as they
    // come, whatever their type.
    let takes_json = body_required && body_types.iter().any(|t| t.ends_with("json"));
    let has_input = !body_types.is_empty()
        || parameters
            .iter()
            .any(|p| matches!(p.parameter_in, ParameterIn::Query | ParameterIn::Header));
    if has_input {
        errors.push((
            "400",
            "Bad input: `validation_failed` (details.fields), `invalid_json`",
        ));
    }
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        errors.push(("401", "Missing, invalid, expired or revoked access token"));
        errors.push((
            "403",
            "Forbidden: wrong role, not the owner, or `account_banned`",
        ));
    }
    if parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Path)
    {
        errors.push(("404", "Not found, or `invalid_id`"));
    }
    if parameters.iter().any(|p| {
        p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("idempotency-key")
    }) {
        errors.push((
            "409",
            "The `Idempotency-Key` was used with a different body",
        ));
    }
    if !body_types.is_empty() {
        errors.push(("413", "`payload_too_large`: the body is over the limit"));
    }
    if takes_json {
        errors.push((
            "415",
            "`unsupported_media_type`: the body is not `application/json`",
        ));
    }
    errors.push((
        "408",
        "`request_timeout`: the request took longer than the server allows",
    ));
    errors.push(("429", "`rate_limited`; `Retry-After` says when to retry"));
    errors.push((
        "500",
        "`internal`: unexpected failure (logged, never detailed)",
    ));
    errors
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}
