// An administrator keeps a person's plan current in the records pages, and the operators'
// console shows the new plan on the next alarm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();
const newFallText = 'Since November: a falls sensor in the bathroom. Check the bathroom first; on warfarin, call 999 if she hit her head.';

test('an admin edits the fall instructions, and the next fall alarm shows them on the console', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'admin');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  const [admin] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Records' }).click()]);

  // Find Margaret in the people list by searching.
  await admin.getByRole('searchbox').fill('ellis');
  await admin.getByRole('button', { name: 'Search' }).click();
  await admin.getByRole('link', { name: 'Margaret Ellis' }).click();
  await admin.getByRole('heading', { name: /Margaret Ellis — version 1/ }).waitFor({ timeout: 10000 });

  // A mistake is shown next to its field, and nothing is saved.
  const language = admin.getByLabel('Preferred language');
  await language.fill('Welsh!');
  await admin.getByRole('button', { name: 'Save changes' }).click();
  const languageError = admin.locator('[data-field="preferred_language"] .field-error');
  await languageError.getByText(/is not a language tag/).waitFor({ timeout: 10000 });
  assert.equal(await language.getAttribute('aria-invalid'), 'true');
  // Focus goes to a summary at the top, whose link takes the admin to the field.
  const summary = admin.locator('.error-summary');
  assert.equal(await summary.evaluate((node) => node === document.activeElement), true);
  assert.match(await summary.textContent(), /Not saved: 1 field to correct.*Preferred language: 'Welsh!' is not a language tag/s);
  await summary.getByRole('link').click();
  assert.equal(await language.evaluate((node) => node === document.activeElement), true);
  await admin.screenshot({ path: join(artifacts, 'admin-field-error.png'), fullPage: true });
  await language.fill('cy');

  // The fall rule's instructions, and Tom called before Sarah (moved with the keyboard).
  const fallRule = admin.locator('.rule', { has: admin.locator('select[data-key="type"] >> option:checked', { hasText: 'fall' }) });
  await fallRule.locator('textarea[data-key="instructions"]').fill(newFallText);
  const responders = admin.locator('.ordered-list li');
  assert.match(await responders.first().textContent(), /Sarah Ellis/);
  await responders.first().focus();
  await admin.keyboard.press('Alt+ArrowDown');
  assert.match(await responders.first().textContent(), /Tom Hughes/);
  await admin.getByRole('button', { name: 'Save changes' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved (version 2).' }).waitFor({ timeout: 10000 });
  await admin.getByRole('heading', { name: /Margaret Ellis — version 2/ }).waitFor();
  await admin.screenshot({ path: join(artifacts, 'admin-person-editor.png'), fullPage: true });

  // The printable subject-access record has the change, with who made it.
  const [record] = await Promise.all([context.waitForEvent('page'), admin.getByRole('link', { name: 'Full record, printable' }).click()]);
  await record.getByRole('heading', { name: 'Changes to their record (1)' }).waitFor({ timeout: 10000 });
  assert.match(await record.locator('main').textContent(), /Centre Administrator|admin/);
  assert.match(await record.locator('main').textContent(), /update of the person record, now version 2/);
  assert.match(await record.locator('main').textContent(), /Medical notes\s*Type 2 diabetes/);
  assert.doesNotMatch(await record.locator('main').textContent(), /\[object/);
  await record.screenshot({ path: join(artifacts, 'subject-access-record.png'), fullPage: true });
  await context.close();

  // Margaret falls: the operator's card has the new instructions and the new order.
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1']);
  const operatorContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const console = await operatorContext.newPage();
  await logIn(console, running.server, 'amira');
  const row = console.locator('.queue .case', { hasText: 'Margaret Ellis' });
  await row.waitFor({ timeout: 10000 });
  await row.click();
  const card = console.locator('.plan-card');
  await card.getByText(newFallText).waitFor({ timeout: 10000 });
  const order = await card.locator('.responders li .responder-name').allTextContents();
  assert.deepEqual(order.slice(0, 2), ['Tom Hughes', 'Sarah Ellis']);
  assert.equal(await card.locator('.plan-changed').count(), 0, 'a case opened under the new plan has nothing to flag');
  await console.screenshot({ path: join(artifacts, 'console-new-plan.png') });

  // An operator's console has no link to the records.
  assert.equal(await console.getByRole('link', { name: 'Records' }).count(), 0);
  await operatorContext.close();
});

test('an admin adds a carer with the hours they may be called, and a supervisor can only read', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'admin');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await page.goto(`${running.server.url}admin.html#carer/new`);
  await page.getByLabel('Id').fill('carer-ffion-jones');
  await page.getByLabel('Name').fill('Ffion Jones');
  await page.getByLabel('Relationship').fill('neighbour');
  await page.getByLabel('Phone').fill('+447700900555');
  await page.getByLabel('Languages (comma-separated tags)').fill('cy, en-GB');
  await page.getByRole('button', { name: 'Add a window' }).click();
  await page.getByLabel('From').fill('09:00');
  await page.getByLabel('To').fill('25:00');
  await page.getByRole('button', { name: 'Create' }).click();
  // 25:00 is no time: the error sits by the field of the first window.
  await page.locator('[data-field="availability[0].to"] .field-error').getByText(/HH:MM/).waitFor({ timeout: 10000 });
  await page.getByLabel('To').fill('17:00');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: /Ffion Jones — version 1/ }).waitFor({ timeout: 10000 });

  await page.getByRole('link', { name: 'Carers' }).click();
  const row = page.locator('tr', { hasText: 'Ffion Jones' });
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /mon tue wed thu fri 09:00–17:00/);
  await page.getByRole('link', { name: 'Devices' }).click();
  // The list is drawn once its page is read: search in the devices' box, not the carers' still showing.
  await page.getByRole('searchbox', { name: 'Search devices' }).waitFor({ timeout: 10000 });
  // 39 devices: a search finds Margaret's pendant whichever page it is on.
  await page.getByRole('searchbox', { name: 'Search devices' }).fill('dev-100231');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('tr', { hasText: 'dev-100231' }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(artifacts, 'admin-devices.png') });
  await context.close();

  const supervisorContext = await running.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const supervisor = await supervisorContext.newPage();
  await logIn(supervisor, running.server, 'gwen');
  await supervisor.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await supervisor.goto(`${running.server.url}admin.html#carer/carer-ffion-jones`);
  await supervisor.getByText('Read only: only an admin may change records.').waitFor({ timeout: 10000 });
  assert.equal(await supervisor.getByLabel('Name').isDisabled(), true);
  assert.equal(await supervisor.getByRole('button', { name: 'Deactivate' }).count(), 0);
  await supervisorContext.close();
});
