//! The OpenAPI 3.1 document: info, the bearer scheme and shared schemas; the
//! paths come from the handlers' `#[utoipa::path]` as they are routed.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::error::ErrorBody;

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
