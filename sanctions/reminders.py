"""The sanctions app's steps for the reminder engine (netralitas.reminders).

The PPK's follow-up of a recommendation (due date on the case, working days), BKN's block of a
case the PPK let pass its deadline (due the day the overdue sweep marked it), and, after voting,
the weekly follow-up of recommendations still awaiting the PPK.

Escalation recipients (a pemda provinsi for a kabupaten's PPK) may not see the case: they get the
letter number and the instansi, never the ASN's name, and a link to the dashboard.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import refcache, reminders
from netralitas.enums import DeadlineStep, OrganisationKind
from netralitas.models import Organisation
from reports.enums import CaseStatus
from reports.models import Terlapor
from sanctions.models import Block

_FIELDS = (
    "pk",
    "name",
    "due_date",
    "overdue_since",
    "instansi_id",
    "instansi__name",
    "instansi__region_id",
    "recommendation__addressed_to_id",
    "recommendation__letter_number",
)


def _awaiting():
    return Terlapor.objects.filter(case_status=CaseStatus.AWAITING_PPK)


# ---------------------------------------------------------------- the PPK's follow-up


def _ppk_item(row: tuple) -> reminders.DueItem:
    pk, name, due_date, _overdue, instansi_id, instansi, region_id, addressed_to_id, letter = row
    return reminders.DueItem(
        subject=f"sanctions.ppk_follow_up:{pk}",
        due_date=due_date,
        title=f"{name} · {letter}",
        url=reverse("sanctions:case", args=[pk]),
        organisation_ids=(addressed_to_id or instansi_id,),
        region_id=region_id,
        supervisor_title=_("Rekomendasi %(letter)s kepada %(instansi)s") % {"letter": letter, "instansi": instansi},
        supervisor_url=reverse("dashboard"),
    )


def _ppk_rows():
    return _awaiting().filter(due_step=DeadlineStep.PPK_FOLLOW_UP).values_list(*_FIELDS)


def _ppk_due(query: reminders.DueQuery) -> list[reminders.DueItem]:
    return [_ppk_item(row) for row in _ppk_rows().filter(query.q()).order_by("due_date", "pk")]


def _ppk_recheck(subject: str) -> reminders.DueItem | None:
    row = _ppk_rows().filter(pk=reminders.subject_pk(subject), due_date__isnull=False).first()
    return _ppk_item(row) if row else None


reminders.register_step(
    reminders.Step(
        key="sanctions.ppk_follow_up",
        title=gettext_lazy("Tindak lanjut rekomendasi oleh PPK"),
        order=50,
        due=_ppk_due,
        recheck=_ppk_recheck,
        permission="sanctions.record_decision",
        deadline_step=DeadlineStep.PPK_FOLLOW_UP,
    )
)


# ---------------------------------------------------------------- BKN: block after the deadline


def _bkn_organisations() -> tuple[int, ...]:
    return refcache.cached(
        "bkn-organisations",
        lambda: tuple(
            Organisation.objects.filter(kind=OrganisationKind.BKN, is_active=True).values_list("pk", flat=True)
        ),
    )


def _block_item(row: tuple, bkn: tuple[int, ...]) -> reminders.DueItem:
    pk, name, _due, overdue_since, _instansi_id, instansi, region_id, _addressed, letter = row
    url = reverse("sanctions:case", args=[pk])
    return reminders.DueItem(
        subject=f"sanctions.bkn_block:{pk}",
        due_date=overdue_since,
        title=f"{name} · {instansi}",
        url=url,
        organisation_ids=bkn,
        region_id=region_id,
        supervisor_title=_("Rekomendasi %(letter)s kepada %(instansi)s") % {"letter": letter, "instansi": instansi},
        supervisor_url=url,
    )


def _block_rows():
    active = Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True))
    return _awaiting().filter(overdue_since__isnull=False).filter(~active).values_list(*_FIELDS)


def _block_due(query: reminders.DueQuery) -> list[reminders.DueItem]:
    rows = list(_block_rows().filter(query.q("overdue_since")).order_by("overdue_since", "pk"))
    bkn = _bkn_organisations() if rows else ()
    return [_block_item(row, bkn) for row in rows]


def _block_recheck(subject: str) -> reminders.DueItem | None:
    row = _block_rows().filter(pk=reminders.subject_pk(subject)).first()
    return _block_item(row, _bkn_organisations()) if row else None


reminders.register_step(
    reminders.Step(
        key="sanctions.bkn_block",
        title=gettext_lazy("Pemblokiran data kepegawaian oleh BKN"),
        order=60,
        due=_block_due,
        recheck=_block_recheck,
        permission="sanctions.add_block",
    )
)


# ---------------------------------------------------------------- after voting: outstanding recommendations


def outstanding_recommendations(election_id: int, organisation_ids: Collection[int] | None) -> dict[int, int]:
    """Per PPK instansi, the cases of ``election_id``'s reports still awaiting the PPK (one grouped query)."""
    qs = _awaiting().filter(report__election_id=election_id, recommendation__isnull=False)
    if organisation_ids is not None:
        qs = qs.filter(recommendation__addressed_to_id__in=list(organisation_ids))
    rows = qs.values("recommendation__addressed_to_id").annotate(n=Count("pk")).order_by()
    return {row["recommendation__addressed_to_id"]: row["n"] for row in rows if row["n"]}


reminders.register_followup(
    reminders.Followup(
        key="sanctions.outstanding",
        title=gettext_lazy("rekomendasi yang belum ditindaklanjuti PPK"),
        permission="sanctions.record_decision",
        url="/sanksi/",
        counts=outstanding_recommendations,
    )
)
