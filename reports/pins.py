"""Tracking codes and PINs: what a citizen keeps to follow their report.

The PIN is a random secret of 16 characters from a 29-letter alphabet
(29**16 ≈ 2**77), so a salted SHA-256 is enough: brute force is out of reach,
and a status lookup stays a few microseconds instead of PBKDF2's ~0.3 s.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from netralitas.security.randomness import random_string

# No 0/O, 1/I/L, U/V pairs: a code read over the phone survives.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
TRACKING_LENGTH = 8
PIN_LENGTH = 16
_DUMMY_HASH = "sha256$00000000000000000000000000000000$" + "0" * 64


def new_tracking_code() -> str:
    """A fresh tracking code like ``NTR-7K3M-Q9XD`` (29**8 ≈ 5·10^11 codes)."""
    body = random_string(ALPHABET, TRACKING_LENGTH)
    return f"NTR-{body[:4]}-{body[4:]}"


def new_pin() -> str:
    """A fresh PIN like ``K7QM-3XWD-9PHT-R2NB``."""
    body = random_string(ALPHABET, PIN_LENGTH)
    return "-".join(body[i : i + 4] for i in range(0, PIN_LENGTH, 4))


def normalise(value: str) -> str:
    """Upper-case, drop spaces and dashes, map look-alikes (O→0 is not in the alphabet, so 0 stays)."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def normalise_tracking_code(value: str) -> str:
    body = normalise(value).removeprefix("NTR")
    return f"NTR-{body[:4]}-{body[4:]}" if len(body) == TRACKING_LENGTH else ""


def hash_pin(pin: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{normalise(pin)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check_pin(pin: str, stored: str | None) -> bool:
    """Constant-time check; a missing report is checked against a dummy hash so timing tells nothing."""
    algorithm, salt, digest = (stored or _DUMMY_HASH).split("$", 2)
    candidate = hashlib.sha256(f"{salt}:{normalise(pin)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest) and stored is not None and algorithm == "sha256"
