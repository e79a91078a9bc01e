// Every page an operator, supervisor or admin works in, checked with axe-core for WCAG 2.1 AA
// (contrast, names, roles, labels) in the state they use it: the console with open cases and
// a form open, the floor view, the records pages, the welfare list and the subject-access record.
// The carer's page is checked in carer_page.test.mjs, where a real escalation reaches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { seriousViolations } from './axe.mjs';
import { serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

async function pageFor(username) {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
  const page = await context.newPage();
  await logIn(page, running.server, username);
  return page;
}

test('the console with open cases, a case card and a form open has no serious WCAG violations', async () => {
  const page = await pageFor('amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await runSim(running.server.ports, ['--devices', '20', '--duration', '2', '--alarm-rate', '10']);
  await page.waitForFunction(() => document.querySelectorAll('.queue .case').length >= 5, null, { timeout: 15000 });
  // Roving tabindex: one row in the Tab order (the first, before any is selected), and the
  // arrow keys move through the rest.
  const tabbable = () => page.evaluate(() => [...document.querySelectorAll('.queue .case[tabindex="0"]')].map((r) => r.dataset.caseId));
  assert.ok(await page.evaluate(() => {
    const rows = [...document.querySelectorAll('.queue .case')];
    const inTabOrder = rows.filter((r) => r.getAttribute('tabindex') === '0');
    return inTabOrder.length === 1 && inTabOrder[0] === rows[0];
  }), 'before any is selected, the first row alone is in the Tab order');
  await page.locator('.queue .case').first().focus();
  await page.keyboard.press('ArrowDown');
  const selected = await page.evaluate(() => document.querySelector('.queue .case.selected')?.dataset.caseId);
  assert.ok(selected);
  assert.deepEqual(await tabbable(), [selected]);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.caseId), selected);
  await page.keyboard.press('n');
  await page.keyboard.press('a');
  await page.locator('.action-status', { hasText: 'Accepted' }).waitFor({ timeout: 10000 });
  assert.deepEqual(await seriousViolations(page), []);
  await page.keyboard.press('m');
  await page.locator('.form-note').waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  await page.keyboard.type('Ellis');
  await page.locator('.search-result').first().waitFor({ timeout: 10000 });
  assert.deepEqual(await seriousViolations(page), []);
  await page.context().close();
});

test('the supervisor floor view, the welfare list and the records pages have no serious WCAG violations', async () => {
  const gwen = await pageFor('gwen');
  await gwen.locator('.floor .answer-chart').waitFor({ timeout: 15000 });
  assert.deepEqual(await seriousViolations(gwen), []);
  await gwen.goto(`${running.server.url}welfare.html`);
  await gwen.locator('h1').waitFor();
  await gwen.waitForLoadState('networkidle');
  assert.deepEqual(await seriousViolations(gwen), []);
  await gwen.context().close();

  const admin = await pageFor('admin');
  await admin.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await admin.goto(`${running.server.url}admin.html#person/person-margaret-ellis`);
  await admin.getByRole('heading', { name: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  assert.deepEqual(await seriousViolations(admin), []);
  await admin.goto(`${running.server.url}record.html?person=person-margaret-ellis`);
  await admin.getByText('Margaret Ellis').first().waitFor({ timeout: 10000 });
  await admin.waitForLoadState('networkidle');
  assert.deepEqual(await seriousViolations(admin), []);
  await admin.context().close();
});
