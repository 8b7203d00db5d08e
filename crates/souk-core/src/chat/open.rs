//! Opening conversations: a contract's, with both parties, in the hire's
//! own transaction; and direct ones between two members, at most one per
//! pair. Any member may write to a craftsman; a craftsman may open a
//! conversation with a client only once the client has written to them or
//! they share a job (a quote, an invitation or a hire) — no cold messages.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement, sea_query::OnConflict};
use souk_db::{
    entities::{contracts, conversation_participants, conversations},
    enums::{ConversationKind, MembershipStatus},
};
use uuid::Uuid;

use super::access::{self, Access, Key, Viewer};
use crate::{
    Core,
    accounts::{Authenticated, Role, find_user, role_of},
    error::{Error, ErrorCode, Result},
    time,
};

/// Who a contract conversation is between.
#[derive(Debug, Clone, Copy)]
pub struct ContractParties {
    pub job: Uuid,
    pub client: Uuid,
    pub craftsman: Uuid,
    pub at: DateTime<Utc>,
}

impl ContractParties {
    /// The parties of a contract.
    pub fn of(contract: &contracts::Model) -> Self {
        Self {
            job: contract.job_id,
            client: contract.client_id,
            craftsman: contract.craftsman_id,
            at: contract.created_at,
        }
    }
}

/// Inserts a conversation unless its unique key (job or pair) is taken,
/// then its participants; whether it was inserted.
async fn insert(
    conn: &impl ConnectionTrait,
    row: conversations::ActiveModel,
    conflict: conversations::Column,
    members: [Uuid; 2],
    at: DateTime<Utc>,
) -> Result<bool> {
    let id = match &row.id {
        Set(id) => *id,
        _ => return Err(Error::Internal(anyhow::anyhow!("conversation without id"))),
    };
    let inserted = conversations::Entity::insert(row)
        .on_conflict(OnConflict::column(conflict).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    let members = members.map(|user| conversation_participants::ActiveModel {
        conversation_id: Set(id),
        user_id: Set(user),
        status: Set(MembershipStatus::Active),
        last_read_seq: Set(0),
        blocked_at: Set(None),
        joined_at: Set(at),
    });
    conversation_participants::Entity::insert_many(members)
        .exec_without_returning(conn)
        .await?;
    Ok(true)
}

/// Opens the conversation of a contract with both parties, inside the
/// caller's transaction (the hire's); nothing when it exists already.
pub async fn open_for_contract(
    conn: &impl ConnectionTrait,
    parties: ContractParties,
) -> Result<()> {
    let row = conversations::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(ConversationKind::Contract),
        job_id: Set(Some(parties.job)),
        direct_key: Set(None),
        last_seq: Set(0),
        client_first_message_at: Set(None),
        craftsman_first_reply_at: Set(None),
        created_at: Set(parties.at),
        updated_at: Set(parties.at),
    };
    insert(
        conn,
        row,
        conversations::Column::JobId,
        [parties.client, parties.craftsman],
        parties.at,
    )
    .await?;
    Ok(())
}

/// The unique key of the direct conversation between two users.
pub fn direct_key(a: Uuid, b: Uuid) -> String {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    format!("{low}:{high}")
}

/// A direct conversation as opened.
#[derive(Debug, Clone)]
pub struct Opened {
    pub access: Access,
    /// False when the pair had one already (it is answered again).
    pub created: bool,
}

/// The direct conversation between the caller and `peer`: the existing
/// one, or a new one when the rules allow it.
pub async fn open_direct(core: &Core, caller: &Authenticated, peer: Uuid) -> Result<Opened> {
    let me = caller.user.id;
    if peer == me {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    let key = direct_key(me, peer);
    if let Some(found) = access::load(core.db.conn(), Key::Direct(&key)).await? {
        return Ok(Opened {
            access: participant(found, me),
            created: false,
        });
    }
    let peer_user = find_user(core.db.conn(), peer).await?;
    ensure_may_open(core, caller, role_of(&peer_user), peer).await?;
    let now = time::now();
    let row = conversations::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(ConversationKind::Direct),
        job_id: Set(None),
        direct_key: Set(Some(key.clone())),
        last_seq: Set(0),
        client_first_message_at: Set(None),
        craftsman_first_reply_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let created = insert(
        &*txn,
        row,
        conversations::Column::DirectKey,
        [me, peer],
        now,
    )
    .await?;
    let found = access::load(&*txn, Key::Direct(&key)).await?;
    txn.commit().await?;
    let found =
        found.ok_or_else(|| Error::Internal(anyhow::anyhow!("direct conversation missing")))?;
    Ok(Opened {
        access: participant(found, me),
        created,
    })
}

fn participant(conversation: access::Conversation, me: Uuid) -> Access {
    Access {
        conversation,
        viewer: Viewer::Participant,
        caller: me,
    }
}

/// The no-cold-messages rule (see the module's docs); staff may write to
/// anyone, members never to staff, clients not to other clients.
async fn ensure_may_open(
    core: &Core,
    caller: &Authenticated,
    peer_role: Role,
    peer: Uuid,
) -> Result<()> {
    if caller.role.is_staff() || peer_role == Role::Craftsman {
        return Ok(());
    }
    if caller.role == Role::Craftsman
        && peer_role == Role::Client
        && client_reached_out(core, peer, caller.user.id).await?
    {
        return Ok(());
    }
    Err(ErrorCode::DmNotAllowed.into())
}

/// Whether `client` has written to `craftsman` or they share a job (the
/// craftsman quoted on, was invited to or was hired for one of the
/// client's jobs). One statement.
async fn client_reached_out(core: &Core, client: Uuid, craftsman: Uuid) -> Result<bool> {
    let sql = "SELECT CASE WHEN \
        EXISTS (SELECT 1 FROM messages m JOIN conversation_participants p \
                ON p.conversation_id = m.conversation_id \
                WHERE m.sender_id = $1 AND p.user_id = $2) \
        OR EXISTS (SELECT 1 FROM jobs j WHERE j.client_id = $1 AND j.craftsman_id = $2) \
        OR EXISTS (SELECT 1 FROM quotes q JOIN jobs j ON j.id = q.job_id \
                   WHERE j.client_id = $1 AND q.craftsman_id = $2) \
        OR EXISTS (SELECT 1 FROM invitations i JOIN jobs j ON j.id = i.job_id \
                   WHERE j.client_id = $1 AND i.craftsman_id = $2) \
        THEN 1 ELSE 0 END AS reached";
    let row = core
        .db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            core.db.backend(),
            sql,
            [client.into(), craftsman.into()],
        ))
        .await?;
    let reached = match row {
        Some(row) => row.try_get::<i32>("", "reached")?,
        None => 0,
    };
    Ok(reached == 1)
}
