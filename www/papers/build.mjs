// Writes the paper gallery's pages from the inventory: www/papers/index.html (every figure of the
// five papers, grouped by paper, with the story across them and the citations) and one page per
// paper, www/papers/000.html … 004.html, where every figure is a section with our caption, the
// claim, what to look for, the contradiction found where figures.json records one, and a lazy
// <eoslab-figure> per spec with a link that opens the spec on the matching tool page. Static HTML,
// not pages that build themselves from the JSON, because pages opened from file:// (an unzipped
// site) may not fetch it. `--check` fails if a committed page is not what this would write (the
// browser tests run it). The panels offered for each spec are the core's (pkg/eoslab.js `panels`).
//
//     node www/papers/build.mjs          # write
//     node www/papers/build.mjs --check  # verify the pages are fresh

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashWithSpec } from '../lib/state.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const eoslab = await import(pathToFileURL(join(HERE, '..', '..', 'pkg', 'eoslab.js')).href);

export const FIGURES = JSON.parse(readFileSync(join(HERE, 'figures.json'), 'utf8'));
export const PAPERS = JSON.parse(readFileSync(join(HERE, 'papers.json'), 'utf8'));
/** The papers with figures, in the order of the story. */
export const PAPER_IDS = ['000', '001', '002', '003', '004'];

/** What each status means (docs/gallery.md), for the index's legend. */
const STATUS_TEXT = {
  reproduced: 'the paper’s setting, computed live (where our copy lost a value, the setting says which we chose)',
  'stand-in': 'the phenomenon computed live in a substitute setting, named and justified',
  'not-computable': 'a diagram, a proof sketch, or what cannot be recovered from our copy',
};

/** Each paper's place in the story, in a sentence, and a short name for the navigation. */
const ROLE = {
  '000': ['Good regularity', 'Why the edge of stability happens at all: with good regularity a large learning rate brings a catapult, balancing of the layers and a limiting sharpness at 2/η.'],
  '001': ['Self-stabilization', 'How GD stays at the edge: the sharpness overshoots 2/η, the iterate oscillates along the top eigenvector, and the third derivative pulls the sharpness back down.'],
  '002': ['Two-step updates', 'What lies beyond it: GD converges in two-step updates to period-2 orbits whose sharpness exceeds 2/η, then period doubling cascades into chaos.'],
  '003': ['Shallow networks, fine-grained', 'What happens inside a network: the top eigenvalues reach 2/η one after another, and the timing depends on width, depth, loss and schedule.'],
  '004': ['Unstable convergence', 'Where GD ends up past 2/λ_max: starts that converge only after leaving the stable region, in sets that grow with η.'],
};

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function paper(id) {
  return PAPERS.find((p) => p.paper === id);
}

/** A paper's citation as HTML: authors, title, venue, year, arXiv link; `end` closes it. */
function citation(p, end = '.') {
  const authors = p.authors.length ? `${p.authors.join(', ')}, ` : '';
  const title = p.url ? `<a href="${escape(p.url)}"><cite>${escape(p.title)}</cite></a>` : `<cite>${escape(p.title)}</cite>`;
  const year = p.year ? `, ${p.year}` : '';
  const arxiv = p.arxiv ? `, arXiv:${escape(p.arxiv)}` : '';
  return `${escape(authors)}${title}, ${escape(p.venue)}${year}${arxiv}${end}`;
}

/** The panels of `wanted` the core draws for a spec's kind (none for kinds without a figure yet). */
function drawable(kind, wanted) {
  const names = new Set(eoslab.panels(kind).map((p) => p.name));
  return wanted.filter((p) => names.has(p));
}

/** figures.json's control paths as the element's: a bare object or schedule is its selector. */
function controlsOf(figure) {
  return figure.controls.map((c) => ({ objective: 'objective.name', schedule: 'schedule.kind' })[c] ?? c);
}

const scalarOrList = (v) => typeof v === 'number' || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'number'));

/** `#key=value&…` in the tool pages' own address format (www/common.js `hashOfEntries`). */
function entriesHash(entries) {
  return '#' + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`).join('&');
}

/** The objective's entries for the pages that read `objective=name&objective.p=value`, or null. */
function objectiveEntries(objective) {
  const params = Object.entries(objective).filter(([k]) => k !== 'name');
  if (!params.every(([, v]) => scalarOrList(v))) return null;
  return [['objective', objective.name], ...params.map(([k, v]) => [`objective.${k}`, v])];
}

/**
 * The tool page that opens a spec with every field of it, `{href, page}`, or null when none can:
 * trajectories in the objective zoo (the element's own address), basin maps on the basin page and
 * self-stabilization runs on the dynamics page (their address formats).
 */
export function toolLink(spec) {
  const rest = (keys) => Object.keys(spec).filter((k) => k !== 'kind' && k !== 'objective' && !keys.includes(k));
  if (spec.kind === 'trajectory') return { href: `../zoo.html${hashWithSpec('', spec)}`, page: 'the objective zoo' };
  if (spec.kind === 'basin') {
    const keys = ['eta', 'steps', 'x_min', 'x_max', 'y_min', 'y_max', 'nx', 'ny'];
    const objective = objectiveEntries(spec.objective);
    if (!objective || rest(keys).length) return null;
    return { href: `../basin.html${entriesHash([...objective, ...keys.filter((k) => k in spec).map((k) => [k, spec[k]])])}`, page: 'the basin maps' };
  }
  if (spec.kind === 'self_stabilization') {
    const keys = ['eta', 'steps', 'momentum', 'x0'];
    const objective = objectiveEntries(spec.objective);
    if (!objective || rest(keys).length) return null;
    return { href: `../dynamics.html${entriesHash([['mode', 'self_stabilization'], ...objective, ...keys.filter((k) => k in spec).map((k) => [k, spec[k]])])}`, page: 'GD, flow and self-stabilization' };
  }
  return null;
}

/** A spec in a few words, to title its figure. */
function specTitle(spec) {
  const parts = [];
  const o = spec.objective;
  if (o) parts.push([o.name, ...Object.entries(o).filter(([k]) => k !== 'name').map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : v}`)].join(', '));
  if (spec.eta !== undefined) parts.push(`η = ${spec.eta}`);
  if (spec.eta_min !== undefined) parts.push(`η from ${spec.eta_min} to ${spec.eta_max}`);
  if (spec.x0) parts.push(`x₀ = (${spec.x0.join(', ')})`);
  if (spec.steps) parts.push(`${spec.steps} steps`);
  return `${spec.kind.replace('_', '-')}: ${parts.join('; ')}`;
}

/** A check in words: "spec 1: sharpness (last) within 10% of 2/η". */
function checkText(c) {
  const of = typeof c.of === 'object' && c.of !== null ? `${c.of.spec !== undefined && c.of.spec !== c.spec ? `spec ${c.of.spec + 1}'s ` : ''}${c.of.field} (${c.of.at})` : c.of === '2/eta' ? '2/η' : JSON.stringify(c.of);
  const factor = c.factor !== undefined ? `${c.factor} × ` : '';
  const relation = { within: `within ${c.tol * 100}% of`, near: `within ${c.tol} of`, '==': '=' }[c.relation] ?? c.relation;
  const column = c.column !== undefined ? ` [column ${c.column}]` : '';
  return `spec ${c.spec + 1}: ${c.field}${column} (${c.at ?? 'value'}) ${relation} ${factor}${of}`;
}

function figureSection(f, headingLevel = 2) {
  const h = `h${headingLevel}`;
  const facts = [
    ['The claim', f.claim],
    ['What to look for', f.look_for],
    ['Setting', f.setting],
    ...(f.reason ? [[f.status === 'stand-in' ? 'Why a stand-in' : 'Why it is not computed', f.reason]] : []),
    ...(f.needs.length ? [['Still missing in the core', `${f.needs.join(', ')} (docs/gallery.md, “What the core lacks”)`]] : []),
  ];
  const contradiction = f.contradiction
    ? `<div class="contradiction" role="note" aria-labelledby="contra-${f.id}"><p><strong id="contra-${f.id}">What we found instead:</strong> ${escape(f.contradiction)}</p></div>`
    : '';
  const checks = f.check.length
    ? `<details class="checks"><summary>The claim as ${f.check.length} check${f.check.length > 1 ? 's' : ''} (run by the tests)</summary>
<ul>${f.check.map((c) => `<li data-holds="${c.holds}">${escape(checkText(c))}: ${c.holds ? 'holds' : 'fails (recorded)'}; computed ${escape(String(c.value))}${c.note ? ` — ${escape(c.note)}` : ''}</li>`).join('')}</ul>
<p>${escape(f.measured ?? '')}</p></details>`
    : '';
  const controls = controlsOf(f).join(' ');
  const live = f.specs
    .map((spec, i) => {
      const panels = drawable(spec.kind, f.panels);
      const link = toolLink(spec);
      const open = link ? `<a class="open-tool" href="${escape(link.href)}">Open this spec in ${escape(link.page)}</a>` : '<span class="open-tool">No tool page shows this kind yet.</span>';
      const undrawn = panels.length ? '' : `<p class="undrawn">The ${escape(f.panels.join(', '))} panel${f.panels.length > 1 ? 's are' : ' is'} still to be drawn for a ${escape(spec.kind)}; the figure computes, and the checks above are read from its result.</p>`;
      return `<div class="live" data-spec="${i}">
<h${headingLevel + 1}>Spec ${i + 1} of ${f.specs.length}: ${escape(specTitle(spec))}</h${headingLevel + 1}>
<eoslab-figure lazy spec="${escape(JSON.stringify(spec))}"${panels.length ? ` panels="${escape(panels.join(' '))}"` : ''} controls="${escape(controls)}"></eoslab-figure>
${undrawn}<p>${open}</p>
</div>`;
    })
    .join('\n');
  const blocked = !f.specs.length && f.status !== 'not-computable' ? '<p class="undrawn">Nothing of this figure runs today: it waits for the capabilities named above.</p>' : '';
  return `<section id="fig-${f.id}" data-paper-figure="${f.id}" data-status="${f.status}" aria-labelledby="title-${f.id}">
<${h} id="title-${f.id}">Figure ${f.number} <span class="status" data-status="${f.status}">${escape(f.status)}</span></${h}>
<p class="plots">${escape(f.plots)}</p>
<dl class="facts">${facts.map(([t, d]) => `<dt>${escape(t)}</dt><dd>${escape(d)}</dd>`).join('')}</dl>
${contradiction}
${checks}
${live}${blocked}
</section>`;
}

function page({ title, lead, main, root = '../' }) {
  return `<!doctype html>
<!-- Generated by \`node www/papers/build.mjs\` from figures.json and papers.json: do not edit. -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>eoslab · ${escape(title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${root}style.css">
  <script type="module" src="gallery.js"></script>
</head>
<body class="gallery">
  <nav class="site-nav" aria-label="eoslab pages"></nav>
  <header class="intro">
    <h1>${escape(title)}</h1>
    ${lead}
  </header>
  <noscript><p class="message" role="alert">The live figures need JavaScript and WebAssembly; the text is all here.</p></noscript>
  <main>
${main}
  </main>
</body>
</html>
`;
}

const counts = (figs) => ['reproduced', 'stand-in', 'not-computable'].map((s) => `${figs.filter((f) => f.status === s).length} ${s}`).join(', ');

/** The story across the papers, with links to them. */
function story() {
  const cohen = PAPERS.find((p) => p.paper === 'cohen2021');
  const a = (id, text) => `<a href="${id}.html">${text}</a>`;
  return `<section class="prose story" aria-labelledby="story-title">
<h2 id="story-title">The story across the papers</h2>
<ol>
<li><strong>Progressive sharpening.</strong> Trained by gradient descent with step η, a network’s sharpness (the top Hessian eigenvalue) rises during training until it reaches the stability threshold 2/η (${citation(cohen, '')}).</li>
<li><strong>The edge of stability.</strong> It then hovers at 2/η while the loss keeps falling, non-monotonically. ${a('000', 'Paper 000')} explains when: good regularity of the loss gives the edge of stability, with a catapult and balancing; ${a('003', 'paper 003')} follows the top eigenvalues of shallow networks reaching 2/η one after another.</li>
<li><strong>Self-stabilization.</strong> ${a('001', 'Paper 001')}: past 2/η the iterate oscillates along the top eigenvector, and the third derivative brings the sharpness back under 2/η — GD follows gradient flow constrained to sharpness ≤ 2/η.</li>
<li><strong>Period doubling.</strong> ${a('002', 'Paper 002')}: beyond the edge GD converges in two-step updates to period-2 orbits, whose sharpness exceeds 2/η.</li>
<li><strong>Chaos.</strong> Raising η further doubles the period again and again, a route into chaos (Kong and Tao, 2020, as ${a('000', 'paper 000')} recounts in §1); the <a href="../bifurcation.html">bifurcation explorer</a> draws the cascade on 002’s double well.</li>
<li><strong>Unstable convergence.</strong> ${a('004', 'Paper 004')}: GD still converges to minima sharper than 2/η from starts that pass through the unstable region, in sets that grow with η.</li>
</ol>
</section>`;
}

export function indexPage() {
  const main = PAPER_IDS.map((id) => {
    const p = paper(id);
    const figs = FIGURES.filter((f) => f.paper === id).sort((a, b) => a.number - b.number);
    const rows = figs
      .map((f) => `<tr data-paper-figure="${f.id}" data-status="${f.status}"><th scope="row"><a href="${id}.html#fig-${f.id}">Fig. ${f.number}</a></th><td>${escape(f.plots)}</td><td>${escape(f.claim)}</td><td><span class="status" data-status="${f.status}">${escape(f.status)}</span>${f.contradiction ? ' <span class="contradicted">contradiction recorded</span>' : ''}</td></tr>`)
      .join('\n');
    return `<section class="paper" data-paper="${id}" aria-labelledby="paper-${id}">
<h2 id="paper-${id}"><a href="${id}.html">Paper ${id}: ${escape(ROLE[id][0])}</a></h2>
<p class="citation">${citation(p)}</p>
<p>${escape(ROLE[id][1])} ${figs.length} figures: ${counts(figs)}.</p>
<div class="table-wrap"><table>
<caption>The figures of paper ${id}</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">What it plots</th><th scope="col">The claim</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
</section>`;
  }).join('\n');
  const lead = `<p class="lead">Every figure of the five papers: what it plots, the claim it supports, and whether eoslab computes it live — ${FIGURES.length} figures, ${counts(FIGURES)}. Each paper’s page shows the computable ones as live figures you can change.</p>`;
  const legend = `<dl class="legend">${Object.entries(STATUS_TEXT).map(([s, text]) => `<dt><span class="status" data-status="${s}">${s}</span></dt><dd>${escape(text)}</dd>`).join('')}</dl>`;
  return page({ title: 'The paper gallery: every figure of five papers on the edge of stability', lead: lead + legend, main: `${story()}\n${main}` });
}

export function paperPage(id) {
  const p = paper(id);
  const figs = FIGURES.filter((f) => f.paper === id).sort((a, b) => a.number - b.number);
  const i = PAPER_IDS.indexOf(id);
  const around = [
    i > 0 ? `<a href="${PAPER_IDS[i - 1]}.html" rel="prev">← paper ${PAPER_IDS[i - 1]}</a>` : '',
    '<a href="index.html">all papers</a>',
    i < PAPER_IDS.length - 1 ? `<a href="${PAPER_IDS[i + 1]}.html" rel="next">paper ${PAPER_IDS[i + 1]} →</a>` : '',
  ].filter(Boolean);
  const lead = `<p class="citation">${citation(p)}</p>
    <p class="lead">${escape(ROLE[id][1])} ${figs.length} figures: ${counts(figs)}. The figures compute when scrolled into view; the captions and claims are ours.</p>
    <p class="around">${around.join(' · ')}</p>`;
  const toc = `<nav class="figure-index" aria-label="Figures of paper ${id}"><ul>${figs.map((f) => `<li><a href="#fig-${f.id}">Fig. ${f.number}</a> <span class="status" data-status="${f.status}">${escape(f.status)}</span></li>`).join('')}</ul></nav>`;
  return page({ title: `Paper ${id}: ${ROLE[id][0]} — ${p.title}`, lead, main: `${toc}\n${figs.map((f) => figureSection(f)).join('\n')}` });
}

/** Every generated page: `[file name, text]`. */
export function pages() {
  return [['index.html', indexPage()], ...PAPER_IDS.map((id) => [`${id}.html`, paperPage(id)])];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [name, text] of pages()) {
    const path = join(HERE, name);
    if (check) {
      let old = '';
      try {
        old = readFileSync(path, 'utf8');
      } catch {
        // missing: stale
      }
      if (old !== text) stale.push(`www/papers/${name}`);
    } else writeFileSync(path, text);
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(', ')}; run node www/papers/build.mjs`);
    process.exit(1);
  }
}
