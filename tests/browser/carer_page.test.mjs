// A carer woken by an email answers on a phone-sized page, and the operator sees each step
// live: a real server, a real SMTP server (Debian's aiosmtpd) keeping the email, and
// Chromium for both the operator's console and the carer's phone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { runSim } from './lantern_server.mjs';
import { logIn } from './login.mjs';
import { seriousViolations } from './axe.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const centre = resolve(import.meta.dirname, '../integration/escalation-centre.json');
const helpers = { smtp: null, mailDir: null };

function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function waitFor(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const running = serverAndBrowser(async () => {
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  const mailDir = join((await import('node:os')).tmpdir(), `lantern-mail-${process.pid}-${smtpPort}`);
  helpers.mailDir = mailDir;
  helpers.smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c',
    'aiosmtpd.handlers.Mailbox', mailDir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1500));  // aiosmtpd binds within a second or so
  return {
    centre,
    httpPort,
    args: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--public-url', `http://127.0.0.1:${httpPort}`],
  };
});
after(() => {
  helpers.smtp?.kill('SIGTERM');
  if (helpers.mailDir) rmSync(helpers.mailDir, { recursive: true, force: true });
});

function emails() {
  try {
    return readdirSync(join(helpers.mailDir, 'new')).map((f) => readFileSync(join(helpers.mailDir, 'new', f), 'utf8'));
  } catch {
    return [];
  }
}

test('a carer answers from a phone and the operator sees each step as it happens', async () => {
  const operatorContext = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const operator = await operatorContext.newPage();
  await logIn(operator, running.server, 'amira', 'lantern-test-amira');
  await operator.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await runSim(running.server.ports, ['--devices', '1', '--alarms', '1', '--mix', 'pendant=1'], centre);
  await operator.locator('.queue .case', { hasText: 'Ann Ellis' }).waitFor({ timeout: 10000 });
  await operator.keyboard.press('n');
  await operator.keyboard.press('a');
  await operator.locator('.access', { hasText: 'code 1357' }).waitFor({ timeout: 10000 });
  await operator.keyboard.press('e');
  await operator.keyboard.type('Ann does not answer the phone');
  await operator.keyboard.press('Control+Enter');
  await operator.locator('.escalation', { hasText: 'Sarah Ellis' }).waitFor({ timeout: 10000 });

  const mail = await waitFor(() => emails().find((m) => m.includes('X-RcptTo: sarah@example.org')), "Sarah's email");
  const link = /http:\/\/127\.0\.0\.1:\d+\/carer\/[0-9a-f]+\.[0-9a-f]+/.exec(mail)?.[0];
  assert.ok(link, 'the email carries a carer link');

  const phoneContext = await running.browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, bypassCSP: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(link);
  await phone.getByRole('heading', { name: 'Ann Ellis' }).waitFor({ timeout: 10000 });
  const asked = await phone.locator('main').textContent();
  assert.match(asked, /pendant alarm at/);
  assert.match(asked, /Takes warfarin/);
  assert.match(asked, /Speak slowly and clearly/);
  assert.doesNotMatch(asked, /3 Elm Row|1357|Dog in the kitchen/, 'no address, key safe or hazards before she says she is going');
  // The operator's reason and the carers' own instructions; never the operator's instructions.
  assert.match(asked, /From the centre: Ann does not answer the phone/);
  assert.match(asked, /Ring twice: she is slow to the door/);
  assert.doesNotMatch(asked, /call 999/);
  await phone.screenshot({ path: join(artifacts, 'carer-page-asked.png'), fullPage: true });

  await phone.getByRole('button', { name: '15 min' }).tap();
  await phone.getByText('3 Elm Row, Leeds LS6 1AA').waitFor({ timeout: 10000 });
  await phone.getByText('Key safe by the back door, code 1357.').waitFor();
  await phone.locator('.hazards', { hasText: 'Dog in the kitchen' }).waitFor();
  assert.equal(await phone.getByRole('link', { name: 'Open in maps' }).getAttribute('href'),
    'https://www.google.com/maps/search/?api=1&query=3%20Elm%20Row%2C%20Leeds%20LS6%201AA');
  assert.equal(await phone.getByRole('link', { name: '0113 496 0001' }).getAttribute('href'), 'tel:+441134960001');
  await phone.screenshot({ path: join(artifacts, 'carer-page-going.png'), fullPage: true });
  // WCAG 2.1 AA in both colour schemes: a phone at 3 a.m. is often in dark mode.
  assert.deepEqual(await seriousViolations(phone), []);
  await phone.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(phone), []);
  await phone.screenshot({ path: join(artifacts, 'carer-page-dark.png'), fullPage: true });
  await phone.emulateMedia({ colorScheme: 'light' });
  await operator.locator('.escalation', { hasText: 'on the way' }).waitFor({ timeout: 10000 });
  await operator.locator('.timeline li', { hasText: 'Sarah Ellis (daughter) is going: there in about 15 min' }).waitFor();
  await operator.locator('.escalation').scrollIntoViewIfNeeded();
  await operator.screenshot({ path: join(artifacts, 'console-escalation-going.png') });

  await phone.getByRole('button', { name: "I've arrived" }).tap();
  await operator.locator('.escalation', { hasText: 'A responder is with the person' }).waitFor({ timeout: 10000 });
  await phone.getByRole('textbox', { name: 'Note for the centre' }).fill('Ann slipped, no injury, back in her chair');
  await phone.getByRole('button', { name: 'Done' }).tap();
  await phone.getByText('Thank you. The centre has your note.').waitFor({ timeout: 10000 });
  await operator.locator('.raised-banner', { hasText: 'Sarah Ellis (daughter) is done: resolve the case' }).waitFor({ timeout: 10000 });
  await operator.locator('.timeline li', { hasText: 'no injury, back in her chair' }).waitFor();
  await operator.screenshot({ path: join(artifacts, 'console-escalation-done.png') });
  await phoneContext.close();
  await operatorContext.close();
});

test('a link that is wrong or expired says so plainly and shows nothing', async () => {
  const context = await running.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${running.server.url}carer/0123456789abcdef.${'0'.repeat(48)}`);
  await page.getByRole('heading', { name: 'This link no longer works' }).waitFor({ timeout: 10000 });
  assert.doesNotMatch(await page.locator('main').textContent(), /Ann|warfarin/);
  await context.close();
});
