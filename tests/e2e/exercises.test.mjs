// The exercise pages (www/exercises/): the student flow — a wrong answer gets the checker's
// feedback, a hint is revealed, a right answer is saved and survives a reload, reset clears it — from
// the server and from file:// (with Chromium's default flags: the pages are classic scripts); the
// index groups by paper; the teacher page's set link opens the chosen exercises in order and its
// worksheet prints with static figures; drawn figures are inked; keyboard use; axe-core finds no
// violations. Screenshots: the student page at desktop and phone size, the worksheet in print.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { HANG_GUARD_MS, useBrowser, waitReady } from './browser.mjs';
import { REPO_ROOT } from './static-server.mjs';
import { check, rememberingRun } from '../../www/exercises/check.js';
import { loadExercises } from '../../www/exercises/bundle.mjs';

const shared = useBrowser();
const exercises = loadExercises();
const byId = new Map(exercises.map((e) => [e.id, e]));
const AXE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const FILE_BASE = pathToFileURL(join(REPO_ROOT, 'www', 'exercises')).href;

/** Opens an exercise page in a fresh context; collects errors; closes after the test. */
async function open(t, url, { viewport = { width: 1200, height: 900 }, deviceScaleFactor = 2, context } = {}) {
  const ctx = context ?? (await shared.browser.newContext({ viewport, deviceScaleFactor }));
  if (!context) t.after(() => ctx.close());
  const page = await ctx.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  await waitReady(page, problems);
  return { page, ctx, problems };
}

const question = (id, qid) => byId.get(id).questions.find((q) => q.id === qid);

/** The answer-checking flow of the student page, wherever it is served from. */
async function studentFlow(t, base) {
  const run = rememberingRun((spec) => shared.eoslab.run(spec));
  const { page, ctx, problems } = await open(t, `${base}/student.html#ex=double-well-period-four`);
  const section = page.locator('#q-period-four');
  assert.equal(await page.locator('h1').textContent(), byId.get('double-well-period-four').title);

  // A wrong answer: the page shows the checker's feedback, computed here with the same core.
  await section.locator('input[name=eta]').fill('1.1');
  await section.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#q-period-four').dataset.state === 'wrong');
  const wrong = check(question('double-well-period-four', 'period-four'), { eta: '1.1' }, run);
  assert.equal(await section.locator('.feedback').textContent(), `✗ Not yet. ${wrong.feedback}`);
  assert.match(wrong.feedback, /period 2: the second doubling comes later/);

  // A hint, one at a time.
  assert.equal(await page.locator('.hints li').count(), 0);
  await page.click('#hint');
  assert.equal(await page.locator('.hints li').count(), 1);
  assert.match(await page.locator('#hint').textContent(), /Show a hint \(2 of 2\)/);

  // The right answer: saved.
  await section.locator('input[name=eta]').fill('1.26');
  await section.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#q-period-four').dataset.state === 'right');
  const right = check(question('double-well-period-four', 'period-four'), { eta: '1.26' }, run);
  assert.equal(await section.locator('.feedback').textContent(), `✓ Right. ${right.feedback}`);
  assert.equal(await page.locator('#done').textContent(), '1 of 2 questions answered right');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('eoslab.exercises.progress')));
  assert.deepEqual(stored.exercises['double-well-period-four'].answers['period-four'], { answer: { eta: '1.26' }, ok: true, feedback: right.feedback });

  // A reload keeps the answer, its feedback and the hint; opening the page without a hash resumes here.
  await page.reload();
  await waitReady(page, problems);
  assert.equal(await section.locator('input[name=eta]').inputValue(), '1.26');
  assert.equal(await section.getAttribute('data-state'), 'right');
  assert.equal(await page.locator('.hints li').count(), 1);
  const resumed = await ctx.newPage();
  await resumed.goto(`${base}/student.html`);
  await waitReady(resumed, problems);
  assert.equal(await resumed.locator('h1').textContent(), byId.get('double-well-period-four').title);
  await resumed.close();

  // The worked solution is hidden until asked for, and stays shown.
  assert.equal(await page.locator('#solution').isHidden(), true);
  await page.click('#show-solution');
  assert.equal(await page.locator('#solution').isVisible(), true);
  assert.match(await page.locator('#solution').textContent(), /1\.2361/);

  // Reset clears the progress of the set.
  await page.click('#reset');
  assert.equal(await page.locator('#done').textContent(), '0 of 2 questions answered right');
  assert.equal(await section.locator('input[name=eta]').inputValue(), '');
  assert.equal(await page.locator('.hints li').count(), 0);
  assert.equal(await page.locator('#solution').isHidden(), true);
  assert.deepEqual(problems, []);
  return page;
}

test('student flow from the server: wrong → feedback, hint, right → saved, reload keeps it, reset', async (t) => {
  await studentFlow(t, `${shared.site.baseUrl}/www/exercises`);
});

test('student flow from file:// with Chromium\'s default flags', async (t) => {
  await studentFlow(t, FILE_BASE);
});

test('the site zip (cargo xtask site-zip), unzipped, works from file://', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eoslab-site-'));
  const zip = join(dir, 'site.zip');
  execFileSync('cargo', ['run', '-q', '-p', 'xtask', '--', 'site-zip', '--out', zip], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  const start = pathToFileURL(join(dir, 'eoslab-site', 'START.html')).href;
  const context = await shared.browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(start);
  await page.click('a[href="www/exercises/index.html"]');
  await waitReady(page);
  assert.equal(await page.locator('section.paper li').count(), exercises.length);
  await studentFlow(t, pathToFileURL(join(dir, 'eoslab-site', 'www', 'exercises')).href);
});

test('a figure is drawn by the core and redrawn from its controls; refusals show beside the control', async (t) => {
  const { page, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/student.html#ex=quadratic-threshold`);
  const inked = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('canvas.panel')].map((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) dark += 1;
        return dark / (canvas.width * canvas.height);
      }),
    );
  for (const share of await inked()) assert.ok(share > 0.01, `panel inked: ${share}`);
  assert.equal(await page.locator('.figure-summary').textContent(), 'GD converges to a minimum with the loss falling at every step.');
  // A narrower window: the canvases are redrawn at their new size.
  const before = await page.evaluate(() => document.querySelector('canvas.panel').width);
  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForFunction(() => [...document.querySelectorAll('canvas.panel')].every((c) => c.width === Math.round(c.clientWidth * devicePixelRatio)));
  assert.ok((await page.evaluate(() => document.querySelector('canvas.panel').width)) < before);
  for (const share of await inked()) assert.ok(share > 0.01, `panel inked after the resize: ${share}`);
  await page.fill('.figure-controls input[name=eta]', '0.6');
  await page.click('.figure-controls button');
  await page.waitForFunction(() => document.querySelector('.figure-summary').textContent.startsWith('GD diverges'));
  const diverged = shared.eoslab.run({ ...byId.get('quadratic-threshold').figures[0].spec, eta: 0.6 });
  assert.equal(await page.locator('.figure-summary').textContent(), `GD diverges: the iterates leave every bound at step ${diverged.outcome.step}.`);
  await page.fill('.figure-controls input[name=eta]', '-1');
  await page.click('.figure-controls button');
  await page.waitForFunction(() => document.querySelector('.field-error').textContent !== '');
  assert.match(await page.locator('.field-error').first().textContent(), /must be > 0/);
  assert.deepEqual(problems, []);
});

test('every exercise page draws every panel of its figures', async (t) => {
  const { page, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/index.html`);
  for (const exercise of exercises) {
    await page.goto(`${shared.site.baseUrl}/www/exercises/student.html#ex=${exercise.id}`);
    await waitReady(page, problems);
    const panels = exercise.figures.reduce((n, f) => n + f.panels.length, 0);
    const shares = await page.evaluate(() =>
      [...document.querySelectorAll('canvas.panel')].map((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) dark += 1;
        return dark / (canvas.width * canvas.height);
      }),
    );
    assert.equal(shares.length, panels, exercise.id);
    for (const share of shares) assert.ok(share > 0.005, `${exercise.id}: a panel is blank (${share})`);
    for (const summary of await page.locator('.figure-summary').allTextContents()) assert.doesNotMatch(summary, /could not be drawn/, exercise.id);
  }
  assert.deepEqual(problems, []);
});

test('keyboard: Tab reaches the answer, Enter checks it; a choice is picked with the keyboard', async (t) => {
  const { page, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/student.html#ex=self-stabilization-stages`);
  await page.locator('#q-first-crossing input[name=answer]').focus();
  await page.keyboard.type('0.2/(0.01*1)');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#q-first-crossing').dataset.state === 'right');
  await page.locator('#q-stage input[type=radio]').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#q-stage').dataset.state === 'right');
  assert.match(await page.locator('#q-stage .feedback').textContent(), /Right: once βx²\/2 > α/);
  assert.deepEqual(problems, []);
});

test('the index groups the exercises by paper, each with its level', async (t) => {
  const { page, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/index.html`);
  const papers = await page.locator('section.paper h2').allTextContents();
  assert.deepEqual(papers.map((h) => h.split(':')[0]), ['Cohen et al. 2021', 'Paper 000', 'Paper 001', 'Paper 002', 'Paper 003', 'Paper 004']);
  assert.equal(await page.locator('section.paper li').count(), exercises.length);
  for (const e of exercises) {
    const item = page.locator('section.paper li', { has: page.locator(`a[href="student.html#ex=${e.id}"]`) });
    assert.match(await item.textContent(), new RegExp(`Level ${e.level}: `));
  }
  assert.deepEqual(problems, []);
});

test('teacher: a set link opens the chosen exercises in order; the worksheet prints with static figures', async (t) => {
  const { page, ctx, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/teacher.html`);
  assert.equal(await page.locator('.entry').count(), exercises.length);
  await page.check('input[value="catapult"]');
  await page.check('input[value="quadratic-threshold"]');
  const href = await page.locator('#set-link').getAttribute('href');
  assert.ok(href.endsWith('student.html#set=quadratic-threshold,catapult'), href);

  const student = await ctx.newPage();
  await student.goto(href);
  await waitReady(student);
  assert.match(await student.locator('.position').textContent(), /^Exercise 1 of 2/);
  assert.equal(await student.locator('h1').textContent(), byId.get('quadratic-threshold').title);
  await student.click('a[rel=next]');
  await student.waitForFunction((title) => document.querySelector('h1').textContent === title, byId.get('catapult').title);
  assert.match(await student.locator('.position').textContent(), /^Exercise 2 of 2/);
  assert.equal(await student.locator('a[rel=next]').count(), 0);
  await student.close();

  await page.click('#make-worksheet');
  await page.waitForFunction(() => document.body.dataset.worksheet === 'ready');
  const figures = byId.get('quadratic-threshold').figures.length + byId.get('catapult').figures.length;
  const panels = [...byId.get('quadratic-threshold').figures, ...byId.get('catapult').figures].reduce((n, f) => n + f.panels.length, 0);
  assert.equal(await page.locator('#worksheet .live-figure').count(), figures);
  assert.equal(await page.locator('#worksheet img.panel').count(), panels);
  assert.equal(await page.locator('#worksheet canvas').count(), 0);
  assert.equal(await page.locator('#worksheet .answer-space').count(), 5);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#catalogue').isVisible(), false);
  assert.equal(await page.locator('nav.top').isVisible(), false);
  assert.equal(await page.locator('#worksheet h2').first().isVisible(), true);
  await page.screenshot({ path: join(shared.site.screenshotDir, 'exercises-worksheet-print.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 50_000, `the worksheet prints (${pdf.length} bytes of PDF)`);
  assert.deepEqual(problems, []);
});

test('screenshots of the student page at desktop and phone size, with no horizontal overflow on the phone', async (t) => {
  const desktop = await open(t, `${shared.site.baseUrl}/www/exercises/student.html#ex=double-well-two-cycle`, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await desktop.page.screenshot({ path: join(shared.site.screenshotDir, 'exercises-student-desktop.png'), fullPage: true });
  const phone = await open(t, `${shared.site.baseUrl}/www/exercises/student.html#ex=unstable-convergence-f4`, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling on a phone');
  await phone.page.screenshot({ path: join(shared.site.screenshotDir, 'exercises-student-phone.png'), fullPage: true });
  assert.deepEqual([...desktop.problems, ...phone.problems], []);
});

test('axe-core finds no accessibility violations on the index, student and teacher pages, light and dark', async (t) => {
  for (const path of ['index.html', 'student.html#ex=catapult', 'teacher.html']) {
    const { page, problems } = await open(t, `${shared.site.baseUrl}/www/exercises/${path}`);
    if (path === 'student.html#ex=catapult') {
      await page.fill('#q-catapult input[name=eta]', '0.3');
      await page.click('#q-catapult button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#q-catapult').dataset.state === 'wrong');
      await page.click('#hint');
      await page.click('#show-solution');
    }
    if (path === 'teacher.html') {
      await page.check('input[value="feigenbaum-delta"]');
      await page.click('#make-worksheet');
      await page.waitForFunction(() => document.body.dataset.worksheet === 'ready');
    }
    await page.addScriptTag({ content: AXE });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const violations = await page.evaluate(async () => (await globalThis.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(violations, [], `${path} (${colorScheme})`);
    }
    assert.deepEqual(problems, []);
  }
});
