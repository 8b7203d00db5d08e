//! Text normalization (Arabic and English) and geographic helpers for search.
