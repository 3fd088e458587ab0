"""Mints LiveKit access tokens with livekit-api, one per line, for the interop test and the benchmark.

Usage: mint.py KEY_ID SECRET COUNT ROOM [IDENTITY_PREFIX] [TTL_SECONDS]
"""
import datetime
import sys

from livekit.api import AccessToken, VideoGrants


def main() -> None:
    key_id, secret, count, room = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    prefix = sys.argv[5] if len(sys.argv) > 5 else "python"
    ttl = int(sys.argv[6]) if len(sys.argv) > 6 else 6 * 3600
    for index in range(count):
        token = (
            AccessToken(key_id, secret)
            .with_identity(f"{prefix}-{index}")
            .with_name(f"Python {index}")
            .with_ttl(datetime.timedelta(seconds=ttl))
            .with_grants(VideoGrants(room_join=True, room=room))
            .to_jwt()
        )
        print(token)


if __name__ == "__main__":
    main()
