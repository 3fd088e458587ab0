"""A web call with the real AgentRunner (scripts/runner_agent.py), checked as a user would.

Run by scripts/python-client.sh while the runner is registered. Makes the call with
`POST /api/v2/platform/speech/v1/sessions/token {agent_id}` (the SDK's `sessions.create_token` names
a pipe; pipes come with the embedded agent), speaks for the caller on the media socket, and reads
the call back with the SDK's `client.calls.get`. Exits 1 on any failure.
"""
import asyncio
import json
import os
import sys

import httpx
import websockets

from unpod import AsyncClient


async def converse(media_url, token):
    said = []
    async with websockets.connect(f"{media_url}?token={token}") as caller:
        async def until(event):
            while True:
                frame = json.loads(await asyncio.wait_for(caller.recv(), 20))
                said.append(frame)
                if frame["event"] == event:
                    return frame

        greeting = await until("agent.say")
        assert greeting["text"] == "Hi! How can I help you today?", greeting
        await caller.send(json.dumps({"event": "user.text", "text": "hello"}))
        await until("agent.text.end")
        await caller.send(json.dumps({"event": "user.text", "text": "bye"}))
        ended = await until("call.ended")
        assert ended["status"] == "connected", ended
    deltas = [f["text"] for f in said if f["event"] == "agent.text.delta"]
    assert deltas[:3] == ["You said ", "hello. ", "How can I help?"], deltas
    return ended


async def main():
    base = os.environ["UNPOD_BASE_URL"]
    headers = {"Authorization": f"Token {os.environ['UNPOD_PLATFORM_TOKEN']}", "Org-Handle": os.environ["UNPOD_ORG_HANDLE"]}
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        response = await http.post("/api/v2/platform/speech/v1/sessions/token", json={"agent_id": sys.argv[1]})
        assert response.status_code == 201, response.text
        session = response.json()["data"]
    ended = await converse(session["media_url"], session["token"])
    print(f"ok    a web call with the AgentRunner ended {ended['status']} ({ended['end_reason']})")

    call = await AsyncClient().calls.get(session["call_id"])
    turns = [(turn["role"], turn["content"]) for turn in call.transcript]
    expected = [
        ("agent", "Hi! How can I help you today?"),
        ("user", "hello"),
        ("agent", "You said hello. How can I help?"),
        ("user", "bye"),
        ("agent", "Goodbye, have a nice day!"),
    ]
    assert turns == expected, turns
    assert call.status == "connected" and call.transcript_turns == 5, (call.status, call.transcript_turns)
    assert call.call_timings.get("call_connected_at"), call.traces
    print("ok    client.calls.get(id) has the conversation the runner had, in order")

    # The SDK's sessions.end (orchestrator plane) ends a live call; the caller side is told.
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        response = await http.post("/api/v2/platform/speech/v1/sessions/token", json={"agent_id": sys.argv[1]})
        second = response.json()["data"]
    async with websockets.connect(f"{second['media_url']}?token={second['token']}") as caller:
        while json.loads(await asyncio.wait_for(caller.recv(), 20))["event"] != "agent.say":
            pass
        result = await AsyncClient().sessions.end(second["call_id"])
        assert result.session_id == second["call_id"] and result.state == "ended", result
        while True:
            frame = json.loads(await asyncio.wait_for(caller.recv(), 20))
            if frame["event"] == "call.ended":
                assert frame["end_reason"] == "HANGUP_REQUESTED", frame
                break
    ended_call = await AsyncClient().calls.get(second["call_id"])
    assert ended_call.status == "connected", ended_call.status
    print("ok    client.sessions.end(id) ends a live call")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as error:  # noqa: BLE001 - reported, then the script fails
        print(f"FAIL  web call: {type(error).__name__}: {error}")
        sys.exit(1)
