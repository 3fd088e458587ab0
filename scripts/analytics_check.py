"""Analytics blocks with the real AgentRunner, checked as a user of the SDK would (issue 18).

Run by scripts/python-client.sh while scripts/runner_agent.py is registered for the agent and the
server asks scripts/scripted_model.py (--llm-url) for structured output. With the SDK's
`client.analytics`: makes two blocks (one from a template), attaches them to the agent, has a web
call with the runner, and reads each block's one result, matching its fields; updates a block
and checks the next call is evaluated with the new version; reads the flat table, the results
per block, per session and across blocks; detaches and archives. Exits 1 on any failure.
"""
import asyncio
import json
import os
import sys

import httpx
import websockets

from unpod import AsyncClient


async def web_call(agent, turns):
    base = os.environ["UNPOD_BASE_URL"]
    headers = {"Authorization": f"Token {os.environ['UNPOD_PLATFORM_TOKEN']}", "Org-Handle": os.environ["UNPOD_ORG_HANDLE"]}
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        response = await http.post("/api/v2/platform/speech/v1/sessions/token", json={"agent_id": agent})
        assert response.status_code == 201, response.text
        session = response.json()["data"]
    async with websockets.connect(f"{session['media_url']}?token={session['token']}") as caller:
        async def until(event):
            while True:
                frame = json.loads(await asyncio.wait_for(caller.recv(), 20))
                if frame["event"] == event:
                    return frame

        await until("agent.say")
        for turn in turns:
            await caller.send(json.dumps({"event": "user.text", "text": turn}))
            await until("agent.text.end")
        await caller.send(json.dumps({"event": "user.text", "text": "bye"}))
        await until("call.ended")
    return session["call_id"]


async def evaluated(client, call_id, count):
    for _ in range(200):
        results = await client.analytics.for_call(call_id)
        if len(results) == count and all(r.status != "pending" for r in results):
            return {r.block_id: r for r in results}
        await asyncio.sleep(0.1)
    raise AssertionError(f"the call's analytics did not finish: {results}")


async def main():
    agent = sys.argv[1]
    client = AsyncClient()
    templates = await client.analytics.templates()
    assert [t["template_id"] for t in templates] == ["lead_qualification", "customer_satisfaction", "appointment_booking"], templates
    qualify = await client.analytics.create(
        "Qualify", "Is the caller a lead?",
        [{"name": "turns", "type": "int"}, {"name": "timeline", "type": "enum", "choices": ["now", "later"]},
         {"name": "said", "type": "list[str]"}, {"name": "agreed", "type": "bool"}])
    booking = await client.analytics.create("Bookings", "Was a slot booked?", from_template="appointment_booking")
    assert booking.template_id == "appointment_booking" and len(booking.fields_spec) == 4, booking
    for block in (qualify, booking):
        await client.analytics.attach(block.block_id, agent)
    assert (await client.analytics.get(qualify.block_id)).agent_ids == [agent]
    try:
        await client.analytics.create("Bad", "p", [{"name": "x", "type": "str", "choices": ["a"]}])
        raise AssertionError("a str field with choices was accepted")
    except Exception as error:  # the SDK raises its own error for a 422
        assert "422" in str(error) or "choices" in str(error), error
    print("ok    client.analytics: templates, create (also from a template), attach, get; a bad field spec is refused")

    call_id = await web_call(agent, ["I want it now", "yes please"])
    results = await evaluated(client, call_id, 2)
    first = results[qualify.block_id]
    assert first.status == "ok" and first.block_version == 1 and first.session_id == call_id, first
    assert first.data == {"turns": 3, "timeline": "now", "said": ["I want it now", "yes please", "bye"], "agreed": True}, first.data
    assert first.summary == "The caller said: I want it now | yes please | bye" and first.success_evaluation is True, first
    assert isinstance(first.latency_ms, int) and first.model, first
    assert set(results[booking.block_id].data) == {"booked", "slot", "purpose", "outcome"}, results[booking.block_id]
    call = await client.calls.get(call_id)
    assert len(call.analytics) == 2, call.analytics
    print("ok    after a call with the AgentRunner, each attached block has one result matching its fields")

    updated = await client.analytics.update(qualify.block_id, fields=[{"name": "turns", "type": "int"}, {"name": "urgent", "type": "bool"}])
    assert updated.version == 2, updated
    later_id = await web_call(agent, ["maybe later"])
    later = (await evaluated(client, later_id, 2))[qualify.block_id]
    assert later.block_version == 2 and later.data == {"turns": 2, "urgent": False}, later
    table = await client.analytics.results_table(qualify.block_id)
    names = [c["name"] for c in table["columns"]]
    assert names[-2:] == ["turns", "urgent"] and len(table["rows"]) == 2, table
    assert all(len(row) == len(names) for row in table["rows"]), table
    assert table["rows"][0][names.index("session_id")] == later_id and table["rows"][1][names.index("urgent")] is None, table
    assert [r.result_id for r in await client.analytics.results(qualify.block_id)] == [later.result_id, first.result_id]
    assert len(await client.analytics.for_session(call_id)) == 2
    assert len(await client.analytics.list_results(agent_id=agent, status="ok")) == 4
    print("ok    an updated block evaluates the next call with its new version; the flat table lines up")

    await client.analytics.detach(booking.block_id, agent)
    await client.analytics.delete(booking.block_id)
    assert [b.block_id for b in await client.analytics.list()] == [qualify.block_id]
    assert len(await client.analytics.list(include_archived=True)) == 2
    await client.analytics.delete(qualify.block_id)
    print("ok    detach, delete (archives), list with and without archived blocks")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as error:
        print(f"FAIL  analytics: {error}")
        sys.exit(1)
