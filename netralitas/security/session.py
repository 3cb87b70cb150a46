"""The clocks of a staff session, kept in the session itself (seconds since the epoch).

LOGIN_AT: when the password was accepted (12-hour limit); SEEN_AT: the last request (30-minute idle
limit); PROVED_AT: the last time the password and the second factor were both proven (re-authentication
window). A session without LOGIN_AT predates these clocks and counts as expired.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

LOGIN_AT = "netralitas:login_at"
SEEN_AT = "netralitas:seen_at"
PROVED_AT = "netralitas:proved_at"

IDLE = "idle"
ABSOLUTE = "absolute"

# The idle clock is written at most once a minute: a write per request cost every staff page a database
# UPDATE and a cache write of the whole session. The idle limit then counts from a request at most this
# long before the last one: a session may end up to a minute before 30 idle minutes, never after.
SEEN_RESOLUTION_SECONDS = 60


def start(request: HttpRequest) -> None:
    """Start the clocks of a session that was just signed in with a password."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session.pop(PROVED_AT, None)


def mark_proved(request: HttpRequest) -> None:
    """The password and the second factor were both proven just now."""
    request.session[PROVED_AT] = time.time()


def proved_recently(request: HttpRequest) -> bool:
    proved = request.session.get(PROVED_AT)
    return proved is not None and time.time() - proved < settings.NETRALITAS_REAUTH_SECONDS


def expiry(request: HttpRequest) -> str | None:
    """IDLE or ABSOLUTE when the signed-in session has run out, else None (and the idle clock restarts, when it
    was last set SEEN_RESOLUTION_SECONDS ago or more)."""
    now = time.time()
    login_at = request.session.get(LOGIN_AT)
    if login_at is None or now - login_at >= settings.NETRALITAS_SESSION_MAX_SECONDS:
        return ABSOLUTE
    seen_at = request.session.get(SEEN_AT, login_at)
    if now - seen_at >= settings.NETRALITAS_SESSION_IDLE_SECONDS:
        return IDLE
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        request.session[SEEN_AT] = now
    return None
