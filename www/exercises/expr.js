// Arithmetic a student may type as an answer ("sqrt(5) - 1", "2/0.4", "1.2e-3") and the small
// formulas an exercise file uses to derive a number from a core result ("2/v"). Numbers, the
// variables given, + − * / ^ (right-associative), unary minus, parentheses, sqrt (or √), abs, log,
// exp (with parentheses, or applied to the power that follows: √5), and the constant pi. No other
// names are accepted, and nothing is evaluated with eval.

const FUNCTIONS = { sqrt: Math.sqrt, abs: Math.abs, log: Math.log, exp: Math.exp };
const CONSTANTS = { pi: Math.PI };

/**
 * Evaluates `text` with `variables` (name → number). Throws an Error saying what is wrong (in
 * words a student reads) on anything else; returns a finite number.
 */
export function evaluate(text, variables = {}) {
  const source = String(text).replace(/−/g, '-').replace(/×|·/g, '*').replace(/√/g, ' sqrt ').replace(/,/g, '.');
  const tokens = source.match(/\d*\.?\d+(?:[eE][-+]?\d+)?|[A-Za-z_]\w*|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (want) => {
    if (tokens[at] !== want) throw new Error(tokens[at] === undefined ? `“${text}” ends too early: ${want} is missing` : `unexpected “${tokens[at]}” in “${text}”`);
    at += 1;
  };
  const atom = () => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`“${text}” ends too early`);
    if (/^\d|^\./.test(token)) return Number(token);
    if (token === '(') {
      const value = sum();
      take(')');
      return value;
    }
    if (token === '-') return -power();
    if (token === '+') return power();
    if (FUNCTIONS[token]) {
      if (peek() !== '(') return FUNCTIONS[token](power());
      at += 1;
      const value = sum();
      take(')');
      return FUNCTIONS[token](value);
    }
    if (token in CONSTANTS) return CONSTANTS[token];
    if (Object.hasOwn(variables, token)) return variables[token];
    throw new Error(`“${token}” is not a number I can read in “${text}”`);
  };
  const power = () => {
    const base = atom();
    if (peek() !== '^') return base;
    at += 1;
    return base ** power();
  };
  const product = () => {
    let value = power();
    while (peek() === '*' || peek() === '/') value = tokens[at++] === '*' ? value * power() : value / power();
    return value;
  };
  const sum = () => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = tokens[at++] === '+' ? value + product() : value - product();
    return value;
  };
  if (tokens.length === 0) throw new Error('the answer is empty');
  const value = sum();
  if (at < tokens.length) throw new Error(`unexpected “${tokens[at]}” in “${text}”`);
  if (!Number.isFinite(value)) throw new Error(`“${text}” is not a finite number`);
  return value;
}
