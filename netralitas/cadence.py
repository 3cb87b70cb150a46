"""The campaign-phase cadence: digests and follow-ups before, during and after the campaign.

From each election's phases (netralitas.elections) and the recipient organisation's region:

- before the campaign (penetapan peserta until kampanye starts), on the first working day of each
  week: a weekly digest of their open work to each PPK and BKPSDM operator of an instansi and to
  each Satgas member ("digest.weekly");
- from penetapan until pemungutan, weekly: the prevention checklist to each instansi that has not
  ticked every obligation with evidence ("prevention"), to its operators and PPK;
- during the campaign and the masa tenang, every day: a digest of new reports and due steps to
  the Satgas and the Bawaslu of the region ("digest.daily");
- after voting, weekly for RELEVANT_AFTER days: a follow-up to every organisation with work still
  outstanding, e.g. recommendations awaiting the PPK, until none remain ("followup.weekly"); and
  on the first working day after voting, the reminder to the Satgas to produce its closing monev
  ("monev").

Nobody outside the election's regions hears of it (a national election covers everyone). The
sweep decides who gets what (cheap: by role and organisation); the content is built when each
message is delivered, and a digest with nothing in it is not sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netralitas import reminders, workspace
from netralitas.elections import RELEVANT_AFTER
from netralitas.enums import BAWASLU_KINDS, INSTANSI_KINDS, PhaseKind, Role
from netralitas.models import Election, PreventionCheck, PreventionItem
from netralitas.reminder_messages import (
    Content,
    ElectionScopeSet,
    Message,
    Recipient,
    WorkCalendar,
    members,
    roles_with,
)

WEEKLY, DAILY, PREVENTION, FOLLOWUP, MONEV = "digest.weekly", "digest.daily", "prevention", "followup.weekly", "monev"
CADENCE_KINDS = frozenset({WEEKLY, DAILY, PREVENTION, FOLLOWUP, MONEV})
DIGEST_LIMIT = 8


def _in_scope(recipients: list[Recipient], scope: ElectionScopeSet, cal: WorkCalendar) -> list[Recipient]:
    places = cal.organisation_places()
    return [r for r in recipients if scope.covers_organisation(*places.get(r.organisation_id, (None, "")))]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def cadence_messages(cal: WorkCalendar) -> list[Message]:
    """The cadence messages due on ``cal.today`` for every election placed in time."""
    today = cal.today
    messages: list[Message] = []
    weekly_seen: set[int | None] = set()
    for election, scope in cal.elections():
        phases = {phase.kind: phase for phase in election.phases.all()}
        penetapan = phases.get(PhaseKind.PENETAPAN)
        start = penetapan.start if penetapan is not None else None
        subject = f"election:{election.pk}"
        first_of_week = cal.first_of_week(today)
        if start is not None and start <= today < election.campaign_start and first_of_week:
            staff = members(
                today, roles=[Role.PPK, Role.OPERATOR], organisations=Q(organisation__kind__in=INSTANSI_KINDS)
            )
            staff += members(today, roles=[Role.SATGAS])
            for recipient in _in_scope(staff, scope, cal):
                if recipient.user_id not in weekly_seen:
                    weekly_seen.add(recipient.user_id)
                    messages.append(Message(WEEKLY, WEEKLY, subject, _monday(today), recipient, str(election)))
        if start is not None and start <= today < election.poll_start and first_of_week:
            messages += _prevention_messages(election, scope, cal)
        if election.campaign_start <= today < election.poll_start:
            staff = members(today, roles=[Role.SATGAS]) + members(
                today, roles=[Role.BAWASLU], organisations=Q(organisation__kind__in=BAWASLU_KINDS)
            )
            messages += [Message(DAILY, DAILY, subject, today, r, str(election)) for r in _in_scope(staff, scope, cal)]
        after_poll = today - election.poll_end
        if timedelta(0) < after_poll <= RELEVANT_AFTER and first_of_week and cal.is_working(today):
            messages += _followup_messages(election, scope, cal)
        if today > election.poll_end and cal.add(election.poll_end, 1) == today:
            messages += _monev_messages(election, scope, cal)
    return sorted(messages, key=lambda m: (m.kind, m.subject, m.recipient.key))


def _prevention_messages(election: Election, scope: ElectionScopeSet, cal: WorkCalendar) -> list[Message]:
    today = cal.today
    items = PreventionItem.objects.filter(is_active=True).count()
    if not items:
        return []
    done = dict(
        PreventionCheck.objects.filter(election=election, item__is_active=True)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    staff = members(today, roles=[Role.OPERATOR, Role.PPK], organisations=Q(organisation__kind__in=INSTANSI_KINDS))
    subject = f"prevention:{election.pk}"
    return [
        Message(PREVENTION, PREVENTION, subject, _monday(today), r, str(election))
        for r in _in_scope(staff, scope, cal)
        if done.get(r.organisation_id, 0) < items
    ]


def _followup_messages(election: Election, scope: ElectionScopeSet, cal: WorkCalendar) -> list[Message]:
    today = cal.today
    messages = []
    for followup in reminders.registered_followups():
        outstanding = followup.counts(election.pk, None)
        if not outstanding:
            continue
        staff = members(today, organisation_ids=list(outstanding), roles=roles_with(followup.permission))
        subject = f"{followup.key}:{election.pk}"
        messages += [
            Message(FOLLOWUP, followup.key, subject, _monday(today), r, str(election))
            for r in _in_scope(staff, scope, cal)
        ]
    return messages


def _monev_messages(election: Election, scope: ElectionScopeSet, cal: WorkCalendar) -> list[Message]:
    today = cal.today
    staff = _in_scope(members(today, roles=[Role.SATGAS]), scope, cal)
    done_hook = reminders.hook("monev_done")
    if done_hook is not None and staff:
        done = set(done_hook(election.pk, {r.organisation_id for r in staff}))
        staff = [r for r in staff if r.organisation_id not in done]
    subject = f"monev:{election.pk}"
    return [Message(MONEV, MONEV, subject, election.poll_end, r, str(election)) for r in staff]


# ---------------------------------------------------------------- content, built at delivery


def _election(subject: str, cal: WorkCalendar) -> Election | None:
    """The election named by a cadence subject ("election:3"), with its phase dates annotated."""
    try:
        pk = int(subject.rsplit(":", 1)[1])
    except (ValueError, IndexError):
        return None
    for election, _scope in cal.elections():
        if election.pk == pk:
            return election
    return None


def _url(name: str, fallback: str = "/kerja/") -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def cadence_content(message: Message, user, cal: WorkCalendar) -> Content | None:
    """What a cadence message says to ``user`` now; None when there is nothing to say."""
    election = _election(message.subject, cal)
    if election is None:
        return None
    builder = {
        WEEKLY: _weekly,
        DAILY: _daily,
        PREVENTION: _prevention,
        FOLLOWUP: _followup,
        MONEV: _monev,
    }.get(message.kind)
    return builder(message, user, election, cal) if builder else None


def _queue_lines(
    user, cal: WorkCalendar, *, due_by: date | None = None
) -> tuple[list[str], list[reminders.DigestLine]]:
    lines, items = [], []
    for queue, result in workspace.queues_for(user, today=cal.today, limit=DIGEST_LIMIT):
        shown = [i for i in result.items if due_by is None or (i.due_date is not None and i.due_date <= due_by)]
        if due_by is None and not result.count or due_by is not None and not shown:
            continue
        count = result.count if due_by is None else len(shown)
        lines.append(f"{queue.title}: {count}")
        items += [reminders.DigestLine(i.title, _due_text(i), i.url) for i in shown]
    return lines, items


def _due_text(item: workspace.WorkItem) -> str:
    if item.due_date is None:
        return item.detail
    label = _("lewat tenggat") if item.overdue else _("tenggat")
    return f"{item.detail} · {label} {date_format(item.due_date, 'j M Y')}"


def _missing_prevention(user, election: Election) -> list[PreventionItem]:
    organisation_id = getattr(getattr(user, "membership", None), "organisation_id", None)
    done = PreventionCheck.objects.filter(organisation_id=organisation_id, election=election).values("item_id")
    return list(PreventionItem.objects.filter(is_active=True).exclude(pk__in=done))


def _weekly(message: Message, user, election: Election, cal: WorkCalendar) -> Content | None:
    lines, items = _queue_lines(user, cal)
    if message.recipient.role in (Role.PPK, Role.OPERATOR):
        missing = _missing_prevention(user, election)
        if missing:
            lines.append(
                _("Kewajiban pencegahan belum dipenuhi: %(items)s") % {"items": ", ".join(i.title for i in missing)}
            )
    if not lines:
        return None
    title = _("Ringkasan mingguan %(election)s: pekerjaan yang menunggu Anda") % {"election": election}
    return Content(title, tuple(lines), "/kerja/", tuple(items))


def _daily(message: Message, user, election: Election, cal: WorkCalendar) -> Content | None:
    until = timezone.make_aware(datetime.combine(cal.today, time.min))
    since = until - timedelta(days=1)
    lines, items = [], []
    for section in reminders.digest_sections():
        if not section.applies(user):
            continue
        count, found = section.fetch(user, since, until, DIGEST_LIMIT)
        if count:
            lines.append(f"{section.title}: {count}")
            items += found
    due_lines, due_items = _queue_lines(user, cal, due_by=cal.add(cal.today, 1))
    lines += due_lines
    items += due_items
    if not lines:
        return None
    title = _("Ringkasan harian %(election)s, %(date)s") % {
        "election": election,
        "date": date_format(cal.today, "j F Y"),
    }
    return Content(title, tuple(lines), "/kerja/", tuple(items))


def _prevention(message: Message, user, election: Election, cal: WorkCalendar) -> Content | None:
    missing = _missing_prevention(user, election)
    if not missing:
        return None
    title = _("Kewajiban pencegahan %(election)s belum lengkap") % {"election": election}
    lines = (_("Centang setiap kewajiban dengan bukti (berkas atau tautan):"),)
    items = tuple(reminders.DigestLine(i.title, "", "/kerja/pencegahan/") for i in missing)
    return Content(title, lines, _url("prevention"), items)


def _followup(message: Message, user, election: Election, cal: WorkCalendar) -> Content | None:
    followup = reminders.get_followup(message.source)
    organisation_id = message.recipient.organisation_id
    if followup is None or organisation_id is None:
        return None
    count = followup.counts(election.pk, [organisation_id]).get(organisation_id, 0)
    if not count:
        return None
    title = _("Tindak lanjut sesudah %(election)s: %(title)s") % {"election": election, "title": followup.title}
    lines = (_("Masih %(count)d menunggu tindakan instansi Anda.") % {"count": count},)
    return Content(title, lines, followup.url)


def _monev(message: Message, user, election: Election, cal: WorkCalendar) -> Content | None:
    title = _("Susun monitoring dan evaluasi penutup %(election)s") % {"election": election}
    lines = (
        _("Pemungutan suara selesai %(date)s. Satgas menyusun laporan monitoring dan evaluasi netralitas ASN.")
        % {"date": date_format(election.poll_end, "j F Y")},
    )
    return Content(title, lines, _url("satgas_home"))
