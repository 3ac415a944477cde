//! Render stage, data downloads: every figure of every published report as
//! CSV and JSON for the whole site, and one CSV per agency and per indicator.
//! Numbers are machine-readable (dot decimal, no thousands separators),
//! periods ISO, files UTF-8 without a byte-order mark.

use crate::compare::Comparisons;
use crate::model::{AgencyId, Better, Content, FigureId, IndicatorId, Level, ReportId};
use crate::urls;
use crate::write::{OutputPath, Writer};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// One figure as a row of the downloads.
#[derive(Debug, Clone, Serialize)]
pub struct FigureRow<'a> {
    /// Agency id, e.g. `binh-phuoc/so-ldtbxh`.
    pub agency_id: &'a str,
    /// Agency name.
    pub agency: &'a str,
    /// Province.
    pub province: &'a str,
    /// Sector.
    pub sector: &'a str,
    /// Indicator id.
    pub indicator_id: &'a str,
    /// Indicator label.
    pub indicator: &'a str,
    /// Unit.
    pub unit: &'a str,
    /// `higher`, `lower` or `none`.
    pub better: &'static str,
    /// ISO period: `2021`, `2021-06`.
    pub period: String,
    /// ISO date the figure covers to, when that is before the end of the
    /// period (a partial period); empty otherwise.
    pub through: Option<String>,
    /// The figure.
    pub value: Option<f64>,
    /// The planned figure.
    pub target: Option<f64>,
    /// The whole the figure is a count out of (a total, not a plan).
    pub of: Option<f64>,
    /// Share of target, percent, as stated or computed (two decimals).
    pub achieved_percent: Option<f64>,
    /// True when the report states the share itself.
    pub achieved_stated: bool,
    /// False when a later report states this figure again and replaces it.
    pub current: bool,
    /// Source report id.
    pub report_id: &'a str,
    /// Source report title.
    pub report_title: &'a str,
    /// Year the source report is about.
    pub report_year: i32,
    /// Where the figure stands: the report page and section, relative to the
    /// site root (absolute when the site has a `base_url`).
    pub report_url: String,
    /// The figure as printed.
    pub stated: &'a str,
    /// Remarks.
    pub note: &'a str,
}

/// Every figure of the published reports, in report then metric order.
pub fn order(content: &Content, comparisons: &Comparisons) -> Vec<FigureId> {
    let mut order: Vec<FigureId> = comparisons.figures.ids().collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&comparisons.figures[a], &comparisons.figures[b]);
        (content.reports[fa.report].slug.as_str(), fa.metric)
            .cmp(&(content.reports[fb.report].slug.as_str(), fb.metric))
    });
    order
}

/// Figure `i` as a row of the downloads. Rows are made as they are written,
/// never all held: at 50,000 reports they are hundreds of megabytes.
pub fn row<'a>(
    content: &'a Content,
    comparisons: &'a Comparisons,
    base_url: Option<&str>,
    i: FigureId,
) -> FigureRow<'a> {
    let f = &comparisons.figures[i];
    let report = &content.reports[f.report];
    let agency = &content.agencies[f.agency];
    let indicator = &content.indicators[f.indicator];
    let mut url = urls::report(&report.slug);
    if let Some(anchor) = &f.anchor {
        url = format!("{url}#{anchor}");
    }
    let url = site_url(base_url, url);
    FigureRow {
        agency_id: &agency.slug,
        agency: &agency.name,
        province: &agency.province.value,
        sector: &agency.sector,
        indicator_id: &indicator.id.value,
        indicator: &indicator.label,
        unit: &indicator.unit,
        better: indicator.better.as_str(),
        period: f.period.iso(),
        through: f.through.map(|t| t.iso()),
        value: f.stated_value,
        target: f.stated_target,
        of: f.of,
        achieved_percent: f.achieved.map(|a| (a * 100.0).round() / 100.0),
        achieved_stated: f.achieved_stated,
        current: f.superseded_by.is_none(),
        report_id: &report.slug,
        report_title: &report.title,
        report_year: report.year.value,
        report_url: url,
        stated: f.stated.as_deref().unwrap_or_default(),
        note: f.note.as_deref().unwrap_or_default(),
    }
}

/// An address of the site as the downloads give it: relative to the site's
/// root, or absolute when the site has a `base_url`.
fn site_url(base_url: Option<&str>, url: String) -> String {
    match base_url {
        Some(base) => format!("{}/{url}", base.trim_end_matches('/')),
        None => url,
    }
}

/// A text cell a spreadsheet will not run as a formula (OWASP, CSV
/// injection): a text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, which spreadsheets show as text and do not
/// display. Only text columns: number columns hold plain numbers.
pub fn inert(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A number as CSV wants it: `28101`, `73.95`; empty when absent. Rust's
/// `Display` for floats never uses exponents or a trailing `.0`.
fn plain(n: Option<f64>) -> Cow<'static, str> {
    n.map_or(Cow::Borrowed(""), |v| Cow::Owned(v.to_string()))
}

impl FigureRow<'_> {
    /// The CSV record: the text borrowed where no cell needs changing (the
    /// rows of the four CSV files were 22 new strings each).
    fn record(&self) -> [Cow<'_, str>; 22] {
        let flag = |b: bool| Cow::Borrowed(if b { "true" } else { "false" });
        [
            Cow::Borrowed(self.agency_id),
            inert(self.agency),
            inert(self.province),
            inert(self.sector),
            Cow::Borrowed(self.indicator_id),
            inert(self.indicator),
            inert(self.unit),
            Cow::Borrowed(self.better),
            Cow::Borrowed(self.period.as_str()),
            Cow::Borrowed(self.through.as_deref().unwrap_or_default()),
            plain(self.value),
            plain(self.target),
            plain(self.of),
            plain(self.achieved_percent),
            flag(self.achieved_stated),
            flag(self.current),
            Cow::Borrowed(self.report_id),
            inert(self.report_title),
            Cow::Owned(self.report_year.to_string()),
            Cow::Borrowed(self.report_url.as_str()),
            inert(self.stated),
            inert(self.note),
        ]
    }
}

/// Rows as CSV bytes: a header, then one line per figure.
pub fn csv_bytes<'a>(rows: impl IntoIterator<Item = FigureRow<'a>>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_csv(&mut out, rows)?;
    Ok(out)
}

/// Writes rows as CSV to `out`: a header, then one line per figure.
pub fn write_csv<'a>(
    out: &mut dyn std::io::Write,
    rows: impl IntoIterator<Item = FigureRow<'a>>,
) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER).context("cannot write CSV")?;
    for r in rows {
        w.write_record(r.record().iter().map(|cell| cell.as_bytes()))
            .context("cannot write CSV")?;
    }
    w.flush().context("cannot finish CSV")
}

/// Column names, in order (also when there is no row).
pub const HEADER: [&str; 22] = [
    "agency_id",
    "agency",
    "province",
    "sector",
    "indicator_id",
    "indicator",
    "unit",
    "better",
    "period",
    "through",
    "value",
    "target",
    "of",
    "achieved_percent",
    "achieved_stated",
    "current",
    "report_id",
    "report_title",
    "report_year",
    "report_url",
    "stated",
    "note",
];

const README: &str = include_str!("downloads-readme.md");

/// One download file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Download {
    /// Every figure as CSV.
    MetricsCsv,
    /// Every figure as JSON, with the indicators and agencies.
    MetricsJson,
    /// What the columns mean.
    Readme,
    /// One agency's figures as CSV.
    Agency(AgencyId),
    /// One indicator's figures as CSV.
    Indicator(IndicatorId),
    /// The figures one report states, as CSV.
    Report(ReportId),
}

/// Every download file of the site, with its path: the site-wide files,
/// then one per agency and per indicator that has figures.
pub fn downloads(content: &Content, comparisons: &Comparisons) -> Vec<(Download, String)> {
    let mut out = vec![
        (Download::MetricsCsv, urls::METRICS_CSV.to_string()),
        (Download::MetricsJson, urls::METRICS_JSON.to_string()),
        (Download::Readme, urls::DATA_README.to_string()),
    ];
    let agencies: BTreeSet<AgencyId> = comparisons.figures.values().map(|f| f.agency).collect();
    let indicators: BTreeSet<IndicatorId> =
        comparisons.figures.values().map(|f| f.indicator).collect();
    out.extend(agencies.into_iter().map(|a| {
        (
            Download::Agency(a),
            urls::agency_csv(&content.agencies[a].slug),
        )
    }));
    out.extend(indicators.into_iter().map(|i| {
        (
            Download::Indicator(i),
            urls::indicator_csv(&content.indicators[i].id.value),
        )
    }));
    out.extend(comparisons.figures_by_report.keys().map(|&r| {
        (
            Download::Report(r),
            urls::report_csv(&content.reports[r].slug),
        )
    }));
    out
}

/// The figures of the downloads in row order, and grouped by agency and by
/// indicator (once, not once per file).
pub struct Rows {
    order: Vec<FigureId>,
    by_agency: BTreeMap<AgencyId, Vec<FigureId>>,
    by_indicator: BTreeMap<IndicatorId, Vec<FigureId>>,
}

impl Rows {
    /// The rows of the site's figures.
    pub fn new(content: &Content, comparisons: &Comparisons) -> Rows {
        let order = order(content, comparisons);
        let mut by_agency: BTreeMap<AgencyId, Vec<FigureId>> = BTreeMap::new();
        let mut by_indicator: BTreeMap<IndicatorId, Vec<FigureId>> = BTreeMap::new();
        for &i in &order {
            let f = &comparisons.figures[i];
            by_agency.entry(f.agency).or_default().push(i);
            by_indicator.entry(f.indicator).or_default().push(i);
        }
        Rows {
            order,
            by_agency,
            by_indicator,
        }
    }
}

/// Writes every download file of the site, the small ones in parallel.
pub fn write_files(
    content: &Content,
    comparisons: &Comparisons,
    base_url: Option<&str>,
    writer: &Writer,
) -> Result<()> {
    let all = downloads(content, comparisons);
    let rows = Rows::new(content, comparisons);
    all.par_iter()
        .with_max_len(1)
        .try_for_each(|(d, _)| write_file(content, comparisons, base_url, &rows, *d, writer))
}

/// Writes one download file.
pub fn write_file(
    content: &Content,
    comparisons: &Comparisons,
    base_url: Option<&str>,
    rows: &Rows,
    which: Download,
    writer: &Writer,
) -> Result<()> {
    let row = |i: FigureId| row(content, comparisons, base_url, i);
    let order = &rows.order;
    match which {
        Download::MetricsCsv => writer.write_stream(OutputPath::new(urls::METRICS_CSV)?, |w| {
            write_csv(w, order.iter().map(|&i| row(i)))
        }),
        Download::MetricsJson => write_json(content, comparisons, order, &row, base_url, writer),
        Download::Readme => writer.write(OutputPath::new(urls::DATA_README)?, README.as_bytes()),
        Download::Agency(a) => writer.write(
            OutputPath::new(&urls::agency_csv(&content.agencies[a].slug))?,
            &csv_bytes(
                rows.by_agency
                    .get(&a)
                    .into_iter()
                    .flatten()
                    .map(|&i| row(i)),
            )?,
        ),
        Download::Report(r) => writer.write(
            OutputPath::new(&urls::report_csv(&content.reports[r].slug))?,
            &csv_bytes(
                comparisons
                    .figures_by_report
                    .get(&r)
                    .into_iter()
                    .flatten()
                    .map(|&i| row(i)),
            )?,
        ),
        Download::Indicator(ind) => writer.write(
            OutputPath::new(&urls::indicator_csv(&content.indicators[ind].id.value))?,
            &csv_bytes(
                rows.by_indicator
                    .get(&ind)
                    .into_iter()
                    .flatten()
                    .map(|&i| row(i)),
            )?,
        ),
    }
}

/// Every figure as JSON, streamed: the catalogues of indicators, agencies
/// and reports once, then the figures, each naming its indicator, agency
/// and report by id instead of repeating their names (a figure row of the
/// CSV repeats them for a spreadsheet; here they made the file 1.8 times
/// larger). A number or text the report does not state is left out.
fn write_json<'a>(
    content: &'a Content,
    comparisons: &Comparisons,
    order: &[FigureId],
    row: &(dyn Fn(FigureId) -> FigureRow<'a> + Sync),
    base_url: Option<&str>,
    writer: &Writer,
) -> Result<()> {
    #[derive(Serialize)]
    struct IndicatorJson<'a> {
        id: &'a str,
        label: &'a str,
        unit: &'a str,
        group: &'a str,
        better: Better,
    }
    #[derive(Serialize)]
    struct AgencyJson<'a> {
        id: &'a str,
        name: &'a str,
        province: &'a str,
        level: Level,
        sector: &'a str,
    }
    #[derive(Serialize)]
    struct ReportJson<'a> {
        id: &'a str,
        title: &'a str,
        year: i32,
        #[serde(skip_serializing_if = "Option::is_none")]
        agency_id: Option<&'a str>,
        url: String,
    }
    /// The figures, serialised one row at a time.
    struct Figures<'a, 'b>(
        &'b [FigureId],
        &'b (dyn Fn(FigureId) -> FigureRow<'a> + Sync),
    );
    impl Serialize for Figures<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|&i| FigureJson::from((self.1)(i))))
        }
    }
    #[derive(Serialize)]
    struct Json<'a, 'b> {
        generator: &'static str,
        indicators: Vec<IndicatorJson<'a>>,
        agencies: Vec<AgencyJson<'a>>,
        reports: Vec<ReportJson<'a>>,
        figures: Figures<'a, 'b>,
    }
    let mut reports: Vec<ReportId> = Vec::new();
    for &i in order {
        // `order` runs report by report.
        let r = comparisons.figures[i].report;
        if reports.last() != Some(&r) {
            reports.push(r);
        }
    }
    let json = Json {
        generator: "minhbach",
        indicators: content
            .indicators
            .values()
            .map(|i| IndicatorJson {
                id: &i.id.value,
                label: &i.label,
                unit: &i.unit,
                group: &i.group,
                better: i.better,
            })
            .collect(),
        agencies: content
            .agencies
            .values()
            .map(|a| AgencyJson {
                id: &a.slug,
                name: &a.name,
                province: &a.province.value,
                level: a.level,
                sector: &a.sector,
            })
            .collect(),
        reports: reports
            .iter()
            .map(|&r| {
                let report = &content.reports[r];
                ReportJson {
                    id: &report.slug,
                    title: &report.title,
                    year: report.year.value,
                    agency_id: report.agency_id.map(|a| content.agencies[a].slug.as_str()),
                    url: site_url(base_url, urls::report(&report.slug)),
                }
            })
            .collect(),
        figures: Figures(order, row),
    };
    // Compact: indenting every figure's fields made the file a quarter
    // larger, and a browser or `jq` shows it indented to whoever reads it.
    writer.write_stream(OutputPath::new(urls::METRICS_JSON)?, |w| {
        serde_json::to_writer(&mut *w, &json).context("cannot write JSON")?;
        w.write_all(b"\n").context("cannot write JSON")
    })
}

/// One figure in `metrics.json`: the CSV row's fields less the names the
/// catalogues give, and less what the report does not state.
#[derive(Serialize)]
struct FigureJson<'a> {
    agency_id: &'a str,
    indicator_id: &'a str,
    period: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    through: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    achieved_percent: Option<f64>,
    achieved_stated: bool,
    current: bool,
    report_id: &'a str,
    report_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    stated: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

impl<'a> From<FigureRow<'a>> for FigureJson<'a> {
    fn from(r: FigureRow<'a>) -> FigureJson<'a> {
        FigureJson {
            agency_id: r.agency_id,
            indicator_id: r.indicator_id,
            period: r.period,
            through: r.through,
            value: r.value,
            target: r.target,
            of: r.of,
            achieved_percent: r.achieved_percent,
            achieved_stated: r.achieved_stated,
            current: r.current,
            report_id: r.report_id,
            report_url: r.report_url,
            stated: r.stated,
            note: r.note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_never_start_a_formula() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let cell = inert(hostile);
            assert!(cell.starts_with('\''), "{cell}");
            assert_eq!(&cell[1..], hostile);
        }
        assert_eq!(inert("Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(inert(""), "");
    }
}
