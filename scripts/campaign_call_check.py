"""A campaign carried out as calls to the real AgentRunner.

Run by scripts/python-client.sh while the runner (scripts/runner_agent.py) and a task worker
(`unpod worker --agent AGENT --simulate`, which speaks for each contact) are connected. The agent is
given the runner brain with the SDK's `client.agents.update(..., brain=Runner())`, so each task of
the run becomes a call to the runner; the run of 20 tasks is made with the API's task operation
(the Python client has none). Each task's output names its call, and `client.calls.get` answers
the conversation the runner had, in order. Exits 1 on any failure.

Usage: campaign_call_check.py AGENT SPACE_TOKEN   (UNPOD_BASE_URL, UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE)
"""
import asyncio
import json
import os
import sys
import urllib.request

from unpod import AsyncClient, Runner

BASE = os.environ["UNPOD_BASE_URL"] + "/api/v2/platform"
HEADERS = {
    "Authorization": f"Token {os.environ['UNPOD_PLATFORM_TOKEN']}",
    "Org-Handle": os.environ["UNPOD_ORG_HANDLE"],
    "Content-Type": "application/json",
}


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, method=method, data=data, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


async def main():
    agent, space = sys.argv[1], sys.argv[2]
    client = AsyncClient()
    updated = await client.agents.update(agent, brain=Runner())
    assert updated.brain["type"] == "runner", updated
    documents = [{"name": f"Contact {index}", "contact_number": f"+1415555{index:04d}"} for index in range(20)]
    run_id = api("POST", f"/spaces/{space}/tasks/create/", {"pilot": agent, "documents": documents, "context": "Demo"})["data"]["run_id"]
    run = {}
    for _ in range(1200):
        run = next(r for r in api("GET", f"/spaces/{space}/runs/?page_size=100")["data"] if r["run_id"] == run_id)
        if run["status"] in ("completed", "failed"):
            break
        await asyncio.sleep(0.1)
    assert run["status"] == "completed", run
    tasks = api("GET", f"/spaces/{space}/runs/{run_id}/tasks/?page_size=100")["data"]
    assert len(tasks) == 20 and all(task["status"] == "completed" for task in tasks), [t["status"] for t in tasks]
    answered = 0
    for task in tasks:
        call = await client.calls.get(task["output"]["call_id"])
        assert call.to_number == task["input"]["contact_number"], (call.to_number, task["input"])
        turns = [(turn["role"], turn["content"]) for turn in call.transcript]
        if call.status == "notConnected":
            assert call.end_reason == "USER_DID_NOT_PICK_UP" and not turns, (call.end_reason, turns)
            continue
        assert call.status == "connected", (call.status, call.end_reason)
        answered += 1
        assert turns[0] == ("agent", "Hi! How can I help you today?"), turns
        for index, (role, content) in enumerate(turns):
            if role == "user":
                assert turns[index + 1] == ("agent", f"You said {content}. How can I help?"), turns
        # The task's output carries the same conversation (its call log names the agent "assistant").
        output = [("user" if turn["role"] == "user" else "agent", turn["content"]) for turn in task["output"]["transcript"]]
        assert output == turns, (output, turns)
    assert 0 < answered < 20, answered
    print(f"ok    a run of 20 tasks, each a call to the AgentRunner ({answered} answered): each transcript is the conversation it had")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as error:
        print(f"FAIL  {error}")
        sys.exit(1)
