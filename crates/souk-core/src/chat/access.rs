//! Who may read and write a conversation: its participants; staff only
//! while its contract's job is disputed or one of its messages was
//! reported, and every such access is written to the activity log. A
//! conversation is loaded with its participants and its job in one
//! statement. (Contract conversations are reached by job too: `by_job`.)

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use souk_db::{
    entities::{conversation_participants, conversations, message_reports},
    enums::{JobStatus, MembershipStatus},
};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Authenticated,
    admin::activity,
    error::{Error, ErrorCode, Result},
};

/// The job of a contract conversation, as far as access needs it.
#[derive(Debug, Clone)]
pub struct JobSide {
    pub id: Uuid,
    pub client_id: Uuid,
    pub craftsman_id: Option<Uuid>,
    pub status: JobStatus,
}

/// A conversation with its participants and, for a contract, its job.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub row: conversations::Model,
    pub participants: Vec<conversation_participants::Model>,
    pub job: Option<JobSide>,
}

/// How the caller reaches a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Participant,
    /// Staff, on a disputed job's or a reported conversation (logged).
    Staff,
}

/// A conversation as one caller may use it.
#[derive(Debug, Clone)]
pub struct Access {
    pub conversation: Conversation,
    pub viewer: Viewer,
    pub caller: Uuid,
}

impl Access {
    /// The conversation's id.
    pub fn id(&self) -> Uuid {
        self.conversation.row.id
    }

    /// The caller's own membership (none for staff looking in).
    pub fn me(&self) -> Option<&conversation_participants::Model> {
        self.conversation
            .participants
            .iter()
            .find(|p| p.user_id == self.caller)
    }

    /// Every participant's id.
    pub fn participant_ids(&self) -> Vec<Uuid> {
        self.conversation
            .participants
            .iter()
            .map(|p| p.user_id)
            .collect()
    }

    /// The participants other than the caller.
    pub fn others(&self) -> impl Iterator<Item = &conversation_participants::Model> {
        self.conversation
            .participants
            .iter()
            .filter(|p| p.user_id != self.caller)
    }

    /// Whether another participant blocks the caller here.
    pub fn blocked(&self) -> bool {
        self.viewer == Viewer::Participant
            && self
                .others()
                .any(|p| p.status == MembershipStatus::Blocking)
    }
}

const LOAD_SQL: &str = "SELECT c.*, j.client_id AS j_client_id, j.craftsman_id AS j_craftsman_id, \
     j.status AS j_status, p.conversation_id AS p_conversation_id, p.user_id AS p_user_id, \
     p.status AS p_status, p.last_read_seq AS p_last_read_seq, p.blocked_at AS p_blocked_at, \
     p.joined_at AS p_joined_at \
     FROM conversations c \
     LEFT JOIN jobs j ON j.id = c.job_id \
     LEFT JOIN conversation_participants p ON p.conversation_id = c.id \
     WHERE c.";

/// Which conversation to load.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Id(Uuid),
    /// A contract's, by its job.
    Job(Uuid),
    /// A pair's, by `open::direct_key`.
    Direct(&'a str),
}

/// Loads a conversation with its participants and job (one statement).
pub async fn load(conn: &impl ConnectionTrait, key: Key<'_>) -> Result<Option<Conversation>> {
    let (column, value): (&str, sea_orm::Value) = match key {
        Key::Id(id) => ("id", id.into()),
        Key::Job(job) => ("job_id", job.into()),
        Key::Direct(pair) => ("direct_key", pair.into()),
    };
    let rows = conn
        .query_all_raw(souk_db::sql_text::statement(
            conn,
            format!("{LOAD_SQL}{column} = $1"),
            [value],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let row = conversations::Model::from_query_result(first, "")?;
    let job = match row.job_id {
        Some(id) => Some(JobSide {
            id,
            client_id: first.try_get("", "j_client_id")?,
            craftsman_id: first.try_get("", "j_craftsman_id")?,
            status: first.try_get("", "j_status")?,
        }),
        None => None,
    };
    let mut participants = Vec::with_capacity(rows.len());
    for found in &rows {
        if found.try_get::<Option<Uuid>>("", "p_user_id")?.is_some() {
            participants.push(conversation_participants::Model::from_query_result(
                found, "p_",
            )?);
        }
    }
    participants.sort_by_key(|p| (p.joined_at, p.user_id));
    Ok(Some(Conversation {
        row,
        participants,
        job,
    }))
}

/// Why staff may look into a conversation, if they may.
async fn staff_reason(core: &Core, conversation: &Conversation) -> Result<Option<&'static str>> {
    if conversation
        .job
        .as_ref()
        .is_some_and(|j| j.status == JobStatus::Disputed)
    {
        return Ok(Some("disputed"));
    }
    let reports = message_reports::Entity::find()
        .filter(message_reports::Column::ConversationId.eq(conversation.row.id))
        .count(core.db.conn())
        .await?;
    Ok((reports > 0).then_some("reported"))
}

/// The conversation `id` as `caller` may use it; strangers get 404
/// `conversation_not_found` (whether it exists is theirs to know only).
pub async fn conversation(core: &Core, caller: &Authenticated, id: Uuid) -> Result<Access> {
    let not_found = || Error::code(ErrorCode::ConversationNotFound);
    let conversation = load(core.db.conn(), Key::Id(id))
        .await?
        .ok_or_else(not_found)?;
    let viewer = viewer_of(core, caller, &conversation)
        .await?
        .ok_or_else(not_found)?;
    Ok(Access {
        conversation,
        viewer,
        caller: caller.user.id,
    })
}

async fn viewer_of(
    core: &Core,
    caller: &Authenticated,
    conversation: &Conversation,
) -> Result<Option<Viewer>> {
    if conversation
        .participants
        .iter()
        .any(|p| p.user_id == caller.user.id)
    {
        return Ok(Some(Viewer::Participant));
    }
    if caller.role.is_staff() && staff_reason(core, conversation).await?.is_some() {
        return Ok(Some(Viewer::Staff));
    }
    Ok(None)
}

/// Writes a staff member's look into (or message to) a conversation to the
/// activity log; participants' own use is not logged.
pub async fn log_staff_access(core: &Core, access: &Access, action: &str) -> Result<()> {
    if access.viewer != Viewer::Staff {
        return Ok(());
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    record_staff_access(&*txn, access, action).await?;
    txn.commit().await?;
    Ok(())
}

/// [`log_staff_access`] inside the caller's transaction.
pub async fn record_staff_access(
    conn: &impl ConnectionTrait,
    access: &Access,
    action: &str,
) -> Result<()> {
    if access.viewer != Viewer::Staff {
        return Ok(());
    }
    let conversation = &access.conversation;
    activity::record(
        conn,
        Some(access.caller),
        &format!("chat.staff_{action}"),
        "conversation",
        Some(conversation.row.id.to_string()),
        json!({
            "jobId": conversation.row.job_id,
            "jobStatus": conversation.job.as_ref().map(|j| j.status),
            "participants": conversation.participants.iter().map(|p| p.user_id).collect::<Vec<_>>(),
        }),
    )
    .await
}
