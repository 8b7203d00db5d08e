//! The built-in language engine (being written).
