"""Contract tests for {{name}}: run `python3 test_server.py` (standard library only). Starts server.py on a free port."""
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


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


class ContractTest(unittest.TestCase):
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

    def execute(self, inputs, invocation):
        status, text = call(self.port, "POST", "/execute", {"inputs": inputs, "context": {"invocationId": invocation}})
        return status, json.loads(text)

    def test_health_is_healthy(self):
        self.assertEqual(json.loads(call(self.port, "GET", "/health")[1]), {"status": "healthy"})

    def test_execute_example_gives_its_outputs(self):
        self.assertEqual(self.execute({"text": "hello berth world"}, "t-1"),
                         (200, {"success": True, "outputs": {"words": 3, "characters": 17}}))

    def test_execute_bad_input_is_a_user_error(self):
        status, body = self.execute({"text": 3}, "t-2")
        self.assertEqual((status, body["success"], body["error"]["class"]), (200, False, "user"))

    def test_execute_same_invocation_twice_runs_once(self):
        before = self.executions()
        first = self.execute({"text": "a b"}, f"t-{time.time()}")
        second = self.execute({"text": "a b"}, f"t-{time.time()}-other")
        third = self.execute({"text": "a b"}, "t-repeat")
        fourth = self.execute({"text": "a b"}, "t-repeat")
        self.assertEqual(first, second)
        self.assertEqual(third, fourth)
        self.assertEqual(self.executions() - before, 3)

    def test_metrics_is_prometheus_text(self):
        text = call(self.port, "GET", "/metrics")[1]
        self.assertIn("# TYPE plugin_requests_total counter", text)

    def executions(self):
        for line in call(self.port, "GET", "/metrics")[1].splitlines():
            if line.startswith("plugin_executions_total "):
                return int(line.split()[1])
        raise AssertionError("plugin_executions_total missing from /metrics")


if __name__ == "__main__":
    unittest.main()
