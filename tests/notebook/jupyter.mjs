// What the notebook browser tests share: a Jupyter server (JupyterLab or Notebook 7) from the
// Python virtual environment `cargo xtask test` prepares (EOSLAB_VENV, default target/python-venv),
// on 127.0.0.1 with a random token, in a fresh directory holding the notebooks the test writes; and
// a way to run a cell in the page and read its output.
//
// Known traps (../shared/TOOLCHAIN.md): JupyterLab asks "Select Kernel" unless
// autoStartDefaultKernel is set (done here through JUPYTERLAB_SETTINGS_DIR); the kernel may still
// be starting when the toolbar says idle (runCell waits for the cell's execution count instead);
// Shift+Enter is occasionally lost (runCell presses it again once).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const VENV = process.env.EOSLAB_VENV || join(REPO_ROOT, 'target', 'python-venv');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

/** A notebook (nbformat 4) of code cells. */
export function notebook(sources) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `cell-${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

/**
 * Starts `jupyter lab` or `jupyter notebook` (app) in a fresh directory holding `files`
 * ({name: text}); resolves to `{ url(path), dir, stop() }` once the server answers.
 */
export async function startJupyter(app, files) {
  const dir = await mkdtemp(join(tmpdir(), 'eoslab-jupyter-'));
  const settings = join(dir, '.settings');
  const put = async (path, text) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  for (const [name, text] of Object.entries(files)) await put(name, text);
  if (app === 'lab') await put('.settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings', JSON.stringify({ autoStartDefaultKernel: true }));
  // No news or update checks in JupyterLab: the machine has no internet. (Notebook 7 has no such
  // checks, and a settings file for a plugin it lacks raises a page error there.)
  if (app === 'lab') await put('.settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings', JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const args = [app, '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${dir}`];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const server = spawn(join(VENV, 'bin', 'jupyter'), args, {
    cwd: dir,
    env: {
      ...process.env,
      JUPYTERLAB_SETTINGS_DIR: settings,
      JUPYTERLAB_WORKSPACES_DIR: join(dir, '.workspaces'),
      JUPYTER_CONFIG_DIR: join(dir, '.config'),
      JUPYTER_RUNTIME_DIR: join(dir, '.runtime'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise((ok) => server.on('exit', (code) => ok(code)));
  for (;;) {
    const code = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok('waiting'), 250))]);
    if (code !== 'waiting') throw new Error(`jupyter ${app} exited (${code}):\n${log}`);
    const answer = await fetch(`${base}/api/status?token=${token}`).catch(() => null);
    if (answer?.ok) break;
  }
  return {
    dir,
    url: (path) => `${base}/${path}${path.includes('?') ? '&' : '?'}token=${token}`,
    log: () => log,
    async stop() {
      server.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors, failed requests and uncaught page errors of `page`. */
export function watchErrors(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}${process.env.EOSLAB_DEBUG ? e.stack : ''}`));
  return problems;
}

/**
 * Runs code cell `index` of the open notebook (JupyterLab or Notebook 7: both render cells as
 * .jp-CodeCell) and resolves to the text of its outputs once its execution count shows.
 */
export async function runCell(page, index) {
  const cell = page.locator('.jp-Notebook .jp-CodeCell').nth(index);
  const prompt = cell.locator('.jp-InputPrompt');
  const before = (await prompt.textContent()) ?? '';
  const ran = async () => /\[\d+\]/.test((await prompt.textContent()) ?? '') && (await prompt.textContent()) !== before;
  for (let attempt = 0; attempt < 2; attempt++) {
    await cell.locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    // Pressed once more only if the cell never started ([*] shows while it runs).
    for (let i = 0; i < 600; i++) {
      if (await ran()) return (await cell.locator('.jp-OutputArea').textContent()) ?? '';
      const running = ((await prompt.textContent()) ?? '').includes('*');
      if (!running && i === 40 && attempt === 0) break;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`cell ${index} did not run; prompt ${await prompt.textContent()}`);
}
