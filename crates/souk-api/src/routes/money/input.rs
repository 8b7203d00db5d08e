//! Shared request pieces: where money comes from (wallet or a gateway).

use serde::Deserialize;
use souk_core::{
    Error, FieldErrors, FieldIssue,
    money::{Gateway, escrow::FundingSource, payments::gateways::Gateways},
};
use utoipa::ToSchema;

/// Paying from the wallet or through a gateway.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct PaySource {
    /// wallet (default) | gateway
    pub source: Option<String>,
    /// sandbox | stripe | fawry (default: the first of those that is on,
    /// see `/api/meta`); implies `source: gateway`.
    pub gateway: Option<String>,
}

/// Reads a gateway name (the server's default gateway when none).
pub fn gateway(raw: Option<&str>, gateways: &Gateways) -> Result<Gateway, Error> {
    match raw.map(str::trim).filter(|g| !g.is_empty()) {
        None => Ok(gateways.default_gateway()),
        Some(word) => Gateway::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "gateway",
                FieldIssue::OneOf(Gateway::names()),
            ))
        }),
    }
}

impl PaySource {
    /// Where the money comes from.
    pub fn resolve(&self, gateways: &Gateways) -> Result<FundingSource, Error> {
        let source = self
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match source.map(str::to_ascii_lowercase).as_deref() {
            None if self.gateway.is_none() => Ok(FundingSource::Wallet),
            Some("wallet") if self.gateway.is_none() => Ok(FundingSource::Wallet),
            None | Some("gateway") => Ok(FundingSource::Gateway(gateway(
                self.gateway.as_deref(),
                gateways,
            )?)),
            Some("wallet") => Err(Error::Validation(FieldErrors::single(
                "gateway",
                FieldIssue::NotAllowed,
            ))),
            Some(_) => Err(Error::Validation(FieldErrors::single(
                "source",
                FieldIssue::OneOf(vec!["wallet", "gateway"]),
            ))),
        }
    }
}
