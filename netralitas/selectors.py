"""Reads of the shared core, and the visibility rules of its models."""

from __future__ import annotations

from django.db.models import QuerySet

from netralitas import visibility
from netralitas.models import (
    AuthorityTransition,
    DeadlineRule,
    Election,
    ElectionPhase,
    Holiday,
    Membership,
    MembershipEvent,
    Organisation,
    OutboxMessage,
    RecommendingAuthority,
    Region,
    SanctionKind,
    ViolationType,
)


def _reference_rule(model):
    """Reference data is public knowledge: any staff user with a scope may read it."""

    def rule(user) -> QuerySet:
        if visibility.scope_for(user).is_empty:
            return model.objects.none()
        return model.objects.all()

    rule.__name__ = f"{model.__name__.lower()}_visible_to"
    return rule


for _model in (
    Region,
    Organisation,
    RecommendingAuthority,
    AuthorityTransition,
    ViolationType,
    SanctionKind,
    DeadlineRule,
    Holiday,
    Election,
    ElectionPhase,
):
    visibility.register(_model)(_reference_rule(_model))


@visibility.register(Membership)
def memberships_visible_to(user) -> QuerySet[Membership]:
    """National bodies and administrators see every membership; others their organisation's."""
    scope = visibility.scope_for(user)
    qs = Membership.objects.select_related("user", "organisation")
    if scope.national:
        return qs
    if scope.organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=scope.organisation_id)


@visibility.register(MembershipEvent)
def membership_events_visible_to(user) -> QuerySet[MembershipEvent]:
    """The history of the accounts whose memberships ``user`` may see (administrators: all)."""
    scope = visibility.scope_for(user)
    if scope.national:
        return MembershipEvent.objects.all()
    if scope.organisation_id is None:
        return MembershipEvent.objects.none()
    return MembershipEvent.objects.filter(user_id__in=memberships_visible_to(user).values("user_id"))


def violation_catalogue_for_public() -> dict[str, list[ViolationType]]:
    """Active catalogue rows grouped by track, for the public pages."""
    groups: dict[str, list[ViolationType]] = {}
    for row in ViolationType.objects.filter(is_active=True).order_by("sort_order", "code"):
        groups.setdefault(row.get_track_display(), []).append(row)
    return groups


@visibility.register(OutboxMessage)
def outbox_visible_to(user) -> QuerySet[OutboxMessage]:
    """Messages carry reporters' addresses: administrators only."""
    scope = visibility.scope_for(user)
    if scope.national and scope.role == "admin":
        return OutboxMessage.objects.all()
    return OutboxMessage.objects.none()
