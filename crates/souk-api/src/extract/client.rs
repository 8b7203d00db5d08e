//! `ClientMeta`: the caller's IP and user agent, for sessions and rate limits.

use std::{
    convert::Infallible,
    net::{IpAddr, Ipv4Addr},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{Extensions, HeaderMap, header, request::Parts},
};
use souk_core::accounts::ClientInfo;

use crate::{
    serve::Peer,
    state::{ApiConfig, AppState},
};

/// Who is calling.
pub struct ClientMeta(pub ClientInfo);

/// The client IP. Without `TRUST_PROXY`: the socket peer. With it, the
/// standard `X-Forwarded-For` walk: start from the peer and step left through
/// the header while the address in hand is a trusted proxy; the first address
/// that is not one is the client. Entries left of it were written by the
/// client and are never believed (a spoofed left-most entry cannot dodge
/// rate limits).
pub fn client_ip(headers: &HeaderMap, extensions: &Extensions, config: &ApiConfig) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<Peer>>()
        .map(|ConnectInfo(Peer(addr))| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !config.trust_proxy {
        return peer;
    }
    let trusted = |ip: &IpAddr| {
        let ip = ip.to_canonical();
        config.trusted_proxies.iter().any(|net| net.contains(&ip))
    };
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        if !trusted(&client) {
            break;
        }
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => client = ip,
            // Garbage in the chain: the last trusted hop is all we know.
            Err(_) => break,
        }
    }
    client.to_canonical()
}

impl FromRequestParts<AppState> for ClientMeta {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ip = client_ip(&parts.headers, &parts.extensions, &state.config);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(ClientMeta(ClientInfo {
            ip: Some(ip.to_string()),
            user_agent,
        }))
    }
}
