//! Typed ids: a report, an agency, a document or an indicator is named by a
//! number of its own type, so one cannot be used for another, and "none" is
//! an `Option`, never a sentinel value.

use std::marker::PhantomData;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The id of the item at `index` in its list.
            pub fn new(index: usize) -> $name {
                // Lists are bounded far below 4 billion items by the load
                // stage's file limits; a larger index is a bug, not input.
                $name(u32::try_from(index).expect(concat!(stringify!($name), " out of range")))
            }

            /// Its place in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.index()
            }
        }
    };
}

typed_id!(
    /// A report: its place in [`crate::model::Content::reports`] (sorted by slug).
    ReportId
);
typed_id!(
    /// An agency: its place in [`crate::model::Content::agencies`] (sorted by slug).
    AgencyId
);
typed_id!(
    /// An indicator: its place in the catalogue (`content/indicators.yaml` order).
    IndicatorId
);
typed_id!(
    /// A province: its place in the catalogue's provinces (Vietnamese order).
    ProvinceId
);
typed_id!(
    /// A cited legal document: its place in the link stage's document list.
    DocumentId
);
typed_id!(
    /// A citation form (a document as one citation names it: type, symbol,
    /// scope, year), as the cite stage numbers them.
    FormId
);
typed_id!(
    /// A figure of a published report, as the compare stage numbers them.
    FigureId
);
typed_id!(
    /// A series (one indicator of one agency over periods).
    SeriesId
);

/// A list indexed by a typed id.
#[derive(Clone)]
pub struct IdVec<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

impl<I, T: std::fmt::Debug> std::fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.items.fmt(f)
    }
}

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<I: Copy + From<usize> + Into<usize>, T> IdVec<I, T> {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item `id`, when the list has it.
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.into())
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + '_ {
        (0..self.items.len()).map(I::from)
    }

    /// Every item with its id, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator + '_ {
        self.items.iter().enumerate().map(|(i, t)| (I::from(i), t))
    }

    /// The items in order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// Appends an item; returns its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::from(self.items.len() - 1)
    }

    /// The items as a slice.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// The items as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.items
    }

    /// Position of the first item for which `f` is true.
    pub fn position(&self, f: impl FnMut(&T) -> bool) -> Option<I> {
        self.items.iter().position(f).map(I::from)
    }
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IdVec {
            items,
            id: PhantomData,
        }
    }
}

impl<I, T> IdVec<I, T> {
    /// The items, leaving the list.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<I: Into<usize>, T> std::ops::Index<I> for IdVec<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.into()]
    }
}

impl<I: Into<usize>, T> std::ops::IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.into()]
    }
}

macro_rules! from_usize {
    ($($name:ident),*) => {$(
        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name::new(index)
            }
        }
    )*};
}
from_usize!(
    ReportId,
    AgencyId,
    IndicatorId,
    DocumentId,
    FormId,
    FigureId,
    SeriesId
);
