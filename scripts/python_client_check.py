"""What the Python client `unpod` 0.5.0 does against this server, checked call by call.

Run by scripts/python-client.sh with the client's own environment variables. Prints one line per
check and a closing `N passed, N failed` line; exits 1 when any check failed.
"""
import asyncio
import sys

from unpod import AsyncClient

results = []


async def check(name, call, verify):
    try:
        value = await call()
        verify(value)
        results.append((name, None))
        print(f"ok    {name}")
    except Exception as error:  # noqa: BLE001 - every failure is reported, none hides another
        results.append((name, error))
        print(f"FAIL  {name}: {type(error).__name__}: {error}")


async def check_refused(name, call, status):
    """The call must fail with this HTTP status (the client raises on it)."""
    try:
        value = await call()
        error = AssertionError(f"accepted: {value}")
    except Exception as raised:  # noqa: BLE001
        got = getattr(getattr(raised, "response", None), "status_code", None)
        error = None if got == status else raised
    results.append((name, error))
    print(f"ok    {name}" if error is None else f"FAIL  {name}: {type(error).__name__}: {error}")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


async def main():
    client = AsyncClient()

    def all_profiles(profiles):
        expect(len(profiles) == 6, f"6 seeded profiles, got {len(profiles)}")
        expect(profiles[0].profile_id == "VP_openai_alloy", profiles[0].profile_id)
        expect(all(p.languages for p in profiles), "every profile names its languages")

    await check("voice_profiles.list()", client.voice_profiles.list, all_profiles)
    await check(
        "voice_profiles.list(language='hi')",
        lambda: client.voice_profiles.list(language="hi"),
        lambda profiles: expect(
            [p.profile_id for p in profiles] == ["VP_sarvam_anushka", "VP_google_hi_male"],
            [p.profile_id for p in profiles]),
    )
    await check(
        "voice_profiles.get('VP_openai_alloy')",
        lambda: client.voice_profiles.get("VP_openai_alloy"),
        lambda profile: expect(
            (profile.profile_id, profile.latency_p95_ms) == ("VP_openai_alloy", 480),
            f"{profile.profile_id} {profile.latency_p95_ms}"),
    )


    async def numbers():
        return await client.telephony.numbers.list()

    def three_numbers(listed):
        expect([n.number for n in listed] == ["+14155550101", "+14155550102", "+14155550103"],
               [n.number for n in listed])

    await check("telephony.numbers.list()", numbers, three_numbers)
    await check("telephony.numbers.attach([+14155550103]) (no agent)",
                lambda: client.telephony.numbers.attach(["+14155550103"]),
                lambda result: expect(len(result.numbers) == 1 and result.numbers[0].ok
                                      and isinstance(result.numbers[0].number_id, int), result))
    await check("telephony.overview()", client.telephony.overview,
                lambda rows: expect([r.number for r in rows] == ["+14155550101", "+14155550102", "+14155550103"]
                                    and rows[2].bridge_slug is not None and rows[0].bridge_slug is None, rows))
    await check_refused("telephony.numbers.attach([unknown]) is refused with 400",
                        lambda: client.telephony.numbers.attach(["+19999999999"]), 400)
    await check("telephony.numbers.detach([+14155550103])",
                lambda: client.telephony.numbers.detach(["+14155550103"]),
                lambda result: expect(len(result.numbers) == 1 and result.numbers[0].ok, result))

    created = {}

    async def create_trunk():
        trunk = await client.telephony.trunks.create(
            "Carrier", "sip:carrier.example.com", username="unpod", password="carrier-password-0123",
            transport="tls", port="5061", source_ips=["203.0.113.0/24"])
        created["id"] = trunk.id
        return trunk

    def stored_trunk(trunk):
        expect(isinstance(trunk.id, int) and trunk.name == "Carrier", f"{trunk.id} {trunk.name}")
        expect(trunk.port == "5061" and trunk.allowed_ips == "203.0.113.0/24", f"{trunk.port} {trunk.allowed_ips}")
        expect(trunk.auth_password != "carrier-password-0123", "the password comes back masked")

    await check("telephony.trunks.create(...)", create_trunk, stored_trunk)
    await check("telephony.trunks.list()", client.telephony.trunks.list,
                lambda trunks: expect([t.id for t in trunks] == [created.get("id")], [t.id for t in trunks]))
    await check("telephony.trunks.get(id)", lambda: client.telephony.trunks.get(created["id"]), stored_trunk)

    # The client's Number model drops `id`; the script provisioned three numbers on a fresh
    # database, so they are 1, 2 and 3.
    number_ids = [1, 2]
    await check("telephony.trunks.attach_numbers(id, [1, 2])",
                lambda: client.telephony.trunks.attach_numbers(created["id"], number_ids),
                lambda result: expect(result.trunk_id == created["id"] and len(result.numbers) == 2
                                      and all(n.ok for n in result.numbers), result))
    await check("telephony.trunks.get(id) after attaching",
                lambda: client.telephony.trunks.get(created["id"]), stored_trunk)
    await check("telephony.trunks.detach_numbers(id, [1, 2])",
                lambda: client.telephony.trunks.detach_numbers(created["id"], number_ids),
                lambda result: expect(result.trunk_id == created["id"] and all(n.ok for n in result.numbers), result))
    await check("telephony.trunks.delete(id)", lambda: client.telephony.trunks.delete(created["id"]),
                lambda _: None)
    await check("telephony.trunks.list() after delete", client.telephony.trunks.list,
                lambda trunks: expect(trunks == [], trunks))


asyncio.run(main())
failed = sum(1 for _, error in results if error is not None)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
