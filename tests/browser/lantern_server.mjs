// Starts a real lantern-server (and lantern-sim) for browser tests, on free loopback ports,
// with its own database in a temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
const build = process.env.LANTERN_BUILD_DIR || join(repo, 'build');
export const serverBinary = join(build, 'server/lantern-server');
export const simBinary = join(build, 'sim/lantern-sim');
export const demoCentre = join(repo, 'deploy/demo-centre.json');

// Starts lantern-server on a fresh copy of a centre (the demo's unless given), with `args`
// added. `restart()` stops it and starts it again on the same database and the same ports,
// as after an upgrade or a crash.
export async function startServer({ centre = demoCentre, httpPort = 0, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-browser-'));
  const db = join(dir, 'lantern.db');
  const imported = spawnSync(serverBinary, ['--db', db, '--import', centre, '--import-only'], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stdout}${imported.stderr}`);
  let running = await launch(db, ['--http-port', String(httpPort), '--device-port', '0', ...args]);
  const server = {
    dir,
    centre,
    ports: running.ports,
    url: `http://127.0.0.1:${running.ports.http}/`,
    // The last stop: the temporary folder goes with the server.
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await running.stop();
      running = await launch(db, ['--http-port', String(server.ports.http), '--device-port', String(server.ports.device), ...args]);
    },
  };
  return server;
}

async function launch(db, launchArgs) {
  const child = spawn(serverBinary, ['--db', db, '--metrics-bind', '127.0.0.1:0', ...launchArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise((resolvePorts, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /device_port=(\d+) http_port=(\d+) metrics_port=\d+(?: dc09_port=(\d+))?/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePorts({ device: Number(match[1]), http: Number(match[2]), dc09: match[3] ? Number(match[3]) : 0 });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  child.stdout.resume();
  return { ports, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) };
}

// Runs lantern-sim against the server until it ends by itself.
export function runSim(ports, args, centre = demoCentre) {
  return new Promise((done, reject) => {
    const sim = spawn(simBinary, ['--centre', centre, '--port', String(ports.device), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    sim.stdout.on('data', (chunk) => { output += chunk; });
    sim.on('exit', (code) => (code === 0 ? done(output) : reject(new Error(`lantern-sim exited ${code}: ${output}`))));
  });
}
