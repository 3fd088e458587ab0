"""A customer's webhook receiver, for scripts/python-client.sh (issue 18).

Every request is checked with the reference Standard Webhooks package from PyPI
(`standardwebhooks`), against each secret SECRETS_FILE lists for the request's path (the file is
read on each request, so the check can add a rotated secret). Answers 200 when a secret verifies,
400 when none does, and 410 on /gone whatever the signature. Each request becomes one JSON line
in LOG_FILE: path, webhook-id, event type, which secrets verified, and the status answered.

Usage: webhook_receiver.py PORT SECRETS_FILE LOG_FILE
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

PORT, SECRETS, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            with open(SECRETS) as file:
                secrets = json.load(file).get(self.path, [])
        except (OSError, ValueError):
            secrets = []
        verified = []
        for index, secret in enumerate(secrets):
            try:
                Webhook(secret).verify(body, headers)
                verified.append(index)
            except Exception:
                pass
        try:
            event = json.loads(body).get("type")
        except ValueError:
            event = None
        status = 410 if self.path == "/gone" else 200 if verified else 400
        entry = {"path": self.path, "id": headers.get("webhook-id"), "type": event, "verified": verified, "status": status}
        with lock, open(LOG, "a") as log:
            log.write(json.dumps(entry) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
