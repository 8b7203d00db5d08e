//! The configured gateways: which are on (from the settings), the default
//! one, and each one's implementation.

use super::{
    fawry::FawryGateway, gateway::PaymentGateway, sandbox::SandboxGateway, stripe::StripeGateway,
};
use crate::{
    Settings,
    error::{Error, ErrorCode, Result},
    money::Gateway,
};

/// The configured gateways.
pub struct Gateways {
    pub sandbox: SandboxGateway,
    /// Whether the sandbox may be used (`PAYMENTS_SANDBOX`).
    sandbox_on: bool,
    pub stripe: Option<StripeGateway>,
    pub fawry: Option<FawryGateway>,
}

impl Gateways {
    /// The sandbox when switched on; Stripe and Fawry when configured.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            sandbox: SandboxGateway::new(settings),
            sandbox_on: settings.payments_sandbox,
            stripe: settings
                .stripe
                .as_ref()
                .map(|s| StripeGateway::new(s, settings)),
            fawry: settings
                .fawry
                .as_ref()
                .map(|f| FawryGateway::new(f, settings)),
        }
    }

    /// Whether the sandbox gateway is on.
    pub fn sandbox_on(&self) -> bool {
        self.sandbox_on
    }

    /// The gateways payers may use, in order of preference.
    pub fn enabled(&self) -> Vec<Gateway> {
        let mut list = Vec::new();
        if self.sandbox_on {
            list.push(Gateway::Sandbox);
        }
        if self.stripe.is_some() {
            list.push(Gateway::Stripe);
        }
        if self.fawry.is_some() {
            list.push(Gateway::Fawry);
        }
        list
    }

    /// The gateway used when a request names none: the sandbox while it is
    /// on, else the first real one configured.
    pub fn default_gateway(&self) -> Gateway {
        self.enabled().first().copied().unwrap_or(Gateway::Sandbox)
    }

    /// A gateway; 400 `gateway_unavailable` for a sandbox that is off, 409
    /// `gateway_not_configured` when this server has no credentials for it.
    pub fn get(&self, gateway: Gateway) -> Result<&dyn PaymentGateway> {
        let found: Option<&dyn PaymentGateway> = match gateway {
            Gateway::Sandbox if !self.sandbox_on => {
                return Err(Error::with_details(
                    ErrorCode::GatewayUnavailable,
                    serde_json::json!({
                        "gateway": gateway.as_str(),
                        "available": self.enabled().iter().map(|g| g.as_str()).collect::<Vec<_>>(),
                    }),
                ));
            }
            Gateway::Sandbox => Some(&self.sandbox),
            Gateway::Stripe => self.stripe.as_ref().map(|g| -> &dyn PaymentGateway { g }),
            Gateway::Fawry => self.fawry.as_ref().map(|g| -> &dyn PaymentGateway { g }),
        };
        found.ok_or_else(|| {
            Error::with_details(
                ErrorCode::GatewayNotConfigured,
                serde_json::json!({ "gateway": gateway.as_str() }),
            )
        })
    }
}
