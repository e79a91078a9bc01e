// The centre's own record: an admin changes it on the records pages' "Centre" tab; an
// operator's card shows the centre's default instructions (marked) when the plan has no rule
// for the alarm, and the note form offers the standard notes, inserted with Alt+1 and edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

test('an admin keeps the centre record, and the console uses its defaults and standard notes', async () => {
  const adminContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const admin = await adminContext.newPage();
  await logIn(admin, running.server, 'admin');
  await admin.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await admin.goto(`${running.server.url}admin.html#centre`);
  await admin.getByRole('heading', { name: /The centre — version 1/ }).waitFor({ timeout: 10000 });
  // A mistake is named at its field and nothing is saved.
  await admin.getByLabel('Language most people speak').fill('Welsh!');
  await admin.getByRole('button', { name: 'Save changes' }).click();
  await admin.locator('.error-summary', { hasText: 'is not a language tag' }).waitFor({ timeout: 10000 });
  await admin.getByLabel('Language most people speak').fill('en-GB');
  await admin.getByLabel('pendant', { exact: true }).fill('Speak first through the unit; then call the first responder.');
  await admin.getByRole('button', { name: 'Save changes' }).click();
  await admin.getByRole('heading', { name: /The centre — version 2/ }).waitFor({ timeout: 10000 });
  await admin.screenshot({ path: join(artifacts, 'centre-record.png'), fullPage: true });
  await adminContext.close();

  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'pendant=1']);
  await page.locator('.queue .case', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('n');
  await page.keyboard.press('a');
  const instructions = page.locator('.plan-card .instructions.centre-default');
  await instructions.waitFor({ timeout: 10000 });
  assert.match(await instructions.textContent(), /Centre default for pendant \(the plan has no rule for it\)Speak first through the unit/);

  await page.keyboard.press('m');
  await page.locator('.form-note .canned-notes').waitFor();
  await page.keyboard.type('Daughter says: ');
  await page.keyboard.press('Alt+1');
  assert.equal(await page.locator('#note-text').inputValue(), 'Daughter says: No answer through the speech unit or on the phone.');
  await page.screenshot({ path: join(artifacts, 'canned-notes.png') });
  await page.keyboard.press('Control+Enter');
  await page.locator('.action-status', { hasText: 'Note added' }).waitFor({ timeout: 10000 });
  await context.close();
});
