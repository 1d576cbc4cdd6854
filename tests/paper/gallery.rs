//! The paper gallery's inventory (www/papers/figures.json, described in docs/gallery.md): every
//! figure of the five papers, with the claim it supports, the eoslab specs that compute it today
//! and each claim as a numeric check. This harness validates the inventory (vocabulary, ids
//! complete per paper against www/papers/papers.json, capabilities documented in
//! docs/gallery.md), runs every listed spec through the core and asserts every check: a claim
//! marked `"holds": true` must hold, one marked `"holds": false` (a recorded contradiction) must
//! still fail, and the value recorded beside it must still be what the core computes (to 1%,
//! or the check's `value_tol`: 10% for networks at the edge of stability, whose runs are chaotic).

use eoslab_core::{parse_json, run_parallel};
use serde_json::{Map, Value};

const FIGURES: &str = include_str!("../../www/papers/figures.json");
const PAPERS: &str = include_str!("../../www/papers/papers.json");
const GALLERY_DOC: &str = include_str!("../../docs/gallery.md");

const STATUSES: [&str; 3] = ["reproduced", "stand-in", "not-computable"];
const RELATIONS: [&str; 7] = ["<", "<=", ">", ">=", "==", "within", "near"];
const FIELDS: [&str; 14] =
    ["id", "paper", "number", "plots", "claim", "setting", "status", "reason", "specs", "needs", "panels", "controls", "look_for", "check"];

fn figures() -> Vec<Map<String, Value>> {
    let all: Value = serde_json::from_str(FIGURES).expect("figures.json is JSON");
    all.as_array().expect("figures.json is an array").iter().map(|f| f.as_object().expect("each figure is an object").clone()).collect()
}

fn text<'a>(figure: &'a Map<String, Value>, field: &str) -> &'a str {
    figure[field].as_str().unwrap_or_else(|| panic!("{}: {field} is a string", figure["id"]))
}

fn list<'a>(figure: &'a Map<String, Value>, field: &str) -> &'a Vec<Value> {
    figure[field].as_array().unwrap_or_else(|| panic!("{}: {field} is an array", figure["id"]))
}

/// The figure counts of each paper, from papers.json.
fn figure_counts() -> Vec<(String, usize)> {
    let papers: Value = serde_json::from_str(PAPERS).expect("papers.json is JSON");
    papers
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["figures"].as_u64().unwrap() > 0)
        .map(|p| (p["paper"].as_str().unwrap().to_string(), p["figures"].as_u64().unwrap() as usize))
        .collect()
}

#[test]
fn the_inventory_names_every_figure_once_with_a_known_status() {
    let figures = figures();
    let counts = figure_counts();
    assert_eq!(
        counts.iter().map(|(p, n)| (p.as_str(), *n)).collect::<Vec<_>>(),
        [("000", 35), ("001", 6), ("002", 13), ("003", 7), ("004", 3)]
    );
    for (paper, count) in &counts {
        let mut numbers: Vec<u64> =
            figures.iter().filter(|f| f["paper"] == paper.as_str()).map(|f| f["number"].as_u64().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=*count as u64).collect::<Vec<_>>(), "paper {paper}: every figure exactly once");
    }
    assert_eq!(figures.len(), counts.iter().map(|(_, n)| n).sum::<usize>());
    for f in &figures {
        for field in FIELDS {
            assert!(f.contains_key(field), "{}: missing {field}", f["id"]);
        }
        let id = text(f, "id");
        assert_eq!(id, format!("{}-{}", text(f, "paper"), f["number"]), "id is paper-number");
        for field in ["plots", "claim", "setting"] {
            assert!(!text(f, field).is_empty(), "{id}: {field} is empty");
        }
        let status = text(f, "status");
        assert!(STATUSES.contains(&status), "{id}: status {status}");
        let (specs, needs, checks) = (list(f, "specs"), list(f, "needs"), list(f, "check"));
        match status {
            "not-computable" => {
                assert!(!text(f, "reason").is_empty(), "{id}: a not-computable figure says why");
                assert!(specs.is_empty() && needs.is_empty() && checks.is_empty(), "{id}: nothing to run");
            }
            "stand-in" => assert!(!text(f, "reason").is_empty(), "{id}: a stand-in names its substitute"),
            _ => {}
        }
        if status != "not-computable" {
            assert!(!specs.is_empty() || !needs.is_empty(), "{id}: specs that run today, or the capabilities it needs");
            assert_eq!(specs.is_empty(), checks.is_empty(), "{id}: the specs carry checks, and only they");
            assert!(!text(f, "look_for").is_empty() && !list(f, "panels").is_empty(), "{id}: what to look for, in which panels");
        }
        for need in needs {
            let need = need.as_str().unwrap();
            assert!(GALLERY_DOC.contains(&format!("`{need}`")), "{id}: capability {need} is not described in docs/gallery.md");
        }
        let fails = checks.iter().any(|c| c["holds"] == false);
        assert_eq!(f.contains_key("contradiction"), fails, "{id}: a contradiction is recorded exactly when a claim fails");
        for c in checks {
            let relation = c["relation"].as_str().unwrap();
            assert!(RELATIONS.contains(&relation), "{id}: relation {relation}");
            assert!(c["spec"].as_u64().unwrap() < specs.len() as u64, "{id}: check of a spec that is not listed");
            assert!(c["holds"].is_boolean() && c.get("value").is_some(), "{id}: each check records whether it holds and its value");
            let value_tol = c.get("value_tol").map_or(Some(0.01), Value::as_f64);
            assert!(value_tol.is_some_and(|t| t > 0.0 && t <= 0.1), "{id}: value_tol is a relative tolerance of at most 10%");
        }
    }
}

/// The spec's η, for `"2/eta"` and `first_index_at_least:q*2/eta`.
fn threshold(spec: &Value) -> f64 {
    2.0 / spec["eta"].as_f64().expect("a check against 2/η needs a spec with eta")
}

/// The value at a dot-separated path (numeric segments index arrays).
fn at_path<'a>(result: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(result, |v, segment| match segment.parse::<usize>() {
        Ok(i) if v.is_array() => &v[i],
        _ => v.get(segment).unwrap_or_else(|| panic!("no field {path} in the result")),
    })
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// The series a check reads: the field, or one column of a 2-D field.
fn series(result: &Value, c: &Value) -> Vec<Option<f64>> {
    let field = at_path(result, c["field"].as_str().unwrap());
    let rows = field.as_array().unwrap_or_else(|| panic!("{} is not an array", c["field"]));
    rows.iter().map(|row| if let Some(j) = c["column"].as_u64() { number(&row[j as usize]) } else { number(row) }).collect()
}

/// A check's reduction of the result to one value (docs/gallery.md, "Checks").
fn reduce(spec: &Value, result: &Value, c: &Value) -> Value {
    let at = c["at"].as_str().unwrap_or("value");
    if at == "value" {
        return at_path(result, c["field"].as_str().unwrap()).clone();
    }
    let raw = series(result, c);
    if let Some(other) = at.strip_prefix("max_ratio_to:") {
        let denominators = series(result, &serde_json::json!({"field": other}));
        let ratios = raw.iter().zip(&denominators).filter_map(|(a, b)| Some((*a)? / (*b)?));
        return ratios.fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r)))).map_or(Value::Null, Value::from);
    }
    if at == "length" {
        return Value::from(raw.len());
    }
    if let Some(k) = at.strip_prefix("at_index:") {
        return raw[k.parse::<usize>().unwrap()].map_or(Value::Null, Value::from);
    }
    for (prefix, sign) in [("decreases_after:", -1.0), ("increases_after:", 1.0)] {
        if let Some(k) = at.strip_prefix(prefix) {
            let after = &raw[k.parse::<usize>().unwrap()..];
            let moves = after.windows(2).filter(|w| matches!((w[0], w[1]), (Some(p), Some(q)) if sign * (q - p) > 0.0));
            return Value::from(moves.count());
        }
    }
    if let Some(level) = at.strip_prefix("first_index_at_least:") {
        let (factor, base) = level.split_once('*').map_or((1.0, level), |(f, b)| (f.parse().unwrap(), b));
        let level = factor * if base == "2/eta" { threshold(spec) } else { base.parse::<f64>().unwrap() };
        return raw.iter().position(|x| x.is_some_and(|x| x >= level)).map_or(Value::Null, Value::from);
    }
    let xs: Vec<f64> = raw.into_iter().flatten().collect();
    assert!(!xs.is_empty(), "{} has no numbers", c["field"]);
    if let Some(about) = at.strip_prefix("sign_changes_about:") {
        let a: f64 = about.parse().unwrap();
        return Value::from(xs.windows(2).filter(|w| (w[0] - a) * (w[1] - a) < 0.0).count());
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let value = match at {
        "first" => xs[0],
        "last" => xs[xs.len() - 1],
        "max" => xs.iter().copied().fold(f64::MIN, f64::max),
        "min" => xs.iter().copied().fold(f64::MAX, f64::min),
        "mean" => mean(&xs),
        "last_quarter_mean" => mean(&xs[xs.len() - (xs.len() / 4).max(1)..]),
        other => panic!("unknown reduction {other}"),
    };
    Value::from(value)
}

/// Evaluates one check: its value and whether the relation holds.
fn evaluate(specs: &[Value], results: &[Value], c: &Value) -> (Value, bool) {
    let i = c["spec"].as_u64().unwrap() as usize;
    let value = reduce(&specs[i], &results[i], c);
    let of = match &c["of"] {
        Value::Object(o) => {
            let j = o.get("spec").and_then(Value::as_u64).map_or(i, |j| j as usize);
            reduce(&specs[j], &results[j], &c["of"])
        }
        Value::String(s) if s == "2/eta" => Value::from(threshold(&specs[i])),
        other => other.clone(),
    };
    let of = match (number(&of), c["factor"].as_f64()) {
        (Some(x), Some(factor)) => Value::from(x * factor),
        _ => of,
    };
    let relation = c["relation"].as_str().unwrap();
    if relation == "==" {
        let equal = match (number(&value), number(&of)) {
            (Some(a), Some(b)) => a == b,
            _ => value == of,
        };
        return (value, equal);
    }
    let (Some(v), Some(o)) = (number(&value), number(&of)) else {
        return (value, false);
    };
    let holds = match relation {
        "<" => v < o,
        "<=" => v <= o,
        ">" => v > o,
        ">=" => v >= o,
        "within" => (v / o - 1.0).abs() <= c["tol"].as_f64().unwrap(),
        "near" => (v - o).abs() <= c["tol"].as_f64().unwrap(),
        other => panic!("unknown relation {other}"),
    };
    (value, holds)
}

/// Runs every spec of one paper's figures and asserts every check.
fn claims_of(paper: &str) {
    let mut failures = Vec::new();
    for f in figures().iter().filter(|f| f["paper"] == paper) {
        let id = text(f, "id");
        let specs = list(f, "specs");
        let results: Vec<Value> = specs
            .iter()
            .map(|s| {
                let spec = parse_json(&s.to_string()).unwrap_or_else(|e| panic!("{id}: spec refused: {e}"));
                serde_json::to_value(run_parallel(&spec).unwrap_or_else(|e| panic!("{id}: {e}"))).unwrap()
            })
            .collect();
        for (k, c) in list(f, "check").iter().enumerate() {
            let (value, holds) = evaluate(specs, &results, c);
            if holds != c["holds"].as_bool().unwrap() {
                failures
                    .push(format!("{id} check {k} ({} {}): holds = {holds}, recorded {}; value {value}", c["field"], c["at"], c["holds"]));
            }
            let recorded = &c["value"];
            let tol = c["value_tol"].as_f64().unwrap_or(0.01);
            let same = match (number(&value), number(recorded)) {
                (Some(a), Some(b)) => (a - b).abs() <= tol * a.abs().max(b.abs()) + 1e-9,
                _ => &value == recorded,
            };
            if !same {
                failures.push(format!("{id} check {k} ({}): computed {value}, figures.json records {recorded}", c["field"]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn paper_000_good_regularity_figures() {
    claims_of("000");
}

#[test]
fn paper_001_self_stabilization_figures() {
    claims_of("001");
}

#[test]
fn paper_002_two_step_updates_figures() {
    claims_of("002");
}

#[test]
fn paper_003_shallow_relu_figures() {
    claims_of("003");
}

#[test]
fn paper_004_unstable_convergence_figures() {
    claims_of("004");
}
