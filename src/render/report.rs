//! The report page view: sections with anchors, contents, figures,
//! appendix tables, footnotes and the documents the report cites.

use super::*;
use crate::model::{CitationSpan, FormId, Part, TextKind};

/// Where each text of a body is in [`Body::texts`], so that each is
/// rendered with its own citation spans.
struct PartIndex {
    by_kind: crate::FastMap<TextKind, usize>,
}

impl PartIndex {
    fn spans<'b>(&self, body: &'b Body, kind: TextKind) -> &'b [CitationSpan] {
        self.by_kind
            .get(&kind)
            .map_or(&[], |&k| body.citations_in(Part::Text(k)))
    }
}

impl Renderer<'_> {
    /// The view of report `r`'s page from its body.
    pub(super) fn report_view(&self, r: ReportId, body: &Body, root: &str) -> Value {
        let report = &self.content.reports[r];
        let footnote_numbers: BTreeSet<u32> =
            body.footnotes.iter().map(|f| f.number.value).collect();
        let doc_url = |form: FormId| -> Option<(String, Option<String>)> {
            self.catalog.document_of(form).map(|d| {
                let doc = self.catalog.document(d);
                (
                    format!("{root}{}", urls::document(&doc.slug, 1)),
                    self.cited_as_title(form, doc),
                )
            })
        };
        let linker = Linker {
            doc_url: &doc_url,
            footnotes: &footnote_numbers,
        };
        let outline = body.outline();
        let parts = PartIndex {
            by_kind: body
                .texts_of(&outline)
                .iter()
                .enumerate()
                .map(|(k, t)| (t.kind, k))
                .collect(),
        };
        let md = |text: &str, kind: TextKind| {
            Value::from_safe_string(markdown::render(text, parts.spans(body, kind), &linker))
        };
        let toc: Vec<TocEntry> = outline
            .iter()
            .filter(|e| e.section.title.is_some() || e.section.number.is_some())
            .map(|e| TocEntry {
                anchor: e.anchor.clone(),
                label: e.label(),
                depth: e.depth,
            })
            .collect();
        let sections: Vec<Value> = outline
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let title = e.section.title().map(|t| {
                    Value::from_safe_string(markdown::render_inline(
                        t,
                        parts.spans(body, TextKind::SectionTitle(k)),
                        &linker,
                    ))
                });
                let body_html = e.section.body().map(|b| md(b, TextKind::SectionBody(k)));
                minijinja::context! {
                    anchor => v(&e.anchor),
                    depth => v(&e.depth),
                    number => v(&e.section.number),
                    title_html => v(&title),
                    body_html => v(&body_html),
                }
            })
            .collect();
        let metrics: Vec<MetricView> = body
            .metrics
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let ind = self
                    .content
                    .indicator_by_id(&m.indicator.value)
                    .map(|i| &self.content.indicators[i]);
                let unit = ind.map(|i| i.unit.as_str()).unwrap_or("");
                // The compare stage worked out the share of target and the section.
                let figure = self.comparisons.figure_of(r, k);
                let achieved = figure.and_then(|f| f.achieved);
                let section_anchor = figure.and_then(|f| f.anchor.clone());
                // A section without number or title (a news article's
                // paragraphs) is named by its place: a link never has
                // an empty name.
                let section_label = section_anchor.as_ref().and_then(|a| {
                    outline.iter().find(|e| &e.anchor == a).map(|e| {
                        e.section
                            .number
                            .clone()
                            .or_else(|| {
                                e.section
                                    .title()
                                    .filter(|t| !t.trim().is_empty())
                                    .map(str::to_string)
                            })
                            .unwrap_or_else(|| {
                                let n = a.rsplit_once("-p").map_or("", |(_, n)| n);
                                self.t("part_numbered").replace("{n}", n)
                            })
                    })
                });
                let other = m.agency.as_ref().and_then(|a| self.agency(&a.value));
                MetricView {
                    indicator: ind
                        .map(|i| i.label.clone())
                        .unwrap_or_else(|| m.indicator.value.clone()),
                    indicator_url: urls::indicator(&m.indicator.value),
                    value: figure_text(m.value, m.of, unit),
                    through: self.through_text(figure.and_then(|f| f.through.as_ref())),
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
        let tables: Vec<TableView> = body
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| TableView {
                anchor: format!("bang-{}", i + 1),
                number: t.number.clone(),
                title: t.title.value.clone(),
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
        let footnotes: Vec<Value> = body
            .footnotes
            .iter()
            .enumerate()
            .map(|(k, f)| {
                minijinja::context! {number => v(&f.number.value), html => v(&md(&f.text.value, TextKind::Footnote(k))) }
            })
            .collect();
        let mut groups: BTreeMap<String, Vec<DocLink>> = BTreeMap::new();
        for &d in self.catalog.cited_by(r) {
            let doc = self.catalog.document(d);
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
        let intro = body.intro().map(|t| md(t, TextKind::Intro));
        let closing = body.closing().map(|t| md(t, TextKind::Closing));
        let signer = report.signer.as_ref().map(|s| {
            minijinja::context! {position => v(&s.position.as_deref().map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())), name => v(&s.name) }
        });
        // The original is linked with its type and size; the path it has
        // in the site's folder is never shown.
        let original = report
            .source
            .as_ref()
            .and_then(|s| s.file.as_ref())
            .and_then(|f| {
                let found = crate::load::original(&self.root, &f.value).ok()?;
                Some(minijinja::context! {
                    url => v(&urls::original(&report.slug, &f.value)),
                    kind => v(&found.kind.to_ascii_uppercase()),
                    mime => v(&mime_type(&found.kind)),
                    size => v(&file_size(found.bytes)),
                })
            });
        let source = report.source.as_ref().map(|s| {
            minijinja::context! {title => v(&s.title), url => v(&web_url(s.url.as_ref().map(|u| u.value.as_str()))), original => v(&original), note => v(&s.note) }
        });
        let comparison = self.comparisons.previous_report.get(&r).map(|&e| {
            minijinja::context! {
                url => v(&urls::comparison(&report.slug)),
                earlier => v(&self.report_link(e)),
            }
        });
        minijinja::context! {
            report => v(&self.report_link(r)),
            place => v(&report.place),
            issued => v(&self.issued_text(report.place.as_deref(), report.date().as_ref())),
            // The number as the document prints it: an empty number part
            // is left blank, as on the paper ("Số:      /BC-SLĐTBXH").
            number => v(&report.number()),
            number_blank => v(&report.number().is_some_and(|n| n.trim_start().starts_with('/'))),
            intro_html => v(&intro),
            closing_html => v(&closing),
            toc => v(&toc),
            sections => v(&sections),
            metrics => v(&metrics),
            tables => v(&tables),
            footnotes => v(&footnotes),
            recipients => v(&report.recipients),
            signer => v(&signer),
            source => v(&source),
            approved_by => v(&report.approved_by),
            source_sha256 => v(&report.digest.to_string()),
            source_file => v(&report.file),
            approved_on => v(&report.approved_on.as_ref().map(|d| self.date_text(&d.value))),
            jsonld => v(&self.report_jsonld(r, &cited)),
            cited => v(&cited),
            comparison => v(&comparison),
            csv => v(&self.comparisons.figures_by_report.contains_key(&r).then(|| urls::report_csv(&report.slug))),
        }
    }
}
