"""Verifications per second of livekit-api's TokenVerifier on one thread, over the tokens in a file.

Usage: verify_bench.py TOKENS_FILE KEY_ID SECRET SECONDS
Prints one line: RESULT side=python verifications_per_second=N tokens=M
"""
import sys
import time

from livekit.api import TokenVerifier


def main() -> None:
    path, key_id, secret, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    tokens = [line.strip() for line in open(path) if line.strip()]
    verifier = TokenVerifier(key_id, secret)
    for token in tokens:  # every token must verify, or the figure means nothing
        assert verifier.verify(token).video.room_join
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for token in tokens:
            verifier.verify(token)
        done += len(tokens)
    elapsed = time.perf_counter() - start
    print(f"RESULT side=python verifications_per_second={done / elapsed:.0f} tokens={len(tokens)}")


if __name__ == "__main__":
    main()
