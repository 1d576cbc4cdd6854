//! The JS boundary (wasm32 only): every value that crosses from JS into the module is read here,
//! and every error leaves through here as a JS `Error` with a `field`. The other modules (`api`,
//! `scans`) take `JsValue` arguments and hand them to these readers, so that no JS value is
//! converted by glue that could fail without naming what was wrong; they use this module and
//! [`crate::backend`], never each other.
//!
//! A spec is read by one bounded walk ([`read`]) that inspects and converts at once: before an
//! array's elements are read its length is checked, before an object's fields are read their
//! number is checked, and the walk stops at the first value past a limit ([`Limits`]): depth,
//! total values, array length, fields per object, string length. So a hostile spec (nested
//! thousands deep, cyclic, with 10⁷ coordinates or 10⁶ fields) is refused in milliseconds with
//! bounded memory, and the core only ever sees a small self-describing value. Cycles are refused
//! naming the field that refers back; getters and Proxies that throw, BigInts, Symbols and
//! functions are refused naming their field. The walk only calls JS through imports declared
//! `catch` (`Reflect.get`, `Object.keys`, `Array.isArray`): a JS exception thrown through wasm
//! frames would skip Rust's cleanup and leave the module's stack and borrows behind. Results of
//! `run` handed back for drawing ([`parse_result`], the drawing [`parse_options`]) go through the
//! same walk with the larger [`RESULT`] limits.
//!
//! Arguments that are not specs (a panel name, a start index, a device-pixel ratio, a size in
//! pixels, a canvas) are read by [`string`], [`index`], [`number`], [`pixels`] and
//! [`draw_on_canvas`], which refuse anything else naming the argument.

use eoslab_core::{Output, SpecError};
use eoslab_figure::{FigureError, Medium, Options, PlotRect, Style, Surface};
use js_sys::{Array, JsString, Object, Reflect};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_value::Value;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::backend::{WebArea, WebBackend};

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, which runs a Proxy's `ownKeys` trap and may throw.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn own_keys(value: &JsValue) -> Result<Array, JsValue>;
    /// `Array.isArray`, which throws on a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `ArrayBuffer.isView`: typed arrays are read like arrays.
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    fn is_view(value: &JsValue) -> bool;
}

/// A JS `Error` with the message and the `field` of `e`.
pub(crate) fn js_error(e: SpecError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &"field".into(), &e.field.into());
    error.into()
}

/// A JS `Error` about `field`.
pub(crate) fn refuse(field: &str, message: impl Into<String>) -> JsValue {
    js_error(SpecError::new(field, message))
}

/// A result as a plain JS object (numbers, strings, arrays, objects).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| refuse("result", format!("could not return the result: {e}")))
}

/// How far the walk of [`read`] goes before it refuses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Nesting of arrays and objects (the spec object itself is depth 1).
    pub depth: usize,
    /// Values in all (numbers, strings, arrays, objects, …).
    pub values: usize,
    /// Entries of one array.
    pub length: usize,
    /// Fields of one object.
    pub fields: usize,
    /// UTF-16 code units of one string or field name.
    pub chars: usize,
}

/// A spec's limits. A spec is at most 4 deep (`objective.hidden[0]`); its largest arrays are
/// points, one coordinate per objective parameter, and no objective has more than 2²⁰; no spec
/// object has more than 32 fields; the longest strings are formulas (500 characters).
pub(crate) const SPEC: Limits = Limits { depth: 32, values: 1 << 21, length: 1 << 20, fields: 64, chars: 4096 };

/// A result handed back for drawing: `run`'s results carry at most 10⁷ numbers (docs/spec.md).
pub(crate) const RESULT: Limits = Limits { depth: 32, values: 11_000_000, length: 10_000_000, fields: 128, chars: 1 << 16 };

/// Reads `value` into a self-describing value, bounded by `limits`; `field` is its path ("" for
/// the spec itself, whose errors then name `spec`).
pub(crate) fn read(value: &JsValue, field: &str, limits: Limits) -> Result<Value, JsValue> {
    let mut walk = Walk { limits, values: 0, ancestors: Vec::new(), convert: true };
    Ok(walk.value(value, field)?.unwrap_or(Value::Unit))
}

/// Inspects `value` as [`read`] does (every limit, cycle, throwing getter and value type)
/// without building anything, then converts it straight into `T`: the inspection bounds what the
/// conversion reads, and no intermediate copy of a large result is made.
pub(crate) fn inspect_then<T: DeserializeOwned>(value: JsValue, field: &str, limits: Limits) -> Result<T, JsValue> {
    let mut walk = Walk { limits, values: 0, ancestors: Vec::new(), convert: false };
    walk.value(&value, field)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| refuse(name(field), format!("is not what was expected: {e}")))
}

/// The name an error gives the path `field`: the spec itself is `spec`.
fn name(field: &str) -> &str {
    if field.is_empty() {
        "spec"
    } else {
        field
    }
}

struct Walk {
    limits: Limits,
    values: usize,
    /// The objects and arrays enclosing the value being read, to find cycles.
    ancestors: Vec<JsValue>,
    /// Whether to build the value or only inspect it.
    convert: bool,
}

impl Walk {
    /// The value at `path`; `None` for `undefined` (an absent field).
    fn value(&mut self, v: &JsValue, path: &str) -> Result<Option<Value>, JsValue> {
        self.values += 1;
        if self.values > self.limits.values {
            return Err(refuse(name(path), format!("the input holds more than {} values", self.limits.values)));
        }
        if v.is_undefined() {
            return Ok(None);
        }
        if v.is_null() {
            return Ok(Some(Value::Unit));
        }
        if let Some(b) = v.as_bool() {
            return Ok(Some(Value::Bool(b)));
        }
        if let Some(x) = v.as_f64() {
            return Ok(Some(number_value(x)));
        }
        if v.is_string() {
            return self.string(v, path).map(|s| Some(Value::String(s)));
        }
        if v.is_bigint() {
            return Err(refuse(name(path), "must be a number, not a BigInt"));
        }
        if v.is_symbol() {
            return Err(refuse(name(path), "must be a number, a string, an array or an object, not a Symbol"));
        }
        if v.is_function() {
            return Err(refuse(name(path), "must be a number, a string, an array or an object, not a function"));
        }
        if !v.is_object() {
            return Err(refuse(name(path), "is not a number, a string, an array or an object"));
        }
        if self.ancestors.len() >= self.limits.depth {
            return Err(refuse(name(path), format!("is nested more than {} levels deep", self.limits.depth)));
        }
        if self.ancestors.iter().any(|a| Object::is(a, v)) {
            return Err(refuse(name(path), "refers back to an object that contains it (a cycle)"));
        }
        self.ancestors.push(v.clone());
        let sequence = is_array(v).map_err(|e| thrown(path, &e))? || is_view(v);
        let read = if sequence { self.sequence(v, path) } else { self.object(v, path) };
        self.ancestors.pop();
        read.map(Some)
    }

    fn string(&self, v: &JsValue, path: &str) -> Result<String, JsValue> {
        let chars = v.unchecked_ref::<JsString>().length() as usize;
        if chars > self.limits.chars {
            return Err(refuse(name(path), format!("is {chars} characters long; at most {} are read", self.limits.chars)));
        }
        Ok(v.as_string().unwrap_or_default())
    }

    fn sequence(&mut self, v: &JsValue, path: &str) -> Result<Value, JsValue> {
        let length = Reflect::get(v, &"length".into()).map_err(|e| thrown(path, &e))?.as_f64().unwrap_or(f64::NAN);
        if !(length >= 0.0 && length <= self.limits.length as f64) {
            return Err(refuse(name(path), format!("has {length} entries; at most {} are read", self.limits.length)));
        }
        let mut entries = Vec::with_capacity(if self.convert { length as usize } else { 0 });
        for i in 0..length as u32 {
            let at = format!("{path}[{i}]");
            let entry = Reflect::get_u32(v, i).map_err(|e| thrown(&at, &e))?;
            let entry = self.value(&entry, &at)?.unwrap_or(Value::Unit);
            if self.convert {
                entries.push(entry);
            }
        }
        Ok(Value::Seq(entries))
    }

    fn object(&mut self, v: &JsValue, path: &str) -> Result<Value, JsValue> {
        let keys = own_keys(v).map_err(|e| thrown(path, &e))?;
        let count = keys.length() as usize;
        if count > self.limits.fields {
            return Err(refuse(name(path), format!("has {count} fields; at most {} are read", self.limits.fields)));
        }
        let mut fields = BTreeMap::new();
        for key in keys.iter() {
            let key = self.string(&key, path)?;
            let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            let entry = Reflect::get(v, &JsValue::from_str(&key)).map_err(|e| thrown(&at, &e))?;
            if let Some(entry) = self.value(&entry, &at)? {
                if self.convert {
                    fields.insert(Value::String(key), entry);
                }
            }
        }
        Ok(Value::Map(fields))
    }
}

/// A JS number as the core's deserialisers expect it: whole numbers within 2⁵³ as integers (so
/// `"steps": 100` reads as a count), the rest (fractions, NaN, ±∞) as f64 for the core to check.
fn number_value(x: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if x.fract() == 0.0 && x.abs() <= SAFE {
        if x >= 0.0 {
            Value::U64(x as u64)
        } else {
            Value::I64(x as i64)
        }
    } else {
        Value::F64(x)
    }
}

/// The error for a getter or Proxy trap that threw while `path` was read.
fn thrown(path: &str, e: &JsValue) -> JsValue {
    let what = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "an exception".into());
    let what: String = what.chars().take(200).collect();
    refuse(name(path), format!("could not be read: reading it threw ({what})"))
}

/// Reads a spec: bounded by [`SPEC`], then dispatched on its `kind` by the core.
pub(crate) fn parse_spec(spec: &JsValue) -> Result<eoslab_core::Spec, JsValue> {
    let Value::Map(mut fields) = read(spec, "", SPEC)? else {
        return Err(refuse("spec", "must be an object with a \"kind\""));
    };
    let kind = match fields.remove(&Value::String("kind".into())) {
        None => None,
        Some(Value::String(k)) => Some(k),
        Some(_) => return Err(refuse("kind", format!("must be a string, one of {:?}", eoslab_core::spec::KINDS))),
    };
    eoslab_core::spec::deserialize(kind.as_deref(), deserializer(Value::Map(fields))).map_err(js_error)
}

/// A part of a spec (such as an objective) read the way [`parse_spec`] reads a whole one; errors
/// name `field`.
pub(crate) fn parse_value<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    T::deserialize(deserializer(read(value, field, SPEC)?)).map_err(|e| refuse(field, format!("invalid {field}: {e}")))
}

/// The value as a deserialiser whose errors are serde's own (`missing field `eta``), which the
/// core reads the field of.
fn deserializer(value: Value) -> serde_value::ValueDeserializer<serde::de::value::Error> {
    serde_value::ValueDeserializer::new(value)
}

/// A string argument of at most `max` characters, refused naming `field` otherwise.
pub(crate) fn string(value: &JsValue, field: &str, max: usize) -> Result<String, JsValue> {
    if !value.is_string() {
        return Err(refuse(field, format!("must be a string (got {})", type_of(value))));
    }
    let chars = value.unchecked_ref::<JsString>().length() as usize;
    if chars > max {
        return Err(refuse(field, format!("is {chars} characters long; at most {max} are accepted")));
    }
    Ok(value.as_string().unwrap_or_default())
}

/// A number argument (any f64, NaN and ±∞ included: callers check their range).
pub(crate) fn number(value: &JsValue, field: &str) -> Result<f64, JsValue> {
    value.as_f64().ok_or_else(|| refuse(field, format!("must be a number (got {})", type_of(value))))
}

/// An index argument: a whole number from 0 to 2³² − 1.
pub(crate) fn index(value: &JsValue, field: &str) -> Result<usize, JsValue> {
    let x = number(value, field)?;
    if x.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&x) {
        return Err(refuse(field, format!("must be a whole number from 0 to {} (got {x})", u32::MAX)));
    }
    Ok(x as usize)
}

/// An optional argument: `None` for null or undefined.
pub(crate) fn optional(value: JsValue) -> Option<JsValue> {
    (!value.is_null() && !value.is_undefined()).then_some(value)
}

/// What `value` is, for messages.
fn type_of(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_default()
}

/// A drawing refusal of eoslab-figure as a JS `Error` with its `field`.
pub(crate) fn figure_error(e: FigureError) -> JsValue {
    refuse(&e.field, e.message)
}

/// A canvas argument.
fn canvas(value: JsValue) -> Result<HtmlCanvasElement, JsValue> {
    value.dyn_into::<HtmlCanvasElement>().map_err(|v| refuse("canvas", format!("must be an HTMLCanvasElement (got {})", type_of(&v))))
}

/// A canvas as a drawing area of eoslab-figure's [`Surface`] over [`WebBackend`], whose images
/// go in through `putImageData`.
type CanvasArea = WebArea<'static>;

fn canvas_area(canvas: &HtmlCanvasElement) -> Result<CanvasArea, JsValue> {
    let no_context = || refuse("canvas", "the canvas has no 2d context");
    let context: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into().ok()).ok_or_else(no_context)?;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(no_context)?;
    let put = move |(x, y): (i32, i32), (w, h): (u32, u32), rgb: &[u8]| -> Result<(), String> {
        let rgba: Vec<u8> = rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h).map_err(|e| format!("{e:?}"))?;
        context.put_image_data(&image, x as f64, y as f64).map_err(|e| format!("{e:?}"))
    };
    Ok(Surface::with_raster(WebBackend::Canvas(backend), Medium::Canvas, Box::new(put)).into_drawing_area())
}

/// The device-pixel ratio argument: a number in [0.25, 8].
fn check_dpr(dpr: &JsValue) -> Result<f64, JsValue> {
    let dpr = number(dpr, "dpr")?;
    if dpr.is_finite() && (0.25..=8.0).contains(&dpr) {
        Ok(dpr)
    } else {
        Err(refuse("dpr", format!("must lie in [0.25, 8] (got {dpr})")))
    }
}

/// Draws with `draw` on the canvas argument `canvas`, sized in device pixels, at `dpr` device
/// pixels per CSS pixel; returns the plotting area's rectangle as a plain object. The ratio is
/// checked before the canvas.
pub(crate) fn draw_on_canvas(
    canvas: JsValue,
    dpr: &JsValue,
    dark: bool,
    draw: impl FnOnce(&CanvasArea, Style) -> Result<PlotRect, FigureError>,
) -> Result<JsValue, JsValue> {
    let dpr = check_dpr(dpr)?;
    let area = canvas_area(&self::canvas(canvas)?)?;
    let style = Style::new(Medium::Canvas, dpr, area.dim_in_pixel(), dark);
    let r = draw(&area, style).map_err(figure_error)?;
    area.present().map_err(|e| refuse("canvas", format!("drawing failed: {e}")))?;
    to_js(&r)
}

/// A CSS pixel size argument for a file, as whole pixels; errors name `field`.
pub(crate) fn pixels(value: &JsValue, field: &str) -> Result<u32, JsValue> {
    let v = number(value, field)?;
    let range = eoslab_figure::svg::SIZE;
    if v.is_finite() && v >= *range.start() as f64 && v <= *range.end() as f64 {
        Ok(v.round() as u32)
    } else {
        Err(refuse(field, format!("must lie in [{}, {}] pixels (got {v})", range.start(), range.end())))
    }
}

/// A result returned by `run`, read back by the bounded walk with the [`RESULT`] limits; errors
/// name `field` ("result" for the argument of that name).
pub(crate) fn parse_result(result: JsValue, field: &str) -> Result<Output, JsValue> {
    inspect_then(result, field, RESULT)
}

/// Drawing options (`{pinned, dark, marker, heavyBall}`, each optional; undefined or null for
/// none); an error names the option, e.g. "options.pinned". The results among them (pinned runs,
/// a heavy-ball run) are read like [`parse_result`], so the results' large `Deserialize` code
/// exists once in the module; the keys are read through the catching imports, as in the walk.
pub(crate) fn parse_options(options: JsValue) -> Result<Options, JsValue> {
    let Some(options) = optional(options) else {
        return Ok(Options::default());
    };
    let sequence = is_array(&options).map_err(|e| thrown("options", &e))?;
    if !options.is_object() || options.is_function() || sequence {
        return Err(refuse("options", "must be an object such as {dark: true}"));
    }
    let keys = own_keys(&options).map_err(|e| thrown("options", &e))?;
    let mut parsed = Options::default();
    for key in keys.iter() {
        let key = string(&key, "options", SPEC.chars)?;
        let field = format!("options.{key}");
        let value = Reflect::get(&options, &JsValue::from_str(&key)).map_err(|e| thrown(&field, &e))?;
        match key.as_str() {
            "pinned" => parsed.pinned = inspect_then(value, &field, RESULT)?,
            "dark" => parsed.dark = parse_value(&value, &field)?,
            "marker" => parsed.marker = parse_value(&value, &field)?,
            "heavyBall" => parsed.heavy_ball = inspect_then(value, &field, RESULT)?,
            _ => return Err(refuse(&field, "unknown option; expected pinned, dark, marker or heavyBall")),
        }
    }
    Ok(parsed)
}
