"""What the reminder sweep produces: messages to recipients, and the reads every part of it shares.

A Message is one thing to tell one recipient: its key (recipient, kind, subject, due date) is
unique, claimed once in the database when the message is delivered (netralitas.reminder_delivery).
Its content is built at delivery, from the data as it is then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from netralitas import refcache, reminders
from netralitas.calendar import add_working_days_given, is_working_day_given, working_days_between_given
from netralitas.elections import election_calendar
from netralitas.enums import BAWASLU_KINDS, DeliveryMode, ElectionScope, Role
from netralitas.models import Holiday, Membership, Organisation, Region
from netralitas.permissions import ROLE_PERMISSIONS

OUTBOX_KEY_MAX = 120


@dataclass(frozen=True)
class Recipient:
    """A staff user (user_id set) or a reporter's address (user_id None)."""

    user_id: int | None
    email: str
    language: str = "id"
    digest: bool = False
    organisation_id: int | None = None
    role: str = ""

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"email:{hashlib.sha256(self.email.strip().lower().encode()).hexdigest()[:24]}"


@dataclass(frozen=True)
class Message:
    """One message for one recipient. ``source`` is a step key or a cadence kind; ``title`` is for listings."""

    kind: str
    source: str
    subject: str
    due_date: date
    recipient: Recipient
    title: str = ""

    @property
    def key(self) -> tuple:
        return (self.recipient.key, self.kind, self.subject, self.due_date)

    @property
    def dedupe_key(self) -> str:
        """The outbox key of this message's e-mail (the same string on every run, in every worker)."""
        key = f"rem:{self.kind}:{self.subject}:{self.due_date.isoformat()}:{self.recipient.key}"
        if len(key) > OUTBOX_KEY_MAX:
            key = f"rem:{hashlib.sha256(key.encode()).hexdigest()}"
        return key

    def to_args(self) -> dict:
        """JSON-safe task arguments."""
        r = self.recipient
        return {
            "kind": self.kind,
            "source": self.source,
            "subject": self.subject,
            "due": self.due_date.isoformat(),
            "title": self.title,
            "recipient": [r.user_id, r.email, r.language, r.digest, r.organisation_id, r.role],
        }

    @classmethod
    def from_args(cls, args: dict) -> Message:
        user_id, email, language, digest, organisation_id, role = args["recipient"]
        recipient = Recipient(user_id, email, language, digest, organisation_id, role)
        return cls(
            args["kind"], args["source"], args["subject"], date.fromisoformat(args["due"]), recipient, args["title"]
        )


# ---------------------------------------------------------------- the sweep's view of the calendar


class WorkCalendar:
    """One sweep's reference reads, each loaded once: working days, the elections, regions and organisations.

    Working-day arithmetic uses the holidays around ``today`` (one query; more on demand).
    """

    def __init__(self, today: date, *, behind: int = 120, ahead: int = 400) -> None:
        self.today = today
        self.low, self.high = today, today
        self.holidays: set[date] = set()
        self._load(today - timedelta(days=behind), today + timedelta(days=ahead))
        self._memo: dict[str, object] = {}

    def _load(self, low: date, high: date) -> None:
        if self.low <= low and high <= self.high and self.holidays:
            return
        low, high = min(low, self.low), max(high, self.high)
        self.holidays = set(
            Holiday.objects.filter(is_active=True, date__gte=low, date__lte=high).values_list("date", flat=True)
        )
        self.low, self.high = low, high

    def cover(self, low: date, high: date) -> None:
        """Make sure holidays between ``low`` and ``high`` are known."""
        if low < self.low or high > self.high:
            self._load(low - timedelta(days=31), high + timedelta(days=31))

    def is_working(self, day: date) -> bool:
        self.cover(day, day)
        return is_working_day_given(day, self.holidays)

    def add(self, day: date, n: int) -> date:
        """The n-th working day after ``day``."""
        self.cover(day, day + timedelta(days=2 * n + 60))
        return add_working_days_given(day, n, self.holidays)

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end < start)."""
        self.cover(min(start, end), max(start, end))
        return working_days_between_given(start, end, self.holidays)

    def first_of_week(self, day: date) -> bool:
        """``day`` is the first working day of its ISO week (Monday, or later when Monday was a holiday)."""
        monday = day - timedelta(days=day.weekday())
        return self.is_working(day) and not any(
            self.is_working(monday + timedelta(days=i)) for i in range((day - monday).days)
        )

    def _once(self, key: str, loader):
        if key not in self._memo:
            self._memo[key] = loader()
        return self._memo[key]

    def region_parents(self) -> dict[int, int | None]:
        return self._once("parents", region_parents)

    def organisation_places(self) -> dict[int, tuple[int | None, str]]:
        """organisation id -> (region id, kind), the process's copy (netralitas.refcache)."""

        def load():
            rows = Organisation.objects.values_list("pk", "region_id", "kind")
            return {pk: (region, kind) for pk, region, kind in rows}

        return self._once("places", lambda: refcache.cached("organisation-places", load))

    def elections(self) -> list[tuple[object, ElectionScopeSet]]:
        """Every election placed in time (netralitas.elections: phase dates annotated), with where it is held."""

        def load():
            parents = self.region_parents()
            return [
                (election, election_scope(election, region_ids, parents))
                for election, region_ids in refcache.cached("election-calendar", election_calendar)
            ]

        return self._once("elections", load)


# ---------------------------------------------------------------- regions and elections


@dataclass(frozen=True)
class ElectionScopeSet:
    """Where an election is held: everywhere (national) or a set of regions (provinsi and kab/kota)."""

    national: bool
    region_ids: frozenset[int]
    parents: dict = field(default_factory=dict, compare=False, repr=False)
    provinces_with_vote: frozenset[int] = frozenset()

    def covers_region(self, region_id: int | None) -> bool:
        """A place in the election: its region, or the provinsi around it, votes."""
        if self.national:
            return True
        if region_id is None:
            return False
        return region_id in self.region_ids or self.parents.get(region_id) in self.region_ids

    def covers_organisation(self, region_id: int | None, kind: str) -> bool:
        """An organisation in the election: its region votes; a Bawaslu provinsi also when one of its kab/kota does."""
        if self.covers_region(region_id):
            return True
        return kind in BAWASLU_KINDS and region_id in self.provinces_with_vote


def election_scope(election, region_ids: Collection[int], parents: dict[int, int | None]) -> ElectionScopeSet:
    region_ids = frozenset(region_ids)
    with_vote = frozenset(parents[r] for r in region_ids if parents.get(r) is not None)
    return ElectionScopeSet(election.scope == ElectionScope.NATIONAL, region_ids, parents, with_vote)


def region_parents() -> dict[int, int | None]:
    return refcache.cached("region-parents", lambda: dict(Region.objects.values_list("id", "parent_id")))


# ---------------------------------------------------------------- recipients


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles whose group carries ``permission`` (netralitas.permissions), administrators excepted."""
    return tuple(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms and role != Role.ADMIN)


_RECIPIENT_FIELDS = (
    "user_id",
    "user__email",
    "user__notification_preference__language",
    "user__notification_preference__delivery",
    "organisation_id",
    "role",
)


def _recipients(rows: Iterable[tuple], today: date) -> list[Recipient]:
    recipients = [
        Recipient(
            user_id=user_id,
            email=email or "",
            language=language or "id",
            digest=delivery == DeliveryMode.DIGEST,
            organisation_id=organisation_id,
            role=role,
        )
        for user_id, email, language, delivery, organisation_id, role in rows
    ]
    for keep in reminders.recipient_filters():
        recipients = list(keep(recipients, today))
    return recipients


def _active_memberships():
    return Membership.objects.filter(is_active=True, user__is_active=True, organisation__is_active=True)


def members(
    today: date,
    *,
    organisation_ids: Collection[int] | None = None,
    roles: Collection[str] = (),
    organisations: Q | None = None,
) -> list[Recipient]:
    """Active staff of active organisations, by organisation and role, who may be reminded on ``today``.

    One query. ``roles`` empty means every role but administrator; ``organisations`` is a further
    condition on the membership, e.g. ``Q(organisation__kind__in=...)``.
    """
    qs = _active_memberships()
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    qs = qs.filter(role__in=list(roles)) if roles else qs.exclude(role=Role.ADMIN)
    if organisations is not None:
        qs = qs.filter(organisations)
    return _recipients(qs.order_by("user_id").values_list(*_RECIPIENT_FIELDS), today)


def users(today: date, user_ids: Collection[int]) -> list[Recipient]:
    """The given staff users, if active with an active membership (one query)."""
    if not user_ids:
        return []
    qs = _active_memberships().filter(user_id__in=list(user_ids))
    return _recipients(qs.order_by("user_id").values_list(*_RECIPIENT_FIELDS), today)


def reporter(email: str) -> Recipient:
    return Recipient(user_id=None, email=email, language="id")


@dataclass(frozen=True)
class Content:
    """What a message says, built when it is delivered: a title, short lines, the link, listed items."""

    title: str
    lines: tuple[str, ...]
    url: str
    items: tuple[reminders.DigestLine, ...] = ()

    @property
    def body(self) -> str:
        listed = [f"- {item.title}{f' ({item.detail})' if item.detail else ''}" for item in self.items]
        return "\n".join([*self.lines, *listed])
