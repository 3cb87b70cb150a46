"""Random strings for secrets (session keys, PINs, tracking codes) from one read of the OS's generator.

``secrets.choice`` (and Django's get_random_string) read os.urandom once per character: a public
submission drew 56 characters (tracking code, PIN, session key), 56 system calls (issue 11). Here
one read of random bytes serves the whole string. Each byte below the largest multiple of the
alphabet's size maps to one character (byte % size), the others are dropped (rejection sampling),
so every character stays uniformly and independently drawn, as with ``secrets.choice``.
"""

from __future__ import annotations

import secrets


def random_string(alphabet: str, length: int) -> str:
    """``length`` characters of ``alphabet`` (2–256 distinct characters), each drawn uniformly."""
    size = len(alphabet)
    if not 2 <= size <= 256 or len(set(alphabet)) != size:
        raise ValueError("an alphabet of 2 to 256 distinct characters")
    limit = 256 - 256 % size  # bytes from limit up would favour the first characters
    chosen: list[str] = []
    while len(chosen) < length:
        # Enough bytes for the rest in one read, with room for the rejected ones (at most half are).
        for byte in secrets.token_bytes(2 * (length - len(chosen)) + 8):
            if byte < limit:
                chosen.append(alphabet[byte % size])
                if len(chosen) == length:
                    break
    return "".join(chosen)
