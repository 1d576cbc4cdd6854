// Where the figure says what went wrong: a refusal beside the control of the field it names, or
// in the figure's message line (with the field named) when no control shows that field; a panic
// or a malformed address in the message line. Every message is cleared before the next run.

import { readable } from './format.js';

/** A message with its numbers of more than 12 digits as a person reads them (1e308, not 308 digits). */
export function readableNumbers(text) {
  return text.replace(/-?\d[\d.]{12,}(e[-+]?\d+)?/g, (n) => (Number.isFinite(Number(n)) ? readable(Number(n)) : n));
}

export class Messages {
  /** `line`: the figure's message element; `errorOf(field)`: a control's <output>, or null. */
  constructor(line, errorOf = () => null) {
    this.line = line;
    this.errorOf = errorOf;
    this.notes = [];
  }

  clear() {
    this.line.replaceChildren();
    this.line.hidden = true;
    this.line.className = 'message';
    this.notes = [];
  }

  /** A refusal of `field` by the core: beside its control, else in the line. */
  refusal(field, message) {
    const output = field ? this.errorOf(field) : null;
    if (output) {
      output.textContent = readableNumbers(message);
      output.closest('.control')?.classList.add('invalid');
      output.closest('.control')?.querySelector('input, select')?.setAttribute('aria-invalid', 'true');
      return;
    }
    this.note(message, 'error');
  }

  /** A line of text in the message area (`tone`: "error", "warning" or "info"). */
  note(text, tone = 'info') {
    this.notes.push(text);
    const p = document.createElement('p');
    p.textContent = readableNumbers(text);
    p.className = tone;
    this.line.append(p);
    this.line.hidden = false;
  }

  /** Clears the controls' refusals. */
  clearFields(outputs) {
    for (const output of outputs) {
      output.textContent = '';
      output.closest('.control')?.classList.remove('invalid');
      output.closest('.control')?.querySelector('input, select')?.removeAttribute('aria-invalid');
    }
  }
}
