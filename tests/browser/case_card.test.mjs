// Working a case at 1280×720: a form opens beside the plan card, never over it (the medical
// notes and the access details stay in view while a note is written); status lines read as
// sentences; a dangerous key (release) asks before it acts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

const inView = (page, selector) => page.locator(selector).first().evaluate((node) => {
  const box = node.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
});

test('a note is written beside the plan card, with the medical notes and access in view, and release asks first', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1', '--heartbeat', '0.3']);
  await page.locator('.queue .case', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('n');
  await page.keyboard.press('a');
  await page.locator('.action-status', { hasText: 'Accepted' }).waitFor({ timeout: 10000 });
  await page.locator('.access', { hasText: 'code 4821' }).waitFor({ timeout: 10000 });

  // The card says which device and where, the hazards before the plan's words, the phone as
  // a number to read and to tap, and who can be called now.
  assert.match(await page.locator('.plan-card .card-device').textContent(), /Raised by the pendant: worn around the neck · dev-100231/);
  // ... its last contact and the battery its last heartbeat reported (the simulator says 87%).
  await page.locator('.plan-card .device-health', { hasText: 'battery 87%' }).waitFor({ timeout: 10000 });
  assert.match(await page.locator('.plan-card .device-health').textContent(), /^Last contact \d+ s ago \(\d\d:\d\d\) · battery 87% \(\d+ s ago\)$/);
  assert.match(await page.locator('.plan-card .hazards').textContent(), /Cat \(Tibbles\) tries to get out/);
  const phone = page.locator('.plan-card .person-fields a[href^="tel:"]');
  assert.equal(await phone.getAttribute('href'), 'tel:+441134960012');
  assert.equal(await phone.textContent(), '0113 496 0012');
  assert.match(await page.locator('.plan-card .responders li').first().textContent(),
    /Sarah Ellis.*(available|not until \d\d:\d\d|available until \d\d:\d\d)/);

  await page.keyboard.press('m');
  const form = page.locator('.form-note');
  await form.waitFor();
  await page.screenshot({ path: join(artifacts, 'note-beside-card.png') });
  assert.ok(await inView(page, '.form-note'), 'the form is in view');
  assert.ok(await inView(page, '.plan-card .access'), 'the access details stay in view beside the form');
  assert.ok(await inView(page, '.plan-card .medical dd'), 'the medical notes stay in view beside the form');
  const [formBox, cardBox] = [await form.boundingBox(), await page.locator('.plan-card').boundingBox()];
  assert.ok(formBox.x + formBox.width <= cardBox.x + 1, 'the form sits beside the card, not over it');
  await page.screenshot({ path: join(artifacts, 'note-beside-card.png') });
  await page.keyboard.type('Spoke to Margaret: she is sitting up, no pain.');
  await page.keyboard.press('Control+Enter');
  await page.locator('.action-status', { hasText: 'Note added' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('.form-note').count(), 0);

  // Release is a dangerous key: it asks, and Escape leaves the case as it was.
  await page.keyboard.press('l');
  await page.getByRole('form', { name: 'Release this case back to the queue?' }).waitFor();
  await page.keyboard.press('Escape');
  assert.match(await page.locator('.queue .case.selected').textContent(), /yours/);
  await page.keyboard.press('l');
  await page.keyboard.press('Enter');
  await page.locator('.action-status', { hasText: 'Released to the queue' }).waitFor({ timeout: 10000 });
  await page.locator('.queue .case.selected', { hasText: 'for you' }).waitFor({ timeout: 10000 });
  await context.close();
});
