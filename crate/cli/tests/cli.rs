//! The native command reads a spec from a file or stdin and prints the result as JSON; bad specs
//! exit with status 2 and a message naming the field.

use std::io::Write;
use std::process::{Command, Stdio};

fn eoslab(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eoslab"))
        .args(args)
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

#[test]
fn runs_a_spec_from_stdin_and_prints_json() {
    let (code, out, err) = eoslab(&["run"], r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":50}"#);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "trajectory");
    assert_eq!(v["outcome"]["period"], 1);
    assert_eq!(v["iterates"].as_array().unwrap().len(), 51);
    assert_eq!(v["stability_threshold"], 4.0);
}

#[test]
fn runs_a_spec_from_a_file() {
    let path = std::env::temp_dir().join(format!("eoslab-cli-test-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1.2,"n_eta":3,"record":8}"#).unwrap();
    let (code, out, err) = eoslab(&["run", path.to_str().unwrap(), "--pretty"], "");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["eta"], serde_json::json!([0.5, 0.85, 1.2]));
    assert_eq!(v["runs"][2][0]["period"], 2);
}

#[test]
fn bad_specs_exit_2_naming_the_field() {
    let (code, out, err) = eoslab(&["run", "-"], r#"{"kind":"trajectory","eta":-1,"x0":[0.5]}"#);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.starts_with("eoslab: eta: must be > 0"), "{err}");
    let (code, _, err) = eoslab(&["frobnicate"], "");
    assert_eq!(code, 2);
    assert!(err.contains("usage: eoslab run"), "{err}");
}

#[test]
fn lists_every_objective_with_its_parameters() {
    let (code, out, err) = eoslab(&["objectives"], "");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = v.as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|o| o["name"].as_str().unwrap()).collect();
    for name in ["double_well", "base_model", "two_factor", "regularity", "unstable_convergence", "matrix_factorization"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let well = list.iter().find(|o| o["name"] == "double_well").unwrap();
    let mu = &well["params"][0];
    assert_eq!((mu["name"].as_str(), mu["type"].as_str(), mu["default"].as_f64()), (Some("mu"), Some("real"), Some(1.0)));
    assert!(well["citation"].as_str().unwrap().contains("§4.2"));
}
