//! Roles, their aliases from the source documents, and what each may do.

use serde::{Deserialize, Serialize};

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Client,
    Craftsman,
    Admin,
    Moderator,
}

impl Role {
    /// The canonical word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Craftsman => "craftsman",
            Role::Admin => "admin",
            Role::Moderator => "moderator",
        }
    }

    /// Parses the canonical word or one of the seeds' aliases
    /// (case-insensitive): customer/buyer/employer → client;
    /// provider/worker/contractor/seller/freelancer → craftsman.
    pub fn parse(word: &str) -> Option<Role> {
        match word.trim().to_ascii_lowercase().as_str() {
            "client" | "customer" | "buyer" | "employer" => Some(Role::Client),
            "craftsman" | "provider" | "worker" | "contractor" | "seller" | "freelancer" => {
                Some(Role::Craftsman)
            }
            "admin" => Some(Role::Admin),
            "moderator" => Some(Role::Moderator),
            _ => None,
        }
    }

    /// Admins and moderators.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Moderator)
    }

    /// Clients and craftsmen (the roles registration may create).
    pub fn is_member(self) -> bool {
        !self.is_staff()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_canonical_roles() {
        for word in ["customer", "Buyer", "EMPLOYER", "client"] {
            assert_eq!(Role::parse(word), Some(Role::Client));
        }
        for word in ["provider", "worker", "Contractor", "seller", "freelancer"] {
            assert_eq!(Role::parse(word), Some(Role::Craftsman));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
