//! Compare stage: figures become series (one indicator, one agency, over
//! periods), with the change from one period to the next read through the
//! indicator's `better`; when two reports state a figure for the same agency,
//! indicator and period, the later report wins and the other is kept as
//! provenance. Also: the text a report carries over from the agency's
//! previous report.

use crate::model::{
    section_anchor, AgencyId, Better, Body, Content, FigureId, IdVec, IndicatorId, PartialDate,
    Report, ReportId, SeriesId, TextKind, CLOSING_ANCHOR, INTRO_ANCHOR,
};
use crate::FastMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Share of the target achieved, in percent: as the report states it, or
/// computed from value and target where more is better (for a lower-is-better
/// indicator, "value ÷ target" would reward missing the target).
pub fn achieved(
    value: Option<f64>,
    target: Option<f64>,
    stated: Option<f64>,
    better: Better,
) -> Option<f64> {
    stated.or(match (value, target, better) {
        (Some(v), Some(t), Better::Higher) if t != 0.0 => Some(v / t * 100.0),
        _ => None,
    })
}

/// One figure as a report states it, made while the report is loaded so
/// that its metrics need not be held.
#[derive(Debug, Clone)]
pub struct Stated {
    /// Place of the metric in the report's `metrics`.
    pub metric: usize,
    /// The agency the figure is about.
    pub agency: AgencyId,
    /// The indicator.
    pub indicator: IndicatorId,
    /// The period the figure is for.
    pub period: PartialDate,
    /// The figure.
    pub value: Option<f64>,
    /// The planned figure.
    pub target: Option<f64>,
    /// The whole the figure is a count out of (a total, not a plan).
    pub of: Option<f64>,
    /// The last day or month the figure covers, when that is before the
    /// end of its period (a partial period).
    pub through: Option<PartialDate>,
    /// Share of target achieved (stated or computed), percent.
    pub achieved: Option<f64>,
    /// True when the report states the share itself.
    pub achieved_stated: bool,
    /// Anchor of the report section the figure stands in.
    pub anchor: Option<String>,
    /// The sentence stating the figure.
    pub stated: Option<Box<str>>,
    /// A note on the figure.
    pub note: Option<Box<str>>,
}

/// One figure of one published report.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The report stating it.
    pub report: ReportId,
    /// Place of the metric in the report's `metrics`.
    pub metric: usize,
    /// The agency the figure is about.
    pub agency: AgencyId,
    /// The indicator.
    pub indicator: IndicatorId,
    /// The period the figure is for.
    pub period: PartialDate,
    /// The figure (filled in from the same report's other entry for the
    /// period when this one states only a target, or the other way round).
    pub value: Option<f64>,
    /// The planned figure (filled in likewise).
    pub target: Option<f64>,
    /// The whole the figure is a count out of (a total, not a plan).
    pub of: Option<f64>,
    /// The last day or month the figure covers, when that is before the
    /// end of its period: a partial period, never set beside a whole one
    /// without saying so.
    pub through: Option<PartialDate>,
    /// Share of target achieved (stated or computed), percent.
    pub achieved: Option<f64>,
    /// True when the report states the share itself.
    pub achieved_stated: bool,
    /// Anchor of the report section the figure stands in.
    pub anchor: Option<String>,
    /// The figure from a later report that replaces this one.
    pub superseded_by: Option<FigureId>,
    /// The value and target as the report states them.
    pub stated_value: Option<f64>,
    /// See `stated_value`.
    pub stated_target: Option<f64>,
    /// The sentence stating the figure.
    pub stated: Option<Box<str>>,
    /// A note on the figure.
    pub note: Option<Box<str>>,
}

impl Figure {
    fn new(report: ReportId, s: Stated) -> Figure {
        Figure {
            report,
            metric: s.metric,
            agency: s.agency,
            indicator: s.indicator,
            period: s.period,
            value: s.value,
            target: s.target,
            of: s.of,
            through: s.through,
            achieved: s.achieved,
            achieved_stated: s.achieved_stated,
            anchor: s.anchor,
            superseded_by: None,
            stated_value: s.value,
            stated_target: s.target,
            stated: s.stated,
            note: s.note,
        }
    }
}

/// The comparable figures of one report (given with its body). A metric of
/// an unknown indicator or agency has none.
pub fn report_figures(content: &Content, report: &Report, body: &Body) -> Vec<Stated> {
    let anchors: BTreeSet<String> = body.outline().into_iter().map(|e| e.anchor).collect();
    let mut out = Vec::new();
    for (m, metric) in body.metrics.iter().enumerate() {
        let agency = match &metric.agency {
            Some(a) => content.agency_by_slug(&a.value),
            None => report.agency_id,
        };
        let (Some(indicator), Some(agency)) =
            (content.indicator_by_id(&metric.indicator.value), agency)
        else {
            continue;
        };
        let better = content.indicators[indicator].better;
        let period = metric.period.unwrap_or(PartialDate {
            year: report.year.value,
            month: None,
            day: None,
        });
        out.push(Stated {
            metric: m,
            agency,
            indicator,
            period,
            value: metric.value,
            target: metric.target,
            of: metric.of,
            through: metric.through.filter(|t| period.cut_short_by(t)),
            achieved: achieved(metric.value, metric.target, metric.achieved, better),
            achieved_stated: metric.achieved.is_some(),
            anchor: metric
                .section
                .as_ref()
                .and_then(|s| section_anchor(&s.value, &anchors)),
            stated: metric.stated.as_deref().map(Box::from),
            note: metric.note.as_deref().map(Box::from),
        });
    }
    out
}

/// How a change reads for its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// An improvement.
    Better,
    /// A deterioration.
    Worse,
    /// No change.
    Same,
}

/// How the change from `from` to `to` reads for an indicator where
/// `better` is better: the one rule every page uses. None when the
/// indicator has no good direction.
pub fn verdict(from: f64, to: f64, better: Better) -> Option<Verdict> {
    let delta = to - from;
    Some(match better {
        Better::None => return None,
        _ if delta.abs() < 1e-9 => Verdict::Same,
        Better::Higher if delta > 0.0 => Verdict::Better,
        Better::Lower if delta < 0.0 => Verdict::Better,
        _ => Verdict::Worse,
    })
}

/// The change from the previous period with a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Period compared with.
    pub from: PartialDate,
    /// Value minus previous value.
    pub absolute: f64,
    /// Change relative to the previous value, percent (none from zero).
    pub percent: Option<f64>,
    /// Improvement or deterioration; none when the indicator has no good
    /// direction or either figure covers only part of its period.
    pub verdict: Option<Verdict>,
    /// Either figure covers only part of its period: the change is shown
    /// with a mark and not read as better or worse.
    pub partial: bool,
}

/// One period of a series.
#[derive(Debug, Clone)]
pub struct Point {
    /// The figure that counts.
    pub figure: FigureId,
    /// Figures for the same period from earlier reports, replaced by this one.
    pub superseded: Vec<FigureId>,
    /// Change from the previous period with a value.
    pub change: Option<Change>,
}

/// One indicator for one agency over periods.
#[derive(Debug, Clone)]
pub struct Series {
    /// The agency.
    pub agency: AgencyId,
    /// The indicator.
    pub indicator: IndicatorId,
    /// Periods in order, oldest first.
    pub points: Vec<Point>,
}

impl Series {
    /// Number of periods that have a value (a chart needs two).
    pub fn valued(&self, figures: &IdVec<FigureId, Figure>) -> usize {
        self.points
            .iter()
            .filter(|p| figures[p.figure].value.is_some())
            .count()
    }
}

/// Everything comparable in the site.
#[derive(Debug, Default)]
pub struct Comparisons {
    /// Every figure of every published report, oldest report first.
    pub figures: IdVec<FigureId, Figure>,
    /// Every series, by agency then indicator order.
    pub series: IdVec<SeriesId, Series>,
    /// Series per agency.
    pub series_by_agency: BTreeMap<AgencyId, Vec<SeriesId>>,
    /// Series per indicator.
    pub series_by_indicator: BTreeMap<IndicatorId, Vec<SeriesId>>,
    /// Figures per report.
    pub figures_by_report: BTreeMap<ReportId, Vec<FigureId>>,
    /// For a report, the agency's previous published report.
    pub previous_report: BTreeMap<ReportId, ReportId>,
}

/// Order of reports in time: date (missing parts first), year, slug.
pub fn report_order(content: &Content, r: ReportId) -> (i32, u8, u8, i32, String) {
    let report = &content.reports[r];
    let (y, m, d) = report
        .date()
        .map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)))
        .unwrap_or((report.year.value, 0, 0));
    (y, m, d, report.year.value, report.slug.clone())
}

impl Comparisons {
    /// Builds the figures and series of the published reports from what
    /// each states (by report, from [`report_figures`]).
    pub fn build(
        content: &Content,
        published: &[ReportId],
        mut figures: IdVec<ReportId, Vec<Stated>>,
    ) -> Comparisons {
        let mut c = Comparisons::default();
        // Later reports last, so that the winner of a conflict is the last seen.
        let mut reports = published.to_vec();
        reports.sort_by_cached_key(|&r| report_order(content, r));
        let mut all = Vec::with_capacity(reports.iter().map(|&r| figures[r].len()).sum());
        for &r in &reports {
            let list = std::mem::take(&mut figures[r]);
            if list.is_empty() {
                continue;
            }
            let first = all.len();
            all.extend(list.into_iter().map(|f| Figure::new(r, f)));
            c.figures_by_report
                .insert(r, (first..all.len()).map(FigureId::new).collect());
        }
        drop(figures);
        c.figures = all.into();
        c.link_series(content);
        c.link_reports(content, &reports);
        c
    }

    fn link_series(&mut self, content: &Content) {
        // (agency, indicator) → period → (winning figure, figures it
        // replaced). The later report wins, but a report of the agency the
        // figure is about wins over any other's. A report stating one
        // figure twice for a period (a target, then a result) keeps both in
        // one: the later entry wins, with the earlier filling what it lacks.
        type Slots = BTreeMap<PartialDate, (FigureId, Vec<FigureId>)>;
        let mut winners: BTreeMap<(AgencyId, IndicatorId), Slots> = BTreeMap::new();
        for i in (0..self.figures.len()).map(FigureId::new) {
            let f = &self.figures[i];
            let slot = winners
                .entry((f.agency, f.indicator))
                .or_default()
                .entry(f.period);
            match slot {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert((i, Vec::new()));
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let (old, mut superseded) = (o.get().0, std::mem::take(&mut o.get_mut().1));
                    // A figure an agency states about itself is not replaced
                    // by one another agency's report states about it, however
                    // late: no report outranks the owner's own figures.
                    let owns = |f: &Figure| content.reports[f.report].agency_id == Some(f.agency);
                    if self.figures[old].report == f.report {
                        // Same report: merge value and target into the later entry.
                        let (ov, ot) = (self.figures[old].value, self.figures[old].target);
                        let nf = &mut self.figures[i];
                        nf.value = nf.value.or(ov);
                        nf.target = nf.target.or(ot);
                    } else if owns(&self.figures[old]) && !owns(f) {
                        superseded.push(i);
                        self.figures[i].superseded_by = Some(old);
                        o.insert((old, superseded));
                        continue;
                    } else {
                        superseded.push(old);
                    }
                    self.figures[old].superseded_by = Some(i);
                    o.insert((i, superseded));
                }
            }
        }
        for ((agency, indicator), periods) in winners {
            let better = content.indicators[indicator].better;
            let mut points = Vec::new();
            let mut previous: Option<(PartialDate, f64, bool)> = None;
            for (period, (figure, superseded)) in periods {
                let value = self.figures[figure].value;
                let partial = self.figures[figure].through.is_some();
                let change = match (previous, value) {
                    (Some((from, p, was_partial)), Some(v)) => {
                        Some(change(from, p, v, better, was_partial || partial))
                    }
                    _ => None,
                };
                if let Some(v) = value {
                    previous = Some((period, v, partial));
                }
                points.push(Point {
                    figure,
                    superseded,
                    change,
                });
            }
            let s = self.series.push(Series {
                agency,
                indicator,
                points,
            });
            self.series_by_agency.entry(agency).or_default().push(s);
            self.series_by_indicator
                .entry(indicator)
                .or_default()
                .push(s);
        }
    }

    fn link_reports(&mut self, content: &Content, chronological: &[ReportId]) {
        let mut last_of_agency: HashMap<&str, ReportId> = HashMap::new();
        for &r in chronological {
            let agency = content.reports[r].agency.value.as_str();
            if let Some(&earlier) = last_of_agency.get(agency) {
                self.previous_report.insert(r, earlier);
            }
            last_of_agency.insert(agency, r);
        }
    }

    /// The figure of a report's metric, if it is comparable.
    pub fn figure_of(&self, report: ReportId, metric: usize) -> Option<&Figure> {
        self.figures_by_report
            .get(&report)?
            .iter()
            .map(|&i| &self.figures[i])
            .find(|f| f.metric == metric)
    }
}

/// The change from `previous` (the figure of period `from`) to `value`;
/// `partial` when either covers only part of its period.
pub fn change(
    from: PartialDate,
    previous: f64,
    value: f64,
    better: Better,
    partial: bool,
) -> Change {
    let absolute = value - previous;
    Change {
        from,
        absolute,
        percent: (previous != 0.0).then(|| absolute / previous.abs() * 100.0),
        verdict: if partial {
            None
        } else {
            verdict(previous, value, better)
        },
        partial,
    }
}

/// What became of a paragraph of the later report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Carried {
    /// Word for word in the earlier report.
    Unchanged,
    /// Mostly the same words as a paragraph of the earlier report.
    Reworded,
    /// Not in the earlier report.
    New,
}

/// What a piece of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffKind {
    /// In both texts.
    Same,
    /// Only in the later text.
    Ins,
    /// Only in the earlier text.
    Del,
}

/// A piece of an inline word diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffPiece {
    /// Same, inserted or deleted.
    pub kind: DiffKind,
    /// The words.
    pub text: String,
}

/// One paragraph of the later report, compared.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ParagraphDiff {
    /// Unchanged, reworded or new.
    pub carried: Carried,
    /// The paragraph as the later report has it.
    pub text: String,
    /// For a reworded paragraph: the word diff from the earlier one.
    pub diff: Vec<DiffPiece>,
}

/// A section of the later report beside the matching section of the earlier.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectionDiff {
    /// Anchor of the later section.
    pub anchor: String,
    /// Number and title of the later section.
    pub label: String,
    /// Depth in the outline.
    pub depth: usize,
    /// Paragraphs of the matching earlier section that no paragraph of the
    /// later report carries over (as it was or reworded), as they were:
    /// the carried ones are shown once, in `later` (a reworded one as its
    /// word diff, which holds every earlier word), so that the page gives
    /// each earlier word once.
    pub earlier: Vec<String>,
    /// Paragraphs of the later section, compared.
    pub later: Vec<ParagraphDiff>,
}

/// A part of the earlier report (a section, its opening or closing) that
/// no part of the later report stands beside — none has its anchor or its
/// title — with what of it no later paragraph carries over: without it a
/// section the later report leaves out would be on no comparison page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DroppedSection {
    /// Anchor of the earlier section (on the earlier report's page).
    pub anchor: String,
    /// Number and title of the earlier section; empty for the opening and
    /// the closing.
    pub label: String,
    /// Depth in the earlier report's outline.
    pub depth: usize,
    /// Its paragraphs that no later paragraph carries over, as they were.
    pub paragraphs: Vec<String>,
}

/// The text of a report compared with the agency's previous report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TextComparison {
    /// Sections side by side.
    pub sections: Vec<SectionDiff>,
    /// Parts of the earlier report beside no later section, in its order.
    pub dropped: Vec<DroppedSection>,
    /// Words in the later report.
    pub words: usize,
    /// Words new in the later report (new paragraphs, inserted words).
    pub new_words: usize,
    /// Words carried over unchanged.
    pub unchanged_words: usize,
}

impl TextComparison {
    /// Share of the later report's text that is new, percent.
    pub fn new_share(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.new_words as f64 / self.words as f64 * 100.0
        }
    }
}

/// Paragraphs of a Markdown text: blocks separated by blank lines, single
/// list items, whitespace folded.
pub fn paragraphs(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in markdown.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let is_list = lines.len() > 1
            && lines
                .iter()
                .all(|l| l.starts_with("- ") || l.starts_with("+ "));
        let pieces: Vec<String> = if is_list {
            lines.iter().map(|l| l.to_string()).collect()
        } else {
            vec![lines.join(" ")]
        };
        out.extend(pieces.into_iter().filter(|p| !p.is_empty()));
    }
    out
}

/// The longest changed stretches [`word_diff`] diffs, as earlier × later
/// words (or sentences), after their common start and end: a million
/// cells is at most a few milliseconds.
const MAX_DIFF_CELLS: usize = 1 << 20;

/// A word-level diff of a reworded paragraph: the pieces (same / del / ins,
/// each a run of words with their trailing spaces, so the pieces of one
/// side put together give its text back) and the number of inserted words.
/// `None` when less than half of the words are shared: that is a new
/// paragraph, not a rewording.
fn word_diff(old: &str, new: &str) -> Option<(Vec<DiffPiece>, usize)> {
    // Words with their trailing whitespace; compared by the word alone,
    // interned to integers so the diff compares numbers, not strings.
    fn tokens(text: &str) -> Vec<&str> {
        text.split_inclusive(char::is_whitespace)
            .filter(|t| !t.is_empty())
            .collect()
    }
    let (old_t, new_t) = (tokens(old), tokens(new));
    // Reserved for every word and sentence being distinct: the maps are
    // made for each diff, and growing them was most of their cost.
    let mut ids: FastMap<&str, u32> = FastMap::default();
    ids.reserve(old_t.len() + new_t.len());
    let mut old_ids = Vec::with_capacity(old_t.len());
    let mut new_ids = Vec::with_capacity(new_t.len());
    for (words, out) in [(&old_t, &mut old_ids), (&new_t, &mut new_ids)] {
        for w in words.iter() {
            let next = ids.len() as u32;
            out.push(*ids.entry(w.trim_end()).or_insert(next));
        }
    }
    // Sentences first, then words inside the sentences that changed: a
    // word-level diff of whole paragraphs costs (length × differences),
    // which is large when sentences are reordered; sentence by sentence it
    // stays small, and a moved sentence reads better as deleted + inserted.
    let sentences = |t: &[&str]| -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (k, w) in t.iter().enumerate() {
            if w.trim_end().ends_with(['.', '!', '?', ';', ':']) || k + 1 == t.len() {
                out.push(start..k + 1);
                start = k + 1;
            }
        }
        out
    };
    let (old_s, new_s) = (sentences(&old_t), sentences(&new_t));
    let mut sentence_ids: FastMap<&[u32], u32> = FastMap::default();
    sentence_ids.reserve(old_s.len() + new_s.len());
    let mut old_sid = Vec::with_capacity(old_s.len());
    let mut new_sid = Vec::with_capacity(new_s.len());
    for (ids, ranges, out) in [
        (&old_ids, &old_s, &mut old_sid),
        (&new_ids, &new_s, &mut new_sid),
    ] {
        for r in ranges {
            let next = sentence_ids.len() as u32;
            out.push(*sentence_ids.entry(&ids[r.clone()]).or_insert(next));
        }
    }
    // Myers costs up to (a + b) × differences. What is left between the
    // common start and end of a too long stretch reads as deleted and
    // inserted whole. The bound is on the input, not on time, so that a
    // page never depends on how busy the machine was.
    let myers = |a: &[u32], b: &[u32]| -> Vec<similar::DiffOp> {
        let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let tail = a[head..]
            .iter()
            .rev()
            .zip(b[head..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a_mid, b_mid) = (a.len() - head - tail, b.len() - head - tail);
        if a_mid.saturating_mul(b_mid) <= MAX_DIFF_CELLS {
            let mut capture = similar::algorithms::Capture::new();
            similar::algorithms::myers::diff(&mut capture, a, 0..a.len(), b, 0..b.len())
                .expect("capturing a diff cannot fail");
            return capture.into_ops();
        }
        let same = |old_index, new_index, len| similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        };
        let replaced = similar::DiffOp::Replace {
            old_index: head,
            old_len: a_mid,
            new_index: head,
            new_len: b_mid,
        };
        [
            same(0, 0, head),
            replaced,
            same(head + a_mid, head + b_mid, tail),
        ]
        .into_iter()
        .filter(|op| op.as_tag_tuple().1.len() + op.as_tag_tuple().2.len() > 0)
        .collect()
    };
    // The sentence diff first: runs of equal sentences, and the changed
    // stretches between them (earlier and later token ranges), each with
    // how many of its words the two sides share, counted as multisets.
    enum Stretch {
        Same(std::ops::Range<usize>),
        Changed(std::ops::Range<usize>, std::ops::Range<usize>, usize),
    }
    let mut stretches: Vec<Stretch> = Vec::new();
    let mut changed: (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) = (vec![], vec![]);
    // Per word id, how often it is in the earlier side of a stretch.
    let mut counts = vec![0u32; ids.len()];
    let mut close = |changed: &mut (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>),
                     stretches: &mut Vec<Stretch>| {
        let span = |v: &[std::ops::Range<usize>]| match (v.first(), v.last()) {
            (Some(f), Some(l)) => f.start..l.end,
            _ => 0..0,
        };
        let (o, n) = (span(&changed.0), span(&changed.1));
        changed.0.clear();
        changed.1.clear();
        if o.is_empty() && n.is_empty() {
            return;
        }
        let mut shared = 0;
        for &w in &old_ids[o.clone()] {
            counts[w as usize] += 1;
        }
        for &w in &new_ids[n.clone()] {
            if counts[w as usize] > 0 {
                counts[w as usize] -= 1;
                shared += 1;
            }
        }
        for &w in &old_ids[o.clone()] {
            counts[w as usize] = 0;
        }
        stretches.push(Stretch::Changed(o, n, shared));
    };
    for op in myers(&old_sid, &new_sid) {
        let (tag, a, b) = op.as_tag_tuple();
        match tag {
            similar::DiffTag::Equal => {
                close(&mut changed, &mut stretches);
                stretches.push(Stretch::Same(new_s[b.start].start..new_s[b.end - 1].end));
            }
            _ => {
                changed.0.extend(old_s[a].iter().cloned());
                changed.1.extend(new_s[b].iter().cloned());
            }
        }
    }
    close(&mut changed, &mut stretches);
    // A stretch whose shorter side has less than a quarter of its words in
    // the other reads as replaced whole: word by word, its only common
    // words would be scattered "của", "và", "năm" — noise, and the diff's
    // slowest case, (length)² on unrelated sentences. (A short sentence
    // edited next to a long deleted one still has most of its words in the
    // other side, and is diffed.)
    let diffed = |o: &std::ops::Range<usize>, n: &std::ops::Range<usize>, shared: usize| {
        !o.is_empty() && !n.is_empty() && shared * 4 >= o.len().min(n.len())
    };
    // The words a word diff can find in common are at most the shared
    // ones: when even those leave the paragraph under the rewording
    // threshold below, it is new, without diffing word by word (most
    // candidate pairs end here).
    let most_same: usize = stretches
        .iter()
        .map(|s| match s {
            Stretch::Same(r) => r.len(),
            Stretch::Changed(o, n, shared) if diffed(o, n, *shared) => *shared,
            Stretch::Changed(..) => 0,
        })
        .sum();
    if most_same * 4 < (old_t.len() + new_t.len()) {
        return None;
    }
    // (kind, token range) over both sides: same and inserted runs index
    // new_t, deleted runs index old_t.
    let mut runs: Vec<(DiffKind, std::ops::Range<usize>)> = Vec::new();
    for stretch in stretches {
        let (o, n) = match stretch {
            Stretch::Same(r) => {
                runs.push((DiffKind::Same, r));
                continue;
            }
            Stretch::Changed(o, n, shared) if diffed(&o, &n, shared) => (o, n),
            Stretch::Changed(o, n, _) => {
                runs.push((DiffKind::Del, o));
                runs.push((DiffKind::Ins, n));
                continue;
            }
        };
        for op in myers(&old_ids[o.clone()], &new_ids[n.clone()]) {
            let (tag, a, b) = op.as_tag_tuple();
            let (a, b) = (
                a.start + o.start..a.end + o.start,
                b.start + n.start..b.end + n.start,
            );
            match tag {
                similar::DiffTag::Equal => runs.push((DiffKind::Same, b)),
                _ => {
                    runs.push((DiffKind::Del, a));
                    runs.push((DiffKind::Ins, b));
                }
            }
        }
    }
    let same: usize = runs
        .iter()
        .filter(|(kind, _)| *kind == DiffKind::Same)
        .map(|(_, r)| r.len())
        .sum();
    if same * 4 < (old_t.len() + new_t.len()) {
        return None;
    }
    // Within each changed stretch, what was deleted reads before what
    // was inserted.
    let mut ordered = Vec::with_capacity(runs.len());
    for group in runs.chunk_by(|a, b| (a.0 == DiffKind::Same) == (b.0 == DiffKind::Same)) {
        ordered.extend(group.iter().filter(|r| r.0 != DiffKind::Ins).cloned());
        ordered.extend(group.iter().filter(|r| r.0 == DiffKind::Ins).cloned());
    }
    let mut pieces: Vec<DiffPiece> = Vec::new();
    let mut inserted = 0;
    for (kind, r) in ordered {
        if r.is_empty() {
            continue;
        }
        let words = if kind == DiffKind::Del {
            &old_t[r]
        } else {
            &new_t[r]
        };
        if kind == DiffKind::Ins {
            inserted += words.len();
        }
        let text: String = words.concat();
        match pieces.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&text),
            _ => pieces.push(DiffPiece { kind, text }),
        }
    }
    Some((pieces, inserted))
}

/// The first character of `c`'s lowercase, without the Unicode tables for
/// the letters Vietnamese is written with (they were a third of preparing a
/// text): ASCII, Latin-1, the pairs of Latin Extended-A with the capital
/// first (Ă ă, Đ đ, Ĩ ĩ, Ũ ũ), Ơ ơ, Ư ư and the precomposed letters
/// U+1EA0–U+1EF9, whose capital is the even code point before the small.
fn fold_case(c: char) -> char {
    let shifted = |by: u32| char::from_u32(by).unwrap_or(c);
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\0'..='\u{7F}' => c,
        '\u{C0}'..='\u{DE}' if c != '\u{D7}' => shifted(c as u32 + 0x20),
        '\u{80}'..='\u{FF}' => c,
        '\u{100}'..='\u{12F}' | '\u{150}'..='\u{177}' | '\u{1A0}'..='\u{1A1}' => {
            shifted(c as u32 | 1)
        }
        '\u{1AF}'..='\u{1B0}' => '\u{1B0}',
        '\u{1EA0}'..='\u{1EF9}' => shifted(c as u32 | 1),
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Hashes of the word 3-grams of a paragraph, lowercase: a cheap index to
/// find which earlier paragraph a later one most likely rewords, so only
/// that pair is diffed (comparing every pair would be quadratic). With
/// them, the paragraph's number of words (whitespace-separated: they are
/// split here anyway, and counting them again per comparison was a tenth of
/// its time).
fn shingles(text: &str) -> (Vec<u64>, usize) {
    // FNV-1a over the lowercased characters: no allocation per word (this
    // runs over every word of both reports of every comparison page).
    // One pass over the characters: each is decoded once, for the word's
    // end and its hash (splitting first, then hashing, decoded it twice).
    const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;
    let mut w: Vec<u64> = Vec::with_capacity(text.len() / 6);
    let (mut h, mut in_word) = (FNV_START, false);
    for c in text.chars() {
        if c.is_whitespace() {
            if in_word {
                w.push(h);
                (h, in_word) = (FNV_START, false);
            }
        } else {
            h = (h ^ fold_case(c) as u64).wrapping_mul(0x0000_0100_0000_01b3);
            in_word = true;
        }
    }
    if in_word {
        w.push(h);
    }
    triples(&w)
}

/// The triples of a paragraph from its words' hashes, and its word count
/// (a paragraph of fewer than three words is one "triple").
fn triples(w: &[u64]) -> (Vec<u64>, usize) {
    let mix = |g: &[u64]| {
        g.iter().fold(0u64, |acc, &h| {
            (acc.rotate_left(21) ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
    };
    if w.len() < 3 {
        return (vec![mix(w)], w.len());
    }
    (w.windows(3).map(mix).collect(), w.len())
}

/// Hasher for keys that are already hashes (the shingles): passes them on.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type ShingleMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// Which earlier paragraphs have each word triple, in paragraph order:
/// one block per triple in a single list (a list per triple was an
/// allocation for every distinct triple of every earlier report).
struct TripleIndex {
    /// Per triple: where its block starts in `paragraphs`, and its length.
    blocks: ShingleMap<(u32, u32)>,
    paragraphs: Vec<u32>,
}

impl TripleIndex {
    /// From each paragraph's triples, sorted and without repeats.
    fn new(triples: &[Vec<u64>]) -> TripleIndex {
        // Count each triple's paragraphs, give each block its start, then
        // fill the blocks in paragraph order (the count goes back up).
        // At most one block per triple: reserved at once, the map is never
        // rehashed while it fills (growing it was a tenth of this function).
        let mut blocks: ShingleMap<(u32, u32)> = ShingleMap::default();
        blocks.reserve(triples.iter().map(Vec::len).sum());
        for &s in triples.iter().flatten() {
            blocks.entry(s).or_default().1 += 1;
        }
        let mut start = 0;
        for block in blocks.values_mut() {
            let len = block.1;
            *block = (start, 0);
            start += len;
        }
        let mut paragraphs = vec![0; start as usize];
        for (i, own) in triples.iter().enumerate() {
            for s in own {
                let block = blocks.get_mut(s).expect("counted above");
                paragraphs[(block.0 + block.1) as usize] = i as u32;
                block.1 += 1;
            }
        }
        TripleIndex { blocks, paragraphs }
    }

    /// The earlier paragraphs with this triple, first to last.
    fn get(&self, s: u64) -> &[u32] {
        match self.blocks.get(&s) {
            Some(&(start, len)) => &self.paragraphs[start as usize..(start + len) as usize],
            None => &[],
        }
    }
}

/// Per earlier paragraph, the votes a later paragraph gives it, and which
/// have any (counted in one list reused for every later paragraph, where a
/// map per paragraph was an allocation and a hash per vote).
struct Votes {
    count: Vec<u32>,
    voted: Vec<u32>,
}

impl Votes {
    fn new(paragraphs: usize) -> Votes {
        Votes {
            count: vec![0; paragraphs],
            voted: Vec::new(),
        }
    }

    fn add(&mut self, paragraphs: &[u32]) {
        for &i in paragraphs {
            let c = &mut self.count[i as usize];
            if *c == 0 {
                self.voted.push(i);
            }
            *c += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.voted.is_empty()
    }

    fn clear(&mut self) {
        for i in self.voted.drain(..) {
            self.count[i as usize] = 0;
        }
    }

    /// The paragraphs voted for with their votes, in the order first
    /// voted; the counts start again from nothing.
    fn take(&mut self) -> Vec<(usize, usize)> {
        let count = &mut self.count;
        self.voted
            .drain(..)
            .map(|i| (i as usize, std::mem::take(&mut count[i as usize]) as usize))
            .collect()
    }
}

/// A word triple found in at most this many earlier paragraphs is rare.
const RARE: usize = 8;
/// Earlier paragraphs scored in full for each later one.
const CANDIDATES: usize = 4;

/// A report's text made ready for comparing: its paragraphs and their word
/// triples. Made once per report along an agency's reports, it serves as the
/// later text of one comparison and the earlier of the next (each report's
/// triples were otherwise found twice).
pub struct PreparedText {
    /// Each section's anchor, label (number and title) and depth.
    outline: Vec<(String, String, usize)>,
    /// Every paragraph, titles and footnotes too.
    paragraphs: Vec<String>,
    /// Each paragraph's word triples, sorted, repeats kept: sorted once
    /// here rather than once for the earlier text's look-ups and again for
    /// each later paragraph's scoring.
    triples: Vec<Vec<u64>>,
    /// Each paragraph's number of words.
    words: Vec<usize>,
    /// Where each body (the opening, a section's, the closing) is in
    /// `paragraphs`.
    bodies: FastMap<String, std::ops::Range<usize>>,
    /// What is compared as the later text: the opening, every section
    /// (anchor, label, depth, its body's paragraphs) and the closing.
    parts: Vec<(String, String, usize, std::ops::Range<usize>)>,
    /// What is looked up as the earlier text, made when first needed.
    earlier: std::cell::OnceCell<Earlier>,
}

/// The earlier text's look-ups: each paragraph's triples sorted without
/// repeats, and which paragraphs have each triple.
struct Earlier {
    sorted: Vec<Vec<u64>>,
    index: TripleIndex,
}

impl PreparedText {
    pub fn new(body: &Body) -> PreparedText {
        let outline = body.outline();
        let mut paragraphs_of: Vec<String> = Vec::new();
        let mut bodies: FastMap<String, std::ops::Range<usize>> = FastMap::default();
        let mut section_bodies = vec![0..0; outline.len()];
        for part in body.texts_of(&outline) {
            let start = paragraphs_of.len();
            paragraphs_of.extend(paragraphs(part.text));
            let range = start..paragraphs_of.len();
            match part.kind {
                TextKind::SectionBody(k) => section_bodies[k] = range.clone(),
                TextKind::Intro | TextKind::Closing => {}
                TextKind::SectionTitle(_) | TextKind::Footnote(_) => continue,
            }
            bodies.insert(part.anchor, range);
        }
        let mut parts = Vec::with_capacity(outline.len() + 2);
        let opening_or_closing = |anchor: &str| {
            (
                anchor.to_string(),
                String::new(),
                1,
                bodies.get(anchor).cloned().unwrap_or(0..0),
            )
        };
        if body.intro().is_some() {
            parts.push(opening_or_closing(INTRO_ANCHOR));
        }
        for (e, range) in outline.iter().zip(section_bodies) {
            parts.push((e.anchor.clone(), e.label(), e.depth, range));
        }
        if body.closing().is_some() {
            parts.push(opening_or_closing(CLOSING_ANCHOR));
        }
        let (mut triples, words): (Vec<Vec<u64>>, Vec<usize>) =
            paragraphs_of.iter().map(|p| shingles(p)).unzip();
        for own in &mut triples {
            own.sort_unstable();
        }
        PreparedText {
            outline: outline
                .iter()
                .map(|e| (e.anchor.clone(), e.label(), e.depth))
                .collect(),
            triples,
            words,
            paragraphs: paragraphs_of,
            bodies,
            parts,
            earlier: std::cell::OnceCell::new(),
        }
    }

    fn earlier(&self) -> &Earlier {
        self.earlier.get_or_init(|| {
            let sorted: Vec<Vec<u64>> = self
                .triples
                .iter()
                .map(|own| {
                    let mut own = own.clone();
                    own.dedup();
                    own
                })
                .collect();
            Earlier {
                index: TripleIndex::new(&sorted),
                sorted,
            }
        })
    }
}

/// How many of `sorted`'s triples (sorted, with repeats) are among
/// `distinct`'s (sorted, each once): a merge without branches on the
/// comparison, which a paragraph's unrelated triples make unpredictable.
fn shared_triples(distinct: &[u64], sorted: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < distinct.len() && j < sorted.len() {
        let (a, b) = (distinct[i], sorted[j]);
        shared += usize::from(a == b);
        // A repeat in `sorted` meets the same distinct triple again.
        i += usize::from(a < b);
        j += usize::from(a >= b);
    }
    shared
}

/// Compares the text of the later report (`new`) with the earlier (`old`),
/// section by section.
pub fn compare_text(old: &PreparedText, new: &PreparedText) -> TextComparison {
    compare_text_pruned(old, new, true)
}

#[cfg(test)]
thread_local! {
    /// Candidates left out on this thread, for the test that checks that
    /// leaving them out changes nothing.
    static PRUNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// [`compare_text`], with or without leaving out the candidates that
/// cannot reach the rewording threshold (`prune`): the same comparison
/// either way, which a test checks.
fn compare_text_pruned(old: &PreparedText, new: &PreparedText, prune: bool) -> TextComparison {
    let old_paragraphs = &old.paragraphs;
    let bodies = &old.bodies;
    let Earlier {
        sorted: old_shingles,
        index,
    } = old.earlier();
    let mut exact: FastMap<&str, usize> = FastMap::default();
    exact.reserve(old_paragraphs.len());
    exact.extend(
        old_paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i)),
    );
    // The earlier paragraphs some later paragraph carries over.
    let mut carried = vec![false; old_paragraphs.len()];
    // The earlier body shown beside each later section, and their anchors.
    let mut earlier_bodies: Vec<Option<std::ops::Range<usize>>> = Vec::new();
    let mut shown: crate::FastSet<String> = crate::FastSet::default();
    let mut result = TextComparison {
        sections: Vec::new(),
        dropped: Vec::new(),
        words: 0,
        new_words: 0,
        unchanged_words: 0,
    };
    let mut votes = Votes::new(old_paragraphs.len());
    for (anchor, section_label, depth, range) in &new.parts {
        let mut later = Vec::new();
        for k in range.clone() {
            let (p, own, n) = (&new.paragraphs[k], &new.triples[k], new.words[k]);
            result.words += n;
            if let Some(&i) = exact.get(p.as_str()) {
                carried[i] = true;
                result.unchanged_words += n;
                later.push(ParagraphDiff {
                    carried: Carried::Unchanged,
                    text: p.clone(),
                    diff: Vec::new(),
                });
                continue;
            }
            // Candidates are the earlier paragraphs sharing a rare triple
            // (common phrases such as "công tác dân vận" are in most
            // paragraphs: voting through them is quadratic); the few with
            // most votes are then scored on all their triples.
            // How many of the triples (with repeats, as `shared` counts
            // them below) any earlier paragraph has: no paragraph can share
            // more, so below the rewording threshold nothing more is looked
            // at (most later paragraphs are new, and their common triples
            // would otherwise be voted through one by one).
            let (mut present, mut common) = (0, 0);
            for &s in own {
                let list = index.get(s);
                present += usize::from(!list.is_empty());
                if list.len() <= RARE {
                    votes.add(list);
                } else {
                    common += 1;
                }
            }
            let rewording = |shared: usize| shared * 10 >= own.len() * 4;
            // Most shared triples first, then the earliest paragraph.
            let by_share =
                |a: &(usize, usize), b: &(usize, usize)| a.1.cmp(&b.1).then(b.0.cmp(&a.0));
            let best = if !rewording(present) {
                votes.clear();
                None
            } else if votes.is_empty() {
                // No rare triple in common: every earlier paragraph's votes
                // over all the triples are its shared triples, so the most
                // voted (the first of them) is the best.
                for &s in own {
                    votes.add(index.get(s));
                }
                votes.take().into_iter().max_by(by_share)
            } else {
                let mut candidates = votes.take();
                candidates.sort_by(|a, b| by_share(b, a));
                // A candidate shares at most its rare votes and every common
                // triple: one that cannot reach the rewording threshold so
                // is not merged (it could not be taken, so the paragraph
                // taken is the same). Over 8,000 comparisons at 10,000
                // reports, 184,032 of 258,054 later paragraphs got here and
                // 117,224 merges were left; the comparison pages took 5%
                // less thread time.
                let reachable = candidates
                    .iter()
                    .take(CANDIDATES)
                    .take_while(|&&(_, votes)| !prune || rewording(votes + common))
                    .count();
                #[cfg(test)]
                PRUNED.with(|n| n.set(n.get() + candidates.len().min(CANDIDATES) - reachable));
                // The later paragraph's triples are sorted, so that a
                // candidate's share is one merge of two sorted lists (a
                // binary search for each triple cost 761 million
                // instructions in this function at 1,000 reports, a map
                // of the later triples' counts 609 million).
                candidates
                    .iter()
                    .take(reachable)
                    .map(|&(i, _)| (i, shared_triples(&old_shingles[i], own)))
                    .max_by(by_share)
            };
            // Diff only a likely rewording: most of its word triples must be
            // in the earlier paragraph (diffing every pair costs too much).
            let reworded = best
                .filter(|&(_, shared)| rewording(shared))
                .and_then(|(i, _)| Some((i, word_diff(&old_paragraphs[i], p)?)));
            match reworded {
                Some((i, (pieces, inserted))) => {
                    carried[i] = true;
                    result.new_words += inserted;
                    later.push(ParagraphDiff {
                        carried: Carried::Reworded,
                        text: p.clone(),
                        diff: pieces,
                    });
                }
                None => {
                    result.new_words += n;
                    later.push(ParagraphDiff {
                        carried: Carried::New,
                        text: p.clone(),
                        diff: Vec::new(),
                    });
                }
            }
        }
        // The earlier section shown beside: same anchor, else same title.
        let earlier_section = old.outline.iter().find(|e| e.0 == *anchor).or_else(|| {
            old.outline
                .iter()
                .find(|e| !section_label.is_empty() && e.1 == *section_label)
        });
        let beside = match anchor.as_str() {
            INTRO_ANCHOR | CLOSING_ANCHOR => Some(anchor.clone()),
            _ => earlier_section.map(|e| e.0.clone()),
        }
        .filter(|a| bodies.contains_key(a));
        // An earlier body is shown beside one later section only (two
        // later sections of the same title would show it twice).
        earlier_bodies.push(
            beside
                .filter(|a| shown.insert(a.clone()))
                .and_then(|a| bodies.get(&a))
                .cloned(),
        );
        result.sections.push(SectionDiff {
            anchor: anchor.clone(),
            label: section_label.clone(),
            depth: *depth,
            earlier: Vec::new(),
            later,
        });
    }
    // Once every later paragraph is matched (a paragraph may move to
    // another section): what of each earlier body none carries over.
    let not_carried = |range: std::ops::Range<usize>| -> Vec<String> {
        range
            .filter(|&i| !carried[i])
            .map(|i| old_paragraphs[i].clone())
            .collect()
    };
    for (section, range) in result.sections.iter_mut().zip(earlier_bodies) {
        section.earlier = range.map(not_carried).unwrap_or_default();
    }
    // The earlier parts beside none, in the earlier report's order.
    let mut earlier_parts: Vec<(String, String, usize)> =
        vec![(INTRO_ANCHOR.into(), String::new(), 1)];
    earlier_parts.extend(old.outline.iter().cloned());
    earlier_parts.push((CLOSING_ANCHOR.into(), String::new(), 1));
    for (anchor, label, depth) in earlier_parts {
        if shown.contains(&anchor) {
            continue;
        }
        let paragraphs = bodies
            .get(&anchor)
            .cloned()
            .map(not_carried)
            .unwrap_or_default();
        if !paragraphs.is_empty() {
            result.dropped.push(DroppedSection {
                anchor,
                label,
                depth,
                paragraphs,
            });
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_triples_counts_each_repeat_of_the_later_paragraph() {
        // Against counting by hand: every triple of `sorted` that is in
        // `distinct`, repeats included, whatever the lists' overlap.
        let mut rng = crate::TestRng::new(7);
        let mut next = |m: u64| rng.below(m);
        for _ in 0..500 {
            let (n, m, range) = (next(12) as usize, next(12) as usize, 1 + next(10));
            let mut distinct: Vec<u64> = (0..n).map(|_| next(range)).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let mut sorted: Vec<u64> = (0..m).map(|_| next(range)).collect();
            sorted.sort_unstable();
            let by_hand = sorted.iter().filter(|t| distinct.contains(t)).count();
            assert_eq!(
                shared_triples(&distinct, &sorted),
                by_hand,
                "{distinct:?} {sorted:?}"
            );
        }
        assert_eq!(shared_triples(&[1, 5, 9], &[1, 1, 5, 7, 9, 9, 9]), 6);
        assert_eq!(shared_triples(&[], &[1, 2]), 0);
        assert_eq!(shared_triples(&[3], &[]), 0);
    }

    #[test]
    fn shingles_hash_the_words_split_on_whitespace() {
        // As they were made: split on whitespace, then each word hashed.
        fn by_words(text: &str) -> (Vec<u64>, usize) {
            let word_hash = |w: &str| {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for c in w.chars() {
                    h = (h ^ fold_case(c) as u64).wrapping_mul(0x0000_0100_0000_01b3);
                }
                h
            };
            let w: Vec<u64> = text.split_whitespace().map(word_hash).collect();
            triples(&w)
        }
        for text in [
            "",
            " ",
            "một",
            " Một  HAI\u{a0}ba\t",
            "Công tác DÂN VẬN chính quyền\nnăm 2021: đạt 73,95%\u{2003}kế hoạch.",
            "\u{3000}Ủy ban\u{85}nhân dân ẤP Đông Hòa ",
            "a\x0bb\x0cc\rd\x1fe\x7ff\u{1680}g\u{2028}h\u{202f}i\u{200b}j",
        ] {
            assert_eq!(shingles(text), by_words(text), "{text:?}");
        }
    }

    #[test]
    fn case_folding_agrees_with_unicode_lowercase() {
        for c in ('\0'..='\u{2FF}').chain('\u{1E00}'..='\u{1EFF}') {
            assert_eq!(
                fold_case(c),
                c.to_lowercase().next().unwrap_or(c),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    /// A report body from YAML sections (`number`, `title`, `body`).
    fn body(sections: &str) -> Body {
        let yaml = format!(
            "status: approved\nagency: a/b\nkind: báo cáo\nyear: 2021\ntitle: T\nsections:\n{sections}"
        );
        let mut diags = crate::diagnostics::Diagnostics::default();
        let (file, checked) = crate::load::parse_bytes::<crate::model::ReportFile>(
            "r.yaml",
            yaml.into_bytes(),
            &mut diags,
        )
        .unwrap_or_else(|| panic!("{diags:?}"));
        file.split("a/b/2021".into(), "r.yaml".into(), checked).1
    }

    #[test]
    fn sections_the_later_report_leaves_out_are_listed_once() {
        let old = body(
            "  - {number: 'I.', title: Kết quả, body: Đoạn một của kết quả.}\n  - {number: 'II.', title: Tồn tại, body: Đoạn về tồn tại đã được giữ lại.}\n  - {number: 'III.', title: Kiến nghị, body: Đoạn kiến nghị bị bỏ.}\n",
        );
        // I is there twice (by anchor, then by title), II is renamed and its
        // paragraph moved into it, III is gone.
        let new = body(
            "  - {number: 'I.', title: Kết quả, body: Đoạn mới.}\n  - {number: 'IV.', title: Kết quả, body: Đoạn khác.}\n  - {number: 'V.', title: Hạn chế, body: Đoạn về tồn tại đã được giữ lại.}\n",
        );
        let c = compare_text(&PreparedText::new(&old), &PreparedText::new(&new));
        // I's paragraph beside the first later I only.
        let shown: Vec<&Vec<String>> = c.sections.iter().map(|s| &s.earlier).collect();
        assert_eq!(shown[0], &vec!["Đoạn một của kết quả.".to_string()]);
        assert!(shown[1..].iter().all(|e| e.is_empty()), "{shown:?}");
        // II's only paragraph is carried over, so II is listed nowhere;
        // III is listed with its paragraph.
        let dropped: Vec<(&str, &str, &Vec<String>)> = c
            .dropped
            .iter()
            .map(|d| (d.anchor.as_str(), d.label.as_str(), &d.paragraphs))
            .collect();
        assert_eq!(
            dropped,
            vec![(
                "muc-iii",
                "III. Kiến nghị",
                &vec!["Đoạn kiến nghị bị bỏ.".to_string()]
            )]
        );
    }

    #[test]
    fn changes_read_through_better() {
        let d = PartialDate::parse("2020").unwrap();
        let up = change(d, 100.0, 120.0, Better::Higher, false);
        assert_eq!(up.absolute, 20.0);
        assert_eq!(up.percent, Some(20.0));
        assert_eq!(up.verdict, Some(Verdict::Better));
        let lower = |a, b| change(d, a, b, Better::Lower, false).verdict;
        assert_eq!(lower(3.0, 3.5), Some(Verdict::Worse));
        assert_eq!(lower(3.5, 3.0), Some(Verdict::Better));
        assert_eq!(lower(5.0, 5.0), Some(Verdict::Same));
        assert_eq!(change(d, 0.0, 5.0, Better::Higher, false).percent, None);
        // Counts of activity have no good direction; a partial period is
        // not read against a whole one.
        let none = change(d, 42.0, 257.0, Better::None, false);
        assert_eq!((none.absolute, none.verdict), (215.0, None));
        let partial = change(d, 100.0, 120.0, Better::Higher, true);
        assert_eq!(
            (partial.absolute, partial.verdict, partial.partial),
            (20.0, None, true)
        );
    }

    #[test]
    fn a_period_is_cut_short_only_before_its_end() {
        let date = |s| PartialDate::parse(s).unwrap();
        let year = date("2020");
        assert!(year.cut_short_by(&date("2020-09")));
        assert!(year.cut_short_by(&date("2020-12-30")));
        assert!(!year.cut_short_by(&date("2020-12")));
        assert!(!year.cut_short_by(&date("2020-12-31")));
        assert!(!year.cut_short_by(&date("2020")));
        let june = date("2021-06");
        assert!(june.cut_short_by(&date("2021-06-15")));
        assert!(!june.cut_short_by(&date("2021-06-30")));
        assert!(!june.cut_short_by(&date("2021-06")));
        assert!(year.contains(&date("2020-09-30")));
        assert!(!year.contains(&date("2021-01")));
        assert!(!june.contains(&date("2021-07-01")));
    }

    #[test]
    fn share_of_target() {
        assert_eq!(
            achieved(Some(28101.0), Some(38000.0), Some(73.95), Better::Higher),
            Some(73.95)
        );
        let computed = achieved(Some(60.3), Some(61.0), None, Better::Higher).unwrap();
        assert!((computed - 98.852).abs() < 0.001);
        assert_eq!(achieved(Some(3.0), Some(3.2), None, Better::Lower), None);
        assert_eq!(achieved(None, Some(3.2), None, Better::Higher), None);
    }

    #[test]
    fn word_diff_gives_both_texts_back() {
        let old = "Năm 2021 tiếp nhận 800 đơn. Đã giải quyết 95%. Công tác dân vận được quan tâm.";
        let new = "Năm 2022 tiếp nhận 900 đơn. Đã giải quyết 95%. Công tác dân vận được quan tâm và nghiêm túc.";
        let (pieces, inserted) = word_diff(old, new).unwrap();
        let side = |skip: DiffKind| -> String {
            pieces
                .iter()
                .filter(|p| p.kind != skip)
                .map(|p| p.text.as_str())
                .collect()
        };
        assert_eq!(side(DiffKind::Ins), old);
        assert_eq!(side(DiffKind::Del), new);
        let kinds: Vec<(DiffKind, &str)> =
            pieces.iter().map(|p| (p.kind, p.text.as_str())).collect();
        assert_eq!(
            &kinds[..5],
            [
                (DiffKind::Same, "Năm "),
                (DiffKind::Del, "2021 "),
                (DiffKind::Ins, "2022 "),
                (DiffKind::Same, "tiếp nhận "),
                (DiffKind::Del, "800 ")
            ]
        );
        // "quan tâm." became "quan tâm và nghiêm túc.": 4 new words.
        assert_eq!(inserted, 2 + 4);
        // Unrelated paragraphs are not a rewording.
        assert!(word_diff(old, "Một đoạn hoàn toàn khác về chuyển đổi số.").is_none());
    }

    /// A later paragraph rewording an earlier one through word triples that
    /// many earlier paragraphs share (none rare) is still found, as the
    /// first of the earlier ones sharing most; one sharing too few triples
    /// with any is new.
    #[test]
    fn a_text_prepared_once_compares_as_later_then_as_earlier() {
        let a = body("  - {number: 'I.', title: Kết quả, body: \"Tổ chức 12 hội nghị đối thoại với nhân dân tại các xã.\\n\\nBan hành kế hoạch dân vận.\"}\n");
        let b = body("  - {number: 'I.', title: Kết quả, body: \"Tổ chức 15 hội nghị đối thoại trực tiếp với nhân dân tại các xã.\\n\\nMở lớp tập huấn cho cán bộ.\"}\n");
        let c = body("  - {number: 'I.', title: Kết quả, body: \"Tổ chức 15 hội nghị đối thoại trực tiếp với nhân dân tại các phường.\\n\\nMở lớp tập huấn cho cán bộ.\"}\n  - {number: 'II.', title: Tồn tại, body: Còn chậm.}\n");
        let (pa, pb, pc) = (
            PreparedText::new(&a),
            PreparedText::new(&b),
            PreparedText::new(&c),
        );
        let json = |t: TextComparison| serde_json::to_string(&t).unwrap();
        // `pb` is the later text, then the earlier: its look-ups, made on
        // the second use, give what a text prepared afresh gives.
        let first = json(compare_text(&pa, &pb));
        let second = json(compare_text(&pb, &pc));
        assert_eq!(
            first,
            json(compare_text(&PreparedText::new(&a), &PreparedText::new(&b)))
        );
        assert_eq!(
            second,
            json(compare_text(&PreparedText::new(&b), &PreparedText::new(&c)))
        );
        assert!(second.contains("\"unchanged\""), "{second}");
        assert!(second.contains("phường"), "{second}");
        assert!(first.contains("\"reworded\""), "{first}");
    }

    #[test]
    fn candidates_that_cannot_reach_the_threshold_change_nothing() {
        // Reports drawn from a few phrases, so that paragraphs share
        // common triples (in more than `RARE` earlier paragraphs) and rare
        // ones in every proportion, the later report's paragraphs partly
        // edited from the earlier's: compared with and without leaving out
        // the candidates whose rare votes and common triples together stay
        // under the rewording threshold.
        let phrases = [
            "công tác dân vận chính quyền",
            "được triển khai thường xuyên",
            "hội nghị tiếp xúc cử tri",
            "ở xã Đông Hòa",
            "năm 2021 đạt 73,95% kế hoạch",
            "theo Kế hoạch số 72-KH/TU",
        ];
        let mut rng = crate::TestRng::new(3);
        let paragraph = |rng: &mut crate::TestRng| {
            let n = 1 + rng.below(6);
            let words: Vec<&str> = (0..n)
                .map(|_| phrases[rng.below(phrases.len() as u64) as usize])
                .collect();
            format!("{} {}", words.join(" "), rng.below(30))
        };
        let as_body = |paragraphs: &[String]| {
            body(&format!(
                "  - {{number: 'I.', title: Kết quả, body: \"{}\"}}\n",
                paragraphs.join("\\n\\n")
            ))
        };
        let (mut pruned, mut reworded, mut new_ones) = (0, 0, 0);
        for _ in 0..100 {
            let old: Vec<String> = (0..10 + rng.below(30))
                .map(|_| paragraph(&mut rng))
                .collect();
            let new: Vec<String> = (0..1 + rng.below(20))
                .map(|_| match rng.below(3) {
                    0 => paragraph(&mut rng),
                    _ => {
                        let from = &old[rng.below(old.len() as u64) as usize];
                        let cut = from.len() / 2 + rng.below(from.len() as u64 / 2 + 1) as usize;
                        format!(
                            "{} {}",
                            &from[..from.floor_char_boundary(cut)],
                            paragraph(&mut rng)
                        )
                    }
                })
                .collect();
            let (old, new) = (
                PreparedText::new(&as_body(&old)),
                PreparedText::new(&as_body(&new)),
            );
            let (with, without) = (
                compare_text_pruned(&old, &new, true),
                compare_text_pruned(&old, &new, false),
            );
            assert_eq!(format!("{with:?}"), format!("{without:?}"));
            let later = with.sections.iter().flat_map(|s| &s.later);
            for p in later {
                reworded += usize::from(p.carried == Carried::Reworded);
                new_ones += usize::from(p.carried == Carried::New);
            }
            pruned += PRUNED.with(|n| n.replace(0));
        }
        // Both kinds of paragraph are met, and candidates are left out.
        assert!(reworded > 100 && new_ones > 100, "{reworded} {new_ones}");
        assert!(pruned > 100, "{pruned}");
    }

    #[test]
    fn rewording_through_common_triples_is_found() {
        let common =
            "Công tác dân vận chính quyền được các cấp triển khai thường xuyên và hiệu quả";
        // Ten earlier paragraphs: each triple of `common` is in all ten.
        let old_body: Vec<String> = (0..10).map(|k| format!("{common} đợt {k}.")).collect();
        let old = body(&format!(
            "  - {{number: 'I.', title: Kết quả, body: \"{}\"}}\n",
            old_body.join("\\n\\n")
        ));
        let new = body(&format!(
            "  - {{number: 'I.', title: Kết quả, body: \"{common} năm nay.\\n\\nMột đoạn hoàn toàn mới về hội nghị tiếp xúc cử tri ở xã.\"}}\n"
        ));
        let c = compare_text(&PreparedText::new(&old), &PreparedText::new(&new));
        let later = &c.sections[0].later;
        assert_eq!(later.len(), 2);
        assert_eq!(later[0].carried, Carried::Reworded, "{later:?}");
        assert!(later[0]
            .diff
            .iter()
            .any(|p| p.kind == DiffKind::Del && p.text.contains("đợt 0")));
        assert_eq!(later[1].carried, Carried::New);
        // The first earlier paragraph is carried over; the other nine are
        // shown beside.
        assert_eq!(c.sections[0].earlier.len(), 9);
        assert!(!c.sections[0].earlier.iter().any(|p| p.contains("đợt 0")));
    }

    /// A sentence replaced by an unrelated one reads as deleted and inserted
    /// whole, without islands of shared small words; an edited sentence is
    /// still diffed word by word.
    #[test]
    fn unrelated_sentences_are_replaced_whole() {
        let kept =
            "Đã giải quyết 95% hồ sơ đúng hạn trong năm. Công tác dân vận được các cấp quan tâm.";
        let old =
            format!("Kế hoạch số 3307/KH-UBND của tỉnh giao các chỉ tiêu cơ bản năm 2021. {kept}");
        let new = format!(
            "Tổ chức hội nghị trực tuyến về công tác phòng chống dịch của năm 2021. {kept}"
        );
        let (pieces, inserted) = word_diff(&old, &new).unwrap();
        let kinds: Vec<DiffKind> = pieces.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [DiffKind::Del, DiffKind::Ins, DiffKind::Same],
            "{pieces:?}"
        );
        assert_eq!(inserted, 15);
        // "của", "năm 2021" are in both: Myers would have kept them.
        assert!(pieces[0].text.contains("của tỉnh") && pieces[1].text.contains("của năm"));
        let edited = old.replace("các chỉ tiêu cơ bản", "các chỉ tiêu chủ yếu");
        let (pieces, inserted) = word_diff(&old, &edited).unwrap();
        assert_eq!(inserted, 2);
        assert_eq!(pieces[0].kind, DiffKind::Same);
        assert_eq!(
            pieces[0].text,
            "Kế hoạch số 3307/KH-UBND của tỉnh giao các chỉ tiêu "
        );
    }

    /// Long stretches are diffed within a bound on their size, not on time:
    /// what lies between their common start and end reads as replaced.
    #[test]
    fn long_stretches_are_bounded_by_size() {
        // One sentence of 3,000 words with one word changed: the common
        // start and end leave a single word to diff.
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let old = words.join(" ");
        let mut changed = words.clone();
        changed[1500] = "khác".into();
        let (pieces, inserted) = word_diff(&old, &changed.join(" ")).unwrap();
        assert_eq!(inserted, 1);
        let kinds: Vec<DiffKind> = pieces.iter().map(|p| p.kind).collect();
        use DiffKind::*;
        assert_eq!(kinds, [Same, Del, Ins, Same]);
        // Changes near both ends of it leave 2,998 × 2,998 words between
        // them, over the bound: replaced whole, so only 2 of 6,000 words
        // are shared and the paragraph reads as new, not reworded. (Myers
        // would have kept the 2,996 words in between.)
        let mut both = words.clone();
        both[1] = "đầu".into();
        both[2998] = "cuối".into();
        const { assert!(2998 * 2998 > MAX_DIFF_CELLS) };
        assert!(word_diff(&old, &both.join(" ")).is_none());
        // Split into sentences, the same changes are diffed sentence by
        // sentence and stay a rewording.
        let sentences = |w: &[String]| -> String {
            w.chunks(20)
                .map(|c| c.join(" "))
                .collect::<Vec<_>>()
                .join(". ")
        };
        let (pieces, inserted) = word_diff(&sentences(&words), &sentences(&both)).unwrap();
        assert_eq!(inserted, 2);
        assert_eq!(pieces.iter().filter(|p| p.kind == DiffKind::Del).count(), 2);
    }

    #[test]
    fn paragraphs_split_blocks_and_list_items() {
        let p = paragraphs("Mở đầu\ncâu hai.\n\n- một\n- hai\n\n- ba");
        assert_eq!(p, vec!["Mở đầu câu hai.", "- một", "- hai", "- ba"]);
    }
}
