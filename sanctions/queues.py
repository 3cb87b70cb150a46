"""The sanctions app's queues of the staff workspace (netralitas.workspace): the PPK's and BKN's work."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import visibility, workspace
from reports.enums import CaseStatus
from reports.models import Terlapor
from reports.selectors import terlapor_visible_to
from sanctions.models import Block
from sanctions.selectors import blocks_to_lift, overdue_cases


def _ppk_item(case: Terlapor, today: date) -> workspace.WorkItem:
    return workspace.WorkItem(
        title=case.name,
        detail=f"{case.recommendation.letter_number} · {case.get_case_status_display()}",
        due_date=case.due_date,
        today=today,
        url=reverse("sanctions:case", args=[case.pk]),
        action=_("Catat keputusan PPK"),
    )


def _fetch_awaiting_ppk(user, today: date, limit: int) -> workspace.QueueResult:
    scope = visibility.scope_for(user)
    qs = workspace.by_deadline(
        terlapor_visible_to(user)
        .filter(case_status=CaseStatus.AWAITING_PPK, recommendation__addressed_to_id=scope.organisation_id)
        .select_related("recommendation")
    )
    return workspace.fetch_queryset(qs, today=today, limit=limit, item=_ppk_item, more_url=reverse("sanctions:inbox"))


workspace.register(
    workspace.Queue(
        key="sanctions.awaiting_ppk",
        title=gettext_lazy("Rekomendasi menunggu tindak lanjut PPK"),
        description=gettext_lazy("Rekomendasi kepada instansi Anda yang harus ditindaklanjuti dengan SK."),
        order=50,
        applies=lambda user: user.has_perm("sanctions.record_decision"),
        fetch=_fetch_awaiting_ppk,
    )
)


def _block_item(case: Terlapor, today: date) -> workspace.WorkItem:
    return workspace.WorkItem(
        title=case.name,
        detail=f"{case.instansi.name} · {_('lewat tenggat sejak %(date)s') % {'date': case.overdue_since}}",
        due_date=case.due_date,
        today=today,
        url=reverse("sanctions:case", args=[case.pk]),
        action=_("Blokir data kepegawaian"),
    )


def _fetch_to_block(user, today: date, limit: int) -> workspace.QueueResult:
    active = Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True))
    qs = overdue_cases(user).filter(~active)
    return workspace.fetch_queryset(
        qs, today=today, limit=limit, item=_block_item, more_url=reverse("sanctions:blocks")
    )


workspace.register(
    workspace.Queue(
        key="sanctions.overdue_to_block",
        title=gettext_lazy("Rekomendasi lewat tenggat untuk diblokir"),
        description=gettext_lazy("PPK belum menindaklanjuti rekomendasi sampai tenggat: blokir data kepegawaian ASN."),
        order=60,
        applies=lambda user: user.has_perm("sanctions.add_block"),
        fetch=_fetch_to_block,
    )
)


def _lift_item(block: Block, today: date) -> workspace.WorkItem:
    case = block.terlapor
    return workspace.WorkItem(
        title=case.name,
        detail=f"{case.instansi.name} · {block.letter_number}",
        due_date=None,
        today=today,
        url=reverse("sanctions:case", args=[case.pk]),
        action=_("Buka blokir"),
    )


def _fetch_to_lift(user, today: date, limit: int) -> workspace.QueueResult:
    return workspace.fetch_queryset(
        blocks_to_lift(user), today=today, limit=limit, item=_lift_item, more_url=reverse("sanctions:blocks")
    )


workspace.register(
    workspace.Queue(
        key="sanctions.blocks_to_lift",
        title=gettext_lazy("Blokir untuk dibuka"),
        description=gettext_lazy("PPK telah menjatuhkan sanksi: buka blokir data kepegawaian."),
        order=70,
        applies=lambda user: user.has_perm("sanctions.lift_block"),
        fetch=_fetch_to_lift,
    )
)


workspace.register_page(
    workspace.StaffPage(
        key="sanctions.inbox",
        title=gettext_lazy("Rekomendasi untuk PPK"),
        url_name="sanctions:inbox",
        order=30,
        applies=lambda user: user.has_perm("sanctions.record_decision"),
    )
)
workspace.register_page(
    workspace.StaffPage(
        key="sanctions.blocks",
        title=gettext_lazy("Pemblokiran"),
        url_name="sanctions:blocks",
        order=40,
        applies=lambda user: user.has_perm("sanctions.add_block") or user.has_perm("sanctions.lift_block"),
    )
)
workspace.register_page(
    workspace.StaffPage(
        key="sanctions.dashboard",
        title=gettext_lazy("Dasbor"),
        url_name="dashboard",
        order=50,
        applies=lambda user: user.has_perm("reports.view_terlapor"),
    )
)
