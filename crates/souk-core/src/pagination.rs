//! Offset pagination (`page`, `limit ≤ 100`) and its answer shape.

use serde::Serialize;

/// Largest page size a client may ask for.
pub const MAX_LIMIT: u64 = 100;
/// Page size when none is given.
pub const DEFAULT_LIMIT: u64 = 10;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub limit: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl PageRequest {
    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.limit
    }
}

/// The pagination block of a paged answer.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub page: u64,
    pub limit: u64,
    pub total_pages: u64,
    pub total_items: u64,
}

/// One page of items.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub info: PageInfo,
}

impl<T> Page<T> {
    /// Wraps items with their totals.
    pub fn new(items: Vec<T>, request: PageRequest, total_items: u64) -> Self {
        Self {
            items,
            info: PageInfo {
                page: request.page,
                limit: request.limit,
                total_pages: total_items.div_ceil(request.limit),
                total_items,
            },
        }
    }

    /// Maps the items, keeping the totals.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            info: self.info,
        }
    }
}
