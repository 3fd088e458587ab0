"""The `unpod` SDK README's quick example, unchanged: an AgentRunner for one agent.

Run by scripts/python-client.sh with the SDK's own environment variables (UNPOD_BASE_URL,
UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE) and the agent's handle as the only argument. It runs until
killed; a refused credential makes the SDK raise RunnerAuthError, and this script exits 3.
"""
import sys

from unpod import AgentRunner, RunnerAuthError


async def entrypoint(ctx):
    await ctx.session.say("Hi! How can I help you today?")
    await ctx.session.run()


if __name__ == "__main__":
    try:
        AgentRunner(entrypoint=entrypoint, agent_id=sys.argv[1]).start()
    except RunnerAuthError as error:
        print(f"refused: {error}", file=sys.stderr)
        sys.exit(3)
