"""Reads and writes of a staff user's notifications, and the visibility rules of the reminder models."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from netralitas import visibility
from netralitas.enums import Role
from netralitas.models import (
    EscalationRoute,
    Notification,
    NotificationPreference,
    PreventionCheck,
    PreventionItem,
    ReminderDelivery,
    ReminderRule,
)


@visibility.register(Notification)
def notifications_visible_to(user) -> QuerySet[Notification]:
    """A user's own notifications; nobody else's, administrators included."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk)


@visibility.register(NotificationPreference)
def preferences_visible_to(user) -> QuerySet[NotificationPreference]:
    if user is None or not user.is_authenticated:
        return NotificationPreference.objects.none()
    return NotificationPreference.objects.filter(user_id=user.pk)


def _reference(model):
    def rule(user) -> QuerySet:
        if visibility.scope_for(user).is_empty:
            return model.objects.none()
        return model.objects.all()

    rule.__name__ = f"{model.__name__.lower()}_visible_to"
    return rule


for _model in (ReminderRule, EscalationRoute, PreventionItem):
    visibility.register(_model)(_reference(_model))


@visibility.register(PreventionCheck)
def prevention_checks_visible_to(user) -> QuerySet[PreventionCheck]:
    """National bodies see every instansi's checklist; others their own organisation's."""
    scope = visibility.scope_for(user)
    if scope.national:
        return PreventionCheck.objects.all()
    if scope.organisation_id is None:
        return PreventionCheck.objects.none()
    return PreventionCheck.objects.filter(organisation_id=scope.organisation_id)


@visibility.register(ReminderDelivery)
def deliveries_visible_to(user) -> QuerySet[ReminderDelivery]:
    """The claim log names who was reminded of what: administrators only."""
    if is_administrator(user):
        return ReminderDelivery.objects.all()
    return ReminderDelivery.objects.none()


# The staff header shows "99+" beyond this: its count never reads more than UNREAD_SHOWN + 1 index entries.
UNREAD_SHOWN = 99


def unread_count(user, *, cap: int | None = UNREAD_SHOWN + 1) -> int:
    """The user's unread notifications, up to ``cap``: one COUNT (with a LIMIT) on the partial index of unread rows."""
    if user is None or not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    return (unread[:cap] if cap else unread).count()


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s notifications read (idempotent); None when it is not theirs."""
    notification = notifications_visible_to(user).filter(pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return notifications_visible_to(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def preference_for(user) -> NotificationPreference:
    """The user's preference, unsaved defaults when they never chose."""
    found = NotificationPreference.objects.filter(user_id=user.pk).first()
    return found or NotificationPreference(user=user)


def is_administrator(user) -> bool:
    return visibility.scope_for(user).role == Role.ADMIN
