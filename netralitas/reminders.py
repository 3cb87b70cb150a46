"""The reminder engine's registry: the steps with deadlines that apps own, and the engine's hooks.

Like netralitas.visibility and netralitas.workspace, a small registry: each app registers what it
owns in ready() (reports/reminders.py: verification, the reporter's completion, kajian, the
recommending authority; sanctions/reminders.py: the PPK's follow-up, BKN's block; taskforce when
its assignments arrive), so the core imports no app. The engine (netralitas.reminder_sweep) reads
the registry and the ReminderRule rows (data an administrator edits) to decide, each working day,
which messages are due; netralitas.reminder_delivery sends each one exactly once.

What an app registers:

- ``Step``: a kind of item with a due date. ``due(query)`` returns the open items whose due date
  falls in the query's ranges or before its ``overdue_before``, with an indexed query;
  ``recheck(subject)`` re-reads one item when its message is delivered (None once it stopped
  waiting: closed, withdrawn, moved to the next step). Recipients are the active members of the
  item's responsible organisations whose role carries ``permission``, or the item's ``user_ids``
  (an assignment's member); a ``reporter`` step reminds the reporter before the due date and the
  staff after it. ``supervisors(item)`` names the users an EscalationRoute of target STEP reaches
  (the Satgas ketua of an assignment).
- ``DigestSection``: what a daily campaign digest lists besides the workspace's due items (new
  reports of the recipient's region).
- ``Followup``: after voting, per organisation, how much is still outstanding (recommendations
  awaiting the PPK); weekly messages go on until it is zero.
- ``register_recipient_filter(fn)``: drops recipients who may not be reminded on a date (a Satgas
  member outside their period of appointment). ``register_hook("monev_done", fn)``: says which
  Satgas organisations already produced their closing monev of an election.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q

# ---------------------------------------------------------------- deadline steps


@dataclass(frozen=True)
class DueQuery:
    """The due dates the sweep wants: any of ``ranges`` ([low, high)) or before ``overdue_before``."""

    ranges: tuple[tuple[date, date], ...] = ()
    overdue_before: date | None = None

    def q(self, field: str = "due_date") -> Q:
        """The condition on ``field``; matches nothing when the query is empty."""
        condition = Q(pk__in=[])
        for low, high in self.ranges:
            condition |= Q(**{f"{field}__gte": low, f"{field}__lt": high})
        if self.overdue_before is not None:
            condition |= Q(**{f"{field}__lt": self.overdue_before})
        return condition

    @property
    def is_empty(self) -> bool:
        return not self.ranges and self.overdue_before is None


@dataclass(frozen=True)
class DueItem:
    """One thing with a deadline that somebody must act on.

    subject: stable and unique across steps, e.g. "reports.kajian:12" (part of the message's key).
    url: the site path of the page where the act is done, for those responsible.
    supervisor_title / supervisor_url: what an escalation recipient reads and opens; they may not
        see the case itself (a pemda provinsi does not see a kabupaten's cases), so no names.
    """

    subject: str
    due_date: date
    title: str
    url: str
    organisation_ids: tuple[int, ...] = ()
    user_ids: tuple[int, ...] = ()
    region_id: int | None = None
    reporter_email: str = ""
    detail: str = ""
    supervisor_title: str = ""
    supervisor_url: str = ""


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    order: int
    due: Callable[[DueQuery], Iterable[DueItem]]
    recheck: Callable[[str], DueItem | None]
    permission: str = ""
    deadline_step: str = ""  # the DeadlineRule whose length decides the half-time reminder
    reporter: bool = False
    supervisors: Callable[[DueItem], Iterable[int]] | None = None


def subject_pk(subject: str) -> int | None:
    """The id at the end of a DueItem subject ("reports.kajian:12" -> 12); None when there is none."""
    try:
        return int(subject.rsplit(":", 1)[1])
    except (ValueError, IndexError):
        return None


_STEPS: dict[str, Step] = {}


def register_step(step: Step) -> Step:
    """Declare a step with deadlines; a key may be registered once."""
    if step.key in _STEPS and _STEPS[step.key] != step:
        raise RuntimeError(f"Tahap pengingat {step.key} sudah terdaftar")
    _STEPS[step.key] = step
    return step


def registered_steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.key))


def registered_step_keys() -> frozenset[str]:
    return frozenset(_STEPS)


def get_step(key: str) -> Step | None:
    return _STEPS.get(key)


# ---------------------------------------------------------------- campaign digests and follow-ups


@dataclass(frozen=True)
class DigestLine:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class DigestSection:
    """A part of the daily campaign digest: ``fetch(user, since, until, limit)`` -> (count, first lines)."""

    key: str
    title: str
    order: int
    applies: Callable[[object], bool]
    fetch: Callable[[object, datetime, datetime, int], tuple[int, list[DigestLine]]]


_SECTIONS: dict[str, DigestSection] = {}


def register_digest_section(section: DigestSection) -> DigestSection:
    if section.key in _SECTIONS and _SECTIONS[section.key] != section:
        raise RuntimeError(f"Bagian ringkasan {section.key} sudah terdaftar")
    _SECTIONS[section.key] = section
    return section


def digest_sections() -> list[DigestSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class Followup:
    """Work still outstanding after voting, counted per organisation.

    counts(election_id, organisation_ids or None) -> {organisation_id: n > 0}, one grouped query.
    """

    key: str
    title: str
    permission: str
    url: str
    counts: Callable[[int, Collection[int] | None], dict[int, int]]


_FOLLOWUPS: dict[str, Followup] = {}


def register_followup(followup: Followup) -> Followup:
    if followup.key in _FOLLOWUPS and _FOLLOWUPS[followup.key] != followup:
        raise RuntimeError(f"Tindak lanjut {followup.key} sudah terdaftar")
    _FOLLOWUPS[followup.key] = followup
    return followup


def registered_followups() -> list[Followup]:
    return sorted(_FOLLOWUPS.values(), key=lambda f: f.key)


def get_followup(key: str) -> Followup | None:
    return _FOLLOWUPS.get(key)


# ---------------------------------------------------------------- hooks

RecipientFilter = Callable[[Sequence[object], date], Sequence[object]]
_RECIPIENT_FILTERS: list[RecipientFilter] = []
_HOOKS: dict[str, Callable] = {}
KNOWN_HOOKS = frozenset({"monev_done"})


def register_recipient_filter(fn: RecipientFilter) -> RecipientFilter:
    """``fn(recipients, on) -> recipients`` keeps those who may be reminded on ``on`` (each has user_id, role)."""
    if fn not in _RECIPIENT_FILTERS:
        _RECIPIENT_FILTERS.append(fn)
    return fn


def recipient_filters() -> list[RecipientFilter]:
    return list(_RECIPIENT_FILTERS)


def register_hook(name: str, fn: Callable) -> Callable:
    """Declare a hook; "monev_done": ``fn(election_id, organisation_ids) -> set of those done``."""
    if name not in KNOWN_HOOKS:
        raise ValueError(f"Kait {name} tidak dikenal")
    _HOOKS[name] = fn
    return fn


def hook(name: str) -> Callable | None:
    return _HOOKS.get(name)


@dataclass
class _Saved:
    """The registry's content, for tests that register a step and must leave no trace."""

    steps: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    followups: dict = field(default_factory=dict)
    filters: list = field(default_factory=list)
    hooks: dict = field(default_factory=dict)


def snapshot() -> _Saved:
    return _Saved(dict(_STEPS), dict(_SECTIONS), dict(_FOLLOWUPS), list(_RECIPIENT_FILTERS), dict(_HOOKS))


def restore(saved: _Saved) -> None:
    for target, source in ((_STEPS, saved.steps), (_SECTIONS, saved.sections), (_FOLLOWUPS, saved.followups)):
        target.clear()
        target.update(source)
    _RECIPIENT_FILTERS[:] = saved.filters
    _HOOKS.clear()
    _HOOKS.update(saved.hooks)
