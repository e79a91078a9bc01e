// "/" on the console: a person found by a phone number as people write it, their card opened
// without a case (no access details until a case is theirs), and a case opened by hand for
// them when a relative phones in; at a desk (1280×720) and on a small screen (390×844).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

test('an operator finds a person by phone, opens their card and opens a case by hand', async () => {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });

  await page.keyboard.press('/');
  const search = page.getByRole('search', { name: 'Find a person' });
  await search.waitFor();
  await page.keyboard.type('x');
  await search.locator('.search-note', { hasText: 'Type at least two characters.' }).waitFor();
  await page.keyboard.press('Backspace');
  await page.keyboard.type('0113 496 0012');
  const result = search.locator('.search-result', { hasText: 'Margaret Ellis' });
  await result.waitFor({ timeout: 10000 });
  assert.match(await result.textContent(), /born 1941-03-02 · 12 Rowan Court, Leeds LS6 2AB · 0113 496 0012/);
  assert.doesNotMatch(await search.textContent(), /4821|warfarin/, 'a search shows no access details or medical notes');
  await page.screenshot({ path: join(artifacts, 'find-person.png') });

  await page.keyboard.press('Enter');
  const card = page.locator('.plan-card');
  await card.getByRole('heading', { name: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  assert.match(await card.textContent(), /opening this card is recorded/);
  assert.match(await card.textContent(), /Type 2 diabetes/);
  assert.doesNotMatch(await page.locator('body').textContent(), /4821/, 'no key safe code without a case');
  await page.screenshot({ path: join(artifacts, 'person-without-case.png') });

  await card.getByLabel('Kind').selectOption('medical');
  await card.getByLabel('Note').fill('Her son rang: she sounds confused');
  await card.getByRole('button', { name: 'Open the case (yours)' }).click();
  // The new case is selected, hers, with the access details, and it says it was opened by hand.
  await page.locator('.plan-card .card-device', { hasText: 'Opened by hand' }).waitFor({ timeout: 10000 });
  await page.locator('.access', { hasText: 'code 4821' }).waitFor({ timeout: 10000 });
  await page.locator('.timeline li', { hasText: 'Her son rang: she sounds confused' }).waitFor();
  assert.match(await page.locator('.queue .case.selected').textContent(), /medical.*yours/s);
  await page.screenshot({ path: join(artifacts, 'case-opened-by-hand.png') });

  // A second one for the same person and kind is refused, and says which case to work.
  await page.keyboard.press('/');
  await page.keyboard.type('Margaret');
  await search.locator('.search-result', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await card.getByRole('heading', { name: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  assert.match(await card.locator('.person-open-cases').textContent(), /Case \d+: medical \(high\) · Amira Khan/);
  await card.getByLabel('Kind').selectOption('medical');
  await card.getByLabel('Note').fill('again');
  await card.getByRole('button', { name: 'Open the case (yours)' }).click();
  await card.locator('.open-case .form-error', { hasText: 'already has an open medical case' }).waitFor({ timeout: 10000 });
  await context.close();
});

test('on a phone-sized screen the search and the person card fit the width', async () => {
  const context = await running.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await logIn(page, running.server, 'olu');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await page.getByRole('button', { name: 'Find a person' }).click();
  await page.keyboard.type('dev-100231');
  await page.locator('.search-result', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(artifacts, 'find-person-390.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than the screen`);
  await context.close();
});
