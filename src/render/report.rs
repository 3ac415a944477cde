//! The report page view: sections with anchors, contents, figures,
//! appendix tables, footnotes and the documents the report cites.

use super::*;

impl Renderer<'_> {
    /// `report` is report `r` with its text ([`Report::with_text`]).
    pub(super) fn report_view(&self, r: usize, report: &Report, root: &str) -> Value {
        let lang = self.config.language;
        let ctx = self.catalog.cite_context(self.content, r);
        let footnote_numbers: BTreeSet<u32> =
            report.footnotes.iter().map(|f| f.number.value).collect();
        let doc_url = |id: &str| -> Option<String> {
            self.catalog
                .document_index
                .get(id)
                .map(|&d| format!("{root}{}", urls::document(&self.catalog.documents[d].slug)))
        };
        let linker = Linker {
            cite: &ctx,
            registry: &self.catalog.registry,
            doc_url: &doc_url,
            footnotes: &footnote_numbers,
        };
        let outline = report.outline();
        let label = |e: &crate::load::OutlineEntry<'_>| -> String {
            let parts: Vec<&str> = [e.section.number.as_deref(), e.section.title.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            parts.join(" ")
        };
        let toc: Vec<TocEntry> = outline
            .iter()
            .filter(|e| e.section.title.is_some() || e.section.number.is_some())
            .map(|e| TocEntry {
                anchor: e.anchor.clone(),
                label: label(e),
                depth: e.depth,
            })
            .collect();
        let sections: Vec<Value> = outline
            .iter()
            .map(|e| {
                let title = e.section.title.as_deref();
                let body = e.section.body.as_deref();
                minijinja::context! {
                    anchor => v(&e.anchor),
                    depth => v(&e.depth),
                    number => v(&e.section.number),
                    title_html => v(&title.map(|t| Value::from_safe_string(markdown::render_inline(t, &linker)))),
                    body_html => v(&body.map(|b| Value::from_safe_string(markdown::render(b, &linker)))),
                }
            })
            .collect();
        let indicators: BTreeMap<&str, &crate::load::Indicator> = self
            .content
            .indicators
            .iter()
            .map(|i| (i.id.value.as_str(), i))
            .collect();
        let metrics: Vec<MetricView> = report
            .metrics
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let ind = indicators.get(m.indicator.value.as_str());
                let unit = ind.map(|i| i.unit.as_str()).unwrap_or("");
                // The compare stage worked out the share of target and the section.
                let figure = self.comparisons.figure_of(r, k);
                let achieved = figure.and_then(|f| f.achieved);
                let section_anchor = figure.and_then(|f| f.anchor.clone());
                let section_label = section_anchor.as_ref().and_then(|a| {
                    outline.iter().find(|e| &e.anchor == a).map(|e| {
                        e.section
                            .number
                            .clone()
                            .unwrap_or_else(|| e.section.title.clone().unwrap_or_default())
                    })
                });
                let other = m.agency.as_ref().and_then(|a| self.agency(&a.value));
                MetricView {
                    indicator: ind
                        .map(|i| i.label.clone())
                        .unwrap_or_else(|| m.indicator.value.clone()),
                    indicator_url: urls::indicator(&m.indicator.value),
                    value: m.value.map(|v| with_unit(v, unit)),
                    target: m.target.map(|t| with_unit(t, unit)),
                    achieved: achieved.map(format_percent),
                    achieved_stated: m.achieved.is_some(),
                    period: m
                        .period
                        .map(|p| p.iso())
                        .unwrap_or_else(|| report.year.value.to_string()),
                    stated: m.stated.clone(),
                    note: m.note.clone(),
                    section_anchor,
                    section_label,
                    agency: other.map(|a| a.name.clone()),
                    agency_url: m.agency.as_ref().map(|a| urls::agency(&a.value)),
                }
            })
            .collect();
        let cell = |c: &Cell| -> CellView {
            match c {
                Cell::Text(t) => CellView {
                    text: t.clone(),
                    colspan: 1,
                    rowspan: 1,
                },
                Cell::Number(n) => CellView {
                    text: format_number(*n, 3),
                    colspan: 1,
                    rowspan: 1,
                },
                Cell::Span {
                    text,
                    colspan,
                    rowspan,
                } => CellView {
                    text: text.clone(),
                    colspan: colspan.unwrap_or(1).max(1),
                    rowspan: rowspan.unwrap_or(1).max(1),
                },
            }
        };
        let tables: Vec<TableView> = report
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| TableView {
                anchor: format!("bang-{}", i + 1),
                number: t.number.clone(),
                title: t.title.clone(),
                group: t.group.clone(),
                head: t
                    .head
                    .iter()
                    .map(|row| row.iter().map(cell).collect())
                    .collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|row| row.iter().map(cell).collect())
                    .collect(),
                note: t.note.clone(),
            })
            .collect();
        let footnotes: Vec<Value> = report
            .footnotes
            .iter()
            .map(|f| {
                minijinja::context! {number => v(&f.number.value), html => v(&Value::from_safe_string(markdown::render(&f.text, &linker))) }
            })
            .collect();
        let mut groups: BTreeMap<String, Vec<DocLink>> = BTreeMap::new();
        for &d in self
            .catalog
            .cited_by_report
            .get(&r)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let doc = &self.catalog.documents[d];
            groups
                .entry(doc.doc_type.clone())
                .or_default()
                .push(self.doc_link(doc));
        }
        let mut cited: Vec<DocGroup> = groups
            .into_iter()
            .map(|(doc_type, mut documents)| {
                documents.sort_by(|a, b| a.symbol.cmp(&b.symbol));
                DocGroup {
                    doc_type,
                    documents,
                }
            })
            .collect();
        cited.sort_by_cached_key(|c| crate::vietnamese::sort_key(&c.doc_type));
        let md = |t: &Option<String>| {
            t.as_deref()
                .map(|t| Value::from_safe_string(markdown::render(t, &linker)))
        };
        let signer = report.signer.as_ref().map(|s| {
            minijinja::context! {position => v(&s.position.as_deref().map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())), name => v(&s.name) }
        });
        let source = report.source.as_ref().map(|s| {
            minijinja::context! {title => v(&s.title), url => v(&s.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://"))), file => v(&s.file), note => v(&s.note) }
        });
        let comparison = self.comparisons.previous_report.get(&r).map(|&e| {
            minijinja::context! {
                url => v(&urls::comparison(&report.id)),
                earlier => v(&self.report_link(e)),
            }
        });
        minijinja::context! {
            report => v(&self.report_link(r)),
            place => v(&report.place),
            intro_html => v(&md(&report.intro)),
            closing_html => v(&md(&report.closing)),
            toc => v(&toc),
            sections => v(&sections),
            metrics => v(&metrics),
            tables => v(&tables),
            footnotes => v(&footnotes),
            recipients => v(&report.recipients),
            signer => v(&signer),
            source => v(&source),
            approved_by => v(&report.approved_by),
            approved_on => v(&report.approved_on.as_ref().map(|d| date_text(&d.value, lang))),
            cited => v(&cited),
            comparison => v(&comparison),
        }
    }
}
