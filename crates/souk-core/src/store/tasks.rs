//! A submission with its task, read for a decision: one joined statement
//! on PostgreSQL, two plain reads on SQLite (in-process, no round trips to
//! save).

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Statement};
use souk_db::entities::{task_submissions, tasks};
use uuid::Uuid;

use crate::error::{ErrorCode, Result};

/// The submission `id` and its task (404 `submission_not_found`).
pub async fn submission_with_task(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(task_submissions::Model, tasks::Model)> {
    match conn.get_database_backend() {
        DbBackend::Postgres => postgres(conn, id).await,
        _ => sqlite(conn, id).await,
    }
}

async fn postgres(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(task_submissions::Model, tasks::Model)> {
    let sql = format!(
        "SELECT {}, {} FROM task_submissions s JOIN tasks t ON t.id = s.task_id WHERE s.id = $1",
        super::prefixed_columns::<task_submissions::Entity>("s", "s_"),
        super::prefixed_columns::<tasks::Entity>("t", "t_"),
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [id.into()],
        ))
        .await?
        .ok_or(ErrorCode::SubmissionNotFound)?;
    Ok((
        task_submissions::Model::from_query_result(&row, "s_")?,
        tasks::Model::from_query_result(&row, "t_")?,
    ))
}

async fn sqlite(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(task_submissions::Model, tasks::Model)> {
    let submission = task_submissions::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ErrorCode::SubmissionNotFound)?;
    let task = tasks::Entity::find_by_id(submission.task_id)
        .one(conn)
        .await?
        .ok_or(ErrorCode::TaskNotFound)?;
    Ok((submission, task))
}
