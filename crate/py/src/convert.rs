//! A result as Python objects: JSON objects become dicts, strings str, booleans bool, null None,
//! numbers int or float, and arrays lists, except arrays of numbers, which become NumPy arrays:
//! * a non-empty array whose entries are all numbers: a 1-D array, `float64` when the core's
//!   field is real (any entry written as a real), else `int64` (step numbers, codes, counts);
//! * a non-empty array of non-empty arrays of numbers, all of one length: a 2-D array (iterates,
//!   orbits, starts, top-k eigenvalues per step), with the same choice of dtype.
//!
//! Arrays holding a null (a sweep's `diverged_at`, a scan's `period` where none was found) or
//! anything else stay lists, as do empty arrays. docs/spec.md names each result field.

use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Number, Value};

/// `value` as Python objects, following the module docs.
pub fn to_python(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => number(py, n)?,
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => match numeric_array(items) {
            Some(array) => array.into_python(py)?,
            None => {
                let list = PyList::empty(py);
                for item in items {
                    list.append(to_python(py, item)?)?;
                }
                list.into_any().unbind()
            }
        },
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A JSON number as a Python int (integers) or float (reals).
fn number(py: Python<'_>, n: &Number) -> PyResult<Py<PyAny>> {
    Ok(if let Some(i) = n.as_i64() {
        i.into_pyobject(py)?.into_any().unbind()
    } else if let Some(u) = n.as_u64() {
        u.into_pyobject(py)?.into_any().unbind()
    } else {
        real(n)?.into_pyobject(py)?.into_any().unbind()
    })
}

/// A JSON number that is neither an i64 nor a u64 as f64 (always possible without serde_json's
/// arbitrary precision).
fn real(n: &Number) -> PyResult<f64> {
    n.as_f64().ok_or_else(|| PyValueError::new_err(format!("eoslab: the number {n} has no f64 value")))
}

/// An array of numbers, ready to become a NumPy array.
enum NumericArray {
    Real { rows: usize, columns: Option<usize>, data: Vec<f64> },
    Integer { rows: usize, columns: Option<usize>, data: Vec<i64> },
}

impl NumericArray {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Self::Real { columns: None, data, .. } => PyArray1::from_vec(py, data).into_any().unbind(),
            Self::Integer { columns: None, data, .. } => PyArray1::from_vec(py, data).into_any().unbind(),
            Self::Real { rows, columns: Some(columns), data } => PyArray1::from_vec(py, data).reshape([rows, columns])?.into_any().unbind(),
            Self::Integer { rows, columns: Some(columns), data } => {
                PyArray1::from_vec(py, data).reshape([rows, columns])?.into_any().unbind()
            }
        })
    }
}

/// The entries of `items` as a flat array of numbers with its shape, or None when `items` is not
/// a non-empty array of numbers or a non-empty rectangular array of arrays of numbers.
fn numeric_array(items: &[Value]) -> Option<NumericArray> {
    let first = items.first()?;
    let (numbers, columns): (Vec<&Number>, Option<usize>) = match first {
        Value::Number(_) => (items.iter().map(Value::as_number).collect::<Option<_>>()?, None),
        Value::Array(row) if !row.is_empty() => {
            let columns = row.len();
            let mut numbers = Vec::with_capacity(items.len() * columns);
            for item in items {
                let row = item.as_array().filter(|row| row.len() == columns)?;
                for entry in row {
                    numbers.push(entry.as_number()?);
                }
            }
            (numbers, Some(columns))
        }
        _ => return None,
    };
    let rows = items.len();
    if numbers.iter().all(|n| n.is_i64()) {
        let data = numbers.iter().filter_map(|n| n.as_i64()).collect();
        Some(NumericArray::Integer { rows, columns, data })
    } else {
        let data = numbers.iter().map(|n| n.as_f64()).collect::<Option<_>>()?;
        Some(NumericArray::Real { rows, columns, data })
    }
}
