//! Where a page stands in the site: the breadcrumb trail every page kind
//! draws the same way (home, then the list the main navigation leads to,
//! then the page's parents), and the province pages those trails pass
//! through.

use super::*;
use crate::model::ProvinceId;

/// One step of a breadcrumb trail; the last is the page itself.
#[derive(Serialize)]
pub(super) struct Crumb {
    label: String,
    /// Where the step leads; none for the page itself.
    url: Option<String>,
}

impl Crumb {
    fn link(label: impl Into<String>, url: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            url: Some(url.into()),
        }
    }

    fn here(label: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            url: None,
        }
    }
}

/// What a page's trail ends with, past its section of the site.
pub(super) enum Trail {
    /// A page of the site's own.
    Page(Page),
    /// A report's page.
    Report(ReportId),
    /// A report beside its agency's previous one.
    Comparison(ReportId, ReportId),
}

impl Renderer<'_> {
    /// The trail to an agency's page: home › agencies › province › agency.
    fn agency_trail(&self, a: AgencyId) -> Vec<Crumb> {
        let agency = &self.content.agencies[a];
        let province = self.catalog.province(self.catalog.province_of(a));
        vec![
            Crumb::link(self.t("home"), urls::HOME),
            Crumb::link(self.t("agencies"), urls::AGENCIES),
            Crumb::link(province.name.clone(), urls::province(&province.slug)),
            Crumb::link(agency.short_name.clone(), urls::agency(&agency.slug)),
        ]
    }

    /// The breadcrumb trail of a page, its last step the page itself.
    pub(super) fn crumbs(&self, trail: Trail) -> Vec<Crumb> {
        let home = || Crumb::link(self.t("home"), urls::HOME);
        let section = |key: &str, url: &str| Crumb::link(self.t(key), url);
        let mut crumbs = match trail {
            Trail::Page(Page::Home | Page::NotFound) => return Vec::new(),
            Trail::Report(r) => {
                let report = &self.content.reports[r];
                let mut c = match report.agency_id {
                    Some(a) => self.agency_trail(a),
                    None => vec![home()],
                };
                c.push(Crumb::here(report.title.clone()));
                return c;
            }
            Trail::Comparison(earlier, later) => {
                let (e, l) = (&self.content.reports[earlier], &self.content.reports[later]);
                let mut c = match l.agency_id {
                    Some(a) => self.agency_trail(a),
                    None => vec![home()],
                };
                c.push(Crumb::here(
                    self.t("comparison_years")
                        .replace("{earlier}", &e.year.value.to_string())
                        .replace("{later}", &l.year.value.to_string()),
                ));
                return c;
            }
            Trail::Page(Page::Agency(a)) => {
                let mut c = self.agency_trail(a);
                if let Some(last) = c.last_mut() {
                    last.url = None;
                }
                return c;
            }
            Trail::Page(Page::Province(p)) => vec![
                home(),
                section("agencies", urls::AGENCIES),
                Crumb::here(self.catalog.province(p).name.clone()),
            ],
            Trail::Page(Page::Agencies) => vec![home(), Crumb::here(self.t("agencies"))],
            Trail::Page(Page::Years) => vec![home(), Crumb::here(self.t("years"))],
            Trail::Page(Page::Year(y)) => vec![
                home(),
                section("years", urls::YEARS),
                Crumb::here(y.to_string()),
            ],
            Trail::Page(Page::Documents) => vec![home(), Crumb::here(self.t("documents"))],
            Trail::Page(Page::MostCited) => vec![
                home(),
                section("documents", urls::DOCUMENTS),
                Crumb::here(self.t("most_cited")),
            ],
            Trail::Page(Page::Document(d, page)) => {
                let doc = self.catalog.document(d);
                let mut c = vec![home(), section("documents", urls::DOCUMENTS)];
                if page > 1 {
                    c.push(Crumb::link(
                        doc.symbol.clone(),
                        urls::document(&doc.slug, 1),
                    ));
                    c.push(Crumb::here(
                        self.t("page_numbered").replace("{n}", &page.to_string()),
                    ));
                } else {
                    c.push(Crumb::here(doc.symbol.clone()));
                }
                c
            }
            Trail::Page(Page::Indicators) => vec![home(), Crumb::here(self.t("indicators"))],
            Trail::Page(Page::Indicator(i)) => vec![
                home(),
                section("indicators", urls::INDICATORS),
                Crumb::here(self.content.indicators[i].label.clone()),
            ],
            Trail::Page(Page::Data) => vec![
                home(),
                section("indicators", urls::INDICATORS),
                Crumb::here(self.t("data_title")),
            ],
            Trail::Page(Page::Search) => vec![home(), Crumb::here(self.t("search"))],
            Trail::Page(Page::Verify) => vec![home(), Crumb::here(self.t("verify_title"))],
        };
        crumbs.shrink_to_fit();
        crumbs
    }

    /// A province: its agencies, its reports by year, and the latest
    /// figure of each of its agencies' indicators.
    pub(super) fn province_view(&self, p: ProvinceId) -> Value {
        let province = self.catalog.province(p);
        let agencies: Vec<Value> = province
            .agencies
            .iter()
            .map(|&a| {
                let agency = &self.content.agencies[a];
                minijinja::context! {
                    name => v(&agency.name),
                    url => v(&urls::agency(&agency.slug)),
                    level => v(&agency.level.as_str()),
                    sector => v(&agency.sector),
                    reports => v(&self.catalog.reports_of_agency(a).len()),
                }
            })
            .collect();
        // In the site's order (newest first), year by year.
        let mut by_year: BTreeMap<i32, Vec<ReportLink>> = BTreeMap::new();
        for &r in self.catalog.reports() {
            let report = &self.content.reports[r];
            if report
                .agency_id
                .is_some_and(|a| self.catalog.province_of(a) == p)
            {
                by_year
                    .entry(report.year.value)
                    .or_default()
                    .push(self.report_link(r));
            }
        }
        let years: Vec<Value> = by_year
            .into_iter()
            .rev()
            .map(|(year, reports)| {
                minijinja::context! { year => v(&year), url => v(&urls::year(year)), reports => v(&reports) }
            })
            .collect();
        let figures: Vec<Value> = province
            .agencies
            .iter()
            .filter_map(|&a| {
                let rows = self.latest_rows(a);
                (!rows.is_empty()).then(|| {
                    let agency = &self.content.agencies[a];
                    minijinja::context! {
                        name => v(&agency.name),
                        url => format!("{}#so-lieu", urls::agency(&agency.slug)),
                        rows => v(&rows),
                    }
                })
            })
            .collect();
        minijinja::context! {
            name => v(&province.name),
            agencies => v(&agencies),
            years => v(&years),
            figures => v(&figures),
        }
    }
}
