// eoslab.Figure in a notebook exported by `jupyter nbconvert --to html --execute`, opened from
// file:// in Debian's Chromium. The export loads require.js, @jupyter-widgets/html-manager and
// anywidget from CDNs; the machine has no internet, so those requests are answered from local
// copies (the two npm packages, pinned below, fetched with `npm pack` into target/notebook-cdn),
// and any other request off file:// fails the test. The html manager looks for a widget module
// beside the page before its CDN: anywidget.js there is the AMD module the venv's anywidget ships.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { launchChromium } from '../e2e/browser.mjs';
import { REPO_ROOT, VENV, notebook, watchErrors } from './jupyter.mjs';

const PACKAGES = { '@jupyter-widgets/html-manager': '1.0.15', requirejs: '2.3.8' };
const CDN_COPY = join(REPO_ROOT, 'target', 'notebook-cdn');
const ANYWIDGET_AMD = join(VENV, 'share', 'jupyter', 'nbextensions', 'anywidget', 'index.js');
const SPEC = { kind: 'trajectory', eta: 1.1, x0: [0.5], steps: 100 };

/** The unpacked npm package `name` (fetched once with `npm pack`). */
function localPackage(name) {
  const dir = join(CDN_COPY, name.replace('/', '+'));
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `${name}@${PACKAGES[name]}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir, '--strip-components=1']);
  }
  return dir;
}

let dir;
let html;
let browser;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eoslab-nbconvert-'));
  writeFileSync(join(dir, 'figure.ipynb'), notebook([`import eoslab\neoslab.Figure(${JSON.stringify(SPEC)}, panels="loss", controls="eta")`]));
  execFileSync(join(VENV, 'bin', 'jupyter'), ['nbconvert', '--to', 'html', '--execute', 'figure.ipynb'], { cwd: dir, stdio: 'inherit' });
  html = join(dir, 'figure.html');
  writeFileSync(join(dir, 'anywidget.js'), readFileSync(ANYWIDGET_AMD));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the export with the CDN requests answered locally; returns the page and its problems. */
async function openExport(t) {
  const manager = localPackage('@jupyter-widgets/html-manager');
  const requirejs = localPackage('requirejs');
  const page = await browser.newPage();
  t.after(() => page.close());
  const problems = watchErrors(page);
  await page.route(/^https?:/, (route) => {
    const url = new URL(route.request().url());
    let file;
    if (url.pathname.endsWith('/require.min.js') || url.pathname.endsWith('/require.js')) file = join(requirejs, 'require.js');
    else if (url.pathname.includes('/@jupyter-widgets/html-manager@')) file = join(manager, 'dist', url.pathname.split('/dist/')[1]);
    else if (url.hostname === 'cdnjs.cloudflare.com' && /mathjax|mermaid/.test(url.pathname)) {
      // Typesetting and diagrams are not what is tested: an empty script stands in.
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    }
    if (!file || !existsSync(file)) {
      problems.push(`request off the machine: ${url.href}`);
      return route.abort();
    }
    return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(file) });
  });
  await page.goto(pathToFileURL(html).href);
  return { page, problems };
}

test('the exported notebook mounts the figure from its saved widget state', async (t) => {
  const { page, problems } = await openExport(t);
  await page.waitForFunction(() => document.querySelector('eoslab-figure')?.spec);
  assert.deepEqual(await page.evaluate(() => document.querySelector('eoslab-figure').spec), SPEC);
  assert.equal(await page.evaluate(() => document.querySelector('eoslab-figure').getAttribute('panels')), 'loss');
  assert.deepEqual(problems, []);
});

test('the exported notebook draws the figure', async (t) => {
  const { page, problems } = await openExport(t);
  await page.waitForFunction(() => customElements.get('eoslab-figure'), null, { timeout: 60_000 }).catch(() => {
    throw new Error('pkg/eoslab.js does not define <eoslab-figure> (issue 10): nothing can draw');
  });
  await page.waitForFunction(() => {
    const figure = document.querySelector('eoslab-figure');
    const canvases = [...(figure.shadowRoot ?? figure).querySelectorAll('canvas, svg')];
    return canvases.some((c) => (c.width?.baseVal?.value ?? c.width) > 0);
  });
  assert.deepEqual(problems, []);
});
