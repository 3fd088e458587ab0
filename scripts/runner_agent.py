"""The `unpod` SDK README's quick example, unchanged, with a small streaming dialog adapter.

Run by scripts/python-client.sh with the SDK's own environment variables (UNPOD_BASE_URL,
UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE) and the agent's handle as the only argument. It runs until
killed; a refused credential makes the SDK raise RunnerAuthError, and this script exits 3.

The adapter echoes each user turn in three streamed chunks, and says goodbye (ending the call) when
the user says bye.
"""
import sys

from unpod import AgentRunner, RunnerAuthError


class EchoAdapter:
    def __init__(self):
        self.is_complete = False

    async def turn(self, text, context=None):
        return "".join([chunk async for chunk in self.stream(text)])

    async def stream(self, text, context=None, language=None):
        if text.strip().lower() == "bye":
            self.is_complete = True
            yield "Goodbye, "
            yield "have a nice day!"
            return
        yield "You said "
        yield f"{text}. "
        yield "How can I help?"

    def assist(self, text):
        pass


async def entrypoint(ctx):
    ctx.session.dialog_machine = EchoAdapter()
    await ctx.session.say("Hi! How can I help you today?")
    await ctx.session.run()


if __name__ == "__main__":
    try:
        AgentRunner(entrypoint=entrypoint, agent_id=sys.argv[1]).start()
    except RunnerAuthError as error:
        print(f"refused: {error}", file=sys.stderr)
        sys.exit(3)
