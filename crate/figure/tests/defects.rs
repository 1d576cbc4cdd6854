//! Issue 10's plot defects, each checked on the SVG a panel draws (the same document the page's
//! "save as SVG", `panelSVG` and `eoslab figure` give). Overlapping and clipped labels at every
//! size are checked in tests/legible.rs.

use eoslab_core::scans::basin::Basin;
use eoslab_core::{parse_json, run, Output};
use eoslab_figure::svg::panel_svg;
use eoslab_figure::{basin_image, Options, Pinned};

fn result(spec: &str) -> Output {
    run(&parse_json(spec).unwrap()).unwrap()
}

fn svg(panel: &str, r: &Output, options: &Options) -> (String, eoslab_figure::PlotRect) {
    panel_svg(panel, r, 640, 400, options).unwrap()
}

/// The text of every `<text>` whose tag contains `attribute`.
fn texts_with(svg: &str, attribute: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter(|t| t[..t.find('>').unwrap()].contains(attribute))
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim().to_string())
        .collect()
}

/// The vertical axis' tick labels (the only right-anchored texts).
fn y_labels(svg: &str) -> Vec<String> {
    texts_with(svg, r#"text-anchor="end""#)
}

fn has_text(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

#[test]
fn log_axis_labels_enclose_the_whole_loss() {
    // GD on the double well at η = 0.5 converges fast: its loss falls from 0.1 to 1e-24 in six steps.
    let r = result(r#"{"kind": "trajectory", "eta": 0.5, "x0": [0.5], "steps": 40}"#);
    let Output::Trajectory(t) = &r else { unreachable!() };
    let smallest = t.loss.iter().copied().filter(|&l| l > 0.0).fold(f64::INFINITY, f64::min);
    let largest = t.loss.iter().copied().fold(0.0, f64::max);
    assert!(smallest < 1e-20, "{smallest}");
    for panel in ["loss", "regimes"] {
        let (out, rect) = svg(panel, &r, &Options::default());
        let labels: Vec<f64> = y_labels(&out).iter().map(|l| l.parse::<f64>().unwrap_or_else(|_| panic!("{l:?}"))).collect();
        let (lo, hi) = (labels.iter().copied().fold(f64::INFINITY, f64::min), labels.iter().copied().fold(0.0, f64::max));
        assert!(lo <= smallest && hi >= largest, "{panel}: labels {labels:?} must enclose [{smallest}, {largest}]");
        assert!(rect.y_log && rect.y_min <= smallest && rect.y_max >= largest, "{panel}: {rect:?}");
        // One format: every label reads 1eN.
        assert!(y_labels(&out).iter().all(|l| l.starts_with("1e")), "{:?}", y_labels(&out));
    }
}

#[test]
fn each_axis_labels_its_ticks_in_one_format() {
    // The flow's distance falls from 1e-1 to rounding noise (a log axis); the sharpness panel's
    // values are around 2 (a linear axis): within each, one format and one number of decimals.
    let r = result(r#"{"kind": "flow", "eta": 0.5, "x0": [0.3], "steps": 200}"#);
    let (out, _) = svg("distance", &r, &Options::default());
    assert!(y_labels(&out).iter().all(|l| l.starts_with("1e")), "{:?}", y_labels(&out));
    let (out, _) = svg("sharpness", &r, &Options::default());
    let decimals: Vec<usize> = y_labels(&out).iter().filter(|l| *l != "0").map(|l| l.split('.').nth(1).map_or(0, str::len)).collect();
    assert!(decimals.len() > 2 && decimals.iter().all(|&d| d == decimals[0]), "{:?}", y_labels(&out));
}

#[test]
fn a_diverged_heavy_ball_run_neither_sets_the_range_nor_hides() {
    // Heavy ball at η = 2.5, β = 0.2 on the double well: 2.5 · f″(1) = 5 > 2 + 2β, so it diverges.
    let heavy = result(r#"{"kind": "trajectory", "eta": 2.5, "x0": [0.9], "steps": 60, "momentum": 0.2}"#);
    let Output::Trajectory(hb) = &heavy else { unreachable!() };
    let step = match hb.outcome {
        eoslab_core::orbit::Outcome::Diverged { step } => step,
        ref other => panic!("the heavy-ball run should diverge: {other:?}"),
    };
    let r = result(r#"{"kind": "flow", "eta": 0.5, "x0": [0.3], "steps": 120}"#);
    let Output::Flow(flow) = &r else { unreachable!() };
    let options = Options { heavy_ball: Some(heavy.clone()), ..Options::default() };
    let (out, rect) = svg("loss", &r, &options);
    let largest = flow.gd_loss.iter().chain(&flow.flow_loss).copied().fold(0.0, f64::max);
    let heavy_largest = hb.loss.iter().copied().fold(0.0, f64::max);
    assert!(heavy_largest > 1e3 * largest, "the run blows up: {heavy_largest} vs {largest}");
    // The range is GD's and the flow's, widened by at most a decade (and whole decades).
    assert!(rect.y_max <= 100.0 * largest && rect.y_max >= largest, "{rect:?} vs {largest}");
    assert!(has_text(&out, &format!("heavy ball β = 0.2 (diverged at step {step})")), "the legend says it diverged");
    assert!(has_text(&out, "diverged"), "where it leaves the axis is marked");
}

#[test]
fn legends_cover_no_data() {
    // The flow's loss falls from the upper left: the legend goes where no point is.
    let r = result(r#"{"kind": "flow", "eta": 0.5, "x0": [0.3], "steps": 120}"#);
    let Output::Flow(flow) = &r else { unreachable!() };
    let (out, rect) = svg("loss", &r, &Options::default());
    // The legend box is the last half-transparent rectangle: read its corners.
    let legend = out.lines().rfind(|l| l.starts_with("<rect") && l.contains("opacity=\"0.85\"")).expect("a legend box over the plot");
    let number = |name: &str| legend.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse::<f64>().unwrap();
    let (x0, y0, w, h) = (number("x"), number("y"), number("width"), number("height"));
    let points = flow.time.iter().zip(flow.gd_loss.iter().chain(&flow.flow_loss)).map(|(&t, &l)| rect.pixel(t, l));
    let covered = points.filter(|&(x, y)| x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h).count();
    assert_eq!(covered, 0, "legend at ({x0}, {y0}) {w}×{h} covers {covered} points");
}

#[test]
fn heat_maps_have_a_colour_scale() {
    let scan = result(r#"{"kind": "bifurcation", "eta_min": 0.5, "eta_max": 2.2, "n_eta": 60, "transient": 300, "record": 32}"#);
    let (out, _) = svg("diagram", &scan, &Options::default());
    for label in ["share of a start's samples", "1 sample", "6%", "≥ 12.5%"] {
        assert!(has_text(&out, &label.replace('\'', "&apos;")), "no {label:?} on the density's scale");
    }
    let plane = result(r#"{"kind": "trajectory", "eta": 0.2, "steps": 50, "objective": {"name": "unstable_convergence"}}"#);
    let (out, _) = svg("plane", &plane, &Options::default());
    assert!(has_text(&out, "f − min f over the view") && has_text(&out, "0"), "the plane's scale");
}

#[test]
fn the_basin_legend_shows_exactly_the_colours_of_the_map() {
    let r = result(
        r#"{"kind": "basin", "objective": {"name": "unstable_convergence", "which": "f4"}, "eta": 0.4, "nx": 30, "ny": 30, "steps": 300}"#,
    );
    let Output::Basin(map) = &r else { unreachable!() };
    let legend = basin_image::legend(map, &[true; 30]);
    let mut drawn: Vec<[u8; 3]> = basin_image::raster(map, &[true; 30], 30, 30).chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
    drawn.sort();
    drawn.dedup();
    let mut listed: Vec<[u8; 3]> = legend.iter().map(|e| e.1).collect();
    listed.sort();
    assert_eq!(listed, drawn, "{legend:?}");
    // f₄'s two minima ±(a, a) show as two shades of each convergence class, each named.
    let stable: Vec<&String> = legend.iter().map(|e| &e.0).filter(|l| l.starts_with("stable convergence → (")).collect();
    assert_eq!(stable.len(), 2, "{legend:?}");
    let (out, _) = svg("map", &r, &Options::default());
    for (label, _) in &legend {
        assert!(has_text(&out, label), "the map's legend lacks {label:?}");
    }
    // While the map streams in, the legend lists the colours of the rows present only.
    for rows in [1, 3, 12] {
        assert_eq!(colours(&legend_of(map, rows)), drawn_colours(map, rows), "{rows} rows");
    }
}

/// The legend of the first `rows` rows of a map (rows arrive in chunks).
fn legend_of(map: &Basin, rows: usize) -> Vec<(String, [u8; 3])> {
    let filled: Vec<bool> = (0..map.y.len()).map(|j| j < rows).collect();
    basin_image::legend(map, &filled)
}

fn colours(legend: &[(String, [u8; 3])]) -> Vec<[u8; 3]> {
    let mut c: Vec<[u8; 3]> = legend.iter().map(|e| e.1).collect();
    c.sort();
    c.dedup();
    c
}

/// The distinct colours of the opaque pixels of the map's image with its first `rows` rows.
fn drawn_colours(map: &Basin, rows: usize) -> Vec<[u8; 3]> {
    let filled: Vec<bool> = (0..map.y.len()).map(|j| j < rows).collect();
    let (w, h) = (map.x.len(), map.y.len());
    let mut c: Vec<[u8; 3]> =
        basin_image::raster(map, &filled, w, h).chunks(4).filter(|p| p[3] == 255).map(|p| [p[0], p[1], p[2]]).collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn dark_mode_draws_light_on_dark() {
    let r = result(r#"{"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 100}"#);
    let (out, _) = svg("landscape", &r, &Options { dark: true, ..Options::default() });
    assert!(out.lines().nth(1).unwrap().contains(r##"fill="#18181B""##), "{}", out.lines().nth(1).unwrap());
    assert!(!texts_with(&out, r##"fill="#000000""##).iter().any(|t| !t.is_empty()), "no black text on the dark ground");
}

#[test]
fn pinned_runs_are_drawn_faded_and_named() {
    let current = result(r#"{"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 100}"#);
    let earlier = result(r#"{"kind": "trajectory", "eta": 0.5, "x0": [0.5], "steps": 100}"#);
    let options = Options { pinned: vec![Pinned { label: "η = 0.5".into(), result: earlier }], ..Options::default() };
    for panel in ["loss", "sharpness"] {
        let (out, _) = svg(panel, &current, &options);
        assert!(has_text(&out, "η = 0.5") && has_text(&out, "this run"), "{panel}: the legend names both runs");
        // The pinned run is a faded grey line (opacity 0.45 of #7F7F7F).
        assert!(
            out.lines().any(|l| l.starts_with("<polyline") && l.contains(r##"opacity="0.45" stroke="#7F7F7F""##)),
            "{panel}: no faded line"
        );
    }
    let (alone, _) = svg("loss", &current, &Options::default());
    assert!(!has_text(&alone, "this run"), "no legend without pinned runs");
}
