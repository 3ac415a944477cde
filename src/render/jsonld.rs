//! Structured data for search engines and harvesters: schema.org JSON-LD,
//! written in a non-executing `application/ld+json` block (the templates
//! put it through minijinja's `tojson`, which escapes `<`, `>`, `&` and
//! `'`, so no content can close the block). Each block says only what its
//! page shows, so a page's facts in the output plan cover it.

use super::{DocGroup, Renderer, WebLink};
use crate::catalog::LegalDoc;
use crate::model::ReportId;
use serde_json::{json, Map, Value};

/// schema.org's values for a document's legal force, from the registry's
/// status; `None` where schema.org has no equivalent (not yet in force,
/// suspended): then the property is left out, never guessed.
pub fn legal_force(status: &str) -> Option<&'static str> {
    match status {
        "còn hiệu lực" => Some("https://schema.org/InForce"),
        "hết hiệu lực" => Some("https://schema.org/NotInForce"),
        "hết hiệu lực một phần" => Some("https://schema.org/PartiallyInForce"),
        _ => None,
    }
}

/// An object from its properties, leaving out the ones with no value.
fn object(props: Vec<(&str, Option<Value>)>) -> Value {
    let mut map = Map::new();
    for (k, val) in props {
        if let Some(val) = val {
            map.insert(k.to_string(), val);
        }
    }
    Value::Object(map)
}

impl Renderer<'_> {
    /// A report page's `Report`: its number, date, the agency publishing
    /// it as a `GovernmentOrganization`, what it is about, and the legal
    /// documents it cites by name ("Chỉ thị 16/CT-TTg"). Each cited
    /// document's own page describes it as `Legislation`; repeating that
    /// object here for every citation was a tenth of a report page (3.8 kB
    /// of a 58 kB page at 1,000 synthetic reports).
    pub(super) fn report_jsonld(&self, r: ReportId, cited: &[DocGroup]) -> Value {
        let report = &self.content.reports[r];
        let link = self.report_link(r);
        let citation: Vec<Value> = cited
            .iter()
            .flat_map(|g| &g.documents)
            .map(|d| Value::from(format!("{} {}", d.doc_type, d.symbol)))
            .collect();
        object(vec![
            ("@context", Some(json!("https://schema.org"))),
            ("@type", Some(json!("Report"))),
            ("name", Some(json!(report.title))),
            ("inLanguage", Some(json!("vi"))),
            ("reportNumber", link.number.map(Value::from)),
            ("datePublished", report.date().map(|d| Value::from(d.iso()))),
            ("description", report.summary.clone().map(Value::from)),
            (
                "publisher",
                Some(object(vec![
                    ("@type", Some(json!("GovernmentOrganization"))),
                    ("name", Some(json!(link.agency))),
                    (
                        "areaServed",
                        (!link.province.is_empty()).then(|| json!(link.province)),
                    ),
                ])),
            ),
            // What the report reports on: its subject as its title states
            // it ("Việc triển khai thực hiện công tác dân vận chính quyền năm 2021").
            (
                "about",
                Some(json!({ "@type": "Thing", "name": report.title })),
            ),
            (
                "citation",
                (!citation.is_empty()).then_some(Value::Array(citation)),
            ),
        ])
    }

    /// A document page's `Legislation`: identifier, type, date, issuer,
    /// legal force when the registry knows it, and the official text.
    pub(super) fn document_jsonld(
        &self,
        doc: &LegalDoc,
        status: Option<&str>,
        url: Option<&WebLink>,
    ) -> Value {
        let date = doc.date.as_deref().filter(|s| s.len() == 10);
        object(vec![
            ("@context", Some(json!("https://schema.org"))),
            ("@type", Some(json!("Legislation"))),
            (
                "name",
                Some(json!(format!("{} số {}", doc.doc_type, doc.symbol))),
            ),
            ("legislationIdentifier", Some(json!(doc.symbol))),
            ("legislationType", Some(json!(doc.doc_type))),
            ("legislationDate", date.map(Value::from)),
            ("inLanguage", Some(json!("vi"))),
            (
                "legislationPassedBy",
                self.issuer_words(doc)
                    .map(|i| json!({ "@type": "GovernmentOrganization", "name": i })),
            ),
            (
                "legislationLegalForce",
                status.and_then(legal_force).map(Value::from),
            ),
            (
                "abstract",
                doc.registry
                    .and_then(|i| self.content.legal[i].title.clone())
                    .map(Value::from),
            ),
            ("sameAs", url.map(|u| Value::from(u.href.clone()))),
        ])
    }

    /// The downloads page's `Dataset`: the figures of every report, as CSV
    /// and as JSON, the addresses relative to the page.
    pub(super) fn data_jsonld(&self, root: &str) -> Value {
        let links = crate::urls::site_links();
        json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": self.t("data_title"),
            "description": self.t("data_intro"),
            "inLanguage": "vi",
            "isAccessibleForFree": true,
            "creator": { "@type": "Organization", "name": self.config.title },
            "distribution": [
                { "@type": "DataDownload", "encodingFormat": "text/csv",
                  "contentUrl": format!("{root}{}", links.metrics_csv) },
                { "@type": "DataDownload", "encodingFormat": "application/json",
                  "contentUrl": format!("{root}{}", links.metrics_json) },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_cannot_be_closed_by_content() {
        let env = minijinja::Environment::new();
        let value = json!({ "name": "</script><script>alert(1)</script> & 'x'" });
        let out = env
            .render_str(
                "<script type=\"application/ld+json\">{{ v|tojson }}</script>",
                minijinja::context! { v => crate::render::v(&value) },
            )
            .unwrap();
        let inner = &out["<script type=\"application/ld+json\">".len()..out.len() - 9];
        assert!(!inner.contains(['<', '>', '&', '\'']), "{out}");
        // And it reads back as the same value.
        assert_eq!(serde_json::from_str::<Value>(inner).unwrap(), value);
    }

    #[test]
    fn legal_force_only_where_schema_org_has_a_word() {
        assert_eq!(
            legal_force("còn hiệu lực"),
            Some("https://schema.org/InForce")
        );
        assert_eq!(legal_force("chưa có hiệu lực"), None);
    }
}
