//! The History page's charts, drawn as SVG from the series the core
//! computed: lines over time (p95 per endpoint with its target,
//! certificate days left per host, uptime of the health endpoint) and
//! stacked bars of findings by severity per run. Built from numbers and
//! escaped names only, so the markup carries nothing a page could inject.

use handover_model::{HistorySeries, RunPoint};
use sycamore::prelude::*;

use super::logic::metric_value;

/// The drawing's size in CSS pixels (it scales with its box).
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 200.0;
/// Room for the value labels left of the plot and the dates under it.
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 20.0;
/// How many line colours the stylesheet defines (`--0` … `--5`).
const COLOURS: usize = 6;
/// Severity stacks, bottom up, with the run's count index.
const STACK: [(&str, usize); 4] = [("blocker", 0), ("high", 1), ("medium", 2), ("low", 3)];

/// A line chart with its legend, or nothing when no series has a point.
pub fn line_chart(
    testid: &'static str,
    title: &'static str,
    series: &[HistorySeries],
    date: fn(i64) -> String,
) -> View {
    let Some(svg) = line_svg(series, date) else {
        return view! {
            figure(class="history-chart history-chart--empty", data-testid=testid) {
                figcaption(class="history-chart__title") { (title) }
                p(class="history-chart__none") { "Nothing measured yet." }
            }
        };
    };
    let legend = legend(series);
    view! {
        figure(class="history-chart", data-testid=testid) {
            figcaption(class="history-chart__title") { (title) }
            div(class="history-chart__plot", role="img", aria-label=title, dangerously_set_inner_html=svg)
            ul(class="history-chart__legend") { (legend) }
        }
    }
}

fn legend(series: &[HistorySeries]) -> Vec<View> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let swatch = format!(
                "history-chart__swatch history-chart__swatch--{}",
                i % COLOURS
            );
            let mut text = s.name.clone();
            if let Some(target) = s.target {
                text.push_str(&format!(" · target {}", metric_value(target, &s.unit)));
            }
            view! { li { span(class=swatch, aria-hidden="true") (text) } }
        })
        .collect()
}

/// Escapes text for SVG markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Maps run times to x: oldest at the left, newest at the right, a single
/// run in the middle.
fn x_scale(first: i64, last: i64) -> impl Fn(i64) -> f64 {
    move |ms| {
        if last <= first {
            LEFT + (WIDTH - LEFT) / 2.0
        } else {
            LEFT + (ms - first) as f64 / (last - first) as f64 * (WIDTH - LEFT - 8.0)
        }
    }
}

fn svg_open() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"history-chart__svg\">"
    )
}

/// The axes: a baseline, the top value and the first and last dates.
fn axes(top: &str, first: i64, last: i64, date: fn(i64) -> String) -> String {
    let plot = HEIGHT - BOTTOM;
    let mut out = format!(
        "<line class=\"history-chart__axis\" x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{plot}\" y2=\"{plot}\"/>\
         <text class=\"history-chart__tick\" x=\"{}\" y=\"12\" text-anchor=\"end\">{}</text>\
         <text class=\"history-chart__tick\" x=\"{}\" y=\"{plot}\" text-anchor=\"end\">0</text>\
         <text class=\"history-chart__tick\" x=\"{LEFT}\" y=\"{HEIGHT}\">{}</text>",
        LEFT - 4.0,
        escape(top),
        LEFT - 4.0,
        escape(&date(first)),
    );
    if last > first {
        out.push_str(&format!(
            "<text class=\"history-chart__tick\" x=\"{WIDTH}\" y=\"{HEIGHT}\" text-anchor=\"end\">{}</text>",
            escape(&date(last))
        ));
    }
    out
}

/// The line chart's markup, or `None` when no series has a point.
pub fn line_svg(series: &[HistorySeries], date: fn(i64) -> String) -> Option<String> {
    let times = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let first = times.clone().min()?;
    let last = times.max()?;
    let unit = series.first().map_or("", |s| s.unit.as_str());
    let highest = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1).chain(s.target))
        .fold(0.0_f64, f64::max);
    // A share runs to 100 %; anything else leaves a tenth of headroom.
    let top = if unit == "%" {
        highest.max(100.0)
    } else {
        (highest * 1.1).max(f64::MIN_POSITIVE)
    };
    let plot = HEIGHT - BOTTOM;
    let x = x_scale(first, last);
    let y = |v: f64| plot - (v / top).clamp(0.0, 1.0) * (plot - 8.0);
    let mut out = svg_open();
    out.push_str(&axes(&metric_value(top, unit), first, last, date));
    for (i, s) in series.iter().enumerate() {
        let colour = i % COLOURS;
        if let Some(target) = s.target {
            let ty = y(target);
            out.push_str(&format!(
                "<line class=\"history-chart__target history-chart__target--{colour}\" x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"><title>{} target: {}</title></line>",
                escape(&s.name),
                escape(&metric_value(target, &s.unit)),
            ));
        }
        let d = s
            .points
            .iter()
            .enumerate()
            .map(|(n, (ms, v))| {
                let command = if n == 0 { 'M' } else { 'L' };
                format!("{command}{:.1} {:.1}", x(*ms), y(*v))
            })
            .collect::<Vec<_>>()
            .join(" ");
        if d.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "<path class=\"history-chart__line history-chart__line--{colour}\" d=\"{d}\"><title>{}</title></path>",
            escape(&s.name)
        ));
        for (ms, v) in &s.points {
            out.push_str(&format!(
                "<circle class=\"history-chart__point history-chart__point--{colour}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>{}: {} ({})</title></circle>",
                x(*ms),
                y(*v),
                escape(&s.name),
                escape(&metric_value(*v, &s.unit)),
                escape(&date(*ms)),
            ));
        }
    }
    out.push_str("</svg>");
    Some(out)
}

/// Findings by severity per run, as stacked bars with their legend.
pub fn severity_chart(runs: &[RunPoint], date: fn(i64) -> String) -> View {
    let title = "Findings by severity per run";
    let Some(svg) = stacked_svg(runs, date) else {
        return view! {
            figure(class="history-chart history-chart--empty", data-testid="chart-severity") {
                figcaption(class="history-chart__title") { (title) }
                p(class="history-chart__none") { "No run yet." }
            }
        };
    };
    let legend = STACK
        .iter()
        .map(|(name, _)| *name)
        .chain(std::iter::once("inconclusive"))
        .map(|name| {
            let swatch = format!("history-bars__swatch history-bars__seg--{name}");
            let label = if name == "inconclusive" {
                "could not check"
            } else {
                name
            };
            view! { li { span(class=swatch, aria-hidden="true") (label) } }
        })
        .collect::<Vec<_>>();
    view! {
        figure(class="history-chart", data-testid="chart-severity") {
            figcaption(class="history-chart__title") { (title) }
            div(class="history-chart__plot", role="img", aria-label=title, dangerously_set_inner_html=svg)
            ul(class="history-chart__legend") { (legend) }
        }
    }
}

/// The stacked bars' markup, or `None` without runs.
pub fn stacked_svg(runs: &[RunPoint], date: fn(i64) -> String) -> Option<String> {
    let first = runs.first()?.started_ms;
    let last = runs.last()?.started_ms;
    let total = |r: &RunPoint| r.by_severity.iter().sum::<u32>() + r.inconclusive;
    let tallest = runs.iter().map(total).max().unwrap_or(0).max(1);
    let plot = HEIGHT - BOTTOM;
    let slot = (WIDTH - LEFT - 8.0) / runs.len() as f64;
    let bar = (slot * 0.7).clamp(1.0, 24.0);
    let h = |n: u32| f64::from(n) / f64::from(tallest) * (plot - 8.0);
    let mut out = svg_open();
    out.push_str(&axes(&tallest.to_string(), first, last, date));
    for (i, run) in runs.iter().enumerate() {
        let left = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut top = plot;
        let segments = STACK
            .iter()
            .map(|(name, k)| (*name, run.by_severity[*k]))
            .chain(std::iter::once(("inconclusive", run.inconclusive)));
        for (name, n) in segments.filter(|(_, n)| *n > 0) {
            let height = h(n);
            top -= height;
            out.push_str(&format!(
                "<rect class=\"history-bars__seg history-bars__seg--{name}\" x=\"{left:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\"><title>{}: {n} {name}</title></rect>",
                escape(&date(run.started_ms)),
            ));
        }
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(ms: i64) -> String {
        format!("t{ms}")
    }

    fn series(name: &str, target: Option<f64>, points: Vec<(i64, f64)>) -> HistorySeries {
        HistorySeries {
            name: name.into(),
            unit: "ms".into(),
            target,
            points,
        }
    }

    #[test]
    fn a_line_per_series_with_its_target_and_points() {
        let s = vec![
            series(
                "chat p95 <api>",
                Some(2_000.0),
                vec![(0, 1_800.0), (10, 2_600.0)],
            ),
            series("health p95", None, vec![(10, 90.0)]),
        ];
        let svg = line_svg(&s, date).unwrap();
        assert_eq!(svg.matches("<path").count(), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(
            svg.matches("<line class=\"history-chart__target ").count(),
            1
        );
        assert!(svg.contains("chat p95 &lt;api&gt;") && !svg.contains("<api>"));
        assert!(svg.contains(">t0<") && svg.contains(">t10<"));
        // The first point is at the left edge of the plot, the last at the right.
        assert!(svg.contains("d=\"M56.0 "), "{svg}");
    }

    #[test]
    fn nothing_is_drawn_without_points() {
        assert!(line_svg(&[series("x", None, Vec::new())], date).is_none());
        assert!(stacked_svg(&[], date).is_none());
    }

    #[test]
    fn severities_stack_per_run() {
        let runs = vec![
            RunPoint {
                run_id: 1,
                started_ms: 0,
                by_severity: [1, 2, 0, 3],
                inconclusive: 1,
            },
            RunPoint {
                run_id: 2,
                started_ms: 5,
                by_severity: [0, 0, 0, 0],
                inconclusive: 0,
            },
        ];
        let svg = stacked_svg(&runs, date).unwrap();
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("history-bars__seg--inconclusive"));
        assert!(
            svg.contains(">7</text>"),
            "the tallest run is the top: {svg}"
        );
    }
}
