//! Raw SQL written once for both engines: PostgreSQL's numbered parameters
//! (`$1`, `$2` …) become SQLite's positional `?` (so each number must appear
//! once, in order, in statements sent to SQLite).

/// `$1, $2 …` → `?`.
pub fn positional(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// A statement whose SQL text is the same on both engines (numbered `$n`
/// parameters, which SQLite reads too), for the connection at hand.
pub fn statement<I>(
    conn: &impl sea_orm::ConnectionTrait,
    sql: impl Into<String>,
    values: I,
) -> sea_orm::Statement
where
    I: IntoIterator<Item = sea_orm::Value>,
{
    sea_orm::Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

#[cfg(test)]
mod tests {
    use super::positional;

    #[test]
    fn numbered_parameters_become_question_marks() {
        assert_eq!(
            positional("SELECT $1, $12 FROM t WHERE a = $3 AND b = '$x'"),
            "SELECT ?, ? FROM t WHERE a = ? AND b = '$x'"
        );
    }
}
