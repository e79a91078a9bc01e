// The operator console in a real browser against a real server: log in, watch an alarm
// raised by lantern-sim arrive with the person's name and preferred language, open the
// plan card.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn as logInAs } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser();
const logIn = (page, username, password) => logInAs(page, running.server, username, password);

test('a wrong password is refused with a message on the form', async () => {
  const page = await running.browser.newPage();
  await logIn(page, 'amira', 'not-her-password');
  await page.getByText('wrong username or password').waitFor({ timeout: 10000 });
  await page.close();
});

test('an operator sees a simulated fall alarm arrive with the person, language and plan', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1280, height: 720 } });
  await logIn(page, 'amira', 'lantern-demo-amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  assert.equal(await page.locator('.queue .case').count(), 0, 'a new centre starts with an empty queue');

  // Margaret Ellis's pendant is dev-100231, the first device of the demo centre.
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1']);

  const row = page.locator('.queue .case', { hasText: 'Margaret Ellis' });
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /Welsh/);
  assert.match(await row.locator('.priority-badge').textContent(), /critical/);

  await row.click();
  const card = page.locator('.plan-card');
  await card.getByText('Speaks Welsh').waitFor();
  assert.match(await card.textContent(), /on warfarin: if she did, or cannot say, call 999/i);
  assert.match(await card.textContent(), /Sarah Ellis/);
  assert.doesNotMatch(await card.textContent(), /4821/, 'the key safe code is not shown before the case is accepted');
  await page.screenshot({ path: join(artifacts, 'console.png') });
  await page.close();
});

test('after a server restart the console reconnects by itself, still logged in, and shows the same queue', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1280, height: 720 } });
  await logIn(page, 'gwen', 'lantern-demo-gwen');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'fall=1']);
  await page.locator('.queue .case', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  const before = await page.locator('.queue .case').count();

  await running.server.restart();
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#username').count(), 0, 'the operator was not sent back to the login form');
  await page.locator('.queue .case', { hasText: 'Margaret Ellis' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('.queue .case').count(), before, 'the queue came back from the database');

  // The new link is live: an alarm raised now appears too.
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'pull_cord=1']);
  await page.locator('.queue .case', { hasText: 'pull cord' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('.queue .case').count(), before + 1, 'no row was lost or doubled by the reconnect');
  await page.screenshot({ path: join(artifacts, 'console-after-restart.png') });
  await page.close();
});

// A repeat's update names what the page keeps (type, priority, deadlines) instead of sending
// it again: the row must still show all of it, with the new count.
test('a repeat press shows its count on the row, which keeps its type, priority, language and deadline', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1280, height: 720 } });
  await logIn(page, 'amira', 'lantern-demo-amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  const press = () => runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'pendant=1']);
  const row = page.locator('.queue .case').filter({ has: page.locator('.case-type', { hasText: /^pendant/ }) });
  await press();
  await row.waitFor({ timeout: 10000 });
  const shown = async () => ({
    priority: await row.locator('.priority-badge').textContent(),
    person: (await row.locator('.case-person').textContent()).includes('Margaret Ellis'),
    language: await row.locator('.case-language').textContent(),
    deadline: (await row.locator('.case-age').textContent()).replace(/\d+:\d+/, ''),
  });
  const before = await shown();
  assert.match(before.deadline, /operators|answer target/);
  assert.ok(before.person, 'the person is named');

  await press();
  await row.locator('.repeat', { hasText: '×2' }).waitFor({ timeout: 10000 });
  assert.deepEqual(await shown(), before);
  assert.equal(await row.count(), 1, 'the repeat joined the case');
  await page.close();
});
