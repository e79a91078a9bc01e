// Operators working cases in real browsers against a real server: the whole case by
// keyboard alone, two operators seeing each other's actions live, and the supervisor's
// floor view with its answer-time chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

// Margaret Ellis's pendant (dev-100231, the demo centre's first device) raises `type`.
const raise = (type) => runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', `${type}=1`]);

async function consoleFor(username) {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, username);
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  return page;
}

test('an operator answers, notes, records a contact and resolves a fall using only the keyboard', async () => {
  const page = await consoleFor('amira');
  await raise('fall');
  // A new critical case: the banner says so (a sound plays too).
  await page.getByRole('alert').filter({ hasText: 'New critical alarm: fall — Margaret Ellis' }).waitFor({ timeout: 10000 });
  const row = page.locator('.queue .case', { hasText: 'Margaret Ellis' });
  await row.waitFor();

  await page.keyboard.press('n');  // next case
  await page.locator('.case.selected', { hasText: 'Margaret Ellis' }).waitFor();
  assert.doesNotMatch(await page.locator('.plan-card').textContent(), /4821/, 'no key safe before accepting');
  await page.keyboard.press('a');  // accept
  await page.locator('.access', { hasText: 'code 4821' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('.critical-banner').isVisible(), false, 'the cue goes once the case is taken');
  assert.match(await row.textContent(), /yours/);

  await page.keyboard.press('m');  // note
  await page.keyboard.type('Margaret is on the floor in the kitchen, conscious, did not hit her head');
  await page.keyboard.press('Control+Enter');
  await page.locator('.timeline li', { hasText: 'did not hit her head' }).waitFor({ timeout: 10000 });

  await page.keyboard.press('c');  // contact: who, how, result, each a select reached by Tab
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');  // the first responder, Sarah Ellis
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');  // phone
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');  // no answer
  await page.keyboard.press('Control+Enter');
  await page.locator('.timeline li', { hasText: 'Contacted Sarah Ellis (daughter) by phone: no answer' }).waitFor({ timeout: 10000 });

  await page.keyboard.press('r');  // resolve: an outcome and a note are both required
  await page.keyboard.press('Control+Enter');
  assert.equal(await page.locator('.form-resolve').count(), 1, 'an incomplete resolve does not submit');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');  // ambulance called
  await page.keyboard.press('Tab');
  await page.keyboard.type('Ambulance called; Sarah told by voicemail');
  await page.keyboard.press('Control+Enter');
  await row.waitFor({ state: 'detached', timeout: 10000 });
  assert.match(await page.locator('.resolved summary').textContent(), /Recently resolved \(1\)/);
  await page.screenshot({ path: join(artifacts, 'keyboard-resolve.png') });
  await page.context().close();
});

test('two operators see each other\'s actions live, and the second cannot take an accepted case', async () => {
  const amira = await consoleFor('amira');
  const olu = await consoleFor('olu');
  await raise('pull_cord');
  const amiraRow = amira.locator('.queue .case', { hasText: 'pull cord' });
  const oluRow = olu.locator('.queue .case', { hasText: 'pull cord' });
  await amiraRow.waitFor({ timeout: 10000 });
  await oluRow.waitFor({ timeout: 10000 });

  await amiraRow.click();
  await amira.keyboard.press('a');
  await oluRow.filter({ hasText: 'taken by Amira Khan' }).waitFor({ timeout: 10000 });
  await oluRow.click();
  assert.equal(await olu.locator('.action-accept').isDisabled(), true);
  assert.equal(await olu.locator('.access').count(), 0, 'access details are not on Olu\'s screen');

  await amira.keyboard.press('m');
  await amira.keyboard.type('Neighbour is going round');
  await amira.keyboard.press('Control+Enter');
  await olu.locator('.timeline li', { hasText: 'Neighbour is going round' }).waitFor({ timeout: 10000 });

  // Olu writes a note too; Amira sees it under his name.
  await olu.keyboard.press('m');
  await olu.keyboard.type('Daughter rang back');
  await olu.keyboard.press('Control+Enter');
  await amira.locator('.timeline li', { hasText: 'Daughter rang back' }).filter({ hasText: 'Olu Adeyemi' }).waitFor({ timeout: 10000 });
  await olu.screenshot({ path: join(artifacts, 'second-operator.png') });
  await amira.context().close();
  await olu.context().close();
});

test('the supervisor sees the floor, the answer-time chart, and can take a case over', async () => {
  const amira = await consoleFor('amira');
  await raise('pendant');
  const row = amira.locator('.queue .case', { hasText: 'Pendant' });
  await row.waitFor({ timeout: 10000 });
  await row.click();
  await amira.keyboard.press('a');
  await row.filter({ hasText: 'yours' }).waitFor({ timeout: 10000 });

  const gwen = await consoleFor('gwen');
  const floor = gwen.locator('.floor');
  await floor.locator('.answer-chart').waitFor({ timeout: 10000 });
  // Every call answered so far in this run is a bar on the chart.
  await gwen.waitForFunction(() => document.querySelectorAll('.answer-chart rect.bar').length >= 3, null, { timeout: 10000 });
  assert.match(await floor.textContent(), /within 60 s/);
  // Her state follows her work: accepting put her on a call (no new offers meanwhile).
  assert.match(await floor.locator('.operators').textContent(), /Amira Khan \(operator\)\s*On a call/);
  assert.equal(await amira.locator('#presence').inputValue(), 'on_call');

  await gwen.locator('.queue .case', { hasText: 'Pendant' }).click();
  await gwen.keyboard.press('t');  // take over: it asks why first, and Escape leaves it be
  await gwen.getByRole('form', { name: 'Take this case over from Amira Khan' }).waitFor();
  await gwen.keyboard.press('Escape');
  assert.equal(await gwen.locator('.case-form').count(), 0);
  await gwen.locator('.queue .case', { hasText: 'Pendant' }).click();
  await gwen.keyboard.press('t');
  await gwen.getByLabel('Reason (they are told)').waitFor();
  await gwen.keyboard.type('she needs a Welsh speaker');
  await gwen.keyboard.press('Enter');
  await gwen.locator('.action-status', { hasText: 'Taken over' }).waitFor({ timeout: 10000 });
  await gwen.locator('.access', { hasText: 'code 4821' }).waitFor({ timeout: 10000 });
  await row.filter({ hasText: 'taken by Gwen Price' }).waitFor({ timeout: 10000 });
  // Amira is told who took her case and why, until she dismisses it; her access details go.
  const lost = amira.locator('.lost-banner li');
  await lost.waitFor({ timeout: 10000 });
  assert.match(await lost.textContent(), /Gwen Price has taken case \d+ \(Margaret Ellis, pendant\) from you: she needs a Welsh speaker/);
  assert.equal(await amira.locator('.access').count(), 0);
  await amira.screenshot({ path: join(artifacts, 'case-taken-over.png') });
  await lost.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await amira.locator('.lost-banner').isVisible(), false);
  await gwen.screenshot({ path: join(artifacts, 'supervisor.png') });
  await amira.context().close();
  await gwen.context().close();
});
