//! Every panel stays legible at every size, read off its SVG: each `<text>` lies inside the
//! canvas and no two overlap (tick labels, axis descriptions, titles, legends, colour scales), on a
//! phone (390 CSS pixels wide, down to the bifurcation page's 92-pixel Lyapunov strip) as on a
//! desktop. Text boxes are measured with the same widths the layout uses (DejaVu Sans, one of the
//! widest common sans-serif fonts).

use eoslab_core::{parse_json, run, Output};
use eoslab_figure::surface::{text_height, text_width};
use eoslab_figure::svg::panel_svg;
use eoslab_figure::{panels, Options};

/// A `<text>` element's box in pixels: (left, top, right, bottom), and its text.
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// The attribute `name` of an SVG tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The boxes of every `<text>` of a document written by plotters' SVG backend.
fn text_boxes(svg: &str) -> Vec<TextBox> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let tag = &t[..t.find('>').unwrap()];
            let escaped = t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim();
            let text =
                escaped.replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            let number = |name: &str| attribute(tag, name).unwrap().parse::<f64>().unwrap();
            let (x, y, size) = (number("x"), number("y"), number("font-size"));
            let (w, h) = (text_width(&text, size), text_height(size));
            let left = match attribute(tag, "text-anchor").unwrap() {
                "start" => 0.0,
                "middle" => -w / 2.0,
                _ => -w,
            };
            let top = match attribute(tag, "dy").unwrap() {
                "0.76em" => 0.0,
                "0.5ex" => -h / 2.0,
                _ => -h,
            };
            // Relative to the anchor (x, y): [left, left + w] × [top, top + h]; turned a quarter
            // anticlockwise about the anchor, (dx, dy) goes to (dy, −dx).
            let (l, t, r, b) = match attribute(tag, "transform") {
                Some(turn) if turn.starts_with("rotate(270") => (top, -(left + w), top + h, -left),
                Some(other) => panic!("unexpected transform {other}"),
                None => (left, top, left + w, top + h),
            };
            TextBox { text, left: x + l, top: y + t, right: x + r, bottom: y + b }
        })
        .collect()
}

/// The texts that leave a `width × height` canvas, and the pairs that overlap (by more than half
/// a pixel each way, for rounding).
fn problems(svg: &str, width: f64, height: f64) -> Vec<String> {
    let boxes = text_boxes(svg);
    let mut out = Vec::new();
    for b in &boxes {
        if b.left < -0.5 || b.top < -0.5 || b.right > width + 0.5 || b.bottom > height + 0.5 {
            out.push(format!("{:?} leaves the canvas: {b:?}", b.text));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap_x = a.right.min(b.right) - a.left.max(b.left);
            let overlap_y = a.bottom.min(b.bottom) - a.top.max(b.top);
            if overlap_x > 0.5 && overlap_y > 0.5 {
                out.push(format!("{:?} overlaps {:?}", a.text, b.text));
            }
        }
    }
    out
}

fn result(spec: &str) -> Output {
    run(&parse_json(spec).unwrap()).unwrap()
}

/// One result of each kind with panels, each in a setting that fills its panels.
fn results() -> Vec<Output> {
    let u0 = -0.1 / 0.5f64.sqrt();
    [
        r#"{"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 1000}"#.to_string(),
        r#"{"kind": "trajectory", "eta": 0.2, "steps": 200, "objective": {"name": "unstable_convergence"}}"#.to_string(),
        r#"{"kind": "flow", "eta": 0.5, "x0": [0.3], "steps": 200}"#.to_string(),
        format!(r#"{{"kind": "self_stabilization", "eta": 0.1, "steps": 200, "x0": [0.3, {u0}, 0], "objective": {{"name": "self_stabilization_toy", "alpha": 1, "beta": 1, "eta": 0.1}}}}"#),
        r#"{"kind": "bifurcation", "eta_min": 0.5, "eta_max": 2.3, "n_eta": 80, "transient": 300, "record": 32}"#.to_string(),
        r#"{"kind": "basin", "objective": {"name": "unstable_convergence", "which": "f4"}, "eta": 0.4, "nx": 30, "ny": 30, "steps": 300}"#.to_string(),
        r#"{"kind": "sweep", "eta_min": 0.2, "eta_max": 2.4, "n_eta": 23, "x0": [0.5]}"#.to_string(),
        r#"{"kind": "sweep", "eta_min": 0.2, "eta_max": 2.4, "n_eta": 12, "x0": [0.5], "parameter": {"name": "mu", "min": 0.5, "max": 2, "n": 4}}"#.to_string(),
        r#"{"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4}"#.to_string(),
        r#"{"kind": "curvature", "x": [0.5]}"#.to_string(),
        r#"{"kind": "orbit", "eta": 1.1, "period": 2, "start": [1.2]}"#.to_string(),
    ]
    .iter()
    .map(|s| result(s))
    .collect()
}

#[test]
fn no_text_overlaps_or_leaves_the_canvas_on_a_phone_or_a_desktop() {
    let sizes = [(390, 260), (390, 92), (390, 390), (640, 400), (1100, 320)];
    let mut found = Vec::new();
    for r in results() {
        let kind = eoslab_figure::panels::kind(&r);
        for panel in panels(kind).unwrap() {
            for (w, h) in sizes {
                let Ok((svg, _)) = panel_svg(panel.name, &r, w, h, &Options::default()) else {
                    continue; // a panel this objective does not have (landscape of a 2-D one)
                };
                found.extend(problems(&svg, w as f64, h as f64).into_iter().map(|p| format!("{kind} {} at {w}×{h}: {p}", panel.name)));
            }
        }
    }
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

#[test]
fn the_overlap_check_sees_overlaps() {
    // Two labels at the same place, one past the right edge, one turned past the top.
    let svg = r#"<text x="10" y="10" dy="0.76em" text-anchor="start" font-size="10">
200
</text><text x="12" y="12" dy="0.76em" text-anchor="start" font-size="10">
200
</text><text x="99" y="50" dy="0.76em" text-anchor="middle" font-size="10">
1000
</text><text x="90" y="5" dy="0.76em" text-anchor="middle" font-size="10" transform="rotate(270, 90, 5)">
loss
</text>"#;
    let p = problems(svg, 100.0, 100.0);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p[0].contains("\"1000\" leaves") && p[1].contains("\"loss\" leaves") && p[2].contains("\"200\" overlaps \"200\""), "{p:?}");
}
