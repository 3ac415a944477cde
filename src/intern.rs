//! Strings stored once and numbered in the order they are first seen, for
//! the build's largest repeated texts (citation forms and wordings, search
//! terms).
//!
//! Why by hand: a map and a list are all it takes; interning crates (lasso,
//! string-interner) add arenas and hashers that buy nothing here.

/// Strings stored once, numbered from 0 in the order first seen.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    ids: crate::FastMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Strings {
    /// The number of `s`, given it when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.list.len() as u32;
        let owned: Box<str> = s.into();
        self.list.push(owned.clone());
        self.ids.insert(owned, id);
        id
    }

    /// The string numbered `id`.
    pub fn get(&self, id: u32) -> &str {
        &self.list[id as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The strings, by number.
    pub fn into_list(self) -> Vec<Box<str>> {
        self.list
    }
}
