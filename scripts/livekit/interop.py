"""Access tokens both ways between this server and LiveKit's Python SDK (livekit-api), issue 7.

Usage: interop.py UNPOD_BINARY BASE_URL KEY_ID TOKEN ORG_HANDLE
Checks, printing one line each and exiting 1 on the first failure:
1. a token from POST /tokens/ verifies with livekit.api.TokenVerifier(key_id, token), same identity, room, grants;
2. a token from `unpod token` verifies the same way;
3. a token minted by livekit.api.AccessToken(key_id, token) verifies with `unpod token verify`;
4. a token signed with another secret is refused by both;
5. a livekit-api token joins a room on the server's /rtc (aiohttp, which livekit-api brings).
"""
import asyncio
import json
import subprocess
import sys
import urllib.request

from livekit.api import AccessToken, TokenVerifier, VideoGrants


def check(name, condition, detail=""):
    print(f"{'ok  ' if condition else 'FAIL'} {name}{': ' + detail if detail and not condition else ''}")
    if not condition:
        sys.exit(1)


def main() -> None:
    binary, base, key_id, token, org = sys.argv[1:6]
    verifier = TokenVerifier(key_id, token)

    request = urllib.request.Request(
        f"{base}/api/v2/platform/tokens/", method="POST",
        data=json.dumps({"room_name": "support", "participant_identity": "caller-42", "participant_name": "Caller",
                         "grants": {"roomJoin": True, "canPublish": False, "canSubscribe": True}}).encode(),
        headers={"Authorization": f"Token {token}", "Org-Handle": org, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    claims = verifier.verify(answer["data"]["participant_token"])
    check("POST /tokens/ token verifies with livekit-api",
          (claims.identity, claims.name, claims.video.room, claims.video.room_join, claims.video.can_publish)
          == ("caller-42", "Caller", "support", True, False), str(claims))
    check("server_url is a WebSocket URL", answer["data"]["server_url"].startswith("ws"), answer["data"]["server_url"])

    offline = subprocess.run(
        [binary, "token", "--key-id", key_id, "--room", "lobby", "--identity", "agent-7", "--grant", "hidden",
         "--grant", "canPublishData=false", "--ttl", "10m"],
        input=token + "\n", capture_output=True, text=True, check=True).stdout.strip()
    claims = verifier.verify(offline)
    check("unpod token verifies with livekit-api",
          (claims.identity, claims.video.room, claims.video.room_join, claims.video.hidden, claims.video.can_publish_data)
          == ("agent-7", "lobby", True, True, False), str(claims))

    theirs = (AccessToken(key_id, token).with_identity("python-1").with_name("Py")
              .with_grants(VideoGrants(room_join=True, room="support", room_admin=True)).to_jwt())
    result = subprocess.run([binary, "token", "verify", "--key-id", key_id, theirs],
                            input=token + "\n", capture_output=True, text=True)
    check("a livekit-api token verifies with unpod token verify", result.returncode == 0, result.stderr)
    ours = json.loads(result.stdout)
    check("and reads the same claims",
          (ours["sub"], ours["name"], ours["video"]["room"], ours["video"]["roomJoin"], ours["video"]["roomAdmin"])
          == ("python-1", "Py", "support", True, True), result.stdout)

    async def join(jwt):
        import aiohttp
        url = base.replace("http://", "ws://") + "/rtc?access_token=" + jwt
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url) as socket:
                first = await socket.receive(timeout=10)
                if first.type == aiohttp.WSMsgType.TEXT:
                    return json.loads(first.data)
                return {"type": "closed", "code": socket.close_code}

    joined = asyncio.run(join(theirs))
    check("a livekit-api token joins the room server",
          (joined.get("type"), joined.get("identity"), joined.get("room")) == ("joined", "python-1", "support"), str(joined))

    forged = AccessToken(key_id, token + "x").with_identity("x").with_grants(VideoGrants(room_join=True, room="r")).to_jwt()
    refused = subprocess.run([binary, "token", "verify", "--key-id", key_id, forged],
                             input=token + "\n", capture_output=True, text=True)
    check("a token signed with another secret is refused by unpod", refused.returncode != 0)
    closed = asyncio.run(join(forged))
    check("and by the room server (close code 4001)", closed == {"type": "closed", "code": 4001}, str(closed))
    try:
        verifier.verify(offline.rsplit(".", 1)[0] + ".AAAA")
        check("a forged signature is refused by livekit-api", False)
    except Exception:  # noqa: BLE001 - any refusal will do
        check("a forged signature is refused by livekit-api", True)


if __name__ == "__main__":
    main()
