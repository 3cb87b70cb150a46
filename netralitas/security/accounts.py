"""User names as the lockout and the security log see them.

A string typed as a user name that names no account may be a password typed in the wrong box: axes
stores (and the security log shows) only a keyed hash of it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

UNKNOWN_PREFIX = "tidak-dikenal:"


def username_digest(username: str) -> str:
    """A short keyed hash of a typed user name: equal names give equal digests, nothing gives the name back."""
    return salted_hmac("netralitas.security.username", username).hexdigest()[:12]


def known_username(username: str | None) -> bool:
    User = get_user_model()
    return bool(username) and User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists()


def username_for_lockout(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account's name, or a hash when the name belongs to no account."""
    field = get_user_model().USERNAME_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None and hasattr(request, "POST"):
        username = request.POST.get(field)
    if not username or known_username(username):
        return username
    return UNKNOWN_PREFIX + username_digest(username)
