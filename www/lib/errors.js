// Typed errors of the public API: "your input is wrong" (SpecError, naming the spec field) kept
// apart from "this is our bug" (CorePanic: the WebAssembly core trapped, e.g. a Rust panic).

/** The core refused a spec: `field` is the path of the field ("eta", "x0[0]", "objective.mu"; "" for the whole spec). */
export class SpecError extends Error {
  constructor(message, field = '') {
    super(message);
    this.name = 'SpecError';
    this.field = field;
  }
}

/** The core trapped (a Rust panic aborts the instance): the instance is replaced, the message shown. */
export class CorePanic extends Error {
  constructor(message) {
    super(message);
    this.name = 'CorePanic';
  }
}

/**
 * The typed form of whatever the core or a worker threw: a `SpecError` when it names a field
 * (every refusal of the core does), a `CorePanic` for a WebAssembly trap, else the error itself.
 */
export function typedError(error) {
  if (error instanceof SpecError || error instanceof CorePanic) return error;
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return new CorePanic(error.message);
  if (error && typeof error === 'object' && typeof error.field === 'string') return new SpecError(error.message, error.field);
  return error instanceof Error ? error : new Error(String(error));
}

/** Calls `f()`, rethrowing what it throws as a typed error. */
export function typed(f) {
  try {
    return f();
  } catch (error) {
    throw typedError(error);
  }
}
