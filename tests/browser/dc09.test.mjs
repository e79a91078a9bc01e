// An alarm unit reporting over SIA DC-09: its case shows the raw code, what it means, the
// zone's place and the unit's extended data; an unknown unit is listed for admins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { logIn } from './login.mjs';
import { artifacts, serverAndBrowser } from './harness.mjs';

const running = serverAndBrowser({ args: ['--dc09-port', '0'] });

// CRC-16/ARC (poly 0xA001 reflected, init 0), as DC-09 frames carry it: written here from
// the definition, independently of the server's.
function crc16(text) {
  let crc = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    crc ^= byte;
    for (let i = 0; i < 8; i += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
const hex = (n, width) => n.toString(16).toUpperCase().padStart(width, '0');
function frame(body) {
  const now = new Date();
  const two = (n) => String(n).padStart(2, '0');
  const stamped = `${body}_${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())},` +
    `${two(now.getUTCMonth() + 1)}-${two(now.getUTCDate())}-${now.getUTCFullYear()}`;
  return `\n${hex(crc16(stamped), 4)}0${hex(stamped.length, 3)}${stamped}\r`;
}
// Sends one frame over TCP and resolves with the reply.
function send(port, bytes) {
  return new Promise((done, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes, 'latin1'));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r')) {
        socket.end();
        done(reply);
      }
    });
    socket.on('error', reject);
    setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(bytes)}`)), 10000);
  });
}

test("a DC-09 unit's alarm shows its raw code, its zone's place and the unit's extended data on the case", async () => {
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'amira');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  // Arthur Bennett's hub (account A7B2, receiver 1, line 1): the bathroom's water sensor, zone 3.
  const reply = await send(running.server.ports.dc09,
    frame('"ADM-CID"0042R1L1#A7B2[#A7B2|1154 01 003][Rbathroom][Iwater on the floor][X001W33.120][Y53N48.100]'));
  assert.match(reply, /"ACK"0042R1L1#A7B2\[\]/, 'ACKed once stored, with the echo');
  const row = page.locator('.queue .case', { hasText: 'Arthur Bennett' });
  await row.waitFor({ timeout: 10000 });
  await row.click();
  const card = page.locator('.plan-card');
  await card.filter({ hasText: 'Contact ID 154' }).waitFor({ timeout: 10000 });
  const text = await card.textContent();
  assert.match(text, /Water leakage/i);
  assert.match(text, /zone 003 \(bathroom\)/);
  assert.match(text, /alarm text: water on the floor/);
  assert.match(text, /latitude: 53N48\.100/);
  await page.screenshot({ path: join(artifacts, 'dc09-case.png') });
  await context.close();
});

test('an unknown unit is answered DUH and an admin finds it under unallocated signals', async () => {
  const reply = await send(running.server.ports.dc09, frame('"SIA-DCS"0007L0#F00D[#F00D|Nri1/FA012]'));
  assert.match(reply, /"DUH"0007L0#F00D/);
  const context = await running.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await logIn(page, running.server, 'admin');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  await page.goto(`${running.server.url}admin.html#unit-signals`);
  const row = page.locator('table tr', { hasText: 'F00D' });
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /FA012/);
  await page.screenshot({ path: join(artifacts, 'dc09-unallocated.png') });
  // Allocating starts a DC-09 device with the account filled in.
  await row.getByRole('link', { name: 'Allocate…' }).click();
  assert.equal(await page.getByLabel('Account (3-16 hex digits)').inputValue(), 'F00D');
  assert.equal(await page.getByLabel('Speaks').inputValue(), 'dc09');
  await context.close();
});
