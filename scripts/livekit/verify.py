"""Verifies access tokens with livekit-api's TokenVerifier and prints their claims as JSON lines.

Usage: verify.py KEY_ID SECRET < tokens (one per line)
Each line: {"identity", "name", "room", "room_join", "can_publish", "can_subscribe", "can_publish_data",
"room_admin", "hidden", "metadata", "attributes"}; a token that fails prints {"error": "..."}.
"""
import json
import sys

from livekit.api import TokenVerifier


def main() -> None:
    verifier = TokenVerifier(sys.argv[1], sys.argv[2])
    for line in sys.stdin:
        token = line.strip()
        if not token:
            continue
        try:
            claims = verifier.verify(token)
        except Exception as error:  # noqa: BLE001 - the caller compares the outcome
            print(json.dumps({"error": type(error).__name__}))
            continue
        video = claims.video
        print(json.dumps({
            "identity": claims.identity, "name": claims.name, "room": video.room, "room_join": video.room_join,
            "can_publish": video.can_publish, "can_subscribe": video.can_subscribe,
            "can_publish_data": video.can_publish_data, "room_admin": video.room_admin, "hidden": video.hidden,
            "metadata": claims.metadata, "attributes": claims.attributes,
        }))


if __name__ == "__main__":
    main()
