"""Exactly-once at the agent: remembers the answer to every request it has done, keyed by Berth-Request-Id or Idempotency-Key.

Berth delivers a stored request at least once: after a crash it may send it again. This record turns that into exactly once:
a key already in the record gets the stored answer and the work is not done again. The record is an append-only file of JSON
lines, each written and fsynced before the answer leaves, so a crash never loses a finished key. It keeps at most
IDEMPOTENCY_KEEP keys (default 10000); past that the oldest half is dropped by rewriting the file atomically (rename).
"""
import json
import os
import threading
import time


class Record:
    def __init__(self, directory, keep):
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, "records.jsonl")
        self.keep = keep
        self.done = {}
        self.executions = 0
        self._guard = threading.Lock()
        self._locks = {}
        self._load()
        self._file = open(self.path, "a", encoding="utf-8")

    def _load(self):
        if not os.path.exists(self.path):
            return
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: its request was never answered, so it runs again
                self.done[entry["key"]] = entry
                self.executions += 1

    def run_once(self, key, work):
        """Returns (status, body, replayed): the stored answer for a known key, else runs work() once and stores its answer."""
        if not key:
            status, body = work()
            return status, body, False
        with self._guard:
            lock = self._locks.setdefault(key, [threading.Lock(), 0])
            lock[1] += 1
        try:
            with lock[0]:  # one request per key at a time: a redelivery waits for the first and then gets its answer
                entry = self.done.get(key)
                if entry is not None:
                    return entry["status"], entry["body"], True
                status, body = work()
                self._append({"key": key, "at": time.time(), "status": status, "body": body})
                return status, body, False
        finally:
            with self._guard:
                lock[1] -= 1
                if lock[1] == 0:
                    del self._locks[key]

    def _append(self, entry):
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self._guard:
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())
            self.done[entry["key"]] = entry
            self.executions += 1
            if len(self.done) > self.keep:
                self._prune()

    def _prune(self):
        newest = sorted(self.done.values(), key=lambda e: e["at"])[-(self.keep // 2):]
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            for entry in newest:
                f.write(json.dumps(entry, separators=(",", ":")) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.path)
        self._file.close()
        self._file = open(self.path, "a", encoding="utf-8")
        self.done = {e["key"]: e for e in newest}


def open_record():
    directory = os.environ.get("IDEMPOTENCY_DIR") or os.path.join(os.environ.get("HOME") or ".", ".idempotency")
    return Record(directory, int(os.environ.get("IDEMPOTENCY_KEEP", "10000")))
