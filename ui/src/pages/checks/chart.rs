//! A measure's histogram, drawn: bars of the samples the core counted
//! (`Measure::bins`), the measured value as a marked line (the p95 of a
//! latency probe) and, when the finding names one, its target. The SVG is
//! built from numbers only, so it carries nothing a page could inject.

use handover_model::{Finding, Measure};
use sycamore::prelude::*;

/// The drawing's size in CSS pixels (it scales with its box).
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 140.0;
/// Room for the axis labels under the bars.
const AXIS: f64 = 18.0;

/// The histogram of `measure` within `finding` (whose `target_ms`, if
/// any, is drawn too); nothing when the measure has no bins.
pub fn histogram(finding: &Finding, measure: &Measure) -> Option<View> {
    let svg = svg_markup(finding, measure)?;
    let label = format!(
        "{} distribution: {} bars, {} {}",
        measure.name,
        measure.bins.len(),
        measure.value.round(),
        measure.unit
    );
    let name = measure.name.clone();
    let text = caption(finding, measure);
    Some(view! {
        figure(class="histogram", data-testid="histogram", data-measure=name) {
            div(class="histogram__plot", aria-label=label, dangerously_set_inner_html=svg)
            figcaption(class="histogram__caption") { (text) }
        }
    })
}

/// The caption: what the bars are and the lines drawn over them.
fn caption(finding: &Finding, measure: &Measure) -> String {
    let samples: u32 = measure.bins.iter().map(|b| b.count).sum();
    let mut text = format!(
        "{samples} answers by response time; the line marks {} = {:.0} {}",
        measure.name, measure.value, measure.unit
    );
    if let Some(target) = target(finding) {
        text.push_str(&format!(
            ", the dashed line the {target:.0} {} target",
            measure.unit
        ));
    }
    text
}

fn target(finding: &Finding) -> Option<f64> {
    finding
        .measured
        .iter()
        .find(|m| m.name == "target_ms")
        .map(|m| m.value)
}

/// The SVG markup, or `None` without bins.
pub fn svg_markup(finding: &Finding, measure: &Measure) -> Option<String> {
    let bins = &measure.bins;
    let last = bins.last()?;
    let target = target(finding);
    // The x axis runs to the last bar's bound, or the target if it is further.
    let span = last.upper.max(target.unwrap_or(0.0)).max(f64::MIN_POSITIVE);
    let tallest = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let plot = HEIGHT - AXIS;
    let x = |v: f64| (v / span * WIDTH).clamp(0.0, WIDTH);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" class=\"histogram__svg\">"
    );
    let mut lower = 0.0;
    for bin in bins {
        let (left, right) = (x(lower), x(bin.upper));
        let h = f64::from(bin.count) / tallest * (plot - 4.0);
        out.push_str(&format!(
            "<rect class=\"histogram__bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{:.0}–{:.0} {}: {}</title></rect>",
            left + 0.5,
            plot - h,
            (right - left - 1.0).max(0.5),
            lower,
            bin.upper,
            measure.unit,
            bin.count
        ));
        lower = bin.upper;
    }
    let value = x(measure.value);
    out.push_str(&format!(
        "<line class=\"histogram__value\" x1=\"{value:.1}\" x2=\"{value:.1}\" y1=\"0\" y2=\"{plot}\"/>"
    ));
    if let Some(t) = target {
        let t = x(t);
        out.push_str(&format!(
            "<line class=\"histogram__target\" x1=\"{t:.1}\" x2=\"{t:.1}\" y1=\"0\" y2=\"{plot}\"/>"
        ));
    }
    out.push_str(&format!(
        "<line class=\"histogram__axis\" x1=\"0\" x2=\"{WIDTH}\" y1=\"{plot}\" y2=\"{plot}\"/>\
         <text class=\"histogram__tick\" x=\"0\" y=\"{HEIGHT}\">0</text>\
         <text class=\"histogram__tick\" x=\"{WIDTH}\" y=\"{HEIGHT}\" text-anchor=\"end\">{span:.0} {}</text></svg>",
        measure.unit
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{Bin, Finding, Outcome, Severity};

    fn finding(measured: Vec<Measure>) -> Finding {
        Finding {
            check: "latency.chat".into(),
            target: "https://api.example.test/chat".into(),
            host: "api.example.test".into(),
            port: None,
            severity: Severity::High,
            outcome: Outcome::Judged,
            title: "t".into(),
            detail: String::new(),
            evidence: Vec::new(),
            measured,
        }
    }

    fn p95(bins: Vec<Bin>) -> Measure {
        Measure {
            name: "p95_ms".into(),
            value: 180.0,
            unit: "ms".into(),
            bins,
        }
    }

    #[test]
    fn bars_the_value_line_and_the_target_line_are_drawn() {
        let m = p95((1..=4)
            .map(|i| Bin {
                upper: f64::from(i) * 50.0,
                count: i,
            })
            .collect());
        let target = Measure {
            name: "target_ms".into(),
            value: 250.0,
            unit: "ms".into(),
            bins: Vec::new(),
        };
        let f = finding(vec![m.clone(), target]);
        let svg = svg_markup(&f, &m).unwrap();
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("histogram__value") && svg.contains("histogram__target"));
        // The axis runs to the target (250), beyond the last bar (200).
        assert!(svg.contains(">250 ms</text>"), "{svg}");
        assert!(caption(&f, &m).starts_with("10 answers by response time"));
    }

    #[test]
    fn a_measure_without_bins_draws_nothing() {
        let m = p95(Vec::new());
        assert!(svg_markup(&finding(vec![m.clone()]), &m).is_none());
    }
}
