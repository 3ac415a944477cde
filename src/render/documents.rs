//! Legal document views: a page per document, the index by type and
//! issuer, and the ranking by how often each is cited.

use super::*;
use crate::model::FormId;

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

    /// The body that issued a document, in words: the registry's, else
    /// from the symbol's issuer codes through the issuer table, with the
    /// province's (or agency's) name. `None` when neither knows it: a
    /// fragment of a symbol is never shown as a name.
    pub(super) fn issuer_words(&self, d: &LegalDoc) -> Option<String> {
        if let Some(issuer) = d
            .registry
            .and_then(|i| self.content.legal[i].issuer.clone())
        {
            return Some(issuer);
        }
        let place = match self.agency(&d.scope) {
            Some(a) => a.short_name.clone(),
            None => self.scope_label(&d.scope),
        };
        crate::cite::issuer_in_words(&d.issuer, &place)
    }

    pub(super) fn doc_link(&self, d: &LegalDoc) -> DocLink {
        let entry = d.registry.map(|i| &self.content.legal[i]);
        let scope = self.scope_label(&d.scope);
        DocLink {
            url: urls::document(&d.slug, 1),
            symbol: d.symbol.clone(),
            doc_type: d.doc_type.clone(),
            issuer: self.issuer_words(d),
            scope,
            title: entry.and_then(|e| e.title.clone()),
            date: d.date.as_deref().map(|s| self.iso_text(s)),
            year: d.year,
            mentions: d.mention_count(),
            reports: d.report_count(),
        }
    }

    /// A document as Vietnamese readers name it, in parts the template
    /// joins so that the symbol and the date never break across lines:
    /// "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ".
    pub(super) fn doc_full_name(&self, d: &LegalDoc) -> Value {
        // The name is Vietnamese whatever the interface's language: its
        // date is written as in the document ("ngày 09/01/2015").
        let date = d
            .date
            .as_deref()
            .and_then(|s| crate::model::PartialDate::parse(s).ok())
            .and_then(|p| Some(format!("ngày {:02}/{:02}/{}", p.day?, p.month?, p.year)));
        minijinja::context! {
            doc_type => &d.doc_type,
            symbol => &d.symbol,
            date => date,
            issuer => self.issuer_words(d),
        }
    }

    /// What a citation's link says when the citation names its document
    /// under another type or symbol that was merged into it: "cited as
    /// Kế hoạch 3307/KH-UBND; the same document as Quyết định
    /// 3307/QĐ-UBND". `None` when it names the document as it is.
    pub(super) fn cited_as_title(&self, form: FormId, d: &LegalDoc) -> Option<String> {
        let f = self.catalog.form(form);
        (f.symbol != d.symbol || f.doc_type != d.doc_type).then(|| {
            self.t("cited_as_same_document")
                .replace("{cited}", &format!("{} {}", f.doc_type, f.symbol))
                .replace("{document}", &format!("{} {}", d.doc_type, d.symbol))
        })
    }

    pub(super) fn document_view(&self, d: DocumentId, page: usize) -> Result<Value> {
        let doc = self.catalog.document(d);
        let entry = doc.registry.map(|i| &self.content.legal[i]);
        // Citing reports in first-cited order, this page's share of them;
        // each report once, with every sentence it cites the document in.
        let pages = document_pages(doc);
        let citing: Vec<Value> = doc
            .citing()
            .skip((page - 1) * CITING_PER_PAGE)
            .take(CITING_PER_PAGE)
            .map(|(r, mentions)| -> Result<Value> {
                let mut contexts: Vec<Value> = Vec::new();
                let mut seen: Vec<(Option<String>, String)> = Vec::new();
                for m in mentions {
                    let (anchor, text) = self
                        .catalog
                        .context(m)
                        .context("cannot read the citation sentences back")?;
                    if seen.iter().any(|(a, t)| *a == anchor && *t == text) {
                        continue;
                    }
                    contexts.push(minijinja::context! { text => v(&text), anchor => v(&anchor) });
                    seen.push((anchor, text));
                }
                Ok(minijinja::context! {
                    report => v(&self.report_link(r)),
                    contexts => v(&contexts),
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
        let also_cited_as: Vec<Value> = doc
            .also_cited_as
            .iter()
            .map(|a| {
                let reports: Vec<ReportLink> =
                    a.reports.iter().map(|&r| self.report_link(r)).collect();
                minijinja::context! { label => v(&a.label), reports => v(&reports) }
            })
            .collect();
        // The registry's facts, in the order Nghị định 42/2022/NĐ-CP lists
        // them; what it does not know is named once.
        let link = self.doc_link(doc);
        let effective = entry.and_then(|e| e.effective).map(|d| self.date_text(&d));
        let status = entry
            .and_then(|e| e.status.as_ref())
            .map(|s| s.value.clone());
        let status_since = entry
            .and_then(|e| e.status_since)
            .map(|d| self.date_text(&d));
        let replaced_by = doc.registry.and_then(|i| {
            let by = self.catalog.registry().replacement(i)?;
            let page = self
                .catalog
                .document_by_id(&by.id)
                .map(|o| urls::document(&self.catalog.document(o).slug, 1));
            Some(minijinja::context! {
                name => v(&format!("{} số {}", by.doc_type, by.symbol)),
                url => v(&page),
            })
        });
        let url = entry.and_then(|e| web_url(e.url.as_ref().map(|u| u.value.as_str())));
        let mut unknown: Vec<&str> = Vec::new();
        if link.issuer.is_none() {
            unknown.push(self.t("issuer"));
        }
        if doc.date.as_deref().is_none_or(|s| s.len() != 10) {
            unknown.push(self.t("issued_on"));
        }
        if effective.is_none() {
            unknown.push(self.t("effective_on"));
        }
        if link.title.is_none() {
            unknown.push(self.t("title"));
        }
        let unknown: Vec<String> = unknown.iter().map(|u| u.to_lowercase()).collect();
        Ok(minijinja::context! {
            pager => v(&(if pages > 1 { pager } else { Vec::new() })),
            page => v(&page),
            full_name => v(&self.doc_full_name(doc)),
            also_cited_as => v(&also_cited_as),
            cited_with => v(&cited_with),
            doc => v(&link),
            effective => v(&effective),
            status => v(&status),
            status_since => v(&status_since),
            replaced_by => v(&replaced_by),
            source => v(&entry.and_then(|e| e.source.clone())),
            jsonld => v(&self.document_jsonld(doc, status.as_deref(), url.as_ref())),
            unknown => v(&unknown),
            url => v(&url),
            search_query => v(&search_query),
            citing => v(&citing),
        })
    }

    /// Every document, A to Z by the body that issued it (in words, in
    /// Vietnamese order), then by type and newest first.
    pub(super) fn documents_view(&self) -> Value {
        let mut issuers: BTreeMap<String, Vec<DocLink>> = BTreeMap::new();
        let mut count = 0;
        // Cited documents only: one that only replaces a cited document
        // has its page, linked from that document's status.
        for doc in self.catalog.cited_documents() {
            count += 1;
            let link = self.doc_link(doc);
            // One group per body, whatever its term: "Bộ Chính trị (khóa
            // XI)" and "(khóa XII)" are both the Politburo's.
            let body = link.issuer.as_deref().map(|i| match i.find(" (khóa") {
                Some(k) => i[..k].to_string(),
                None => i.to_string(),
            });
            let key =
                body.unwrap_or_else(|| self.t("issuer_unknown_in").replace("{scope}", &link.scope));
            issuers.entry(key).or_default().push(link);
        }
        let mut groups: Vec<IssuerGroup> = issuers
            .into_iter()
            .map(|(issuer, mut documents)| {
                documents.sort_by_cached_key(|d| {
                    (
                        crate::vietnamese::sort_key(&d.doc_type),
                        std::cmp::Reverse(d.year),
                        d.symbol.clone(),
                    )
                });
                IssuerGroup { issuer, documents }
            })
            .collect();
        groups.sort_by_cached_key(|g| crate::vietnamese::sort_key(&g.issuer));
        minijinja::context! { groups => v(&groups), count => v(&count) }
    }

    pub(super) fn most_cited_view(&self) -> Value {
        let mut documents: Vec<DocLink> = self
            .catalog
            .cited_documents()
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
