// The welfare-check list a supervisor prints after an outage: everyone with alarms in the
// window, with how to reach them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

// The colour of `selector`'s text and of the page behind it, as printed.
const printColours = (page, selector) => page.evaluate((s) => ({
  color: getComputedStyle(document.querySelector(s)).color,
  page: getComputedStyle(document.body).backgroundColor,
}), selector);

test('a supervisor opens the welfare-check list and finds the person who raised an alarm', async () => {
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1']);
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'gwen');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  const [list] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Welfare list' }).click()]);
  const row = list.locator('#list tbody tr', { hasText: 'Margaret Ellis' });
  await row.waitFor({ timeout: 10000 });
  const text = await row.textContent();
  assert.match(text, /0113 496 0012/);
  assert.match(text, /12 Rowan Court/);
  assert.match(text, /fall ×\d/);
  await list.screenshot({ path: join(artifacts, 'welfare-list.png') });
  // The printout says the window it covers, and its header prints black on white.
  assert.match(await list.locator('#window-covered').textContent(), /People to check on after alarms from \d\d\/\d\d\/\d{4}, \d\d:\d\d to /);
  await list.emulateMedia({ media: 'print' });
  assert.deepEqual(await printColours(list, '.top h1'), { color: 'rgb(0, 0, 0)', page: 'rgb(255, 255, 255)' });
  await list.screenshot({ path: join(artifacts, 'welfare-print.png'), fullPage: true });

  // An operator's console has no link to it (supervisors run the checks).
  await context.close();
  const operatorContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const operator = await operatorContext.newPage();
  await logIn(operator, running.server, 'amira');
  await operator.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  assert.equal(await operator.getByRole('link', { name: 'Welfare list' }).count(), 0);
  await operatorContext.close();
});

test('the subject-access record reads as a document and prints black on white', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'admin');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await page.goto(`${running.server.url}record.html?person=person-margaret-ellis`);
  await page.getByRole('heading', { name: 'Record of Margaret Ellis' }).waitFor({ timeout: 10000 });
  const text = await page.locator('#content').textContent();
  // Labels in words, responders by name, no field names or raw flags.
  assert.match(text, /GP \(family doctor\)Dr R\. Patel/);
  assert.match(text, /Preferred languageWelsh \(cy\)/);
  assert.match(text, /Responders, in the order they are called.*Sarah Ellis \(daughter\).*Tom Hughes \(neighbour\)/s);
  assert.match(text, /Hazards in the homeCat \(Tibbles\)/);
  assert.doesNotMatch(text, /\bactive\b|\btrue\b|\bgp\b|carer-sarah-ellis/);
  await page.emulateMedia({ media: 'print' });
  assert.deepEqual(await printColours(page, 'h2'), { color: 'rgb(0, 0, 0)', page: 'rgb(255, 255, 255)' });
  await page.screenshot({ path: join(artifacts, 'record-print.png'), fullPage: true });
  await context.close();
});
