//! "Column is one of these values", written the way each engine plans best:
//! on PostgreSQL one array parameter (`= ANY($1)`), so the statement text — and
//! its cached plan — is the same whatever the number of values; on SQLite an
//! `IN (…)` list, which it prepares in microseconds.

use sea_orm::{
    ColumnTrait, Value,
    sea_query::{Expr, ExprTrait, SimpleExpr, extension::postgres::PgFunc},
};

use crate::{Db, DbBackendKind};

impl Db {
    /// `column ∈ values` (an empty set matches nothing).
    pub fn one_of<C, V>(&self, column: C, values: Vec<V>) -> SimpleExpr
    where
        C: ColumnTrait,
        V: Into<Value>,
        Vec<V>: Into<Value>,
    {
        match self.kind() {
            DbBackendKind::Postgres => {
                Expr::col(column.as_column_ref()).eq(PgFunc::any(Expr::val(values)))
            }
            DbBackendKind::Sqlite => column.is_in(values),
        }
    }
}
