// What every browser test file shares: a real server on a fresh demo centre and Debian's
// Chromium, started before the file's tests and stopped after them, and the folder where
// screenshots are kept.
import { before, after } from 'node:test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './browser.mjs';
import { startServer } from './lantern_server.mjs';

export const artifacts = resolve(import.meta.dirname, '../artifacts');

// Returns an object whose `server` and `browser` are set once the tests start.
// `options` go to startServer; a function is called first for them (to start helpers).
export function serverAndBrowser(options = {}) {
  const running = { server: null, browser: null };
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    running.server = await startServer(typeof options === 'function' ? await options() : options);
    running.browser = await launchChromium();
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}
