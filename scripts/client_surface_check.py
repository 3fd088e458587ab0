"""Every public method of `unpod.AsyncClient` 0.5.0 that sends a request, called unchanged against
this server with the README's environment variables (UNPOD_BASE_URL, UNPOD_PLATFORM_TOKEN,
UNPOD_ORG_HANDLE), as issue 18 asks: prints one line per method and `N/M methods work unchanged`.

M is found by walking the client (every coroutine method of every resource), not by a list kept
here, so a method this script has no call for counts as not working. A method works when the SDK
returns without raising (it parses each answer into its models, so a missing key fails) and the
light check beside it holds.

The script fails when any method fails. Run by scripts/python-client.sh while the AgentRunner is registered for
the agent named as the first argument and a simulated phone gateway (`unpod worker --gateway
--simulate`) carries the organization's phone calls. Exits 1 on any such failure.
"""
import asyncio
import inspect
import sys

from unpod import AsyncClient
from unpod.models import TrunkCreate


def public_methods(client):
    """Every coroutine method reachable from the client's resources, by dotted name."""
    found, seen = [], set()

    def walk(obj, prefix, depth):
        for name in dir(obj):
            if name.startswith("_"):
                continue
            value = getattr(obj, name, None)
            if inspect.iscoroutinefunction(value):
                if prefix + name != "close":  # closes the client's own connection pool; sends nothing
                    found.append(prefix + name)
            elif depth < 3 and type(value).__module__.startswith("unpod") and not callable(value) and id(value) not in seen:
                seen.add(id(value))
                walk(value, prefix + name + ".", depth + 1)

    walk(client, "", 0)
    return sorted(found)


def waiting_number():
    """A number whose simulated callee (`unpod worker --gateway --simulate`) answers, says one line and
    waits for the agent: the same FNV-1a hash as SimulatedCallee.behaviour."""
    for suffix in range(1000):
        number = f"+1415555{suffix:04d}"
        value = 0xcbf29ce484222325
        for byte in number.encode():
            value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        if value % 6 == 5:
            return number
    raise AssertionError("no waiting number")


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


async def main():
    agent = sys.argv[1]
    org = __import__("os").environ["UNPOD_ORG_HANDLE"]
    client = AsyncClient()
    outcomes = {}
    state = {}

    async def call(name, work):
        try:
            await work()
            outcomes[name] = None
        except Exception as error:  # noqa: BLE001 - every method is reported, none hides another
            outcomes[name] = f"{type(error).__name__}: {str(error)[:300]}"

    # Voice profiles and agents (the speech plane).
    async def profiles():
        expect(len(await client.voice_profiles.list()) >= 1, "no voice profiles")
        expect(await client.voice_profiles.list(language="en"), "no English profile")
    await call("voice_profiles.list", profiles)
    await call("voice_profiles.get", lambda: client.voice_profiles.get("VP_openai_alloy"))
    from unpod.agents import Prompt  # the SDK's own brain types

    async def agents_create():
        made = await client.agents.create("surface-a", brain=Prompt("You are terse."), name="Surface A")
        expect(made.agent_id == "surface-a", made)
    await call("agents.create", agents_create)
    await call("agents.voice.create", lambda: client.agents.voice.create(
        "surface-b", brain=Prompt("Be kind."), name="Surface B", voice_profile="VP_openai_alloy"))
    await call("agents.list", lambda: client.agents.list())
    await call("agents.get", lambda: client.agents.get("surface-a"))
    await call("agents.update", lambda: client.agents.update("surface-a", greeting="Hello!"))
    await call("agents.voice.add", lambda: client.agents.voice.add("surface-a", voice_profile="VP_openai_alloy", greeting="Hi"))
    await call("agents.voice.update", lambda: client.agents.voice.update("surface-a", "VP_openai_alloy", greeting="Hey"))
    await call("agents.voice.remove", lambda: client.agents.voice.remove("surface-a", "VP_openai_alloy"))

    # Pipes, the embedded agent, sessions, transcripts, recordings.
    async def pipes_create():
        state["pipe"] = (await client.pipes.create("Surface pipe", agent_id=agent)).pipe_id
    await call("pipes.create", pipes_create)
    await call("agent.voice.create", lambda: client.agent.voice.create("Surface embedded", prompt="Be brief."))
    await call("pipes.list", lambda: client.pipes.list())
    await call("pipes.get", lambda: client.pipes.get(state["pipe"]))
    await call("pipes.update", lambda: client.pipes.update(state["pipe"], name="Surface pipe 2"))

    async def token():
        made = await client.sessions.create_token(state["pipe"])
        expect(made.token, made)
    await call("sessions.create_token", token)

    # A call placed to a number (no gateway dials it here: it waits, and is hung up).
    async def calls_create():
        state["call"] = (await client.calls.create(to_number="+14155550199", agent_id=agent)).id
    await call("calls.create", calls_create)
    await call("calls.list", lambda: client.calls.list())
    await call("calls.get", lambda: client.calls.get(state["call"]))
    await call("calls.hangup", lambda: client.calls.hangup(state["call"]))
    await call("sessions.list", lambda: client.sessions.list())
    await call("sessions.get", lambda: client.sessions.get(state["call"]))
    await call("transcripts.list", lambda: client.transcripts.list())
    await call("transcripts.get", lambda: client.transcripts.get(state["call"]))
    await call("recordings.list", lambda: client.recordings.list(call_id=state["call"]))

    async def session_end():
        made = await client.calls.create(to_number="+14155550198", agent_id=agent)
        ended = await client.sessions.end(made.id)
        expect(ended.session_id == made.id, ended)
    await call("sessions.end", session_end)

    async def transfer():
        # A phone call the simulated gateway answers and keeps open for the agent: transferred cold.
        made = await client.calls.create(to_number=waiting_number(), agent_id=agent)
        state["transfer"] = made.id
        for _ in range(100):
            if (await client.calls.get(made.id)).status == "active":
                break
            await asyncio.sleep(0.1)
        moved = await client.sessions.transfer(made.id, "phone", {"number": "+14155550123"})
        expect(moved.mode == "cold" and moved.added_participant_id == "number:+14155550123", moved)
        after = await client.calls.get(made.id)
        expect(after.status == "connected" and after.end_reason == "TRANSFERRED", (after.status, after.end_reason))
    await call("sessions.transfer", transfer)

    async def merge():
        merged = await client.sessions.merge(state["transfer"], [state["call"]])
        expect(merged.primary_session_id == state["transfer"] and [o.status for o in merged.outcomes] == ["failed"], merged)
    await call("sessions.merge", merge)

    # Analytics blocks.
    async def analytics_create():
        state["block"] = (await client.analytics.create("Surface", "What happened?", [{"name": "n", "type": "int"}])).block_id
    await call("analytics.create", analytics_create)
    await call("analytics.templates", lambda: client.analytics.templates())
    await call("analytics.list", lambda: client.analytics.list(include_archived=True))
    await call("analytics.get", lambda: client.analytics.get(state["block"]))
    await call("analytics.update", lambda: client.analytics.update(state["block"], prompt="What happened, briefly?"))
    await call("analytics.attach", lambda: client.analytics.attach(state["block"], "surface-a"))
    await call("analytics.detach", lambda: client.analytics.detach(state["block"], "surface-a"))
    await call("analytics.results", lambda: client.analytics.results(state["block"]))
    await call("analytics.list_results", lambda: client.analytics.list_results(block_id=state["block"]))
    await call("analytics.results_table", lambda: client.analytics.results_table(state["block"]))
    await call("analytics.for_call", lambda: client.analytics.for_call(state["call"]))
    await call("analytics.for_session", lambda: client.analytics.for_session(state["call"]))
    await call("analytics.delete", lambda: client.analytics.delete(state["block"]))

    # Telephony (the platform plane's numbers, trunks and overview).
    await call("telephony.numbers.list", lambda: client.telephony.numbers.list())
    await call("telephony.overview", lambda: client.telephony.overview())
    await call("telephony.numbers.attach", lambda: client.telephony.numbers.attach("+14155550103"))
    await call("telephony.numbers.detach", lambda: client.telephony.numbers.detach("+14155550103"))

    async def telephony_trunk():
        state["ttrunk"] = (await client.telephony.trunks.create("Surface trunk", "sip:surface.example.com")).id
    await call("telephony.trunks.create", telephony_trunk)
    await call("telephony.trunks.list", lambda: client.telephony.trunks.list())
    await call("telephony.trunks.get", lambda: client.telephony.trunks.get(state["ttrunk"]))
    await call("telephony.trunks.attach_numbers", lambda: client.telephony.trunks.attach_numbers(state["ttrunk"], [1]))
    await call("telephony.trunks.detach_numbers", lambda: client.telephony.trunks.detach_numbers(state["ttrunk"], [1]))
    await call("telephony.trunks.delete", lambda: client.telephony.trunks.delete(state["ttrunk"]))

    # The legacy numbers resource (speech plane).
    async def numbers_list():
        listed = await client.numbers.list()
        expect(listed, "no numbers")
        state["number"] = next(n for n in listed if n.number == "+14155550102")
    await call("numbers.list", numbers_list)
    await call("numbers.sync", lambda: client.numbers.sync())
    await call("numbers.attach", lambda: client.numbers.attach(state["number"].id, agent))
    await call("numbers.agent.change", lambda: client.numbers.agent.change(state["number"].number, "surface-a"))
    await call("numbers.detach", lambda: client.numbers.detach(state["number"].id))
    await call("agents.numbers.attach", lambda: client.agents.numbers.attach(agent, "+14155550102"))
    await call("agents.numbers.detach", lambda: client.agents.numbers.detach(state["number"].id))
    await call("numbers.release", lambda: client.numbers.release(state["number"].id))
    await call("numbers.delete", lambda: client.numbers.delete("+14155550103"))

    # Domain dictionaries.
    async def upsert():
        saved = await client.domain_dictionaries.upsert("acme/support", vocabulary={"Unpod": "un pod"})
        expect(saved.domain == "acme/support" and saved.keyterms == ["Unpod", "un pod"], saved)
    await call("domain_dictionaries.upsert", upsert)

    async def dictionaries():
        names = [d.domain for d in await client.domain_dictionaries.list()]
        expect({"acme/support", "banking", "hospital", "real_estate"} <= set(names), names)
    await call("domain_dictionaries.list", dictionaries)

    async def dictionary():
        banking = await client.domain_dictionaries.get("banking")
        expect(banking.resolved_key == "banking" and banking.seed_vocabulary, banking)
        expect((await client.domain_dictionaries.get("acme/support")).vocabulary[0].key == "Unpod", "the slash survives the path")
    await call("domain_dictionaries.get", dictionary)
    await call("domain_dictionaries.attach", lambda: client.domain_dictionaries.attach("acme/support", "surface-a"))
    await call("domain_dictionaries.detach", lambda: client.domain_dictionaries.detach("acme/support", "surface-a"))
    await call("domain_dictionaries.clone", lambda: client.domain_dictionaries.clone("acme/support", "acme/sales"))
    await call("domain_dictionaries.delete", lambda: client.domain_dictionaries.delete("acme/sales"))

    # The management plane: trunks, API keys, tools.
    async def trunks_create():
        state["trunk"] = (await client.trunks.create(TrunkCreate(name="Surface SIP", type="livekit", provider_trunk_id="ST_1"))).trunk_id
    await call("trunks.create", trunks_create)
    await call("trunks.list", lambda: client.trunks.list())
    await call("trunks.delete", lambda: client.trunks.delete(state["trunk"]))
    async def api_key():
        made = await client.api_keys.create("surface key", org)
        expect(made.org_id == org and made.raw_key, made)
        state["bearer"] = made.raw_key
    await call("api_keys.create", api_key)
    await call("tools.list", lambda: client.tools.list())
    await call("tools.create", lambda: client.tools.create("lookup_order", url="https://api.example.com/orders/{{ args.order_id }}",
                                                           args={"order_id": {"type": "string", "required": True}}))
    await call("tools.list_custom", lambda: client.tools.list_custom())
    await call("tools.attach", lambda: client.tools.attach("lookup_order", "surface-a"))
    await call("tools.detach", lambda: client.tools.detach("lookup_order", "surface-a"))
    await call("tools.delete", lambda: client.tools.delete("lookup_order"))

    # Clean up what this check made.
    await call("pipes.delete", lambda: client.pipes.delete(state["pipe"]))
    await call("agents.delete", lambda: client.agents.delete("surface-b"))

    # Bearer mode (UNPOD_API_KEY's): no Org-Handle; the key made above is restricted to the
    # organization, which names it. The numbers resource then goes to the management plane.
    bearer_failures = 0
    if "bearer" in state:
        from unpod.management._auth import BearerAuth
        direct = AsyncClient(auth=BearerAuth(state["bearer"]))

        async def bearer_numbers():
            listed = await direct.numbers.list(status="available")
            expect(listed and all(n.status == "available" for n in listed), listed)
            await direct.numbers.agent.change(listed[0].number, agent)
            expect((await direct.numbers.list(status="assigned"))[0].number == listed[0].number, "not moved")
            await direct.numbers.delete(listed[0].id)
            expect(len(await direct.agents.list()) >= 1, "no agents")
        for name, work in [("numbers list, agent change and delete, agents.list", bearer_numbers)]:
            try:
                await work()
                print(f"ok    Bearer mode: {name}")
            except Exception as error:  # noqa: BLE001
                print(f"FAIL  Bearer mode: {name}: {type(error).__name__}: {str(error)[:300]}")
                bearer_failures += 1

    methods = public_methods(client)
    failures = 0
    for name in methods:
        error = outcomes.get(name, "not called by this check")
        if error is None:
            print(f"ok    {name}")
        else:
            print(f"FAIL  {name}: {error}")
            failures += 1
    for name in sorted(set(outcomes) - set(methods)):
        print(f"FAIL  {name} is called here but is not a method of the client")
        failures += 1
    working = sum(1 for name in methods if outcomes.get(name, "x") is None)
    print(f"{working}/{len(methods)} methods work unchanged")
    return failures + bearer_failures


if __name__ == "__main__":
    sys.exit(1 if asyncio.run(main()) else 0)
