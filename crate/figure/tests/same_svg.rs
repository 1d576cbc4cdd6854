//! The native half of the cross-target check (tests/golden/README.md): each case's panel drawn
//! natively equals its golden SVG, which crate/web's node test compares with wasm's `panelSVG`.

use eoslab_figure::{svg::panel_svg, Options};

#[test]
fn native_svg_equals_the_golden_svg_wasm_is_checked_against() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let bless = std::env::var_os("EOSLAB_BLESS").is_some();
    let mut differ = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let spec = eoslab_core::parse_json(&case["spec"].to_string()).unwrap();
        let result = eoslab_core::run(&spec).unwrap();
        let size = |k: &str| case[k].as_u64().unwrap() as u32;
        let options: Options = case.get("options").map(|o| serde_json::from_value(o.clone()).unwrap()).unwrap_or_default();
        let (svg, _) = panel_svg(case["panel"].as_str().unwrap(), &result, size("width"), size("height"), &options).unwrap();
        let path = dir.join(format!("{name}.svg"));
        if bless {
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            differ.push(name);
        }
    }
    assert!(
        differ.is_empty(),
        "{differ:?} differ from tests/golden (after a deliberate change: EOSLAB_BLESS=1, see tests/golden/README.md)"
    );
}
