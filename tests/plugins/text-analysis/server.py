"""The text-analysis test plugin: the Berth plugin contract on the Python standard library.

POST /execute  {"inputs": {"text": "..."}, "context": {...}} -> {"success": true, "outputs": {"wordCount", "characterCount"}}
GET  /health   -> {"status": "healthy"}
GET  /metrics  -> Prometheus text

TEXT_ANALYSIS_BREAK (tests only) breaks one part of the contract: "health" (503), "outputs" (wordCount as a string),
"metrics" (JSON instead of Prometheus text), "exit" (exits at once). The port comes in PORT.

inputs.test (tests only) changes one call: {"hold": PATH} answers once the file PATH exists (at most 60 s later),
{"fail": CLASS} answers {"success": false} with that error class, {"outputs": "invalid"} answers wordCount as a string,
{"status": N} answers HTTP N without the contract's body, {"exit": true} ends the process without answering.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BREAK = os.environ.get("TEXT_ANALYSIS_BREAK", "")
CALLS = {"count": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Berth's connection pool expects; every answer has a Content-Length
    disable_nagle_algorithm = True  # TCP_NODELAY: else each answer's last segment can wait for the client's delayed ACK (~40 ms)

    def log_message(self, format, *args):
        sys.stderr.write("text-analysis: " + (format % args) + "\n")

    def answer(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            if BREAK == "health":
                self.answer(503, {"status": "broken on purpose"})
            else:
                self.answer(200, {"status": "healthy"})
        elif self.path == "/metrics":
            if BREAK == "metrics":
                self.answer(200, {"calls": CALLS["count"]})
            else:
                text = ("# HELP text_analysis_calls_total Calls to /execute.\n"
                        "# TYPE text_analysis_calls_total counter\n"
                        'text_analysis_calls_total{plugin="text-analysis"} %d\n' % CALLS["count"])
                self.answer(200, text, "text/plain; version=0.0.4")
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        # Read the whole body first: on a kept-alive connection, unread bytes would become the next request.
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/execute":
            self.answer(404, {"error": "not found"})
            return
        try:
            request = json.loads(body or b"{}")
            text = request["inputs"]["text"]
        except (ValueError, KeyError, TypeError):
            self.answer(400, {"success": False, "error": {"class": "user", "message": "expected inputs.text"}})
            return
        with LOCK:
            CALLS["count"] += 1
        test = request["inputs"].get("test") or {}
        if test.get("hold"):
            waited = 0.0
            while not os.path.exists(test["hold"]) and waited < 60:
                time.sleep(0.02)
                waited += 0.02
        if test.get("exit"):
            os._exit(4)
        if test.get("status"):
            self.answer(int(test["status"]), "failing on purpose", "text/plain")
            return
        if test.get("fail"):
            self.answer(200, {"success": False, "error": {"class": test["fail"], "message": "failed on purpose"}})
            return
        words = len(text.split())
        invalid = BREAK == "outputs" or test.get("outputs") == "invalid"
        self.answer(200, {"success": True, "outputs": {
            "wordCount": str(words) if invalid else words,
            "characterCount": len(text),
        }})


if __name__ == "__main__":
    if BREAK == "exit":
        sys.stderr.write("text-analysis: exiting on purpose\n")
        sys.exit(3)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Handler)
    sys.stderr.write("text-analysis: listening on %d\n" % server.server_port)
    server.serve_forever()
