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

/// Draws a line chart; `periods` gives the x axis in order. Returns SVG text.
pub fn line_chart(
    title: &str,
    description: &str,
    unit: &str,
    periods: &[String],
    lines: &[Line],
) -> String {
    let (width, height) = (480.0, 240.0);
    let (left, right, top, bottom) = (60.0, 24.0, 20.0, 32.0);
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

    let mut svg = String::new();
    let id = crate::vietnamese::slugify(title);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="c-{id}-t c-{id}-d" xmlns="http://www.w3.org/2000/svg"><title id="c-{id}-t">{}</title><desc id="c-{id}-d">{}</desc>"#,
        escape(title),
        escape(description)
    );
    // Grid and y labels.
    let mut tick = lo;
    let mut guard = 0;
    while tick <= hi + step / 2.0 && guard < 20 {
        let ty = y(tick);
        let label = if unit == "%" {
            format!("{}%", format_number(tick, 2))
        } else {
            format_number(tick, 2)
        };
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{ty:.1}" y2="{ty:.1}" stroke="#d8dee4"/><text x="{}" y="{:.1}" text-anchor="end" font-size="12" fill="#59636e">{}</text>"##,
            width - right,
            left - 6.0,
            ty + 4.0,
            escape(&label)
        );
        tick += step;
        guard += 1;
    }
    for (i, p) in periods.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="12" fill="#59636e">{}</text>"##,
            x(i),
            height - 12.0,
            escape(p)
        );
    }
    for (k, line) in lines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let coords: Vec<(f64, f64, f64)> = line
            .points
            .iter()
            .filter_map(|(period, v)| {
                periods
                    .iter()
                    .position(|p| p == period)
                    .map(|i| (x(i), y(*v), *v))
            })
            .collect();
        if coords.len() > 1 {
            let path: Vec<String> = coords
                .iter()
                .map(|(cx, cy, _)| format!("{cx:.1},{cy:.1}"))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{}"/>"#,
                path.join(" ")
            );
        }
        for ((cx, cy, v), (period, _)) in coords.iter().zip(&line.points) {
            let mut label = if unit == "%" {
                format!("{}%", format_number(*v, 2))
            } else {
                format_number(*v, 3)
            };
            let fill = if line.partial.contains(period) {
                label.push('*');
                "#fff"
            } else {
                color
            };
            let _ = write!(
                svg,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="4" fill="{fill}" stroke="{color}" stroke-width="2"><title>{}: {}</title></circle><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{color}">{}</text>"#,
                escape(&line.label),
                escape(&label),
                cy - 8.0,
                escape(&label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // The partial period's point is hollow and marked.
        assert!(svg.contains(">1.250*</text>"));
        assert!(svg.contains(">1.000</text>"));
        assert_eq!(svg.matches("fill=\"#fff\"").count(), 1);
        assert!(svg.contains("Sở A &amp; B: 1.250*"));
        assert!(svg.contains("<polyline"));
    }
}
