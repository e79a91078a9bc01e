// A console left by logging out leaves nothing behind: after a new login in the same tab
// (no page reload), the page has one key handler and one clock, and one key press sends
// one command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSim } from './lantern_server.mjs';
import { serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

// Margaret Ellis's pendant (dev-100231, the demo centre's first device) raises a fall.
const raiseFall = () => runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1']);

async function fillLogin(page, username) {
  await page.fill('#username', username);
  await page.fill('#password', `lantern-demo-${username}`);
  await page.click('button[type=submit]');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
}

test('after a logout and a new login in the same tab, one key press gives one command', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  // Counts the page's running intervals from its first script on.
  await page.addInitScript(() => {
    const running = new Set();
    const set = window.setInterval.bind(window);
    const clear = window.clearInterval.bind(window);
    window.setInterval = (...args) => {
      const id = set(...args);
      running.add(id);
      return id;
    };
    window.clearInterval = (id) => {
      running.delete(id);
      clear(id);
    };
    window.runningIntervals = () => running.size;
  });
  const accepts = [];
  page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => {
    if (typeof payload === 'string' && payload.includes('"accept"')) accepts.push(payload);
  }));
  const cdp = await context.newCDPSession(page);
  const keyHandlers = async () => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    return listeners.filter((l) => l.type === 'keydown').length;
  };

  await page.goto(running.server.url);
  await fillLogin(page, 'amira');
  const handlersAtFirst = await keyHandlers();
  const intervalsAtFirst = await page.evaluate(() => window.runningIntervals());
  assert.ok(handlersAtFirst >= 1, 'the console listens for its keys');

  await page.click('button.logout');
  await page.locator('#username').waitFor({ timeout: 10000 });
  await fillLogin(page, 'amira');
  assert.equal(await keyHandlers(), handlersAtFirst, 'the first console\'s key handler is gone');
  assert.equal(await page.evaluate(() => window.runningIntervals()), intervalsAtFirst, 'and its clock');

  await raiseFall();
  const row = page.locator('.queue .case', { hasText: 'Margaret Ellis' });
  await row.waitFor({ timeout: 10000 });
  await page.keyboard.press('n');
  await page.locator('.case.selected', { hasText: 'Margaret Ellis' }).waitFor();
  await page.keyboard.press('a');
  await page.locator('.access', { hasText: 'code 4821' }).waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /yours/);
  assert.equal(accepts.length, 1, `one accept sent, not ${accepts.length}`);
  await context.close();
});
