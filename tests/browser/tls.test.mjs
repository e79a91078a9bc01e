// The console over HTTPS (--tls-cert, --tls-key): Chromium logs in through the page, the
// WebSocket goes over WSS and the console goes live, with a certificate openssl makes here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logIn } from './login.mjs';
import { serverAndBrowser } from './harness.mjs';

const certs = mkdtempSync(join(tmpdir(), 'lantern-tls-'));
const running = serverAndBrowser(() => {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certs, 'key.pem'),
    '-out', join(certs, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { args: ['--tls-cert', join(certs, 'cert.pem'), '--tls-key', join(certs, 'key.pem')] };
});
after(() => rmSync(certs, { recursive: true, force: true }));

test('the console logs in over HTTPS and goes live over WSS', async () => {
  // The test's own certificate: trusted here as a centre would install its CA on the workstations.
  const context = await running.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const server = { ...running.server, url: running.server.url.replace('http://', 'https://') };
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/login'));
  await logIn(page, server, 'amira');
  const answer = await login;
  assert.equal(answer.status(), 200);
  const headers = await answer.allHeaders();
  assert.match(headers['set-cookie'], /; Secure/);
  assert.equal(headers['strict-transport-security'], 'max-age=31536000');
  await page.locator('.link-status[data-state="live"]').waitFor({ timeout: 10000 });
  assert.ok(sockets.some((url) => url.startsWith('wss://127.0.0.1:')), `WebSockets opened: ${sockets.join(', ')}`);
  await context.close();
});
