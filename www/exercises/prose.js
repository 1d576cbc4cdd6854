// The Markdown subset of exercise prose, to HTML: paragraphs, "- " and "1. " lists, **bold**,
// *italic*, `code`, [links](url), $inline$ and $$display$$ TeX (tex.js). Everything else is text
// (HTML is escaped). Throws on TeX outside the subset or an unclosed $.

import { texToMathML } from './tex.js';

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One line's inline markup to HTML. */
function inline(text) {
  const parts = text.split(/(\$\$[^$]+\$\$|\$[^$]+\$|`[^`]+`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        if (part.startsWith('$$')) return texToMathML(part.slice(2, -2).trim(), true);
        if (part.startsWith('$')) return texToMathML(part.slice(1, -1).trim());
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      }
      if (part.includes('$')) throw new Error(`unclosed $ in “${text.trim()}”`);
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\*([^*]+)\*/g, '<em>$1</em>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
    })
    .join('');
}

/** The items of a list block: a line starting with `marker` opens an item, other lines continue it. */
function listItems(lines, marker) {
  const items = [];
  for (const line of lines) {
    if (marker.test(line)) items.push(line.replace(marker, ''));
    else items[items.length - 1] += ` ${line.trim()}`;
  }
  return items.map((item) => `<li>${inline(item)}</li>`).join('');
}

/** Markdown prose (several paragraphs) to HTML. */
export function proseToHtml(markdown) {
  const blocks = markdown.trim().split(/\n\s*\n/);
  return blocks
    .map((block) => {
      const lines = block.split('\n');
      if (/^\s*- /.test(lines[0])) return `<ul>${listItems(lines, /^\s*- /)}</ul>`;
      if (/^\s*\d+\. /.test(lines[0])) return `<ol>${listItems(lines, /^\s*\d+\. /)}</ol>`;
      const text = lines.join(' ').trim();
      if (/^\$\$[^$]+\$\$$/.test(text)) return inline(text);
      return `<p>${inline(text)}</p>`;
    })
    .join('\n');
}
