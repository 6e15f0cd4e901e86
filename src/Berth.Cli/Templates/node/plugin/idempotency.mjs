// Exactly-once at the agent: remembers the answer to every request it has done, keyed by Berth-Request-Id or Idempotency-Key.
// Berth delivers a stored request at least once: after a crash it may send it again. A key already in this record gets the
// stored answer and the work is not done again. The record is an append-only file of JSON lines, each written and fsynced
// before the answer leaves, so a crash never loses a finished key. It keeps at most IDEMPOTENCY_KEEP keys (default 10000);
// past that the oldest half is dropped by rewriting the file atomically (rename).
import fs from 'node:fs';
import path from 'node:path';

export class Record {
  constructor(directory, keep) {
    fs.mkdirSync(directory, { recursive: true });
    this.file = path.join(directory, 'records.jsonl');
    this.keep = keep;
    this.done = new Map();
    this.executions = 0;
    this.running = new Map(); // key -> promise of the first request's answer: a redelivery waits for it
    if (fs.existsSync(this.file)) {
      for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
        try {
          const entry = JSON.parse(line);
          this.done.set(entry.key, entry);
          this.executions++;
        } catch {
          // an empty or cut-short last line: that request was never answered, so it runs again
        }
      }
    }
    this.fd = fs.openSync(this.file, 'a');
  }

  /** Returns {status, body, replayed}: the stored answer for a known key, else runs work() once and stores its answer. */
  async runOnce(key, work) {
    if (!key) return { ...(await work()), replayed: false };
    for (;;) {
      const known = this.done.get(key);
      if (known) return { status: known.status, body: known.body, replayed: true };
      const pending = this.running.get(key);
      if (!pending) break;
      await pending.catch(() => {});
    }
    const run = (async () => {
      const { status, body } = await work();
      this.append({ key, at: Date.now(), status, body });
      return { status, body, replayed: false };
    })();
    this.running.set(key, run);
    try {
      return await run;
    } finally {
      this.running.delete(key);
    }
  }

  append(entry) {
    fs.writeSync(this.fd, JSON.stringify(entry) + '\n');
    fs.fsyncSync(this.fd);
    this.done.set(entry.key, entry);
    this.executions++;
    if (this.done.size > this.keep) this.prune();
  }

  prune() {
    const newest = [...this.done.values()].sort((a, b) => a.at - b.at).slice(-Math.floor(this.keep / 2));
    const temporary = this.file + '.tmp';
    const fd = fs.openSync(temporary, 'w');
    fs.writeSync(fd, newest.map((e) => JSON.stringify(e) + '\n').join(''));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temporary, this.file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
    this.done = new Map(newest.map((e) => [e.key, e]));
  }
}

export function openRecord() {
  const directory = process.env.IDEMPOTENCY_DIR || path.join(process.env.HOME || '.', '.idempotency');
  return new Record(directory, Number(process.env.IDEMPOTENCY_KEEP || 10000));
}
