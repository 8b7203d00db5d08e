//! Writes that ride along with another one: each is SQL with its own
//! numbered parameters (`$1`…) and a `{gate}` token where the condition
//! "the leading write happened" goes. On PostgreSQL they become CTEs of the
//! leading statement — one round trip for all; on SQLite (in-process, no
//! round trips to save) they run one by one after it.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// One write that runs only if its gate is open.
#[derive(Debug, Clone)]
pub struct GatedWrite {
    pub sql: String,
    pub values: Vec<Value>,
    /// When its gate opens it must touch a row, or everything is undone
    /// (PostgreSQL: the statement fails with [`REFUSED`]; SQLite: the error
    /// [`DbErr::RecordNotUpdated`], and the caller's transaction rolls back).
    pub required: bool,
}

/// The SQLSTATE of `souk_refuse(reason)` (a PostgreSQL function of the
/// migration set): a statement that runs as its own transaction undoes
/// itself with it when one of its parts came up short.
pub const REFUSED: &str = "SK001";

/// Which part of a statement refused it, if it was refused with [`REFUSED`].
pub fn refusal(err: &DbErr) -> Option<String> {
    let sqlx_err = match err {
        DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    let db = sqlx_err.as_database_error()?;
    (db.code().as_deref() == Some(REFUSED)).then(|| db.message().to_owned())
}

impl GatedWrite {
    pub fn new(sql: impl Into<String>, values: Vec<Value>) -> Self {
        Self {
            sql: sql.into(),
            values,
            required: false,
        }
    }

    /// This write must touch a row when its gate opens (see `required`).
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The CTE body: the rendered SQL, returning a row per row touched when
    /// the write is required (so the statement can check it did).
    pub fn render_cte(&self, offset: usize, gate: &str) -> String {
        let sql = self.render(offset, gate);
        if self.required {
            format!("{sql} RETURNING 1")
        } else {
            sql
        }
    }

    /// The SQL with its parameters numbered from `offset + 1` and the gate filled in.
    pub fn render(&self, offset: usize, gate: &str) -> String {
        renumber(&self.sql, offset).replace("{gate}", gate)
    }
}

/// `$n` → `$(n + offset)`.
pub fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut digits = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                digits.push(d);
                chars.next();
            }
            let n: usize = digits.parse().unwrap_or(0);
            out.push('$');
            out.push_str(&(n + offset).to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `lead` (an INSERT/UPDATE/DELETE with numbered parameters) and, when
/// it touched at least one row, every write in `then`; returns the rows
/// `lead` touched.
pub async fn run(
    conn: &impl ConnectionTrait,
    lead: GatedWrite,
    then: Vec<GatedWrite>,
) -> Result<u64, DbErr> {
    let backend = conn.get_database_backend();
    if backend != DbBackend::Postgres {
        let done = conn
            .execute_raw(Statement::from_sql_and_values(
                backend,
                crate::sql_text::positional(&lead.render(0, "1 = 1")),
                lead.values,
            ))
            .await?
            .rows_affected();
        if done > 0 {
            run_open(conn, then).await?;
        }
        return Ok(done);
    }
    let mut values = lead.values.clone();
    let mut sql = format!("WITH g AS ({} RETURNING 1)", lead.render(0, "TRUE"));
    for (i, write) in then.iter().enumerate() {
        sql.push_str(&format!(
            ", w{i} AS ({})",
            write.render_cte(values.len(), "EXISTS (SELECT 1 FROM g)")
        ));
        values.extend(write.values.iter().cloned());
    }
    sql.push_str(" SELECT count(*) AS done");
    sql.push_str(&required_checks(&then, "g", "w"));
    sql.push_str(" FROM g");
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .ok_or_else(|| DbErr::Custom("gated write returned no row".into()))?;
    Ok(u64::try_from(row.try_get::<i64>("", "done")?).unwrap_or(0))
}

/// Runs writes whose gate is open (one statement on PostgreSQL).
pub async fn run_open(conn: &impl ConnectionTrait, writes: Vec<GatedWrite>) -> Result<(), DbErr> {
    if writes.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    if backend != DbBackend::Postgres {
        for write in writes {
            let done = conn
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    crate::sql_text::positional(&write.render(0, "1 = 1")),
                    write.values,
                ))
                .await?;
            if write.required && done.rows_affected() == 0 {
                return Err(DbErr::RecordNotUpdated);
            }
        }
        return Ok(());
    }
    let mut values = Vec::new();
    let mut parts = Vec::with_capacity(writes.len());
    for (i, write) in writes.iter().enumerate() {
        parts.push(format!(
            "w{i} AS ({})",
            write.render_cte(values.len(), "TRUE")
        ));
        values.extend(write.values.iter().cloned());
    }
    let sql = if writes.iter().any(|w| w.required) {
        format!(
            "WITH g AS (SELECT 1), {} SELECT 1{}",
            parts.join(", "),
            required_checks(&writes, "g", "w")
        )
    } else {
        format!("WITH {} SELECT 1", parts.join(", "))
    };
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

/// PostgreSQL: the select-list items that refuse the statement when a
/// required write (CTE `{prefix}{i}`) touched no row although its gate
/// (`gate`, a CTE with a row when open) was open.
pub fn required_checks(writes: &[GatedWrite], gate: &str, prefix: &str) -> String {
    writes
        .iter()
        .enumerate()
        .filter(|(_, w)| w.required)
        .map(|(i, _)| {
            format!(
                ", CASE WHEN EXISTS (SELECT 1 FROM {gate}) AND NOT EXISTS (SELECT 1 FROM {prefix}{i}) \
                 THEN souk_refuse('conflict') ELSE 0 END AS required_{prefix}{i}"
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_and_the_gate_filled() {
        let write = GatedWrite::new("UPDATE t SET a = $1 WHERE id = $2 AND {gate}", vec![]);
        assert_eq!(
            write.render(3, "EXISTS (SELECT 1 FROM g)"),
            "UPDATE t SET a = $4 WHERE id = $5 AND EXISTS (SELECT 1 FROM g)"
        );
        assert_eq!(renumber("$10 $9", 1), "$11 $10");
    }
}
