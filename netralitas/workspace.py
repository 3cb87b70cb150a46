"""The staff workspace ("Meja kerja"): the queues of work that wait on one user.

Like netralitas.visibility, a small registry: each app registers its queues here
(reports/staff/queues.py, sanctions/queues.py, taskforce/queues.py, imported by the
apps' ready()), so the core imports no app and a new queue is one registration.

A queue says for whom it applies (a predicate on the user) and how to fetch its
count and its first items; the workspace page shows, for each queue that
applies, the count and the items soonest deadline first (overdue ones first, in
red), each with a link to the place where the next act is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, QuerySet
from django.utils import timezone

from netralitas import visibility


@dataclass(frozen=True)
class WorkItem:
    """One case or report waiting on the user."""

    title: str
    url: str
    action: str
    detail: str = ""
    due_date: date | None = None
    today: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_date is not None and self.today is not None and self.due_date < self.today


@dataclass(frozen=True)
class QueueResult:
    count: int
    items: list[WorkItem]
    more_url: str = ""

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass(frozen=True)
class Queue:
    """A list of work for some users.

    applies(user) -> bool: does the user see this queue at all (role, permission, organisation).
    fetch(user, today, limit) -> QueueResult: the count and the first ``limit`` items.
    """

    key: str
    title: str
    description: str
    order: int
    applies: Callable[[object], bool]
    fetch: Callable[[object, date, int], QueueResult]
    tags: frozenset[str] = field(default_factory=frozenset)


_QUEUES: dict[str, Queue] = {}


def register(queue: Queue) -> Queue:
    """Declare a queue of the workspace; a key may be registered once."""
    if queue.key in _QUEUES and _QUEUES[queue.key] != queue:
        raise RuntimeError(f"Antrean {queue.key} sudah terdaftar")
    _QUEUES[queue.key] = queue
    return queue


def registered_queues() -> list[Queue]:
    return sorted(_QUEUES.values(), key=lambda q: (q.order, q.key))


def queues_for(user, *, today: date | None = None, limit: int = 8) -> list[tuple[Queue, QueueResult]]:
    """The queues that apply to ``user``, in their order, each with its count and first items.

    Two queries per queue (count and items) whatever the number of cases.
    """
    if visibility.scope_for(user).is_empty:
        return []
    today = today or timezone.localdate()
    return [(queue, queue.fetch(user, today, limit)) for queue in registered_queues() if queue.applies(user)]


def by_deadline(queryset: QuerySet) -> QuerySet:
    """Soonest deadline first (so overdue first); rows without a deadline last, oldest first."""
    return queryset.order_by(F("due_date").asc(nulls_last=True), "pk")


def fetch_queryset(
    queryset: QuerySet,
    *,
    today: date,
    limit: int,
    item: Callable[[object, date], WorkItem],
    more_url: str = "",
) -> QueueResult:
    """A QueueResult from a queryset already filtered and ordered: one COUNT, one page of rows."""
    count = queryset.order_by().count()
    rows = list(queryset[:limit]) if count else []
    return QueueResult(count=count, items=[item(row, today) for row in rows], more_url=more_url)


# ---------------------------------------------------------------- the staff frame's pages


@dataclass(frozen=True)
class StaffPage:
    """A page of the staff frame's header (the PPK inbox, BKN's blocking list, the dashboard, ...)."""

    key: str
    title: str
    url_name: str
    order: int
    applies: Callable[[object], bool]


_PAGES: dict[str, StaffPage] = {}


def register_page(page: StaffPage) -> StaffPage:
    """Declare a page of the staff header; apps register theirs in ready()."""
    if page.key in _PAGES and _PAGES[page.key] != page:
        raise RuntimeError(f"Halaman {page.key} sudah terdaftar")
    _PAGES[page.key] = page
    return page


def pages_for(user) -> list[StaffPage]:
    """The staff pages ``user`` may open, in their order (no query beyond the user's permissions)."""
    return [page for page in sorted(_PAGES.values(), key=lambda p: (p.order, p.key)) if page.applies(user)]
