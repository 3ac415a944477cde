//! Render stage, charts: inline SVG line charts drawn at build time, readable
//! with no JavaScript, with `<title>` and `<desc>` for screen readers (the
//! table beside each chart is its full accessible equivalent).
//!
//! Written by hand: the charting crates render to files or need a runtime;
//! what is needed here is a few lines of deterministic SVG text.

use crate::vietnamese::format_number;
use std::fmt::Write;

/// One line of a chart.
pub struct Line {
    /// Legend label (an agency name).
    pub label: String,
    /// (period label, value) in period order.
    pub points: Vec<(String, f64)>,
    /// Periods whose figure covers only part of the period ("9 tháng đầu
    /// năm"): drawn as a hollow point with its value marked `*`, so that
    /// it is not read as a whole period (the caller says what `*` means).
    pub partial: Vec<String>,
}

const PALETTE: [&str; 8] = [
    "#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#4b5563",
];

/// The colour of the `k`-th line, for legends drawn outside the chart.
pub fn color(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// A "nice" step for about `n` ticks over `span`: 1, 2 or 5 × 10^k.
fn nice_step(span: f64, n: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / n;
    let magnitude = 10f64.powf(raw.log10().floor());
    let residual = raw / magnitude;
    let nice = if residual <= 1.0 {
        1.0
    } else if residual <= 2.0 {
        2.0
    } else if residual <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// The chart's drawing width in SVG units. A chart is drawn at most
/// [`MAX_CSS_WIDTH`] CSS px wide (the style sheet's `.chart-box`), and on a
/// 375 px phone at about 343 px: text of [`FONT`] units is then 12.4 CSS px
/// on the phone and 16 px at most on a wide screen.
pub const WIDTH: f64 = 360.0;
/// The widest a chart is shown, in CSS px (`.chart-box { max-width }`).
pub const MAX_CSS_WIDTH: f64 = 448.0;
/// The size of every text of a chart, in SVG units.
pub const FONT: f64 = 13.0;
/// About how wide a character of chart text is, in SVG units: labels are
/// spaced so that none overlaps the next.
const CHAR_W: f64 = FONT * 0.62;

/// Dash patterns, one per line, so that lines differ in black and white.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "9 3 2 3"];

/// How a line's points are drawn: a marker shape per line, so that lines
/// differ in black and white too.
fn marker(k: usize, cx: f64, cy: f64, fill: &str, color: &str) -> String {
    match k % 4 {
        0 => format!(
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="4" fill="{fill}" stroke="{color}" stroke-width="2">"#
        ),
        1 => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{fill}" stroke="{color}" stroke-width="2">"#,
            cx - 4.0,
            cy - 4.0
        ),
        2 => format!(
            r#"<polygon points="{cx:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="{color}" stroke-width="2">"#,
            cy - 5.0,
            cx + 5.0,
            cy + 4.0,
            cx - 5.0,
            cy + 4.0
        ),
        _ => format!(
            r#"<polygon points="{cx:.1},{:.1} {:.1},{cy:.1} {cx:.1},{:.1} {:.1},{cy:.1}" fill="{fill}" stroke="{color}" stroke-width="2">"#,
            cy - 5.0,
            cx + 5.0,
            cy + 5.0,
            cx - 5.0
        ),
    }
}

/// The closing tag of [`marker`]'s element.
fn marker_end(k: usize) -> &'static str {
    match k % 4 {
        0 => "</circle>",
        1 => "</rect>",
        _ => "</polygon>",
    }
}

/// A legend key for the `k`-th line: its colour, dash and marker, as a
/// small inline SVG (decorative: the legend's text names the line).
pub fn legend_key(k: usize) -> String {
    let color = color(k);
    let dash = DASHES[k % DASHES.len()];
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    format!(
        r#"<svg class="swatch" viewBox="0 0 28 12" aria-hidden="true"><line x1="0" x2="28" y1="6" y2="6" stroke="{color}" stroke-width="2.5"{dash}/>{}{}</svg>"#,
        marker(k, 14.0, 6.0, color, color),
        marker_end(k)
    )
}

/// The text width of `label` in SVG units, about.
fn text_width(label: &str) -> f64 {
    label.chars().count() as f64 * CHAR_W
}

/// Every `stride`-th of `n` labels `width` apart fits labels as wide as
/// `widest` with a gap between them.
fn stride(n: usize, spacing: f64, widest: f64) -> usize {
    if n <= 1 || spacing <= 0.0 {
        return 1;
    }
    ((widest + FONT * 0.5) / spacing).ceil().max(1.0) as usize
}

/// Draws a line chart; `periods` gives the x axis in order. Returns SVG
/// text. The y axis is titled with `unit`; period labels and value labels
/// are thinned out so that no two overlap; a chart of several lines
/// labels no values (its table gives them), each line has its own dash
/// and marker ([`legend_key`]).
pub fn line_chart(
    title: &str,
    description: &str,
    unit: &str,
    periods: &[String],
    lines: &[Line],
) -> String {
    let (width, height) = (WIDTH, 230.0);
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .collect();
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    let (lo, hi) = if values.is_empty() {
        (0.0, 1.0)
    } else {
        let lo = min.min(0.0);
        let hi = if max > lo { max } else { lo + 1.0 };
        (lo, hi)
    };
    let step = nice_step(hi - lo, 4.0);
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;
    let tick_label = |v: f64| {
        if unit == "%" {
            format!("{}%", format_number(v, 2))
        } else {
            format_number(v, 2)
        }
    };
    let mut ticks = Vec::new();
    let mut tick = lo;
    while tick <= hi + step / 2.0 && ticks.len() < 20 {
        ticks.push(tick);
        tick += step;
    }
    let widest_tick = ticks
        .iter()
        .map(|&t| text_width(&tick_label(t)))
        .fold(0.0, f64::max);
    let value_label = |v: f64| {
        if unit == "%" {
            format!("{}%", format_number(v, 2))
        } else {
            format_number(v, 3)
        }
    };
    // The first and last points' labels are centred on them: room for half.
    let widest_value = values
        .iter()
        .map(|&v| text_width(&value_label(v)) + CHAR_W)
        .fold(0.0, f64::max);
    // Room for the widest tick label, whose glyphs ("%") may be wider than the estimate.
    let left = (widest_tick * 1.15 + 10.0).max(28.0);
    let right = (widest_value / 2.0).max(text_width("0000") / 2.0) + 4.0;
    let (top, bottom) = (FONT * 2.6, FONT * 2.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x = |i: usize| -> f64 {
        if periods.len() <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (periods.len() - 1) as f64
        }
    };
    let y = |v: f64| -> f64 { top + plot_h * (1.0 - (v - lo) / (hi - lo)) };
    let spacing = if periods.len() > 1 {
        plot_w / (periods.len() - 1) as f64
    } else {
        plot_w
    };

    let mut svg = String::new();
    let id = crate::vietnamese::slugify(title);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="c-{id}-t c-{id}-d" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}"><title id="c-{id}-t">{}</title><desc id="c-{id}-d">{}</desc>"#,
        escape(title),
        escape(description)
    );
    // The axis title: what the numbers count.
    if !unit.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="2" y="{FONT}" fill="#59636e">{}</text>"##,
            escape(unit)
        );
    }
    // Grid and y labels, thinned out when the plot is short.
    let tick_stride = stride(ticks.len(), plot_h / (ticks.len().max(2) - 1) as f64, FONT);
    for (n, &tick) in ticks.iter().enumerate() {
        let ty = y(tick);
        let _ = write!(
            svg,
            r##"<line x1="{left:.1}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}" stroke="#d8dee4"/>"##,
            width - right,
        );
        if n % tick_stride == 0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#59636e">{}</text>"##,
                left - 6.0,
                ty + FONT * 0.35,
                escape(&tick_label(tick))
            );
        }
    }
    let widest_period = periods.iter().map(|p| text_width(p)).fold(0.0, f64::max);
    let period_stride = stride(periods.len(), spacing, widest_period);
    let last = periods.len().saturating_sub(1);
    for (i, p) in periods.iter().enumerate() {
        // The latest period is always labelled; one too close before it is not.
        let shown = if i == last {
            true
        } else {
            i % period_stride == 0 && (last - i) >= period_stride
        };
        if shown {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#59636e">{}</text>"##,
                x(i),
                height - FONT * 0.6,
                escape(p)
            );
        }
    }
    let label_values = lines.len() == 1;
    // The first point's label starts at the point (centred, it would run
    // into the y axis's labels), so it may reach one and a half widths on.
    let value_stride = stride(periods.len(), spacing, widest_value * 1.5);
    for (k, line) in lines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let coords: Vec<(usize, f64, f64, f64)> = line
            .points
            .iter()
            .filter_map(|(period, v)| {
                periods
                    .iter()
                    .position(|p| p == period)
                    .map(|i| (i, x(i), y(*v), *v))
            })
            .collect();
        if coords.len() > 1 {
            let path: Vec<String> = coords
                .iter()
                .map(|(_, cx, cy, _)| format!("{cx:.1},{cy:.1}"))
                .collect();
            let dash = DASHES[k % DASHES.len()];
            let dash = if dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{dash}""#)
            };
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{color}" stroke-width="2.5"{dash} points="{}"/>"#,
                path.join(" ")
            );
        }
        let last_point = coords.last().map(|c| c.0);
        for ((i, cx, cy, v), (period, _)) in coords.iter().zip(&line.points) {
            let mut label = value_label(*v);
            let fill = if line.partial.contains(period) {
                label.push('*');
                "#fff"
            } else {
                color
            };
            let _ = write!(
                svg,
                r#"{}<title>{}: {}</title>{}"#,
                marker(k, *cx, *cy, fill, color),
                escape(&line.label),
                escape(&label),
                marker_end(k)
            );
            let shown = Some(*i) == last_point
                || (i % value_stride == 0 && last_point.is_none_or(|l| l - i >= value_stride));
            if label_values && shown {
                // Above the point, or below it when the point is at the top.
                let ly = if *cy - FONT < top - FONT * 0.8 {
                    cy + FONT * 1.3
                } else {
                    cy - FONT * 0.7
                };
                let (lx, anchor) = if *i == 0 && periods.len() > 1 {
                    (cx + 3.0, "start")
                } else {
                    (*cx, "middle")
                };
                let _ = write!(
                    svg,
                    r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" fill="{color}">{}</text>"#,
                    escape(&label)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many periods and long values: no two labels of the x axis or of
    /// the values overlap, at the sizes [`text_width`] estimates.
    #[test]
    fn labels_never_overlap() {
        let periods: Vec<String> = (2001..=2024).map(|y| y.to_string()).collect();
        let points: Vec<(String, f64)> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), 1_234_567.0 + i as f64 * 1000.0))
            .collect();
        let svg = line_chart(
            "t",
            "d",
            "người",
            &periods,
            &[Line {
                label: "A".into(),
                points,
                partial: vec![],
            }],
        );
        let re = regex::Regex::new(
            r#"<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="middle"[^>]*>([^<]+)</text>"#,
        )
        .unwrap();
        let mut rows: std::collections::BTreeMap<String, Vec<(f64, f64)>> = Default::default();
        for c in re.captures_iter(&svg) {
            let x: f64 = c[1].parse().unwrap();
            let w = text_width(&c[3]);
            rows.entry(c[2].to_string())
                .or_default()
                .push((x - w / 2.0, x + w / 2.0));
        }
        assert!(!rows.is_empty());
        for spans in rows.values_mut() {
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in spans.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "{spans:?}");
            }
            for s in spans.iter() {
                assert!(s.0 >= 0.0 && s.1 <= WIDTH, "inside the chart: {s:?}");
            }
        }
        // The latest period and value are labelled.
        assert!(svg.contains(">2024</text>"));
        assert!(svg.contains(">1.257.567</text>"));
    }

    #[test]
    fn lines_differ_by_dash_and_marker() {
        let line = |label: &str| Line {
            label: label.into(),
            points: vec![("2020".into(), 1.0), ("2021".into(), 2.0)],
            partial: vec![],
        };
        let svg = line_chart(
            "t",
            "d",
            "%",
            &["2020".into(), "2021".into()],
            &[line("a"), line("b"), line("c")],
        );
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("<polygon").count(), 2);
        assert!(legend_key(1).contains("stroke-dasharray=\"6 3\""));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(38000.0, 4.0), 10000.0);
        assert_eq!(nice_step(7.0, 4.0), 2.0);
        assert_eq!(nice_step(0.5, 4.0), 0.2);
    }

    #[test]
    fn chart_has_title_desc_points_and_escaped_labels() {
        let svg = line_chart(
            "Hồ sơ <đúng hạn>",
            "Tăng từ 1.000 lên 1.250",
            "hồ sơ",
            &["2020".into(), "2021".into()],
            &[Line {
                label: "Sở A & B".into(),
                points: vec![("2020".into(), 1000.0), ("2021".into(), 1250.0)],
                partial: vec!["2021".into()],
            }],
        );
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("<title id=\"c-ho-so-dung-han-t\">Hồ sơ &lt;đúng hạn&gt;</title>"));
        assert!(svg.contains("<desc id=\"c-ho-so-dung-han-d\">Tăng từ 1.000 lên 1.250</desc>"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(
            svg.contains(">hồ sơ</text>"),
            "the axis is titled with the unit"
        );
        // The partial period's point is hollow and marked.
        assert!(svg.contains(">1.250*</text>"));
        assert!(svg.contains(">1.000</text>"));
        assert_eq!(svg.matches("fill=\"#fff\"").count(), 1);
        assert!(svg.contains("Sở A &amp; B: 1.250*"));
        assert!(svg.contains("<polyline"));
    }
}
