"""The webhook benchmark's receiver (scripts/bench-webhooks.sh): a small asyncio HTTP/1.1 server
with keep-alive that checks each request's Standard Webhooks signature (HMAC-SHA256 over
"{id}.{timestamp}.{raw body}" with the secrets SECRETS_FILE lists for the path) and appends one
line per request to LOG_FILE: arrival time (Unix ms), path, webhook-id, the call id in the body,
and whether a signature verified. Answers 200.

Usage: bench_webhook_receiver.py PORT SECRETS_FILE LOG_FILE
"""
import asyncio
import base64
import hashlib
import hmac
import json
import sys
import time

PORT, SECRETS, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]
log = open(LOG, "a", buffering=1 << 16)
keys = {}


def secrets_for(path):
    if path not in keys:
        try:
            with open(SECRETS) as file:
                listed = json.load(file).get(path, [])
        except (OSError, ValueError):
            listed = []
        if not listed:
            return []
        keys[path] = [base64.b64decode(secret.removeprefix("whsec_")) for secret in listed]
    return keys[path]


def verified(path, headers, body):
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    for key in secrets_for(path):
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if expected in headers.get("webhook-signature", "").split(" "):
            return True
    return False


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            arrived = time.time() * 1000
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            call = ""
            if b'"call_id"' in body:
                call = json.loads(body).get("data", {}).get("call_id", "")
            ok = verified(path, headers, body)
            log.write(f"{arrived:.1f} {path} {headers.get('webhook-id')} {call or '-'} {int(ok)}\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionResetError):
        pass
    finally:
        log.flush()
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", PORT, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
