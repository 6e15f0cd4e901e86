"""Tests for {{name}}: run `python3 test_server.py` (standard library only). Starts server.py on a free port."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read()), response.headers


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.TemporaryDirectory()
        cls.port = free_port()
        env = dict(os.environ, PORT=str(cls.port), IDEMPOTENCY_DIR=cls.state.name)
        cls.server = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py")], env=env)
        for _ in range(100):
            try:
                call(cls.port, "GET", "/health")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server.py did not answer /health")

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(10)
        cls.state.cleanup()

    def test_health_is_healthy(self):
        status, body, _ = call(self.port, "GET", "/health")
        self.assertEqual((status, body["status"]), (200, "healthy"))

    def test_invoke_counts_words(self):
        status, body, _ = call(self.port, "POST", "/invoke", {"text": "one two three"})
        self.assertEqual((status, body["words"]), (200, 3))

    def test_invoke_same_key_twice_works_once(self):
        before = call(self.port, "GET", "/health")[1]["executions"]
        headers = {"Idempotency-Key": f"key-{time.time()}", "Content-Type": "application/json"}
        first = call(self.port, "POST", "/invoke", {"text": "a b"}, headers)
        second = call(self.port, "POST", "/invoke", {"text": "a b"}, headers)
        after = call(self.port, "GET", "/health")[1]["executions"]
        self.assertEqual(first[1], second[1])
        self.assertEqual(second[2].get("Idempotent-Replay"), "true")
        self.assertEqual(after - before, 1)


if __name__ == "__main__":
    unittest.main()
