// A small TeX subset to MathML, so that exercises show their formulas offline, with no library:
// browsers render MathML Core natively and screen readers read it. Accepted: letters (italic
// identifiers), numbers, operators, {groups}, ^ and _ (with braces or one token), \frac{a}{b},
// \sqrt{a}, \text{…}, \mathrm{…}, \mathbb{R} (ℝ, ℕ, ℤ, ℚ, ℂ), \left and \right (dropped: MathML
// stretches fences itself) and the commands of SYMBOLS. Anything else throws an Error naming it,
// so a typo in an exercise file is caught when the file is validated, not shown to a student.

const GREEK = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Delta: 'Δ', Gamma: 'Γ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ',
  Omega: 'Ω', Theta: 'Θ', ell: 'ℓ', infty: '∞', nabla: '∇', partial: '∂', top: '⊤', dagger: '†',
};

const OPERATORS = {
  cdot: '⋅', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', approx: '≈', sim: '∼',
  to: '→', leftarrow: '←', gets: '←', mapsto: '↦', rightarrow: '→', Rightarrow: '⇒', iff: '⇔', pm: '±', mp: '∓', in: '∈', circ: '∘',
  sum: '∑', prod: '∏', ldots: '…', dots: '…', cdots: '⋯', '|': '‖', lVert: '‖', rVert: '‖', lvert: '|',
  rvert: '|', langle: '⟨', rangle: '⟩', '{': '{', '}': '}', ',': '\u2009', ';': '\u2005', quad: '\u2003', qquad: '\u2003\u2003', star: '⋆',
  max: 'max', min: 'min', log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', tanh: 'tanh', sup: 'sup', lim: 'lim',
};

/** \mathbb letters. */
const DOUBLE_STRUCK = { R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ' };

/** The symbols of the subset beyond plain characters (for the docs and the tests). */
export const SYMBOLS = { ...GREEK, ...OPERATORS };

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Splits TeX into tokens: commands, single characters, numbers, and `\text{…}` kept whole. */
function tokenize(tex) {
  return tex.match(/\\(?:text|mathrm|mathbb)\{[^}]*\}|\\[A-Za-z]+|\\[^A-Za-z]|\d+(?:\.\d+)?|\S/g) ?? [];
}

/** Converts TeX to the MathML of a `<math>` element's content. */
function convert(tex) {
  const tokens = tokenize(tex);
  let at = 0;

  const group = (closing) => {
    const items = [];
    while (at < tokens.length && tokens[at] !== closing) items.push(scripted());
    if (closing) {
      if (tokens[at] !== closing) throw new Error(`“${tex}” has an unclosed {`);
      at += 1;
    }
    return items.length === 1 ? items[0] : `<mrow>${items.join('')}</mrow>`;
  };

  const argument = () => {
    if (tokens[at] === '{') {
      at += 1;
      return group('}');
    }
    if (at >= tokens.length) throw new Error(`“${tex}” ends where an argument was expected`);
    return atom();
  };

  const atom = () => {
    const token = tokens[at++];
    if (token === '{') return group('}');
    if (token === '}') throw new Error(`“${tex}” has an unmatched }`);
    if (/^\d/.test(token)) return `<mn>${token}</mn>`;
    if (/^[A-Za-z]$/.test(token)) return `<mi>${token}</mi>`;
    const text = token.match(/^\\(text|mathrm|mathbb)\{([^}]*)\}$/);
    if (text && text[1] === 'text') return `<mtext>${escapeXml(text[2])}</mtext>`;
    if (text && text[1] === 'mathbb') {
      if (!/^[A-Z]$/.test(text[2]) || !DOUBLE_STRUCK[text[2]]) throw new Error(`“${tex}” uses \\mathbb{${text[2]}}; the renderer knows ${Object.keys(DOUBLE_STRUCK).join(', ')}`);
      return `<mi mathvariant="normal">${DOUBLE_STRUCK[text[2]]}</mi>`;
    }
    if (text) return `<mi mathvariant="normal">${escapeXml(text[2])}</mi>`;
    if (token.startsWith('\\')) {
      const name = token.slice(1);
      if (name === 'frac') return `<mfrac>${argument()}${argument()}</mfrac>`;
      if (name === 'sqrt') return `<msqrt>${argument()}</msqrt>`;
      if (name === 'left' || name === 'right') return at < tokens.length ? atom() : '';
      if (GREEK[name]) return `<mi>${GREEK[name]}</mi>`;
      if (OPERATORS[name]) return /^[a-z]{2,}$/.test(OPERATORS[name]) ? `<mi>${OPERATORS[name]}</mi>` : `<mo>${escapeXml(OPERATORS[name])}</mo>`;
      throw new Error(`“${tex}” uses ${token}, which the exercise renderer does not know`);
    }
    if (token === '^' || token === '_') throw new Error(`“${tex}” has a ${token} with nothing before it`);
    return `<mo>${escapeXml(token === '-' ? '−' : token === '*' ? '∗' : token === "'" ? '′' : token)}</mo>`;
  };

  const scripted = () => {
    let base = atom();
    let sub = null;
    let sup = null;
    while (tokens[at] === '^' || tokens[at] === '_') {
      const mark = tokens[at++];
      if (mark === '^') sup = argument();
      else sub = argument();
    }
    if (sub && sup) base = `<msubsup>${base}${sub}${sup}</msubsup>`;
    else if (sup) base = `<msup>${base}${sup}</msup>`;
    else if (sub) base = `<msub>${base}${sub}</msub>`;
    return base;
  };

  return group(null);
}

/** `<math>` for TeX, inline or as a display block; throws on TeX outside the subset. */
export function texToMathML(tex, display = false) {
  return `<math${display ? ' display="block"' : ''}>${convert(tex)}</math>`;
}
