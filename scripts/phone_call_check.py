"""Phone calls with the real AgentRunner, placed with the SDK's `client.calls.create`.

Run by scripts/python-client.sh while the runner (scripts/runner_agent.py) and a simulated phone
gateway (`unpod worker --gateway --simulate`) are connected. Each call is dialled by the gateway,
whose simulated person answers or not from the number; an answered call is a conversation with the
runner, read back with `client.calls.get`. Also reads and writes agents with `client.agents`, so the
SDK's own models parse what the server answers. Exits 1 on any failure.
"""
import asyncio
import sys
import warnings

from unpod import AsyncClient, Prompt

# client.pipes warns that it is deprecated on every call; it is still a method of the client.
warnings.filterwarnings("ignore", category=DeprecationWarning)

LINES = ["Hi, who is this?", "Sure, tell me more.", "Thanks, that is all for now."]


async def ended(client, call_id):
    for _ in range(300):
        call = await client.calls.get(call_id)
        if call.status in ("connected", "notConnected", "failed"):
            return call
        await asyncio.sleep(0.1)
    raise AssertionError(f"call {call_id} still {call.status}")


async def main():
    agent = sys.argv[1]
    client = AsyncClient()
    outcomes = {}
    for number in ["+14155550111", "+14155550112", "+14155550113", "+14155550114", "+14155550115", "+14155550116"]:
        created = await client.calls.create(agent_id=agent, to_number=number, data={"name": "Ada"})
        assert created.status == "pending" and created.direction == "outbound", created
        call = await ended(client, created.call_id)
        turns = [(turn["role"], turn["content"]) for turn in call.transcript]
        outcomes[number] = call.status
        if call.status == "notConnected":
            assert call.end_reason == "USER_DID_NOT_PICK_UP" and not turns, (call.end_reason, turns)
            continue
        assert call.status == "connected", (call.status, call.end_reason)
        assert turns[0] == ("agent", "Hi! How can I help you today?"), turns
        said = [content for role, content in turns if role == "user"]
        assert 1 <= len(said) <= 3 and said == LINES[: len(said)], said
        for index, text in enumerate(said):
            position = turns.index(("user", text))
            assert turns[position + 1] == ("agent", f"You said {text}. How can I help?"), turns
    assert set(outcomes.values()) == {"connected", "notConnected"}, outcomes
    print(f"ok    client.calls.create: the gateway dialled {len(outcomes)} numbers; the answered ones conversed with the AgentRunner")

    again = await ended(client, (await client.calls.create(agent_id=agent, to_number="+14155550111")).call_id)
    assert again.status == outcomes["+14155550111"], (again.status, outcomes)
    print("ok    the same number ends the same way")

    created = await client.agents.create("prompt-agent", brain=Prompt("You are terse."), max_concurrent=2)
    assert created.agent_id == "prompt-agent" and created.brain["type"] == "prompt", created
    agents = {a.agent_id: a for a in await client.agents.list()}
    assert agents["prompt-agent"].brain["ref"] == "You are terse." and agent in agents, agents
    updated = await client.agents.update("prompt-agent", max_call_duration_s=120, first_speaker="agent")
    assert updated.model_extra["max_call_duration_s"] == 120, updated
    await client.agents.delete("prompt-agent")
    assert "prompt-agent" not in {a.agent_id for a in await client.agents.list()}
    print("ok    client.agents create, list, update and delete")

    # Pipes: the embedded agent, sessions through a pipe, and the views of calls.
    pipe = await client.agent.voice.create("Front desk", prompt="You answer the phone.", max_call_duration_s=600)
    assert pipe.pipe_id.startswith("pipe_") and pipe.agent_id and pipe.max_call_duration_s == 600, pipe
    bound = await client.pipes.create("Sales line", agent_id=agent)
    assert bound.agent_id == agent and {p.pipe_id for p in await client.pipes.list()} >= {pipe.pipe_id, bound.pipe_id}
    renamed = await client.pipes.update(bound.pipe_id, name="Sales line (EU)")
    assert renamed.name == "Sales line (EU)" and (await client.pipes.get(bound.pipe_id)).name == "Sales line (EU)"
    token = await client.sessions.create_token(bound.pipe_id, metadata={"source": "check"})
    assert token.token and token.expires_at, token
    through = await client.calls.list(pipe_id=bound.pipe_id)
    assert len(through) == 1, through
    sessions = await client.sessions.list()
    assert any(session.session_id == through[0].call_id and session.pipe_id == bound.pipe_id for session in sessions)
    answered = (await client.calls.list(status="connected"))[0]
    one = await client.sessions.get(answered.call_id)
    assert one.transcript and one.transcript[0].role == "agent", one
    transcripts = await client.transcripts.list()
    assert transcripts and all(t.status == "ended" for t in transcripts), transcripts[:1]
    assert await client.recordings.list() == []
    await client.pipes.delete(bound.pipe_id)
    assert bound.pipe_id not in {p.pipe_id for p in await client.pipes.list()}
    print("ok    client.agent.voice.create, client.pipes, sessions.create_token(pipe_id), sessions, transcripts and recordings")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as error:
        print(f"FAIL  {error}")
        sys.exit(1)
