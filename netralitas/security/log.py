"""The security log: ``log_event`` writes one JSON line (logger "netralitas.security") and one SecurityEvent row.

What goes in is sanitised, whoever calls: a field named like a secret (password, PIN, code, token, key,
session, NIK, the reporter's identity, witnesses) is written as "[disaring]" whatever its value; control
characters and line breaks in values are escaped, so one event is always one line; a 16-digit number
(the shape of a NIK) or a PIN inside any value is masked; long values are cut.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("netralitas.security")

FILTERED = "[disaring]"
MAX_VALUE_LENGTH = 300
# A field is never written when a word of its name (split on "_") is one of these, or it names the reporter.
SECRET_WORDS = frozenset(
    {"password", "passwd", "pin", "token", "secret", "otp", "code", "key", "session", "csrf", "nik", "witnesses"}
)
_NIK = re.compile(r"(?<![\d.])\d{16}(?![\d.])")
_PIN = re.compile(r"\b[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}\b")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_secret_field(name: str) -> bool:
    words = name.lower().split("_")
    return words[0] == "reporter" or any(word in SECRET_WORDS for word in words)


def clean_text(value: str) -> str:
    """``value`` on one line: control and line-separator characters escaped, NIK and PIN shapes masked, cut."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif ch in "\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    text = _PIN.sub("[PIN disaring]", _NIK.sub("[NIK disaring]", "".join(out)))
    return text if len(text) <= MAX_VALUE_LENGTH else text[:MAX_VALUE_LENGTH] + "…"


def clean_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return clean_fields(value)
    return clean_text(str(value))


def clean_fields(fields: dict) -> dict:
    return {
        clean_text(str(name)): FILTERED if is_secret_field(str(name)) else clean_value(value)
        for name, value in fields.items()
    }


def _address(request: HttpRequest | None, given: str | None) -> str | None:
    from netralitas.ratelimit import client_ip

    candidate = given or (client_ip(request) if request is not None else None)
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def log_event(kind: str, request: HttpRequest | None = None, user=None, **fields: Any):
    """Record one security event: a JSON line on the "netralitas.security" logger and a SecurityEvent row.

    ``user`` is who acted (default: the signed-in user of ``request``); ``fields`` are the event's details
    (``ip=`` overrides the request's address). Returns the row, or None when the database refused it
    (inside a broken transaction, say): the JSON line is written either way.
    """
    from netralitas.security.models import SecurityEvent

    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    ip = _address(request, fields.pop("ip", None))
    detail = clean_fields(fields)
    method = clean_text(request.method or "") if request is not None else ""
    path = clean_text(request.path)[:255] if request is not None else ""
    username = clean_text(user.get_username()) if user is not None else str(detail.get("username", ""))[:150]
    now = timezone.now()
    line = {
        "time": now.isoformat(),
        "kind": clean_text(kind),
        "user": username if user is not None else None,
        "user_id": user.pk if user is not None else None,
        "ip": ip,
        "method": method or None,
        "path": path or None,
        **detail,
    }
    logger.info(json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False, default=str))
    try:
        with transaction.atomic():
            return SecurityEvent.objects.create(
                created_at=now,
                kind=kind[:32],
                user=user,
                username=username,
                ip=ip,
                method=method[:8],
                path=path,
                detail=detail,
            )
    except DatabaseError:
        logger.warning(json.dumps({"time": now.isoformat(), "kind": "log_write_failed", "event": clean_text(kind)}))
        return None


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: log_event's lines as they are, any other record wrapped."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == logger.name and message.startswith("{"):
            return message
        return json.dumps(
            {
                "time": timezone.now().isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "message": clean_text(message),
            },
            ensure_ascii=False,
        )
