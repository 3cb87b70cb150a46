"""Reads of the security app, and the visibility rules of its models."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet

from netralitas import visibility
from netralitas.enums import Role
from netralitas.security.models import RetentionPolicy, SecurityEvent

DEFAULT_RETENTION_YEARS = 5


@visibility.register(SecurityEvent)
def security_events_visible_to(user) -> QuerySet[SecurityEvent]:
    """The security log names staff and addresses: administrators only."""
    scope = visibility.scope_for(user)
    if scope.national and scope.role == Role.ADMIN:
        return SecurityEvent.objects.select_related("user")
    return SecurityEvent.objects.none()


@visibility.register(RetentionPolicy)
def retention_policies_visible_to(user) -> QuerySet[RetentionPolicy]:
    """The retention period is public knowledge: any staff user with a scope may read it."""
    if visibility.scope_for(user).is_empty:
        return RetentionPolicy.objects.none()
    return RetentionPolicy.objects.all()


def retention_period() -> relativedelta:
    """The period after closing when a report's sealed data goes (the administrator's row, else 5 years)."""
    policy = RetentionPolicy.objects.order_by("pk").first()
    return relativedelta(years=policy.years if policy else DEFAULT_RETENTION_YEARS)
