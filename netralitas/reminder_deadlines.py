"""Deadline reminders: before, on and after the due date of every registered step, and escalation.

On a working day the sweep asks each step with an active ReminderRule for the items whose due
date falls in a few ranges, all computed from today in working days, so the cost follows what is
due, not how many cases are open:

- ``before:k`` when k working days remain (the rule's offsets, tighter ones where the item's region
  is in a campaign or masa tenang); the range is [today + k, today + k + 1) working days, so a due
  date on a weekend or holiday is reminded on the working day before it;
- ``due`` when no working day remains (the due date is today or in the non-working days after it);
- ``half`` when half of the step's allowed time (its DeadlineRule) remains, for long steps;
- ``overdue:n`` on the n-th working day after the due date (every ``overdue_every`` working days);
- ``escalation`` once, from ``escalate_after`` working days overdue, to the EscalationRoutes.

Nothing is sent on a day that is not a working day: holidays (Lebaran, a polling day) shift the
reminders to the working day before. The steps' queries return only open items (closed,
withdrawn, rejected or cancelled ones carry no due date or are filtered by status).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from netralitas import refcache, reminders
from netralitas.enums import DayType, EscalationTarget
from netralitas.models import DeadlineRule, EscalationRoute, Organisation, ReminderRule
from netralitas.reminder_messages import (
    ElectionScopeSet,
    Message,
    Recipient,
    WorkCalendar,
    members,
    reporter,
    roles_with,
    users,
)

RESPONSIBLE, OVERDUE, ESCALATION = "responsible", "overdue", "escalation"


def deadline_lengths() -> dict[str, tuple[int, str]]:
    """step -> (days, day type) of every DeadlineRule (the same process copy as netralitas.calendar)."""
    return refcache.cached(
        "deadline-rules", lambda: {rule.step: (rule.days, rule.day_type) for rule in DeadlineRule.objects.all()}
    )


def campaign_scopes(cal: WorkCalendar) -> list[ElectionScopeSet]:
    """Where a campaign or masa tenang runs on ``cal.today`` (from kampanye's start until pemungutan)."""
    return [scope for election, scope in cal.elections() if election.campaign_start <= cal.today < election.poll_start]


class _Plan:
    """What one rule asks for today: the due-date ranges to query and how to name what is found."""

    def __init__(self, step: reminders.Step, rule: ReminderRule, cal: WorkCalendar, lengths: dict) -> None:
        today = cal.today
        self.step, self.rule = step, rule
        self.offsets, self.campaign_offsets = rule.offsets(), rule.offsets(campaign=True)
        wanted = set(self.offsets) | set(self.campaign_offsets) | ({0} if rule.on_due_day else set())
        ranges = [(cal.add(today, k), cal.add(today, k + 1)) for k in wanted]
        self.half: tuple[int, str] | None = None
        days, day_type = lengths.get(step.deadline_step, (0, DayType.CALENDAR))
        if rule.halfway_min_days and days >= rule.halfway_min_days:
            remaining = days // 2
            if day_type == DayType.WORKING:
                ranges.append((cal.add(today, remaining), cal.add(today, remaining + 1)))
            else:
                gap = cal.add(today, 1) - today  # today plus the non-working days after it
                start = today + timedelta(days=remaining)
                ranges.append((start, start + gap))
            self.half = (remaining, day_type)
        overdue_before = today if (rule.overdue_every or rule.escalate_after) else None
        self.query = reminders.DueQuery(_merged(ranges), overdue_before)

    def kinds(self, item: reminders.DueItem, cal: WorkCalendar, in_campaign: bool) -> list[tuple[str, str]]:
        """(kind, audience) of the messages ``item`` calls for today."""
        today, rule = cal.today, self.rule
        if item.due_date >= today:
            left = cal.between(today, item.due_date)
            offsets = self.campaign_offsets if in_campaign else self.offsets
            if left == 0:
                return [("due", RESPONSIBLE)] if rule.on_due_day else []
            if left in offsets:
                return [(f"before:{left}", RESPONSIBLE)]
            if self.half is not None and self._is_half(item, cal, left):
                return [("half", RESPONSIBLE)]
            return []
        late = cal.between(item.due_date, today)
        kinds = []
        every = rule.overdue_every
        if every and (late == 1 or (late - 1) % every == 0):
            kinds.append((f"overdue:{late}", OVERDUE))
        if rule.escalate_after and late >= rule.escalate_after:
            kinds.append(("escalation", ESCALATION))
        return kinds

    def _is_half(self, item: reminders.DueItem, cal: WorkCalendar, left: int) -> bool:
        remaining, day_type = self.half
        if day_type == DayType.WORKING:
            return left == remaining
        gap = (cal.add(cal.today, 1) - cal.today).days
        return 0 <= (item.due_date - cal.today).days - remaining < gap


def _merged(ranges: Iterable[tuple]) -> tuple[tuple, ...]:
    """Overlapping or touching [low, high) ranges joined, so the query has as few ORs as possible."""
    merged: list[list] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((low, high) for low, high in merged)


def deadline_messages(cal: WorkCalendar) -> list[Message]:
    """The deadline reminders and escalations due on ``cal.today`` (nothing on a non-working day)."""
    if not cal.is_working(cal.today):
        return []
    rules = {rule.step: rule for rule in ReminderRule.objects.filter(is_active=True).prefetch_related("routes")}
    lengths = deadline_lengths()
    scopes = campaign_scopes(cal)
    messages: list[Message] = []
    for step in reminders.registered_steps():
        rule = rules.get(step.key)
        if rule is None:
            continue
        plan = _Plan(step, rule, cal, lengths)
        items = list(step.due(plan.query))
        if not items:
            continue
        cal.cover(min(item.due_date for item in items), cal.today)
        wanted: dict[str, list[reminders.DueItem]] = defaultdict(list)
        kinds_of: list[tuple[reminders.DueItem, str, str]] = []
        for item in items:
            in_campaign = any(scope.covers_region(item.region_id) for scope in scopes)
            for kind, audience in plan.kinds(item, cal, in_campaign):
                kinds_of.append((item, kind, audience))
                wanted[audience].append(item)
        staff = _staff_of(step, wanted[RESPONSIBLE] + wanted[OVERDUE], cal.today)
        supervisors = _supervisors_of(step, rule, wanted[ESCALATION], cal.today)
        for item, kind, audience in kinds_of:
            if audience == ESCALATION:
                found, title = supervisors.get(item.subject, []), item.supervisor_title or item.title
            elif audience == RESPONSIBLE and step.reporter:
                found, title = ([reporter(item.reporter_email)] if item.reporter_email else []), item.title
            else:
                found, title = staff.get(item.subject, []), item.title
            messages.extend(Message(kind, step.key, item.subject, item.due_date, r, title) for r in found)
    return _unique(messages)


def _unique(messages: list[Message]) -> list[Message]:
    seen, out = set(), []
    for message in messages:
        if message.key not in seen:
            seen.add(message.key)
            out.append(message)
    return out


def _staff_of(step: reminders.Step, items: list[reminders.DueItem], today) -> dict[str, list[Recipient]]:
    """subject -> the staff responsible for it: its users, or its organisations' members with the permission."""
    if not items:
        return {}
    explicit = {uid for item in items for uid in item.user_ids}
    by_user = {r.user_id: r for r in users(today, explicit)} if explicit else {}
    org_ids = {oid for item in items if not item.user_ids for oid in item.organisation_ids}
    by_org: dict[int, list[Recipient]] = defaultdict(list)
    roles = roles_with(step.permission) if step.permission else ()
    if org_ids and roles:
        for recipient in members(today, organisation_ids=org_ids, roles=roles):
            by_org[recipient.organisation_id].append(recipient)
    found: dict[str, list[Recipient]] = {}
    for item in items:
        if item.user_ids:
            found[item.subject] = [by_user[uid] for uid in item.user_ids if uid in by_user]
        else:
            found[item.subject] = [r for oid in item.organisation_ids for r in by_org.get(oid, [])]
    return found


def _supervisors_of(
    step: reminders.Step, rule: ReminderRule, items: list[reminders.DueItem], today
) -> dict[str, list[Recipient]]:
    """subject -> who hears of it overdue: each EscalationRoute of the rule that fits the responsible organisation."""
    if not items:
        return {}
    routes: list[EscalationRoute] = list(rule.routes.all())
    responsible = {item.organisation_ids[0] for item in items if item.organisation_ids}
    orgs = {
        pk: (kind, parent)
        for pk, kind, parent in Organisation.objects.filter(pk__in=responsible).values_list("pk", "kind", "parent_id")
    }
    found: dict[str, list[Recipient]] = defaultdict(list)
    for route in routes:
        targets: dict[str, list[int]] = {}
        named: dict[str, list[int]] = {}
        for item in items:
            own = orgs.get(item.organisation_ids[0]) if item.organisation_ids else None
            if route.from_kind and (own is None or own[0] != route.from_kind):
                continue
            if route.target == EscalationTarget.PARENT and own is not None and own[1] is not None:
                targets[item.subject] = [own[1]]
            elif route.target == EscalationTarget.KIND:
                targets[item.subject] = _organisations_of_kind(route.target_kind)
            elif route.target == EscalationTarget.STEP and step.supervisors is not None:
                named[item.subject] = list(step.supervisors(item))
        if named:
            by_user = {r.user_id: r for r in users(today, {uid for ids in named.values() for uid in ids})}
            for subject, ids in named.items():
                found[subject].extend(by_user[uid] for uid in ids if uid in by_user)
        org_ids = {oid for ids in targets.values() for oid in ids}
        if not org_ids:
            continue
        by_org: dict[int, list[Recipient]] = defaultdict(list)
        for recipient in members(today, organisation_ids=org_ids, roles=[route.role] if route.role else ()):
            by_org[recipient.organisation_id].append(recipient)
        for subject, ids in targets.items():
            found[subject].extend(r for oid in ids for r in by_org.get(oid, []))
    return found


def _organisations_of_kind(kind: str) -> list[int]:
    return refcache.cached(
        f"organisations-of-kind:{kind}",
        lambda: list(Organisation.objects.filter(kind=kind, is_active=True).values_list("pk", flat=True)),
    )
