// Tests for {{name}}: run `node --test` (Node's own test runner, no npm packages). Starts server.mjs on a free port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
let server, port, state;

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const call = async (method, route, body, headers = {}) => {
  const res = await fetch(`http://127.0.0.1:${port}${route}`, { method, body: body && JSON.stringify(body), headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
};

before(async () => {
  port = await freePort();
  state = fs.mkdtempSync(path.join(os.tmpdir(), '{{name}}-'));
  server = spawn(process.execPath, [path.join(here, 'server.mjs')], { env: { ...process.env, PORT: String(port), IDEMPOTENCY_DIR: state }, stdio: 'inherit' });
  for (let i = 0; ; i++) {
    try { await call('GET', '/health'); return; } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 100)); }
  }
});
after(() => { server.kill(); fs.rmSync(state, { recursive: true, force: true }); });

test('health is healthy', async () => {
  assert.equal((await call('GET', '/health')).body.status, 'healthy');
});

test('invoke counts words', async () => {
  assert.equal((await call('POST', '/invoke', { text: 'one two three' })).body.words, 3);
});

test('the same key twice works once', async () => {
  const executions = async () => (await call('GET', '/health')).body.executions;
  const before = await executions();
  const headers = { 'Idempotency-Key': `key-${Date.now()}`, 'Content-Type': 'application/json' };
  const first = await call('POST', '/invoke', { text: 'a b' }, headers);
  const second = await call('POST', '/invoke', { text: 'a b' }, headers);
  assert.deepEqual(second.body, first.body);
  assert.equal(second.headers.get('idempotent-replay'), 'true');
  assert.equal((await executions()) - before, 1);
});
