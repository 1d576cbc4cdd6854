// An accessibility audit of every page with axe-core (npm, pinned in package-lock.json): no
// violations, in light and in dark mode, once each page has drawn.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { HANG_GUARD_MS, useBrowser, VIEWPORT } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PAGES = ['index.html', 'zoo.html', 'bifurcation.html', 'basin.html', 'dynamics.html', 'papers/index.html', 'papers/000.html', 'papers/001.html', 'papers/002.html', 'papers/003.html', 'papers/004.html'];

const shared = useBrowser();

/** Waits until the page has drawn: its figures settled, or (the gallery's index, which has none) its ready marker. */
async function drawn(page) {
  await page.waitForFunction(() => {
    const figures = [...document.querySelectorAll('eoslab-figure')];
    if (figures.length) return figures.every((f) => f.dataset.state && f.dataset.state !== 'running');
    return document.body.dataset.ready === '1';
  });
}

for (const name of PAGES) {
  for (const colorScheme of ['light', 'dark']) {
    test(`${name} (${colorScheme}): no axe violations`, async (t) => {
      const context = await shared.browser.newContext({ viewport: VIEWPORT, colorScheme });
      t.after(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(HANG_GUARD_MS);
      await page.goto(`${shared.site.baseUrl}/www/${name}`);
      await drawn(page);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
        return violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
      });
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    });
  }
}
