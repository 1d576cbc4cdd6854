//! `eoslab._native`: the native half of the `eoslab` Python package (python/eoslab).
//!
//! It exposes the core's two entry points, as the `eoslab` command does:
//! * `run(spec_json)`: [`eoslab_core::parse_json`] then [`eoslab_core::run_parallel`] (scans on
//!   every core), returning the result as Python objects with arrays of numbers as NumPy arrays
//!   ([`convert`]); a refused spec raises `eoslab.SpecError(field, message)`;
//! * `objectives()`: every objective's schema ([`eoslab_core::objective::schemas`]).
//!
//! The Python side (python/eoslab/_run.py) turns the caller's dict into JSON first, refusing
//! non-finite numbers and types JSON cannot carry with the field they sit in.
//!
//! A run computes on a thread of its own while the calling thread waits with the GIL released
//! ([`wait_interruptibly`]): other Python threads go on, and Ctrl-C (KeyboardInterrupt) ends the
//! wait within [`SIGNAL_POLL`]. The core has no cancellation hook, so the abandoned computation
//! finishes in the background and its result is dropped.

mod convert;

use std::sync::mpsc;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How often a waiting `run` checks for Ctrl-C (Python's signal handlers run only on the main
/// thread, when it holds the GIL and asks).
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Runs the spec given as JSON text and returns the result (see the module docs).
#[pyfunction]
fn run(py: Python<'_>, spec_json: &str) -> PyResult<Py<PyAny>> {
    let spec = eoslab_core::parse_json(spec_json).map_err(|error| spec_error(py, error))?;
    let value = wait_interruptibly(py, move || {
        let output = eoslab_core::run_parallel(&spec)?;
        serde_json::to_value(&output).map_err(|error| eoslab_core::SpecError::whole(format!("serialising the result: {error}")))
    })?
    .map_err(|error| spec_error(py, error))?;
    convert::to_python(py, &value)
}

/// Every objective's schema, as `eoslab objectives` prints it.
#[pyfunction]
fn objectives(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(eoslab_core::objective::schemas())
        .map_err(|error| PyRuntimeError::new_err(format!("serialising the objectives: {error}")))?;
    convert::to_python(py, &value)
}

/// Computes `work` on a thread of its own and waits for it with the GIL released, checking for
/// signals every [`SIGNAL_POLL`]: a pending KeyboardInterrupt (or any exception a signal handler
/// raises) is returned at once and the computation is abandoned. A panic in the computation
/// (a bug of ours) becomes a RuntimeError; the interpreter is never taken down.
fn wait_interruptibly<T: Send + 'static>(py: Python<'_>, work: impl FnOnce() -> T + Send + 'static) -> PyResult<T> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("eoslab-run".into())
        .spawn(move || {
            // The receiver is gone when the caller was interrupted: nobody wants the result.
            let _ = sender.send(work());
        })
        .map_err(|error| PyRuntimeError::new_err(format!("eoslab: cannot start the computation's thread: {error}")))?;
    let mut receiver = receiver;
    loop {
        // The receiver goes into the GIL-free closure and comes back (it is Send, not Sync).
        let (outcome, back) = py.detach(move || (receiver.recv_timeout(SIGNAL_POLL), receiver));
        receiver = back;
        match outcome {
            Ok(result) => return Ok(result),
            Err(mpsc::RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "eoslab: the computation panicked (a bug in eoslab: please report the spec); the message is on stderr",
                ))
            }
        }
    }
}

/// `eoslab.SpecError(field, message)`, the Python package's exception for refused specs.
fn spec_error(py: Python<'_>, error: eoslab_core::SpecError) -> PyErr {
    let class = match py.import("eoslab._errors").and_then(|module| module.getattr("SpecError")) {
        Ok(class) => class,
        Err(import_error) => return import_error,
    };
    match class.call1((error.field, error.message)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(call_error) => call_error,
    }
}

/// The module Python imports as `eoslab._native`.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(run, module)?)?;
    module.add_function(wrap_pyfunction!(objectives, module)?)?;
    Ok(())
}
