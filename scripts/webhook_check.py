"""Signed webhooks end to end (issue 18), for scripts/python-client.sh.

`refused` waits until /all has had a failed try of a call's events (the receiver being down).
`setup` makes three endpoints on the receiver (scripts/webhook_receiver.py): /all (every event),
/ended (call.ended only) and /gone (answers 410), and writes their secrets where the receiver reads
them. `rotate` rotates /all's secret and gives the receiver both, so each later delivery must
verify with either one (the 24-hour overlap). `verify` waits until what the calls, analytics and
the campaign produced has arrived, then checks, with the receiver's log (every request verified by
the reference `standardwebhooks` package) and the API's own record:
- every event type the run produced arrived at /all, each message exactly once with a 2xx;
- /ended got only call.ended; /gone was disabled at its 410 (said by webhook_endpoint.disabled);
- after the rotation, deliveries verify with the old secret and the new one;
- every message the API lists for /all as delivered was received, and none is left undelivered;
- with WEBHOOK_OUTAGE set: the events of the call made while the receiver was down (and the server
  then killed with SIGKILL) were delivered after the restart, once, after failed tries.

Usage: webhook_check.py setup|rotate|refused|verify RECEIVER_URL SECRETS_FILE STATE_FILE LOG_FILE [EVENT ...]
       (UNPOD_BASE_URL, UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE)
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

BASE = os.environ["UNPOD_BASE_URL"] + "/api/v2/platform/webhook-endpoints/"
HEADERS = {
    "Authorization": f"Token {os.environ['UNPOD_PLATFORM_TOKEN']}",
    "Org-Handle": os.environ["UNPOD_ORG_HANDLE"],
    "Content-Type": "application/json",
}


def api(method, path="", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, method=method, data=data, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def save(path, value):
    with open(path, "w") as file:
        json.dump(value, file)


def load(path):
    with open(path) as file:
        return json.load(file)


def log_entries(path):
    try:
        with open(path) as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return []


def setup(receiver, secrets_file, state_file):
    state, secrets = {}, {}
    for path, events in [("/all", []), ("/ended", ["call.ended"]), ("/gone", ["call.ended"])]:
        created = api("POST", body={"url": receiver + path, "events": events, "description": f"check {path}"})
        assert created["status_code"] == 201, created
        endpoint, secret = created["data"]["endpoint"], created["data"]["secret"]
        assert secret.startswith("whsec_") and secret not in json.dumps(api("GET", endpoint["endpoint_id"] + "/")), endpoint
        state[path], secrets[path] = endpoint["endpoint_id"], [secret]
    save(secrets_file, secrets)
    save(state_file, state)
    print("ok    webhook endpoints /all, /ended and /gone made; each secret shown once (whsec_)")


def rotate(secrets_file, state_file):
    state, secrets = load(state_file), load(secrets_file)
    rotated = api("POST", state["/all"] + "/rotate-secret/")
    secrets["/all"].append(rotated["data"]["secret"])
    assert rotated["data"]["endpoint"]["previous_secret_until"], rotated
    save(secrets_file, secrets)
    state["rotated"] = True
    save(state_file, state)
    print("ok    /all's secret rotated; the previous one signs for another 24 hours")


def refused(state_file):
    """Waits until /all has had a failed try of call.started and of call.ended (the receiver is down)."""
    state = load(state_file)
    deadline = time.time() + 30
    while time.time() < deadline:
        attempts = api("GET", state["/all"] + "/attempts/?limit=50")["data"]
        if {"call.started", "call.ended"} <= {a["event_type"] for a in attempts if not a["succeeded"]}:
            print("ok    the call's webhooks were tried and refused while the receiver is down")
            return
        time.sleep(0.2)
    sys.exit("FAIL  no failed try of the call's webhooks while the receiver is down")


def verify(state_file, log_file, expected):
    state = load(state_file)
    deadline = time.time() + 90
    problems = ["nothing checked"]
    while time.time() < deadline:
        entries = log_entries(log_file)
        problems = check(state, entries, expected)
        if not problems:
            break
        time.sleep(0.5)
    if problems:
        for problem in problems:
            print("FAIL  " + problem)
        sys.exit(1)
    entries = log_entries(log_file)
    ok = [entry for entry in entries if entry["path"] == "/all" and entry["status"] == 200]
    print(f"ok    {len(ok)} messages at /all, each once, every signature verified by standardwebhooks: "
          + ", ".join(f"{kind} ×{count}" for kind, count in sorted(Counter(entry["type"] for entry in ok).items())))
    print("ok    /ended got only call.ended; /gone was disabled at its 410 and said so; the rotated secret verifies with both")


def check(state, entries, expected):
    problems = []
    bad = [entry for entry in entries if entry["status"] == 400]
    if bad:
        problems.append(f"{len(bad)} requests did not verify: {bad[:3]}")
    for path in ("/all", "/ended"):
        counts = Counter(entry["id"] for entry in entries if entry["path"] == path and entry["status"] == 200)
        twice = [id for id, count in counts.items() if count > 1]
        if twice:
            problems.append(f"{path} got {len(twice)} messages more than once: {twice[:3]}")
    types = {entry["type"] for entry in entries if entry["path"] == "/all" and entry["status"] == 200}
    missing = set(expected) - types
    if missing:
        problems.append(f"/all has not had {sorted(missing)} (has {sorted(types)})")
    ended = {entry["type"] for entry in entries if entry["path"] == "/ended"}
    if ended != {"call.ended"}:
        problems.append(f"/ended got {sorted(ended)}")
    gone = [entry for entry in entries if entry["path"] == "/gone"]
    if len(gone) != 1:
        problems.append(f"/gone was tried {len(gone)} times (once, then disabled)")
    endpoint = api("GET", state["/gone"] + "/")["data"]
    if endpoint["enabled"] or endpoint["disabled_reason"] != "the endpoint answered 410 Gone":
        problems.append(f"/gone is not disabled: {endpoint}")
    if state.get("rotated") and not any(entry["verified"] == [0, 1] for entry in entries if entry["path"] == "/all"):
        problems.append("no delivery after the rotation verified with both secrets")
    deliveries = api("GET", state["/all"] + "/messages/?limit=1000")["data"]
    received = {entry["id"] for entry in entries if entry["path"] == "/all" and entry["status"] == 200}
    undelivered = [d for d in deliveries if d["status"] != "delivered"]
    if undelivered:
        problems.append(f"{len(undelivered)} messages for /all not delivered yet: {undelivered[:2]}")
    if os.environ.get("WEBHOOK_OUTAGE"):
        # The call made while the receiver was down and the server then killed: its events were
        # tried (and refused) before the kill, and delivered after the restart.
        retried = {d["event_type"] for d in deliveries if d["attempts"] > 1 and d["status"] == "delivered"}
        if not {"call.started", "call.ended"} <= retried:
            problems.append(f"the outage call's events were not delivered after failed tries (retried and delivered: {sorted(retried)})")
    unseen = [d["message_id"] for d in deliveries if d["status"] == "delivered" and d["message_id"] not in received]
    if unseen:
        problems.append(f"the API says {len(unseen)} messages were delivered that the receiver never acknowledged")
    return problems


def main():
    command, receiver, secrets_file, state_file, log_file = sys.argv[1:6]
    if command == "setup":
        setup(receiver, secrets_file, state_file)
    elif command == "rotate":
        rotate(secrets_file, state_file)
    elif command == "refused":
        refused(state_file)
    elif command == "verify":
        verify(state_file, log_file, sys.argv[6:])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
