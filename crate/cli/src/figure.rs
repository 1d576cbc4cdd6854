//! `eoslab figure`: a spec's panels drawn natively to an SVG or PNG file, by the same drawing code
//! as the page (eoslab-figure), so the SVG of a panel is the page's `panelSVG` byte for byte.

use std::path::Path;

use eoslab_figure::{panels, Options};

/// What `eoslab figure` was asked for.
#[derive(Debug, PartialEq)]
struct Request {
    spec: Option<String>,
    panels: Vec<String>,
    output: String,
    width: u32,
    height: u32,
    dark: bool,
}

/// Reads the arguments after `figure`.
fn parse(args: &[String]) -> Result<Request, String> {
    let mut request = Request { spec: None, panels: Vec::new(), output: String::new(), width: 640, height: 400, dark: false };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{}", crate::USAGE));
        let pixels = |flag: &str, v: String| v.parse::<u32>().map_err(|_| format!("{flag}: a whole number of pixels, not {v:?}"));
        match arg.as_str() {
            "--panel" | "-p" => request.panels.push(value(arg)?),
            "--output" | "-o" => request.output = value(arg)?,
            "--width" => request.width = pixels(arg, value(arg)?)?,
            "--height" => request.height = pixels(arg, value(arg)?)?,
            "--dark" => request.dark = true,
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}\n{}", crate::USAGE)),
            spec if request.spec.is_none() => request.spec = Some(spec.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}\n{}", crate::USAGE)),
        }
    }
    if request.output.is_empty() {
        return Err(format!("figure needs -o OUT.svg or -o OUT.png\n{}", crate::USAGE));
    }
    Ok(request)
}

/// Runs `eoslab figure`; returns what to print (the file written and its panels).
pub fn command(args: &[String]) -> Result<String, String> {
    let request = parse(args)?;
    let result = crate::run(request.spec.as_deref())?;
    let kind = eoslab_figure::panels::kind(&result);
    let chosen: Vec<&str> = if request.panels.is_empty() {
        panels(kind).map_err(|e| e.to_string())?.iter().filter(|p| p.natural).map(|p| p.name).collect()
    } else {
        request.panels.iter().map(String::as_str).collect()
    };
    let options = Options { dark: request.dark, ..Options::default() };
    let path = Path::new(&request.output);
    match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => {
            let svg =
                eoslab_figure::svg::panels_svg(&chosen, &result, request.width, request.height, &options).map_err(|e| e.to_string())?;
            std::fs::write(path, svg).map_err(|e| format!("writing {}: {e}", path.display()))?;
        }
        Some("png") => {
            eoslab_figure::png::panels_png(&chosen, &result, request.width, request.height, &options, path).map_err(|e| e.to_string())?
        }
        _ => return Err(format!("-o: the file must end in .svg or .png, not {:?}", request.output)),
    }
    Ok(format!("{}: {} panel(s) of a {kind} result: {}", request.output, chosen.len(), chosen.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_read_with_their_defaults() {
        let r = parse(&args(&["spec.json", "--panel", "loss", "-p", "sharpness", "-o", "a.svg", "--width", "390", "--dark"])).unwrap();
        assert_eq!(
            r,
            Request {
                spec: Some("spec.json".into()),
                panels: vec!["loss".into(), "sharpness".into()],
                output: "a.svg".into(),
                width: 390,
                height: 400,
                dark: true
            }
        );
        assert!(parse(&args(&["spec.json"])).unwrap_err().contains("-o"));
        assert!(parse(&args(&["-o", "a.svg", "--width", "wide"])).unwrap_err().contains("--width"));
        assert!(parse(&args(&["-o"])).unwrap_err().contains("-o needs a value"));
        assert!(parse(&args(&["a", "b", "-o", "x.svg"])).unwrap_err().contains("\"b\""));
    }
}
