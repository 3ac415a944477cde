//! Views of figures: an agency's series with changes and charts, an
//! indicator across agencies, a year's figures, and a report set beside the
//! agency's previous report.

use super::chart::{line_chart, Line};
use super::*;
use crate::compare::{change, compare_text, Figure, Point, PreparedText, Verdict};
use crate::model::{Better, Indicator, Rank, SeriesId};

/// Where a figure comes from: the report and the section.
#[derive(Serialize)]
struct Source {
    title: String,
    year: i32,
    url: String,
    /// The reporting agency, when the figure is about another agency.
    by: Option<String>,
}

#[derive(Serialize)]
struct SeriesRow {
    period: String,
    /// The part of the period the figure covers, when not the whole.
    through: Option<String>,
    value: Option<String>,
    target: Option<String>,
    achieved: Option<String>,
    achieved_stated: bool,
    change: Option<String>,
    change_percent: Option<String>,
    verdict: Option<Verdict>,
    /// The change sets a partial period beside another period.
    change_partial: bool,
    source: Source,
    superseded: Vec<Superseded>,
}

#[derive(Serialize)]
struct Superseded {
    value: Option<String>,
    source: Source,
}

#[derive(Serialize)]
struct SeriesView {
    id: String,
    label: String,
    unit: String,
    better: Better,
    url: String,
    chart: Option<String>,
    rows: Vec<SeriesRow>,
}

#[derive(Serialize)]
struct GroupView {
    group: String,
    series: Vec<SeriesView>,
}

/// A number with its sign for a page: "+250", and a fall with the minus
/// sign (U+2212) a reader sees as one, "−0,5" (downloads keep "-").
fn with_sign(value: f64, text: &str) -> String {
    match text.strip_prefix('-') {
        Some(magnitude) => format!("\u{2212}{magnitude}"),
        None if value > 0.0 => format!("+{text}"),
        None => text.to_string(),
    }
}

/// "+250 hồ sơ", "−0,5 điểm %": a change in the indicator's unit; for a
/// percentage the difference is in percentage points (`points`, the
/// interface's word for them).
fn signed(value: f64, unit: &str, points: &str) -> String {
    let n = with_sign(value, &format_number(value, 3));
    match unit {
        "%" => format!("{n} {points}"),
        "" => n,
        u => format!("{n} {u}"),
    }
}

fn signed_percent(value: f64) -> String {
    with_sign(value, &format_percent(value))
}

/// Agencies ranked on an indicator page per period; the CSV has them all.
const RANKED: usize = 50;

/// Most agencies drawn as separate lines in one chart.
const CHART_LINES: usize = 8;

impl Renderer<'_> {
    fn indicator(&self, i: IndicatorId) -> &Indicator {
        &self.content.indicators[i]
    }

    fn source(&self, f: &Figure) -> Source {
        let report = &self.content.reports[f.report];
        let mut url = urls::report(&report.slug);
        if let Some(anchor) = &f.anchor {
            url = format!("{url}#{anchor}");
        }
        let by = report
            .agency_id
            .filter(|&a| a != f.agency)
            .map(|a| self.content.agencies[a].short_name.clone());
        Source {
            title: report.title.clone(),
            year: report.year.value,
            url,
            by,
        }
    }

    fn point_row(&self, p: &Point, unit: &str) -> SeriesRow {
        let f = &self.comparisons.figures[p.figure];
        SeriesRow {
            period: f.period.iso(),
            through: self.through_text(f.through.as_ref()),
            value: figure_text(f.value, f.of, unit),
            target: f.target.map(|t| with_unit(t, unit)),
            achieved: f.achieved.map(format_percent),
            achieved_stated: f.achieved_stated,
            change: p
                .change
                .map(|c| signed(c.absolute, unit, self.t("percentage_points"))),
            change_percent: p.change.and_then(|c| c.percent).map(signed_percent),
            verdict: p.change.and_then(|c| c.verdict),
            change_partial: p.change.is_some_and(|c| c.partial),
            source: self.source(f),
            superseded: p
                .superseded
                .iter()
                .map(|&o| {
                    let old = &self.comparisons.figures[o];
                    Superseded {
                        value: figure_text(old.value, old.of, unit),
                        source: self.source(old),
                    }
                })
                .collect(),
        }
    }

    fn series_view(&self, s: SeriesId, with_chart: bool) -> SeriesView {
        let series = &self.comparisons.series[s];
        let ind = self.indicator(series.indicator);
        let agency = &self.content.agencies[series.agency];
        let chart = (with_chart && series.valued(&self.comparisons.figures) > 1).then(|| {
            let valued: Vec<&Figure> = series
                .points
                .iter()
                .map(|p| &self.comparisons.figures[p.figure])
                .filter(|f| f.value.is_some())
                .collect();
            let points: Vec<(String, f64)> = valued
                .iter()
                .filter_map(|f| f.value.map(|v| (f.period.iso(), v)))
                .collect();
            let partial: Vec<String> = valued
                .iter()
                .filter(|f| f.through.is_some())
                .map(|f| f.period.iso())
                .collect();
            let periods: Vec<String> = points.iter().map(|p| p.0.clone()).collect();
            let description = valued
                .iter()
                .map(|f| {
                    let mut text = format!(
                        "{}: {}",
                        f.period.iso(),
                        figure_text(f.value, f.of, &ind.unit).unwrap_or_default()
                    );
                    if let Some(through) = self.through_text(f.through.as_ref()) {
                        text.push_str(&format!(" (* {through})"));
                    }
                    text
                })
                .collect::<Vec<_>>()
                .join("; ");
            line_chart(
                &format!("{} — {}", ind.label, agency.short_name),
                &description,
                &ind.unit,
                &periods,
                &[Line {
                    label: agency.short_name.clone(),
                    points,
                    partial,
                }],
            )
        });
        SeriesView {
            id: ind.id.value.clone(),
            label: ind.label.clone(),
            unit: ind.unit.clone(),
            better: ind.better,
            url: urls::indicator(&ind.id.value),
            chart,
            rows: series
                .points
                .iter()
                .map(|p| self.point_row(p, &ind.unit))
                .collect(),
        }
    }

    /// Series of `series_ids` grouped by indicator group, in catalogue order.
    fn grouped(&self, series_ids: &[SeriesId]) -> Vec<GroupView> {
        let mut ids = series_ids.to_vec();
        ids.sort_by_key(|&s| self.comparisons.series[s].indicator);
        let mut groups: Vec<GroupView> = Vec::new();
        for s in ids {
            let group = self
                .indicator(self.comparisons.series[s].indicator)
                .group
                .clone();
            let view = self.series_view(s, true);
            match groups.iter_mut().find(|g| g.group == group) {
                Some(g) => g.series.push(view),
                None => groups.push(GroupView {
                    group,
                    series: vec![view],
                }),
            }
        }
        groups
    }

    pub(super) fn agency_view(&self, a: AgencyId) -> Value {
        let agency = &self.content.agencies[a];
        let reports = self.catalog.reports_of_agency(a);
        let mut by_year: BTreeMap<i32, Vec<Value>> = BTreeMap::new();
        for &r in reports {
            let comparison = self
                .comparisons
                .previous_report
                .contains_key(&r)
                .then(|| urls::comparison(&self.content.reports[r].slug));
            by_year
                .entry(self.content.reports[r].year.value)
                .or_default()
                .push(minijinja::context! { report => v(&self.report_link(r)), comparison => v(&comparison) });
        }
        let years: Vec<Value> = by_year
            .into_iter()
            .rev()
            .map(|(y, list)| minijinja::context! { year => v(&y), url => v(&urls::year(y)), reports => v(&list) })
            .collect();
        let parent = agency
            .parent
            .as_ref()
            .and_then(|p| self.agency(&p.value))
            .map(|p| minijinja::context! { name => v(&p.name), url => v(&urls::agency(&p.slug)) });
        let children: Vec<Value> = self
            .catalog
            .agencies()
            .iter()
            .map(|&i| &self.content.agencies[i])
            .filter(|c| c.parent.as_ref().is_some_and(|p| p.value == agency.slug))
            .map(|c| minijinja::context! { name => v(&c.name), url => v(&urls::agency(&c.slug)) })
            .collect();
        let series = self
            .comparisons
            .series_by_agency
            .get(&a)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        minijinja::context! {
            name => v(&agency.name),
            short_name => v(&agency.short_name),
            province => v(&self.catalog.province(self.catalog.province_of(a)).name),
            province_url => v(&urls::province(&self.catalog.province(self.catalog.province_of(a)).slug)),
            level => v(&agency.level.as_str()),
            sector => v(&agency.sector),
            website => v(&web_url(agency.website.as_ref().map(|u| u.value.as_str()))),
            parent => v(&parent),
            children => v(&children),
            years => v(&years),
            report_count => v(&reports.len()),
            groups => v(&self.grouped(series)),
            csv => v(&(!series.is_empty()).then(|| urls::agency_csv(&agency.slug))),
        }
    }

    pub(super) fn indicator_view(&self, i: IndicatorId) -> Value {
        let ind = self.indicator(i);
        let series_ids = self
            .comparisons
            .series_by_indicator
            .get(&i)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        // Agencies of one sector side by side, sector by sector.
        let mut series: Vec<SeriesId> = series_ids.to_vec();
        let agency_of = |s: SeriesId| &self.content.agencies[self.comparisons.series[s].agency];
        let agency_rank = |s: SeriesId| self.catalog.agency_rank(self.comparisons.series[s].agency);
        series.sort_by_cached_key(|&s| {
            (
                crate::vietnamese::sort_key(&agency_of(s).sector),
                agency_rank(s),
            )
        });
        let mut periods: Vec<PartialDate> = series
            .iter()
            .flat_map(|&s| {
                self.comparisons.series[s]
                    .points
                    .iter()
                    .map(|p| self.comparisons.figures[p.figure].period)
            })
            .collect();
        periods.sort();
        periods.dedup();
        let period_labels: Vec<String> = periods.iter().map(|p| p.iso()).collect();

        let matrix: Vec<Value> = series
            .iter()
            .map(|&s| {
                let sr = &self.comparisons.series[s];
                let agency = &self.content.agencies[sr.agency];
                let cells: Vec<Option<Value>> = periods
                    .iter()
                    .map(|period| {
                        sr.points
                            .iter()
                            .find(|p| self.comparisons.figures[p.figure].period == *period)
                            .map(|p| {
                                let f = &self.comparisons.figures[p.figure];
                                minijinja::context! {
                                    value => v(&figure_text(f.value, f.of, &ind.unit)),
                                    through => v(&self.through_text(f.through.as_ref())),
                                    target => v(&f.target.map(|x| with_unit(x, &ind.unit))),
                                    achieved => v(&f.achieved.map(format_percent)),
                                    url => v(&self.source(f).url),
                                }
                            })
                    })
                    .collect();
                minijinja::context! {
                    agency => v(&agency.name),
                    agency_url => v(&urls::agency(&agency.slug)),
                    province => v(&agency.province.value),
                    sector => v(&agency.sector),
                    cells => v(&cells),
                }
            })
            .collect();

        // Rankings only where the catalogue allows them: per period, most
        // recent first, of every agency or of each sector's agencies; a
        // figure of a partial period is listed but not ranked.
        let ranked_groups: Vec<(Option<&str>, Vec<SeriesId>)> = match (ind.better, ind.rank) {
            (Better::None, _) | (_, Rank::None) => Vec::new(),
            (_, Rank::All) => vec![(None, series.clone())],
            (_, Rank::Sector) => {
                let mut groups: Vec<(Option<&str>, Vec<SeriesId>)> = Vec::new();
                for &s in &series {
                    let sector = agency_of(s).sector.as_str();
                    match groups.last_mut() {
                        Some((Some(g), list)) if *g == sector => list.push(s),
                        _ => groups.push((Some(sector), vec![s])),
                    }
                }
                groups
            }
        };
        let mut rankings: Vec<Value> = Vec::new();
        for period in periods.iter().rev() {
            for (sector, members) in &ranked_groups {
                let mut entries: Vec<(SeriesId, &Point)> = members
                    .iter()
                    .filter_map(|&s| {
                        self.comparisons.series[s]
                            .points
                            .iter()
                            .find(|p| self.comparisons.figures[p.figure].period == *period)
                            .map(|p| (s, p))
                    })
                    .collect();
                let rankable = |p: &Point| {
                    let f = &self.comparisons.figures[p.figure];
                    f.value.filter(|_| f.through.is_none())
                };
                entries.sort_by(|a, b| {
                    let order = match (rankable(a.1), rankable(b.1)) {
                        (Some(x), Some(y)) => {
                            let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                            if ind.better == Better::Higher {
                                o.reverse()
                            } else {
                                o
                            }
                        }
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    };
                    order.then(a.0.cmp(&b.0))
                });
                let mut rank = 0;
                let shown = entries.len().min(RANKED);
                let rows: Vec<Value> = entries[..shown]
                    .iter()
                    .map(|(s, p)| {
                        let agency = &self.content.agencies[self.comparisons.series[*s].agency];
                        let row = self.point_row(p, &ind.unit);
                        let ranked = rankable(p).is_some();
                        if ranked {
                            rank += 1;
                        }
                        minijinja::context! {
                            rank => v(&ranked.then_some(rank)),
                            agency => v(&agency.name),
                            agency_url => v(&urls::agency(&agency.slug)),
                            province => v(&agency.province.value),
                            row => v(&row),
                        }
                    })
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let id = match sector {
                    Some(sector) => {
                        format!("ky-{}-{}", period.iso(), crate::vietnamese::slugify(sector))
                    }
                    None => format!("ky-{}", period.iso()),
                };
                rankings.push(minijinja::context! {
                    id => v(&id),
                    period => v(&period.iso()),
                    sector => v(sector),
                    rows => v(&rows),
                    more => v(&(entries.len() - shown)),
                });
            }
        }

        let lines: Vec<Line> = series
            .iter()
            .map(|&s| {
                let sr = &self.comparisons.series[s];
                let figures = || {
                    sr.points
                        .iter()
                        .map(|p| &self.comparisons.figures[p.figure])
                        .filter(|f| f.value.is_some())
                };
                Line {
                    label: self.content.agencies[sr.agency].short_name.clone(),
                    points: figures()
                        .filter_map(|f| f.value.map(|x| (f.period.iso(), x)))
                        .collect(),
                    partial: figures()
                        .filter(|f| f.through.is_some())
                        .map(|f| f.period.iso())
                        .collect(),
                }
            })
            .filter(|l| !l.points.is_empty())
            .collect();
        // More lines than colours cannot be told apart: chart the highest,
        // median and lowest figure of each period instead (the table below
        // has every agency).
        let summarised = lines.len() > CHART_LINES;
        let lines = if summarised {
            self.summary_lines(&lines, &period_labels)
        } else {
            lines
        };
        let legend: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(k, l)| minijinja::context! { label => v(&l.label), key => Value::from_safe_string(super::chart::legend_key(k)) })
            .collect();
        let chart = (!lines.is_empty()).then(|| {
            let description = lines
                .iter()
                .map(|l| {
                    let pts: Vec<String> = l
                        .points
                        .iter()
                        .map(|(p, x)| format!("{p}: {}", with_unit(*x, &ind.unit)))
                        .collect();
                    format!("{} — {}", l.label, pts.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ");
            line_chart(&ind.label, &description, &ind.unit, &period_labels, &lines)
        });
        minijinja::context! {
            id => v(&ind.id.value),
            label => v(&ind.label),
            unit => v(&ind.unit),
            group => v(&ind.group),
            better => v(&ind.better),
            rank => v(&ind.rank.as_str()),
            description => v(&ind.description),
            periods => v(&period_labels),
            matrix => v(&matrix),
            rankings => v(&rankings),
            chart => v(&chart),
            legend => v(&legend),
            summarised => v(&summarised.then_some(series.len())),
            csv => v(&(!series.is_empty()).then(|| urls::indicator_csv(&ind.id.value))),
        }
    }

    /// Highest, median and lowest value of each period over `lines`, of
    /// the figures that cover their whole period.
    fn summary_lines(&self, lines: &[Line], periods: &[String]) -> Vec<Line> {
        let mut by_period: Vec<Vec<f64>> = vec![Vec::new(); periods.len()];
        for l in lines {
            for (p, x) in l.points.iter().filter(|(p, _)| !l.partial.contains(p)) {
                if let Some(k) = periods.iter().position(|q| q == p) {
                    by_period[k].push(*x);
                }
            }
        }
        for values in &mut by_period {
            values.sort_by(f64::total_cmp);
        }
        let pick = |label: &str, f: fn(&[f64]) -> f64| Line {
            label: self.t(label).to_string(),
            points: periods
                .iter()
                .zip(&by_period)
                .filter(|(_, v)| !v.is_empty())
                .map(|(p, v)| (p.clone(), f(v)))
                .collect(),
            partial: Vec::new(),
        };
        vec![
            pick("chart_highest", |v| v[v.len() - 1]),
            pick("chart_median", |v| {
                let n = v.len();
                if n % 2 == 1 {
                    v[n / 2]
                } else {
                    (v[n / 2 - 1] + v[n / 2]) / 2.0
                }
            }),
            pick("chart_lowest", |v| v[0]),
        ]
    }

    pub(super) fn indicators_view(&self) -> Value {
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for (i, ind) in self.content.indicators.iter() {
            let series = self
                .comparisons
                .series_by_indicator
                .get(&i)
                .map_or(0, Vec::len);
            let entry = minijinja::context! {
                label => v(&ind.label),
                unit => v(&ind.unit),
                url => v(&urls::indicator(&ind.id.value)),
                agencies => v(&series),
            };
            match groups.iter_mut().find(|g| g.0 == ind.group) {
                Some(g) => g.1.push(entry),
                None => groups.push((ind.group.clone(), vec![entry])),
            }
        }
        let groups: Vec<Value> = groups
            .into_iter()
            .map(|(group, list)| minijinja::context! { group => v(&group), indicators => v(&list) })
            .collect();
        minijinja::context! { groups => v(&groups) }
    }

    /// An agency's figures, indicator by indicator, each series giving the
    /// points `keep` keeps (it is given a point and whether it is the
    /// series' latest): rows of a figures table.
    fn indicator_rows(&self, a: AgencyId, keep: impl Fn(&Point, bool) -> bool) -> Vec<Value> {
        let mut rows = Vec::new();
        for &s in self
            .comparisons
            .series_by_agency
            .get(&a)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let sr = &self.comparisons.series[s];
            let ind = self.indicator(sr.indicator);
            let last = sr.points.len().saturating_sub(1);
            for (i, p) in sr.points.iter().enumerate() {
                if !keep(p, i == last) {
                    continue;
                }
                rows.push(minijinja::context! {
                    label => v(&ind.label),
                    url => v(&urls::indicator(&ind.id.value)),
                    row => v(&self.point_row(p, &ind.unit)),
                });
            }
        }
        rows
    }

    /// An agency's latest figure of each indicator.
    pub(super) fn latest_rows(&self, a: AgencyId) -> Vec<Value> {
        self.indicator_rows(a, |_, latest| latest)
    }

    pub(super) fn year_view(&self, year: i32) -> Value {
        let reports: Vec<ReportLink> = self
            .catalog
            .reports_of_year(year)
            .iter()
            .map(|&r| self.report_link(r))
            .collect();
        let years: Vec<i32> = self.catalog.years().map(|(y, _)| y).collect();
        let pos = years.iter().position(|&y| y == year);
        let prev = pos.and_then(|p| p.checked_sub(1)).map(|p| years[p]);
        let next = pos.and_then(|p| years.get(p + 1)).copied();
        // The year's figures, agency by agency.
        let agencies: Vec<Value> = self
            .catalog
            .agencies()
            .iter()
            .filter_map(|&a| {
                let rows = self.indicator_rows(a, |p, _| {
                    self.comparisons.figures[p.figure].period.year == year
                });
                (!rows.is_empty()).then(|| {
                    let agency = &self.content.agencies[a];
                    minijinja::context! {
                        name => v(&agency.name),
                        url => v(&urls::agency(&agency.slug)),
                        rows => v(&rows),
                    }
                })
            })
            .collect();
        minijinja::context! {
            year => v(&year),
            reports => v(&reports),
            figures => v(&agencies),
            prev => v(&prev.map(|y| minijinja::context! { year => v(&y), url => v(&urls::year(y)) })),
            next => v(&next.map(|y| minijinja::context! { year => v(&y), url => v(&urls::year(y)) })),
        }
    }

    /// A part's heading on a comparison page: its number and title, or
    /// what it is when it has none (the opening, the closing). Given by the
    /// view, not a template macro: a macro call per part cost about as much
    /// as the part's own markup.
    fn part_title<'s>(&'s self, anchor: &str, label: &'s str) -> &'s str {
        match anchor {
            _ if !label.is_empty() => label,
            crate::model::INTRO_ANCHOR => self.t("part_opening"),
            crate::model::CLOSING_ANCHOR => self.t("part_closing"),
            _ => self.t("part_untitled"),
        }
    }

    /// The comparison of report `later` with `earlier`, from their texts
    /// (`old`, `new`).
    pub(super) fn comparison_view(
        &self,
        earlier: ReportId,
        later: ReportId,
        old: &PreparedText,
        new: &PreparedText,
    ) -> Value {
        let text = compare_text(old, new);
        // Figures of both reports, indicator by indicator.
        let figures_of = |r: ReportId| -> Vec<&Figure> {
            self.comparisons
                .figures_by_report
                .get(&r)
                .map(|list| list.iter().map(|&i| &self.comparisons.figures[i]).collect())
                .unwrap_or_default()
        };
        let (old_figures, new_figures) = (figures_of(earlier), figures_of(later));
        let mut indicators: Vec<IndicatorId> = old_figures
            .iter()
            .chain(new_figures.iter())
            .map(|f| f.indicator)
            .collect();
        indicators.sort();
        indicators.dedup();
        // The figure a report gives for its own year, else its latest period.
        let pick = |list: &[&Figure], i: IndicatorId, year: i32| -> Option<Figure> {
            let mut of: Vec<&&Figure> = list
                .iter()
                .filter(|f| f.indicator == i && f.value.is_some())
                .collect();
            of.sort_by_key(|f| (f.period.year == year, f.period));
            of.last().map(|f| (**f).clone())
        };
        let (old_year, new_year) = (
            self.content.reports[earlier].year.value,
            self.content.reports[later].year.value,
        );
        let rows: Vec<Value> = indicators
            .iter()
            .map(|&i| {
                let ind = self.indicator(i);
                let (a, b) = (
                    pick(&old_figures, i, old_year),
                    pick(&new_figures, i, new_year),
                );
                // Each report's own figure, and when a later report revised
                // it, which one and to what: the series pages show the
                // revised figure, this page both.
                let cell = |f: &Option<Figure>| {
                    f.as_ref().map(|f| {
                        let revised = f.superseded_by.map(|w| {
                            let winner = &self.comparisons.figures[w];
                            minijinja::context! {
                                text => v(&self.t("revised_by")
                                    .replace("{year}", &self.content.reports[winner.report].year.value.to_string())
                                    .replace("{period}", &f.period.iso())
                                    .replace("{value}", &figure_text(winner.value, winner.of, &ind.unit).unwrap_or_else(|| "—".into()))),
                                url => v(&self.source(winner).url),
                            }
                        });
                        minijinja::context! {
                            period => v(&f.period.iso()),
                            through => v(&self.through_text(f.through.as_ref())),
                            value => v(&figure_text(f.value, f.of, &ind.unit)),
                            url => v(&self.source(f).url),
                            revised => v(&revised),
                        }
                    })
                };
                let (x, y) = (
                    a.as_ref().and_then(|f| f.value),
                    b.as_ref().and_then(|f| f.value),
                );
                let partial = [&a, &b]
                    .iter()
                    .any(|f| f.as_ref().is_some_and(|f| f.through.is_some()));
                // The one rule of the series pages, from the earlier report's
                // figure to the later's.
                let change = match (&a, x, y) {
                    (Some(a), Some(x), Some(y)) => Some(change(a.period, x, y, ind.better, partial)),
                    _ => None,
                };
                minijinja::context! {
                    label => v(&ind.label),
                    url => v(&urls::indicator(&ind.id.value)),
                    earlier => v(&cell(&a)),
                    later => v(&cell(&b)),
                    change => v(&change.map(|c| signed(c.absolute, &ind.unit, self.t("percentage_points")))),
                    change_percent => v(&change.and_then(|c| c.percent).map(signed_percent)),
                    change_partial => v(&change.is_some_and(|c| c.partial)),
                    verdict => v(&change.and_then(|c| c.verdict)),
                }
            })
            .collect();
        let sections: Vec<Value> = text
            .sections
            .iter()
            .map(|s| {
                let later: Vec<Value> = s
                    .later
                    .iter()
                    .map(|p| minijinja::context! { carried => v(&p.carried), text => v(&p.text), diff => v(&p.diff) })
                    .collect();
                minijinja::context! {
                    anchor => v(&s.anchor),
                    label => v(&s.label),
                    title => v(self.part_title(&s.anchor, &s.label)),
                    depth => v(&s.depth),
                    earlier => v(&s.earlier),
                    later => v(&later),
                }
            })
            .collect();
        let dropped: Vec<Value> = text
            .dropped
            .iter()
            .map(|d| {
                minijinja::context! {
                    anchor => v(&d.anchor),
                    label => v(&d.label),
                    title => v(self.part_title(&d.anchor, &d.label)),
                    depth => v(&d.depth),
                    paragraphs => v(&d.paragraphs),
                }
            })
            .collect();
        minijinja::context! {
            earlier => v(&self.report_link(earlier)),
            later => v(&self.report_link(later)),
            dropped => v(&dropped),
            new_share => v(&format_percent(text.new_share())),
            words => v(&format_number(text.words as f64, 0)),
            new_words => v(&format_number(text.new_words as f64, 0)),
            unchanged_words => v(&format_number(text.unchanged_words as f64, 0)),
            sections => v(&sections),
            figures => v(&rows),
        }
    }
}
