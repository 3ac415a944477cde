//! The report model that every stage reads and no stage owns: agencies,
//! reports (metadata, and a body reached only through the body store),
//! indicators, the legal registry, dates and typed ids. It imports no stage:
//! the loader fills it, the later stages read it.

mod bodies;
mod content;
mod date;
mod ids;
mod report;

pub use bodies::{Bodies, ReadBody, Stored};
pub use content::{
    Agency, Better, Content, Indicator, LegalEntry, Level, Publish, Rank, LEGAL_STATUSES,
};
pub(crate) use date::days_in_month;
pub use date::PartialDate;
pub use ids::{
    AgencyId, DocumentId, FigureId, FormId, IdVec, IndicatorId, ProvinceId, ReportId, SeriesId,
};
pub use report::{
    footnote_markers, section_anchor, Body, Cell, Checked, CitationSpan, Digest, Footnote, Metric,
    OutlineEntry, Part, Report, ReportFile, Section, Signer, Source, Status, Table, Text, TextKind,
    CLOSING_ANCHOR, INTRO_ANCHOR, MAX_SECTION_DEPTH,
};
