//! The members the in-process benchmarks (`booking_load`, `task_cycles`)
//! register through the accounts use-case, signed in as the handlers would
//! see them.

use souk_core::{
    Core, Lang,
    accounts::{Authenticated, Role, register},
};
use uuid::Uuid;

/// Registers the `i`-th benchmark member of `role` (client or craftsman).
///
/// # Panics
///
/// When registration is refused (a failed run).
pub async fn member(core: &Core, role: Role, i: usize) -> Authenticated {
    let word = if role == Role::Client {
        "client"
    } else {
        "craftsman"
    };
    let session = register::register(
        core,
        register::RegisterInput {
            email: Some(format!("{word}-{i}-{}@bench.souk", Uuid::now_v7().simple())),
            password: Some("Bench-only-pass-1".into()),
            role: Some(word.into()),
            first_name: Some("Bench".into()),
            last_name: Some(word.into()),
            ..Default::default()
        },
        Lang::En,
        &Default::default(),
    )
    .await
    .expect("register");
    Authenticated {
        user: session.user,
        role,
        session_id: Uuid::nil(),
    }
}
