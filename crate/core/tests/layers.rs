//! The core's modules form one-way layers (ARCHITECTURE.md): each source file may use only its
//! own layer and the layers below it, and within a layer folder the modules form no cycle. Test
//! code (`#[cfg(test)]` modules) is excluded: a test may reach any layer. The check reads every
//! file under src/, collects its `crate::…`, `$crate::…` and `super::…` paths outside comments
//! and tests, and resolves each to the module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, bottom up: the top-level modules of each.
const LAYERS: &[&[&str]] = &[
    &["error", "limits", "random", "validate"],
    &["objective"],
    &["spectrum"],
    &["optimizer"],
    &["orbit"],
    &["dynamics"],
    &["scans"],
    &["spec"],
    &["benchmarks"],
];

/// The layers that are folders (each a `mod.rs` with its modules beside it).
const FOLDERS: &[&str] = &["objective", "spectrum", "optimizer", "orbit", "dynamics", "scans"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every .rs file under `dir`, as (module path, text).
fn sources(dir: &Path, module: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.is_dir() {
            sources(&path, &[module, &[name]].concat(), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = if name == "mod" || name == "lib" { module.to_vec() } else { [module, &[name]].concat() };
            out.push((module, fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The text without comment lines and without `#[cfg(test)]` items (a braced module or a
/// `mod name;` declaration, whose name is returned so its file is skipped too).
fn production_code(text: &str) -> (String, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let (mut code, mut test_modules) = (String::new(), Vec::new());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line == "#[cfg(test)]" && i + 1 < lines.len() {
            let item = lines[i + 1].trim();
            let after_mod = item.strip_prefix("pub(crate) mod ").or_else(|| item.strip_prefix("mod "));
            if let Some(name) = after_mod.and_then(|rest| rest.strip_suffix(';')) {
                test_modules.push(name.to_owned());
                i += 2;
                continue;
            }
            // Skip the item up to its matching closing brace.
            let mut depth = 0i64;
            let mut j = i + 1;
            loop {
                depth += lines[j].matches('{').count() as i64 - lines[j].matches('}').count() as i64;
                j += 1;
                if depth == 0 && lines[j - 1].contains('}') || j == lines.len() {
                    break;
                }
            }
            i = j;
            continue;
        }
        if !line.starts_with("//") {
            code.push_str(lines[i]);
            code.push('\n');
        }
        i += 1;
    }
    (code, test_modules)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The absolute module paths (from the crate root) that `code`, in module `module`, names.
fn referenced_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let preceded = i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == ':');
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let (mut base, start) = if !preceded && rest.starts_with("crate::") {
            (Vec::new(), i + 7)
        } else if !preceded && rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut j = i;
            while bytes[j..].iter().take(7).collect::<String>() == "super::" {
                base.pop();
                j += 7;
            }
            (base, j)
        } else {
            i += 1;
            continue;
        };
        // Read `a::b::c` or a braced group `{a, b::c}` (its first components only).
        let mut j = start;
        if bytes.get(j) == Some(&'{') {
            let close = (j..bytes.len()).find(|&k| bytes[k] == '}').unwrap();
            let group: String = bytes[j + 1..close].iter().collect();
            for item in group.split(',') {
                let first: String = item.trim().chars().take_while(|&c| is_ident(c)).collect();
                if !first.is_empty() && first != "self" {
                    paths.push([base.clone(), vec![first]].concat());
                }
            }
            i = close;
            continue;
        }
        loop {
            let name: String = bytes[j..].iter().take_while(|&&c| is_ident(c)).collect();
            if name.is_empty() {
                break;
            }
            j += name.len();
            base.push(name);
            if bytes[j..].iter().take(2).collect::<String>() == "::" && bytes.get(j + 2).is_some_and(|&c| is_ident(c)) {
                j += 2;
            } else {
                break;
            }
        }
        paths.push(base);
        i = j.max(i + 1);
    }
    paths
}

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&top))
}

/// The module a crate-root name belongs to: itself, or the module lib.rs re-exports it from.
fn root_module(name: &str, reexports: &BTreeMap<String, String>) -> String {
    reexports.get(name).cloned().unwrap_or_else(|| name.to_owned())
}

/// The unit a path lies in within its layer: `folder::module` for a module of a layer folder
/// (`None` for the folder's own mod.rs), the top-level module otherwise.
fn unit(path: &[String]) -> Option<String> {
    match path {
        [folder, module, ..] if FOLDERS.contains(&folder.as_str()) => Some(format!("{folder}::{module}")),
        [folder] if FOLDERS.contains(&folder.as_str()) => None,
        [top, ..] => Some(top.clone()),
        [] => None,
    }
}

struct Graph {
    /// Dependencies between units of one layer.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Uses of a higher layer: (file's module, path it names).
    upward: Vec<(String, String)>,
    /// Top-level modules in no layer.
    unlayered: BTreeSet<String>,
}

fn graph() -> Graph {
    let mut files = Vec::new();
    sources(&src(), &[], &mut files);
    let lib = &files.iter().find(|(m, _)| m.is_empty()).expect("lib.rs").1;
    // `pub use spec::{parse_json, run, …};` makes `crate::run` a use of `spec`.
    let mut reexports = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub use ")) {
        let (module, names) = line.split_once("::").unwrap();
        for name in names.trim_matches(|c| "{};".contains(c)).split(',') {
            reexports.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    let mut test_only: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut parsed = Vec::new();
    for (module, text) in &files {
        let (code, tests) = production_code(text);
        test_only.extend(tests.into_iter().map(|t| [module.clone(), vec![t]].concat()));
        parsed.push((module.clone(), code));
    }
    let mut graph = Graph { edges: BTreeMap::new(), upward: Vec::new(), unlayered: BTreeSet::new() };
    for (module, code) in &parsed {
        if module.is_empty() || test_only.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        let Some(own) = layer_of(&module[0]) else {
            graph.unlayered.insert(module[0].clone());
            continue;
        };
        for mut path in referenced_paths(code, module) {
            let Some(first) = path.first_mut() else { continue };
            *first = root_module(first, &reexports);
            let Some(layer) = layer_of(&path[0]) else {
                // A name of the crate root itself (a macro's `$crate::…`) or a type: no module.
                assert!(path[0].starts_with(char::is_uppercase), "{}: unknown module in crate::{}", module.join("::"), path.join("::"));
                continue;
            };
            if layer > own {
                graph.upward.push((module.join("::"), path.join("::")));
            } else if layer == own {
                if let (Some(from), Some(to)) = (unit(module), unit(&path)) {
                    if from != to {
                        graph.edges.entry(from).or_default().insert(to);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle of `edges`, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            return Some([&stack[at..], &[node.to_owned()]].concat());
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn every_module_uses_only_its_own_layer_and_those_below() {
    let graph = graph();
    assert!(graph.unlayered.is_empty(), "modules in no layer (add them to LAYERS and ARCHITECTURE.md): {:?}", graph.unlayered);
    assert!(
        graph.upward.is_empty(),
        "uses of a higher layer:\n{}",
        graph.upward.iter().map(|(m, p)| format!("  {m} uses crate::{p}")).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_modules_within_each_layer_form_no_cycle() {
    let graph = graph();
    assert!(graph.edges.len() >= 10, "the parser sees the modules' uses: {:?}", graph.edges);
    if let Some(cycle) = find_cycle(&graph.edges) {
        panic!("a cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_layer_folders_are_folders_and_only_the_foundation_and_the_spec_are_files() {
    for folder in FOLDERS {
        assert!(src().join(folder).join("mod.rs").is_file(), "{folder}/mod.rs");
    }
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap();
        if path.is_file() && name != "lib" {
            assert!(layer_of(name).is_some() && !FOLDERS.contains(&name), "{name}.rs is in no layer");
        }
    }
}

#[test]
fn the_checker_sees_a_planted_upward_use_and_a_planted_cycle() {
    let module = vec!["optimizer".to_owned(), "gd".to_owned()];
    let code = "use crate::scans::basin::Basin;\nfn f() { super::momentum::x(); crate::{limits::A, error::B}; }\n";
    let (code, _) = production_code(&format!("{code}#[cfg(test)]\nmod tests {{\n    use crate::spec::run;\n}}\n// crate::dynamics\n"));
    let paths: Vec<String> = referenced_paths(&code, &module).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["scans::basin::Basin", "optimizer::momentum::x", "limits", "error"]);
    let edges: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c"), ("c", "a")].iter().map(|(f, t)| (f.to_string(), BTreeSet::from([t.to_string()]))).collect();
    assert_eq!(find_cycle(&edges).unwrap(), ["a", "b", "c", "a"]);
}
