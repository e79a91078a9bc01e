// The console through a storm: 80-odd open cases at 1280×720 and 1920×1080. The page never
// scrolls as a whole; at least 12 (20) rows are in view; the counts by priority add up; a
// person's cases sit together; technical alarms carry no answer target; the critical banner
// takes the operator to the newest critical case; the sound says whether it is on, and a
// mute ends with the next critical alarm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();

async function consoleAt(width, height) {
  const context = await running.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await logIn(page, running.server, 'amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  return page;
}

// What the queue shows: rows in order, and how many are wholly in view.
const queueFacts = (page) => page.evaluate(() => {
  const pane = document.querySelector('.queue-scroll').getBoundingClientRect();
  const rows = [...document.querySelectorAll('.queue .case')];
  const visible = rows.filter((r) => {
    const box = r.getBoundingClientRect();
    return box.top >= pane.top && box.bottom <= pane.bottom && box.bottom <= window.innerHeight;
  }).length;
  return {
    visible,
    persons: rows.map((r) => r.dataset.personId),
    priorities: rows.map((r) => [...r.classList].find((c) => c.startsWith('priority-')).slice(9)),
    technicalWithTarget: rows.filter((r) => r.classList.contains('technical') && r.querySelector('.case-age')).length,
    technical: rows.filter((r) => r.classList.contains('technical')).length,
    counts: Object.fromEntries([...document.querySelectorAll('.priority-counts .count')].map((c) => [c.dataset.priority, parseInt(c.textContent, 10)])),
    pageScrolls: document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth,
  };
});

test('through a storm of 80 cases the queue stays dense, grouped and counted, and the page never scrolls', async () => {
  // Every demo device, several kinds of alarm: each person's alarms of one type fold into one case.
  await runSim(running.server.ports, ['--duration', '3', '--alarm-rate', '80', '--mix',
    'pendant=4,fall=1,smoke=1,pull_cord=2,door=2,no_activity=2,temperature=2,low_battery=3,tamper=2,bed_exit=2']);
  for (const [width, height, atLeast] of [[1280, 720, 12], [1920, 1080, 20]]) {
    const page = await consoleAt(width, height);
    await page.waitForFunction(() => document.querySelectorAll('.queue .case').length >= 80, null, { timeout: 15000 });
    // Three banners at once must still leave the queue in view, with the words they carry.
    await page.evaluate(() => {
      document.querySelector('.critical-banner').hidden = false;
      document.querySelector('.critical-banner span').textContent = 'New critical alarm: no activity — Margaret Ellis';
      document.querySelector('.raised-banner').hidden = false;
      document.querySelector('.raised-banner').append(Object.assign(document.createElement('li'), { textContent: 'Ann: raised again' }));
    });
    const facts = await queueFacts(page);
    await page.screenshot({ path: join(artifacts, `storm-${width}x${height}.png`) });
    assert.equal(facts.pageScrolls, false, `the page scrolls at ${width}×${height}`);
    assert.ok(facts.visible >= atLeast, `${facts.visible} rows in view at ${width}×${height}, want ${atLeast}`);
    assert.ok(await page.locator('header.top').isVisible());
    const total = facts.persons.length;
    assert.equal(Object.values(facts.counts).reduce((a, b) => a + b, 0), total, 'the counts add up to the open cases');
    for (const p of ['critical', 'high', 'normal', 'low'])
      assert.equal(facts.counts[p], facts.priorities.filter((x) => x === p).length, `the ${p} count`);
    // A person's cases sit together: once the queue leaves a person it never comes back.
    const seen = new Set();
    facts.persons.forEach((person, i) => {
      if (i > 0 && facts.persons[i - 1] !== person) assert.ok(!seen.has(person), `${person}'s cases are split`);
      seen.add(person);
    });
    assert.ok(facts.technical > 0, 'the storm has technical alarms');
    assert.equal(facts.technicalWithTarget, 0, 'no answer target on a technical alarm');
    // Filters: technical only, then calls only, then all again.
    await page.getByRole('button', { name: /^Technical \d+/ }).click();
    assert.equal(await page.locator('.queue .case:not(.technical)').count(), 0);
    await page.getByRole('button', { name: /^Calls \d+/ }).click();
    assert.equal(await page.locator('.queue .case.technical').count(), 0);
    await page.getByRole('button', { name: /^All \d+/ }).click();
    await page.context().close();
  }
});

test('the critical banner takes the operator to the newest critical case, and the sound says what it is doing', async () => {
  const page = await consoleAt(1280, 720);
  const sound = page.locator('.sound-state');
  assert.match(await sound.textContent(), /Sound off/, 'until the page is touched the browser plays nothing, and the page says so');
  await page.keyboard.press('Shift');  // any key turns it on
  await page.locator('.sound-state[data-state="on"]').waitFor({ timeout: 5000 });
  await sound.click();  // mute
  await page.locator('.sound-state[data-state="muted"]').waitFor();
  assert.match(await sound.textContent(), /Muted until \d\d:\d\d/);

  // Margaret Ellis's pendant raises a seizure: a new critical case ends the mute. (Not a fall:
  // the storm above may have left her an open fall case, which a fall would only join.)
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'epilepsy=1']);
  const banner = page.locator('.critical-banner', { hasText: 'New critical alarm: epilepsy — Margaret Ellis' });
  await banner.waitFor({ timeout: 10000 });
  await page.locator('.sound-state[data-state="on"]').waitFor({ timeout: 5000 });
  assert.match(await banner.textContent(), /press V/);
  await banner.click();
  const selected = page.locator('.queue .case.selected');
  await selected.waitFor();
  assert.match(await selected.textContent(), /epilepsy/i);
  assert.match(await selected.textContent(), /Margaret Ellis/);
  assert.ok(await selected.isVisible());
  await page.screenshot({ path: join(artifacts, 'storm-banner-selected.png') });
  // The key does the same: from another case, V goes back to the newest critical one.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('v');
  assert.match(await page.locator('.queue .case.selected').textContent(), /Margaret Ellis/);
  await page.context().close();
});
