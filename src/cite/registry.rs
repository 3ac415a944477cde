//! The registry of legal documents (`content/legal/`) as the citation engine
//! uses it: known documents by id, names that reports cite them by, and the
//! years it lends to citations that lack one.

use super::{recognise, Citation, CiteContext};
use crate::model::LegalEntry;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};

/// A registered document, recognised from its `citation`.
#[derive(Debug, Clone)]
pub struct RegisteredDoc {
    /// Its entry: a place in `Content::legal`.
    pub entry: usize,
    /// The entry's citation, recognised (date and year from the entry).
    pub citation: Citation,
}

/// Registered documents and the alias matcher.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    /// Documents whose citation could be recognised, in entry order.
    pub docs: Vec<RegisteredDoc>,
    /// Per registry entry, the number of document symbols its `citation`
    /// holds (one is right; the check stage reports the others).
    pub symbols_per_entry: Vec<usize>,
    /// Per registry entry, the document its `replaced_by` cites, when that
    /// holds exactly one symbol.
    replacements: Vec<Option<Citation>>,
    /// Alternation of every alias, longest first, case-insensitive.
    aliases: Option<Regex>,
    /// Each alias in the alternation's order, lowercase with single spaces,
    /// and its document.
    alias_docs: Vec<(String, usize)>,
}

impl Registry {
    /// Builds the registry from loaded entries. Entries whose citation holds
    /// no symbol are skipped here (validation reports them).
    pub fn new(entries: &[LegalEntry]) -> Registry {
        let mut docs = Vec::new();
        let mut aliases: Vec<(String, usize)> = Vec::new();
        let mut symbols_per_entry = Vec::with_capacity(entries.len());
        let mut replacements = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let ctx = CiteContext {
                province: e.scope.clone().unwrap_or_default(),
                agency: String::new(),
            };
            replacements.push(e.replaced_by.as_ref().and_then(|by| {
                let mut found = recognise(&by.value, &ctx);
                (found.len() == 1).then(|| found.remove(0))
            }));
            let found = recognise(&e.citation.value, &ctx);
            symbols_per_entry.push(found.len());
            let Some(mut citation) = found.into_iter().next() else {
                continue;
            };
            if let Some(d) = e.date {
                citation.date = Some(d.iso());
                if citation.year.is_none() {
                    citation.set_year(d.year);
                }
            }
            for a in &e.aliases {
                let a = a.trim();
                if !a.is_empty() {
                    aliases.push((a.to_string(), docs.len()));
                }
            }
            docs.push(RegisteredDoc { entry: i, citation });
        }
        // Longest first, so "Luật Phòng, chống tham nhũng năm 2018" wins over a prefix.
        aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let pattern = aliases
            .iter()
            .map(|(a, _)| {
                // Spaces in an alias match any run of spaces or a line break;
                // word boundaries only where the alias begins or ends with a
                // letter ("Nghị quyết TW4 (Khóa XII)" ends with a bracket).
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let body = regex::escape(a).replace(' ', r"\s+");
                let open = if word(a.chars().next()) { r"\b" } else { "" };
                let close = if word(a.chars().next_back()) {
                    r"\b"
                } else {
                    ""
                };
                format!("{open}{body}{close}")
            })
            .collect::<Vec<_>>()
            .join("|");
        let aliases_re = (!aliases.is_empty())
            .then(|| Regex::new(&format!(r"(?i)(?:{pattern})")).ok())
            .flatten();
        Registry {
            docs,
            symbols_per_entry,
            replacements,
            alias_docs: aliases
                .iter()
                .map(|(a, d)| (normalise_name(a), *d))
                .collect(),
            aliases: aliases_re,
        }
    }

    /// The document that replaced registry entry `entry`, when its
    /// `replaced_by` cites exactly one.
    pub fn replacement(&self, entry: usize) -> Option<&Citation> {
        self.replacements.get(entry).and_then(Option::as_ref)
    }

    /// Citations by name: every alias found in `text`, as a citation of its
    /// registered document. Names never resolve by guessing: only aliases
    /// listed in the registry count.
    pub fn by_name(&self, text: &str) -> Vec<Citation> {
        let Some(re) = &self.aliases else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in re.find_iter(text) {
            let found = normalise_name(m.as_str());
            let Some(&(_, d)) = self.alias_docs.iter().find(|(a, _)| *a == found) else {
                continue;
            };
            let doc = &self.docs[d];
            let mut c = doc.citation.clone();
            c.start = m.start();
            c.end = m.end();
            c.text = m.as_str().to_string();
            c.warnings.clear();
            out.push(c);
        }
        out
    }
}

/// A name compared case-insensitively with runs of spaces folded.
fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Gives a year to citations that lack one, from another dated citation of
/// the same scope and symbol or from the registry, when exactly one year is
/// known for that symbol (a symbol with two known years stays unresolved).
pub fn resolve_years(citations: &mut [&mut Citation], registry: &Registry) {
    let mut known: BTreeMap<(String, String), BTreeSet<i32>> = BTreeMap::new();
    let dated = citations
        .iter()
        .map(|c| &**c)
        .chain(registry.docs.iter().map(|d| &d.citation));
    for c in dated {
        if let Some(y) = c.year {
            known
                .entry((c.scope.clone(), c.symbol.clone()))
                .or_default()
                .insert(y);
        }
    }
    for c in citations.iter_mut() {
        if c.year.is_some() {
            continue;
        }
        if let Some(years) = known.get(&(c.scope.clone(), c.symbol.clone())) {
            if years.len() == 1 {
                if let Some(&y) = years.iter().next() {
                    c.set_year(y);
                }
            }
        }
    }
}
