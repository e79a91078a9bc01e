"""A stand-in SMS gateway for the escalation tests: takes webhook POSTs on loopback, answers
the first N with HTTP 500 (to make Lantern retry), then 200, and logs each request as one
JSON line (headers and body). Python's standard library only.

Usage: webhook_sink.py PORT LOG_FILE FAIL_FIRST
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log_path, fail_first = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
seen = 0


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        status = 500 if seen <= fail_first else 200
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"headers": dict(self.headers), "body": body, "status": status}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
