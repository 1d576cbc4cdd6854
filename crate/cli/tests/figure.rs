//! `eoslab figure` draws a spec's panels natively with the page's drawing code: its SVG of a panel
//! is the golden SVG that wasm's `panelSVG` is checked against (crate/figure/tests/golden), and its
//! PNG has the requested size, with text drawn from DejaVu Sans.

use std::io::Write;
use std::process::{Command, Stdio};

fn eoslab(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eoslab"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

/// A path in the temporary directory for this test.
fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("eoslab-figure-{}-{name}", std::process::id()))
}

#[test]
fn the_svg_of_a_panel_is_the_one_wasm_draws() {
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../figure/tests/golden");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(golden.join("cases.json")).unwrap()).unwrap();
    let case = cases.iter().find(|c| c["name"] == "trajectory_loss").unwrap();
    let out = temp("loss.svg");
    let (w, h) = (case["width"].to_string(), case["height"].to_string());
    let args = ["figure", "-", "--panel", case["panel"].as_str().unwrap(), "-o", out.to_str().unwrap(), "--width", &w, "--height", &h];
    let (code, stdout, err) = eoslab(&args, &case["spec"].to_string(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("1 panel(s) of a trajectory result: loss"), "{stdout}");
    let svg = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert!(svg == std::fs::read_to_string(golden.join("trajectory_loss.svg")).unwrap(), "the command's SVG differs from the golden one");
}

#[test]
fn without_panels_it_draws_the_kinds_natural_ones_stacked() {
    let out = temp("natural.svg");
    let (code, stdout, err) = eoslab(
        &["figure", "-o", out.to_str().unwrap(), "--width", "500", "--height", "300"],
        r#"{"kind":"flow","eta":0.5,"x0":[0.3],"steps":60}"#,
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("3 panel(s) of a flow result: loss, sharpness, distance"), "{stdout}");
    let svg = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert!(svg.starts_with(r#"<svg width="500" height="900""#), "{}", &svg[..80]);
    for title in
        ["loss f − min f: GD against gradient flow", "sharpness against 2/η: GD and gradient flow", "distance between GD and gradient flow"]
    {
        assert!(svg.contains(&format!(">\n{title}\n</text>")), "no title {title:?}");
    }
}

#[test]
fn a_png_has_the_requested_size() {
    let out = temp("bifurcation.png");
    let spec = r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":2.2,"n_eta":120,"transient":300,"record":32}"#;
    let (code, _, err) = eoslab(&["figure", "-o", out.to_str().unwrap(), "--width", "600", "--height", "350", "--dark"], spec, &[]);
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, after the chunk's length and type. Two panels stacked.
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((&png[12..16], be(16), be(20)), (&b"IHDR"[..], 600, 700));
}

#[test]
fn refusals_name_what_is_wrong() {
    let spec = r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":20}"#;
    let out = temp("refused.svg");
    let out = out.to_str().unwrap();
    /// Arguments, stdin, environment, and what the message says.
    type Refusal<'a> = (&'a [&'a str], &'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Refusal<'_>; 6] = [
        (&["figure", "--panel", "pie", "-o", out], spec, &[], "panel: unknown panel \"pie\" for a trajectory result"),
        (&["figure", "--panel", "plane", "-o", out], spec, &[], "needs an objective of 2 parameter(s)"),
        (&["figure", "-o", "figure.pdf"], spec, &[], "must end in .svg or .png"),
        (&["figure", "-o", out, "--width", "3"], spec, &[], "width: must lie in [16, 8192]"),
        (
            &["figure", "--panel", "map", "-o", out],
            r#"{"kind":"curvature","x":[0.5]}"#,
            &[],
            "unknown panel \"map\" for a curvature result; expected one of [\"eigenvalues\"]",
        ),
        (
            &["figure", "-o", "x.png"],
            spec,
            &[("EOSLAB_FONT", "/nonexistent/font.ttf")],
            "font: a PNG needs the TrueType font /nonexistent/font.ttf",
        ),
    ];
    for (args, stdin, env, message) in cases {
        let (code, _, err) = eoslab(args, stdin, env);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert!(!std::path::Path::new(out).exists() && !std::path::Path::new("x.png").exists());
}
