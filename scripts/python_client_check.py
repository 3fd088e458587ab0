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


asyncio.run(main())
failed = sum(1 for _, error in results if error is not None)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
