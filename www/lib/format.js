// Numbers as a person reads them: about six significant digits, and the exact value (the
// shortest text that reads back to the same double) for titles and CSV.

/** Six significant digits, no trailing zeros: 2 for 2.0000000000000000, 1.11606 for 1.1160629714523047. */
export function readable(x) {
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(5).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(x.toPrecision(6)));
}

/** The exact value: JavaScript's shortest round-trip text. */
export function exact(x) {
  return String(x);
}
