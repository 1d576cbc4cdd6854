// What every browser test file shares: Debian's Chromium with the flags that work headless here
// (see ../shared/TOOLCHAIN.md), and the site under test.
//
// `cargo xtask test` passes EOSLAB_BASE_URL (its server of the repository root) and
// EOSLAB_SCREENSHOT_DIR; alone (`node --test tests/e2e/`) a file serves the repository itself and
// saves screenshots in target/e2e-screenshots.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT, startStaticServer } from './static-server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; `extraArgs` are appended to the common flags. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * The site under test: `{ baseUrl, screenshotDir, close() }`, from the environment or from a
 * server of the repository root started here.
 */
export async function siteUnderTest() {
  let server;
  let baseUrl = process.env.EOSLAB_BASE_URL;
  if (!baseUrl) {
    server = await startStaticServer();
    baseUrl = server.url;
  }
  const screenshotDir = process.env.EOSLAB_SCREENSHOT_DIR || join(REPO_ROOT, 'target', 'e2e-screenshots');
  await mkdir(screenshotDir, { recursive: true });
  return { baseUrl: baseUrl.replace(/\/$/, ''), screenshotDir, close: async () => server?.close() };
}
