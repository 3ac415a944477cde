//! Agencies, indicators, the legal registry, and [`Content`]: everything
//! read from `content/`.

use super::{AgencyId, Bodies, Body, IdVec, IndicatorId, PartialDate, Report, ReportId};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// Administrative level of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum Level {
    /// Central government or Party body.
    #[serde(rename = "trung ương")]
    Central,
    /// Province or centrally-run city.
    #[serde(rename = "tỉnh")]
    Province,
    /// District.
    #[serde(rename = "huyện")]
    District,
    /// Commune.
    #[serde(rename = "xã")]
    Commune,
}

impl Level {
    /// The level as written in content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "trung ương",
            Level::Province => "tỉnh",
            Level::District => "huyện",
            Level::Commune => "xã",
        }
    }
}

/// An agency that publishes reports, from `content/agencies/<province>/<agency>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// `<province>/<agency>`, the file path without extension: its id in
    /// content files and its address.
    #[serde(skip)]
    pub slug: String,
    /// The file, relative to the site root.
    #[serde(skip)]
    pub file: String,
    /// Full name as the agency writes it.
    pub name: String,
    /// Short name, e.g. "Sở LĐTBXH Bình Phước".
    pub short_name: String,
    /// Province or city name, e.g. "Bình Phước".
    pub province: Spanned<String>,
    /// Administrative level.
    pub level: Level,
    /// Sector, e.g. "Lao động – Thương binh và Xã hội"; agencies of one sector are compared.
    pub sector: String,
    /// The agency's own website.
    #[serde(default)]
    pub website: Option<Spanned<String>>,
    /// Id of the agency this one belongs to.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
}

impl Agency {
    /// The province slug, the first segment of the id.
    pub fn province_slug(&self) -> &str {
        self.slug.split('/').next().unwrap_or(&self.slug)
    }
}

/// How to read an indicator's change over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// A rise is an improvement.
    Higher,
    /// A fall is an improvement.
    Lower,
    /// A change is neither: most counts of activity (citizens received,
    /// procedures handled, staff) say how much work there was, not how well
    /// it went. Changes are shown, never coloured or called better or worse.
    None,
}

impl Better {
    /// The word for it in downloads and content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::None => "none",
        }
    }
}

/// Which agencies may be ranked against each other on an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rank {
    /// Every agency: a rate that means the same for all of them (the share of
    /// applications settled on time).
    All,
    /// Agencies of the same sector only (the unemployment rate each
    /// provincial labour department reports for its province).
    Sector,
    /// None: counts that grow with a province's size or an agency's remit.
    #[default]
    None,
}

impl Rank {
    /// The word for it in downloads and content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Rank::All => "all",
            Rank::Sector => "sector",
            Rank::None => "none",
        }
    }
}

/// A comparable indicator, from `content/indicators.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, e.g. `viec-lam-giai-quyet`.
    pub id: Spanned<String>,
    /// Label shown on pages.
    pub label: String,
    /// Unit: "người", "%", "đồng", "thủ tục", …
    pub unit: String,
    /// Group heading.
    pub group: String,
    /// Whether higher or lower is better, or neither.
    pub better: Better,
    /// Which agencies may be ranked on it; none unless the catalogue says so.
    #[serde(default)]
    pub rank: Rank,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
}

/// A legal document in the registry, from `content/legal/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalEntry {
    /// The file, relative to the site root.
    #[serde(skip)]
    pub file: String,
    /// The citation as written, e.g. "Nghị định số 04/2015/NĐ-CP".
    pub citation: Spanned<String>,
    /// Title (trích yếu).
    #[serde(default)]
    pub title: Option<String>,
    /// Issuing body.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Date of issue.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// Date of effect (ngày có hiệu lực).
    #[serde(default)]
    pub effective: Option<PartialDate>,
    /// Legal status, one of [`LEGAL_STATUSES`]; never inferred.
    #[serde(default)]
    pub status: Option<Spanned<String>>,
    /// Since when the status holds (the day it ceased to have effect).
    #[serde(default)]
    pub status_since: Option<PartialDate>,
    /// The document that replaced it, as cited ("Luật số 10/2022/QH15 ngày
    /// 10/11/2022").
    #[serde(default)]
    pub replaced_by: Option<Spanned<String>>,
    /// Where the dates of effect, the status and the replacement were read:
    /// required with any of them.
    #[serde(default)]
    pub source: Option<String>,
    /// Link to the official text.
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    /// Province slug for provincial documents.
    #[serde(default)]
    pub scope: Option<String>,
    /// Names by which reports cite it ("Luật Tiếp công dân").
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The legal statuses a registry entry may give (the words of the national
/// legal database, vbpl.vn).
pub const LEGAL_STATUSES: &[&str] = &[
    "còn hiệu lực",
    "hết hiệu lực",
    "hết hiệu lực một phần",
    "chưa có hiệu lực",
    "ngưng hiệu lực",
];

/// Everything read from `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Agencies, sorted by slug.
    pub agencies: IdVec<AgencyId, Agency>,
    /// Reports, sorted by slug.
    pub reports: IdVec<ReportId, Report>,
    /// Indicator catalogue, in file order.
    pub indicators: IdVec<IndicatorId, Indicator>,
    /// Legal registry, by file then order.
    pub legal: Vec<LegalEntry>,
    /// Slugs of agency files that exist but could not be parsed: references
    /// to them are not reported again as unknown.
    pub broken_agencies: Vec<String>,
    /// True when `content/indicators.yaml` exists but could not be parsed.
    pub indicators_broken: bool,
    /// Total size of the report files found, in bytes; known before any
    /// report is parsed, so that loading can decide whether to keep texts.
    pub report_bytes: u64,
    /// The reports' bodies.
    pub bodies: Bodies,
}

impl Content {
    /// The agency with this slug.
    pub fn agency_by_slug(&self, slug: &str) -> Option<AgencyId> {
        self.agencies
            .as_slice()
            .binary_search_by(|a| a.slug.as_str().cmp(slug))
            .ok()
            .map(AgencyId::new)
    }

    /// The report with this slug.
    pub fn report_by_slug(&self, slug: &str) -> Option<ReportId> {
        self.reports
            .as_slice()
            .binary_search_by(|r| r.slug.as_str().cmp(slug))
            .ok()
            .map(ReportId::new)
    }

    /// The indicator with this id.
    pub fn indicator_by_id(&self, id: &str) -> Option<IndicatorId> {
        self.indicators.position(|i| i.id.value == id)
    }

    /// The agency of a report, when it exists.
    pub fn agency_of(&self, report: ReportId) -> Option<&Agency> {
        self.reports[report].agency_id.map(|a| &self.agencies[a])
    }

    /// Report `r`'s body, from the body store (see [`Bodies::get`]).
    pub fn body(&self, r: ReportId) -> anyhow::Result<std::borrow::Cow<'_, Body>> {
        self.bodies.get(r, &self.reports[r])
    }
}

/// Options that change what is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    /// Publish drafts too (with a banner).
    pub drafts: bool,
}

impl Publish {
    /// True when `report` is published: approved (or drafts are), and its
    /// agency exists.
    pub fn admits(&self, report: &Report) -> bool {
        (self.drafts || report.is_approved()) && report.agency_id.is_some()
    }
}
