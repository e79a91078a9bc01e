// The welfare-check list a supervisor prints after an outage: everyone with alarms in the
// window, with how to reach them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

test('a supervisor opens the welfare-check list and finds the person who raised an alarm', async () => {
  await runSim(running.server.ports, ['--devices', '1', '--duration', '1', '--alarm-rate', '2', '--mix', 'fall=1']);
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'gwen');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  const [list] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Welfare list' }).click()]);
  const row = list.locator('#list tbody tr', { hasText: 'Margaret Ellis' });
  await row.waitFor({ timeout: 10000 });
  const text = await row.textContent();
  assert.match(text, /\+441134960012/);
  assert.match(text, /12 Rowan Court/);
  assert.match(text, /fall ×\d/);
  await list.screenshot({ path: join(artifacts, 'welfare-list.png') });

  // An operator's console has no link to it (supervisors run the checks).
  await context.close();
  const operatorContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const operator = await operatorContext.newPage();
  await logIn(operator, running.server, 'amira');
  await operator.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  assert.equal(await operator.getByRole('link', { name: 'Welfare list' }).count(), 0);
  await operatorContext.close();
});
