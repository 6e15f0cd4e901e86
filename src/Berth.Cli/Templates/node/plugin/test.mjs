// Contract tests for {{name}}: run `node --test` (Node's own test runner, no npm packages). Starts server.mjs on a free port.
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
const get = async (route) => (await fetch(`http://127.0.0.1:${port}${route}`)).text();
const execute = async (inputs, invocationId) => {
  const res = await fetch(`http://127.0.0.1:${port}/execute`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inputs, context: { invocationId } }),
  });
  return { status: res.status, body: await res.json() };
};
const executions = async () => Number((await get('/metrics')).match(/^plugin_executions_total (\d+)$/m)[1]);

before(async () => {
  port = await freePort();
  state = fs.mkdtempSync(path.join(os.tmpdir(), '{{name}}-'));
  server = spawn(process.execPath, [path.join(here, 'server.mjs')], { env: { ...process.env, PORT: String(port), IDEMPOTENCY_DIR: state }, stdio: 'inherit' });
  for (let i = 0; ; i++) {
    try { await get('/health'); return; } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 100)); }
  }
});
after(() => { server.kill(); fs.rmSync(state, { recursive: true, force: true }); });

test('health is healthy', async () => {
  assert.deepEqual(JSON.parse(await get('/health')), { status: 'healthy' });
});

test('the example gives its outputs', async () => {
  assert.deepEqual(await execute({ text: 'hello berth world' }, 't-1'), { status: 200, body: { success: true, outputs: { words: 3, characters: 17 } } });
});

test('a bad input is a user error', async () => {
  const { body } = await execute({ text: 3 }, 't-2');
  assert.equal(body.success, false);
  assert.equal(body.error.class, 'user');
});

test('the same invocation twice runs once', async () => {
  const before = await executions();
  const invocation = `t-${process.pid}-${Date.now()}`;
  const first = await execute({ text: 'a b' }, invocation);
  const second = await execute({ text: 'a b' }, invocation);
  assert.deepEqual(second, first);
  assert.equal((await executions()) - before, 1);
});

test('metrics is Prometheus text', async () => {
  assert.match(await get('/metrics'), /^# TYPE plugin_requests_total counter$/m);
});
