"""Writes of the reports app."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, U/V pairs: a code read over the phone survives.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
TRACKING_LENGTH = 8


def new_tracking_code() -> str:
    """A fresh tracking code like ``NTR-7K3M-Q9XD`` (29**8 ≈ 5·10^11 codes)."""
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"NTR-{body[:4]}-{body[4:]}"
