"""django-axes with two limits: AXES_FAILURE_LIMIT failures lock a username (from any address), and
NETRALITAS_LOCKOUT_ADDRESS_LIMIT failures across any usernames lock an address. Counted in the database
(axes' database handler), so the lock holds with Redis down.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler; the failure count it compares with AXES_FAILURE_LIMIT says "locked" when
    either the username's failures reach that limit or the address's reach NETRALITAS_LOCKOUT_ADDRESS_LIMIT."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        attempts = self.get_user_attempts(request, credentials)
        if len(attempts) != 2:  # AXES_LOCKOUT_PARAMETERS changed: axes' own rule
            return super().get_failures(request, credentials)
        by_username, by_address = (qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in attempts)
        if by_address >= settings.NETRALITAS_LOCKOUT_ADDRESS_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username
