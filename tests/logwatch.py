"""A log handler that checks every record of the test run for secrets (installed by tests/conftest.py).

No password, PIN, NIK, one-time code or reporter identity may appear in any log line. The run
uses fixed test passwords and reporter identities; NIKs and PINs are recognised by their shape.
Tests add the secrets they make up with ``remember(secret)``.
"""

from __future__ import annotations

import logging
import re

# Passwords the tests give staff accounts, and reporter identities of the factories and fixtures.
KNOWN_SECRETS = {
    "kata-sandi-uji-123",
    "kata-sandi-akar",
    "kata-sandi-demo-123",
    "kata-sandi-uji-9731",
    "Pelapor Rahasia",
    "pelapor@example.org",
    "Rahasia Pelapor Wijaya",
    "saksi.rahasia@example.org",
    "Jalan Kaliurang km 9",
    "Siti Rahmawati",
}
# A NIK is 16 digits; a PIN is four groups of four letters of reports.pins.ALPHABET.
SHAPES = {
    "NIK": re.compile(r"(?<![\d.])\d{16}(?![\d.])"),  # not the fraction of a duration like 0.0916945709996071s
    "PIN": re.compile(r"\b[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}\b"),
}

_extra: set[str] = set()


def remember(secret: str) -> None:
    """Declare ``secret`` as something no log line of this run may contain."""
    if secret:
        _extra.add(secret)


def leaks_in(text: str) -> list[str]:
    """The secrets (or secret shapes) found in ``text``."""
    found = [secret for secret in KNOWN_SECRETS | _extra if secret in text]
    found += [f"{name}-shaped {match!r}" for name, pattern in SHAPES.items() for match in pattern.findall(text)]
    return found


class SecretWatcher(logging.Handler):
    """Collects every log record that carries a secret; formats nothing, writes nothing."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken record is not ours to judge
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]}"
        found = leaks_in(text)
        if found:
            self.leaks.append(f"{record.name}: {found} in {text[:300]!r}")
