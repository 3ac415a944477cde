//! Legal document views: a page per document, the index by type and
//! issuer, and the ranking by how often each is cited.

use super::*;

/// Citing reports listed on one page of a document.
pub const CITING_PER_PAGE: usize = 50;

impl Renderer<'_> {
    /// Where a document's scope is, in words: "Trung ương", "Trà Vinh", an agency.
    pub(super) fn scope_label(&self, scope: &str) -> String {
        if scope == "vn" {
            return self.t("scope_national").to_string();
        }
        if let Some(a) = self.agency(scope) {
            return a.short_name.clone();
        }
        static BY_SLUG: std::sync::LazyLock<std::collections::HashMap<String, &str>> =
            std::sync::LazyLock::new(|| {
                crate::cite::PROVINCES
                    .iter()
                    .map(|p| (crate::vietnamese::slugify(p), *p))
                    .collect()
            });
        BY_SLUG
            .get(scope)
            .map_or_else(|| scope.to_string(), |p| p.to_string())
    }

    pub(super) fn doc_link(&self, d: &LegalDoc) -> DocLink {
        let entry = d.registry.map(|i| &self.content.legal[i]);
        let scope = self.scope_label(&d.scope);
        DocLink {
            url: urls::document(&d.slug, 1),
            symbol: d.symbol.clone(),
            doc_type: d.doc_type.clone(),
            issuer: entry
                .and_then(|e| e.issuer.clone())
                .unwrap_or_else(|| format!("{} – {scope}", d.issuer)),
            scope,
            title: entry.and_then(|e| e.title.clone()),
            date: d.date.as_deref().map(|s| self.iso_text(s)),
            year: d.year,
            mentions: d.mention_count(),
            reports: d.report_count(),
        }
    }

    pub(super) fn document_view(&self, d: DocumentId, page: usize) -> Result<Value> {
        let doc = self.catalog.document(d);
        let entry = doc.registry.map(|i| &self.content.legal[i]);
        // Citing reports in first-cited order, this page's share of them.
        let pages = document_pages(doc);
        let citing: Vec<Value> = doc
            .citing()
            .skip((page - 1) * CITING_PER_PAGE)
            .take(CITING_PER_PAGE)
            .map(|(r, mentions)| -> Result<Value> {
                let contexts: Vec<Value> = mentions
                    .iter()
                    .take(3)
                    .map(|m| {
                        let (anchor, text) = self
                            .catalog
                            .context(m)
                            .context("cannot read the citation sentences back")?;
                        Ok(minijinja::context! { text => v(&text), anchor => v(&anchor) })
                    })
                    .collect::<Result<_>>()?;
                Ok(minijinja::context! {
                    report => v(&self.report_link(r)),
                    contexts => v(&contexts),
                    more => v(&mentions.len().saturating_sub(3)),
                })
            })
            .collect::<Result<_>>()?;
        let pager: Vec<Value> = (1..=pages)
            .map(|p| minijinja::context! { page => v(&p), url => v(&urls::document(&doc.slug, p)), current => v(&(p == page)) })
            .collect();
        let search_query = doc.symbol.clone();
        let cited_with: Vec<Value> = doc
            .cited_with
            .iter()
            .map(|&(o, n)| {
                minijinja::context! {doc => v(&self.doc_link(self.catalog.document(o))), together => v(&n) }
            })
            .collect();
        Ok(
            minijinja::context! {pager => v(&(if pages > 1 { pager } else { Vec::new() })), page => v(&page), also_cited_as => v(&doc.also_cited_as), cited_with => v(&cited_with), doc => v(&self.doc_link(doc)), id => v(&doc.id), scope => v(&doc.scope), issuer => v(&entry.and_then(|e| e.issuer.clone())), status => v(&entry.and_then(|e| e.status.clone())), url => v(&entry.and_then(|e| web_url(e.url.as_ref().map(|u| u.value.as_str())))), search_query => v(&search_query), citing => v(&citing) },
        )
    }

    pub(super) fn documents_view(&self) -> Value {
        let mut types: BTreeMap<String, BTreeMap<String, Vec<DocLink>>> = BTreeMap::new();
        for doc in self.catalog.documents().values() {
            let link = self.doc_link(doc);
            types
                .entry(doc.doc_type.clone())
                .or_default()
                .entry(link.issuer.clone())
                .or_default()
                .push(link);
        }
        let mut groups: Vec<TypeGroup> = types
            .into_iter()
            .map(|(doc_type, issuers)| {
                let mut issuers: Vec<IssuerGroup> = issuers
                    .into_iter()
                    .map(|(issuer, mut documents)| {
                        documents.sort_by(|a, b| {
                            b.year.cmp(&a.year).then_with(|| a.symbol.cmp(&b.symbol))
                        });
                        IssuerGroup { issuer, documents }
                    })
                    .collect();
                issuers.sort_by_cached_key(|i| crate::vietnamese::sort_key(&i.issuer));
                let count = issuers.iter().map(|i| i.documents.len()).sum();
                TypeGroup {
                    doc_type,
                    count,
                    issuers,
                }
            })
            .collect();
        groups.sort_by_cached_key(|g| crate::vietnamese::sort_key(&g.doc_type));
        minijinja::context! { groups => v(&groups), count => v(&self.catalog.documents().len()) }
    }

    pub(super) fn most_cited_view(&self) -> Value {
        let mut documents: Vec<DocLink> = self
            .catalog
            .documents()
            .values()
            .map(|d| self.doc_link(d))
            .collect();
        documents.sort_by(|a, b| {
            b.reports
                .cmp(&a.reports)
                .then(b.mentions.cmp(&a.mentions))
                .then_with(|| a.symbol.cmp(&b.symbol))
        });
        minijinja::context! { documents => v(&documents) }
    }
}
