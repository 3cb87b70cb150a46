"""Sign-in signals: start the session clocks and write the security log."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from netralitas.security import session
from netralitas.security.accounts import UNKNOWN_PREFIX, known_username, username_digest
from netralitas.security.enums import SecurityEventKind as Kind
from netralitas.security.log import log_event


@receiver(user_logged_in, dispatch_uid="security-logged-in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session.start(request)
    log_event(Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="security-logged-out")
def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_event(Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get(get_user_model().USERNAME_FIELD) or ""
    if known_username(username):
        log_event(Kind.LOGIN_FAILED, request=request, user=None, username=username)
    else:
        hashed = username_digest(username)
        log_event(Kind.LOGIN_FAILED, request=request, user=None, username="(tidak dikenal)", username_hash=hashed)
    if request is not None:
        request._netralitas_failure_logged = True
        pending = getattr(request, "_netralitas_pending_lockout", None)
        if pending is not None:
            log_event(Kind.LOCKOUT, request=request, user=None, **pending)


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """Logged after the failure that caused it, whichever of axes' and our receivers Django calls first."""
    shown = {"username": username, "ip": ip_address}
    if username and username.startswith(UNKNOWN_PREFIX):
        shown = {
            "username": "(tidak dikenal)",
            "username_hash": username.removeprefix(UNKNOWN_PREFIX),
            "ip": ip_address,
        }
    if request is None or getattr(request, "_netralitas_failure_logged", False):
        log_event(Kind.LOCKOUT, request=request, user=None, **shown)
    else:
        request._netralitas_pending_lockout = shown


def create_default_retention_policy(sender, using: str = "default", apps=None, **kwargs) -> None:
    """post_migrate: the retention period row (5 years) when there is none; an administrator edits it."""
    from netralitas.security.models import DEFAULT_RETENTION_LEGAL_BASIS

    model = (apps or global_apps).get_model("security", "RetentionPolicy")
    if not model.objects.using(using).exists():
        model.objects.using(using).create(years=5, legal_basis=DEFAULT_RETENTION_LEGAL_BASIS, verified=False)
