//! Which IP addresses an outbound webhook may never reach: everything that is not plainly
//! public unicast (private, loopback, link-local, CGNAT, reserved, documentation, …),
//! including IPv4 addresses smuggled inside IPv6 (mapped, compatible, NAT64, 6to4).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::OutboundPolicy;

/// IPv4 networks refused outright (loopback is handled separately: the policy may allow it).
const FORBIDDEN_V4: &[([u8; 4], u32)] = &[
    ([0, 0, 0, 0], 8),       // "this network", includes 0.0.0.0
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // carrier-grade NAT
    ([169, 254, 0, 0], 16),  // link-local (cloud metadata lives here)
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation TEST-NET-1
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast (deprecated)
    ([192, 168, 0, 0], 16),  // private
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation TEST-NET-2
    ([203, 0, 113, 0], 24),  // documentation TEST-NET-3
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, includes broadcast 255.255.255.255
];

/// IPv6 networks refused outright (those embedding IPv4 are checked by what they embed).
const FORBIDDEN_V6: &[(u128, u32)] = &[
    (0, 128),                                        // unspecified ::
    (0x0064_ff9b_0001_0000_0000_0000_0000_0000, 48), // local-use NAT64
    (0x0100_0000_0000_0000_0000_0000_0000_0000, 64), // discard-only 100::/64
    (0x2001_0000_0000_0000_0000_0000_0000_0000, 32), // Teredo (embeds an obfuscated IPv4)
    (0x2001_0db8_0000_0000_0000_0000_0000_0000, 32), // documentation
    (0x3fff_0000_0000_0000_0000_0000_0000_0000, 20), // documentation (RFC 9637)
    (0xfc00_0000_0000_0000_0000_0000_0000_0000, 7),  // unique local
    (0xfe80_0000_0000_0000_0000_0000_0000_0000, 10), // link-local
    (0xfec0_0000_0000_0000_0000_0000_0000_0000, 10), // site-local (deprecated)
    (0xff00_0000_0000_0000_0000_0000_0000_0000, 8),  // multicast
];

/// Whether a webhook must not connect to `ip`.
pub fn is_forbidden_ip(ip: IpAddr, policy: &OutboundPolicy) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4, policy),
        IpAddr::V6(v6) => forbidden_v6(v6, policy),
    }
}

fn forbidden_v4(ip: Ipv4Addr, policy: &OutboundPolicy) -> bool {
    if ip.is_loopback() {
        return !policy.allow_loopback_http;
    }
    let bits = u32::from(ip);
    FORBIDDEN_V4
        .iter()
        .any(|(net, prefix)| same_prefix_v4(bits, u32::from(Ipv4Addr::from(*net)), *prefix))
}

fn forbidden_v6(ip: Ipv6Addr, policy: &OutboundPolicy) -> bool {
    if ip.is_loopback() {
        return !policy.allow_loopback_http;
    }
    if let Some(v4) = embedded_v4(ip) {
        return forbidden_v4(v4, policy);
    }
    let bits = u128::from(ip);
    FORBIDDEN_V6
        .iter()
        .any(|(net, prefix)| same_prefix_v6(bits, *net, *prefix))
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:aabb:ccdd::`) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(ip);
    let low32 = || Ipv4Addr::from(u32::try_from(bits & 0xffff_ffff).unwrap_or(0));
    if same_prefix_v6(bits, 0x0000_0000_0000_0000_0000_ffff_0000_0000, 96)
        || same_prefix_v6(bits, 0, 96)
        || same_prefix_v6(bits, 0x0064_ff9b_0000_0000_0000_0000_0000_0000, 96)
    {
        // `::` and `::1` fall in the compatible range; they stay forbidden as 0.0.0.0/8.
        return Some(low32());
    }
    if same_prefix_v6(bits, 0x2002_0000_0000_0000_0000_0000_0000_0000, 16) {
        let v4 = u32::try_from((bits >> 80) & 0xffff_ffff).unwrap_or(0);
        return Some(Ipv4Addr::from(v4));
    }
    None
}

fn same_prefix_v4(a: u32, b: u32, prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    a & mask == b & mask
}

fn same_prefix_v6(a: u128, b: u128, prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    a & mask == b & mask
}
