// The service report a centre manager prints: reached from the supervisor's console, the
// figures of today's calls, charts drawn in the page, the CSV, and a clean A4 printout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { seriousViolations } from './axe.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

test('a supervisor opens the service report, reads today\'s answer rate and charts, downloads the CSV and prints it', async () => {
  // A day's worth in miniature: alarms from 20 homes; amira answers the first two.
  await runSim(running.server.ports, ['--devices', '20', '--duration', '2', '--alarm-rate', '6']);
  const amiraContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const amira = await amiraContext.newPage();
  await logIn(amira, running.server, 'amira');
  await amira.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  for (let i = 0; i < 2; ++i) {
    await amira.locator('.queue .case').first().waitFor({ timeout: 10000 });
    await amira.keyboard.press('n');
    await amira.locator('.case.selected').waitFor();
    await amira.keyboard.press('a');
    await amira.locator('.case.selected', { hasText: 'yours' }).waitFor({ timeout: 10000 });
  }

  // bypassCSP: for the accessibility checker's script alone (the page forbids inline scripts).
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
  const page = await context.newPage();
  await logIn(page, running.server, 'gwen');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  const [reports] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Reports' }).click()]);
  await reports.setViewportSize({ width: 1280, height: 720 });
  await reports.locator('#report:not([hidden])').waitFor({ timeout: 15000 });

  // This month, in progress, with the calls of today.
  assert.match(await reports.locator('#title').textContent(), /: service report, 1 \w+ \d{4} to (28|29|30|31) \w+ \d{4}$/);
  assert.equal(await reports.locator('#in-progress').isVisible(), true);
  const calls = Number(await reports.locator('.rate.plain strong').textContent());
  assert.ok(calls >= 2, `calls: ${calls}`);
  assert.match(await reports.locator('.rates').textContent(), /Answered within 60 s\d+\.\d%target 97\.5%/);
  assert.match(await reports.locator('#operators tbody').textContent(), /Amira Khan2/);
  // The charts are SVG in the page, and say in words what they show.
  assert.match(await reports.locator('#bands svg').getAttribute('aria-label'), /^Answer times: up to 15 s: \d+; /);
  assert.match(await reports.locator('#heat svg').getAttribute('aria-label'), new RegExp(`: ${calls} in all$`));
  assert.ok(await reports.locator('#heat rect.cell:not(.none)').count() >= 1);
  assert.deepEqual(await seriousViolations(reports), []);
  await reports.screenshot({ path: join(artifacts, 'reports.png'), fullPage: true });

  // The CSV behind the link: the same figures.
  const csv = await reports.request.get(new URL(await reports.locator('#csv').getAttribute('href'), reports.url()).href);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), new RegExp(`\\r\\nalarm_calls,calls,,${calls}\\r\\n`));

  // A day with nothing in it says so rather than showing empty charts.
  await reports.locator('#span').selectOption('range');
  await reports.locator('#from').fill('2020-01-01');
  await reports.locator('#to').fill('2020-01-02');
  await reports.getByRole('button', { name: 'Show' }).click();
  await reports.locator('#operators tbody', { hasText: 'No case was answered in this period.' }).waitFor();
  // And a period the server refuses is explained.
  await reports.locator('#to').fill('2019-12-01');
  await reports.getByRole('button', { name: 'Show' }).click();
  await reports.locator('#status', { hasText: 'to must not be before from' }).waitFor();

  // Printed: black on white, no form, on A4.
  await reports.locator('#span').selectOption('month');
  await reports.locator('#from').fill(new Date().toISOString().slice(0, 10));
  await reports.getByRole('button', { name: 'Show' }).click();
  await reports.locator('#operators tbody', { hasText: 'Amira Khan' }).waitFor();
  await reports.emulateMedia({ media: 'print' });
  assert.equal(await reports.locator('#period').isVisible(), false);
  const colours = await reports.evaluate(() => ({ text: getComputedStyle(document.querySelector('#title')).color,
    page: getComputedStyle(document.body).backgroundColor }));
  assert.deepEqual(colours, { text: 'rgb(0, 0, 0)', page: 'rgb(255, 255, 255)' });
  await reports.screenshot({ path: join(artifacts, 'reports-print.png'), fullPage: true });
  const pdf = await reports.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 3, `the report prints on ${pages} A4 pages`);

  // Operators have no link to it, and the API refuses them.
  await context.close();
  assert.equal(await amira.getByRole('link', { name: 'Reports' }).count(), 0);
  await amiraContext.close();
});
