"""The PPK's and BKN's pages outside the admin: the PPK inbox, the case page with its forms, BKN's blocking list,
and the case's letters.

Thin interfaces: every case is fetched through its visibility rule (a foreign or missing id
is a 404), every write goes through sanctions.services, whose ValidationError lands next
to the form's fields and whose PermissionDenied is a 403. Nothing of the reporter is ever
put in a context here: the pages read the case, its recommendation and the evidence counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from netralitas.calendar import working_days_between
from netralitas.security.reauth import challenge as reauth_challenge
from reports.enums import CaseStatus, EvidenceKind
from reports.evidence_checks import media_type_label
from reports.letters import recommendation_letter_pdf
from reports.models import Recommendation, Terlapor
from reports.selectors import TimelineEntry, case_timeline, evidence_visible_to, terlapor_visible_to
from reports.workflow import StaleReport, TransitionNotAllowed
from sanctions import permissions, services
from sanctions.forms import (
    BlockForm,
    CorrectionForm,
    DecisionForm,
    EscalationForm,
    LeftServiceForm,
    LiftBlockForm,
    ServiceForm,
)
from sanctions.letters import decision_letter_pdf
from sanctions.models import Decision
from sanctions.selectors import blocks_to_lift, overdue_cases, ppk_inbox

logger = logging.getLogger(__name__)

RECORD_DECISION = permissions.RECORD_DECISION
BLOCK_PERMISSIONS = ("sanctions.add_block", "sanctions.lift_block")


# ---------------------------------------------------------------- lists


@require_safe
@staff_member_required
def inbox(request):
    """The cases awaiting the PPK of the user's instansi."""
    if not request.user.has_perm(RECORD_DECISION):
        raise PermissionDenied(_("Halaman ini untuk PPK dan operator kepegawaian instansi."))
    rows = ppk_inbox(request.user)
    kinds, evidence = _inbox_details(request.user, rows)
    items = [
        {
            "row": row,
            "late": -row.days_left if row.days_left is not None and row.days_left < 0 else 0,
            "kinds": kinds.get(row.recommendation.pk, []),
            "evidence": evidence.get(row.terlapor.report_id),
        }
        for row in rows
    ]
    return render(request, "sanctions/ppk_inbox.html", {"items": items, "nav": "inbox"})


def _inbox_details(user, rows) -> tuple[dict[int, list[str]], dict[int, EvidenceSummary]]:
    """The recommended sanction kinds and the evidence summary of every inbox row, in two queries."""
    through = Recommendation.sanction_kinds.through.objects.filter(
        recommendation_id__in=[row.recommendation.pk for row in rows]
    ).order_by("sanctionkind__sort_order", "sanctionkind__code")
    kinds: dict[int, list[str]] = {}
    for recommendation_id, name in through.values_list("recommendation_id", "sanctionkind__name"):
        kinds.setdefault(recommendation_id, []).append(name)
    report_ids = {row.terlapor.report_id for row in rows}
    per_report: dict[int, list[tuple[str, str]]] = {report_id: [] for report_id in report_ids}
    for report_id, kind, media in (
        evidence_visible_to(user).filter(report_id__in=report_ids).values_list("report_id", "kind", "media_type")
    ):
        per_report[report_id].append((kind, media))
    return kinds, {report_id: _summarise(items) for report_id, items in per_report.items()}


@require_safe
@staff_member_required
def block_list(request):
    """BKN's work: overdue recommendations to block, and blocks whose case was sanctioned, to lift."""
    if not any(request.user.has_perm(perm) for perm in BLOCK_PERMISSIONS):
        raise PermissionDenied(_("Halaman ini untuk petugas BKN."))
    context = {
        "overdue": overdue_cases(request.user),
        "to_lift": blocks_to_lift(request.user),
        "today": timezone.localdate(),
        "nav": "blocks",
    }
    return render(request, "sanctions/block_list.html", context)


# ---------------------------------------------------------------- the case page


def _case(request, pk: int) -> Terlapor:
    """A case with a recommendation that the user may see; anything else is a 404."""
    cases = terlapor_visible_to(request.user).filter(recommendation__isnull=False)
    return get_object_or_404(
        cases.select_related(
            "instansi__region",
            "authority__organisation",
            "recommendation__authority__organisation",
            "recommendation__violation_type",
            "recommendation__addressed_to",
        ),
        pk=pk,
    )


def _decision(terlapor: Terlapor) -> Decision | None:
    return Decision.objects.select_related("sanction_kind", "recorded_by").filter(terlapor=terlapor).first()


@dataclass(frozen=True)
class EvidenceSummary:
    files: int
    links: int
    kinds: list[tuple[str, int]]  # ("Foto JPEG", 2)

    @property
    def total(self) -> int:
        return self.files + self.links


def _evidence_summary(user, terlapor: Terlapor) -> EvidenceSummary:
    """How much evidence the report carries and of which kinds: never names, links or who sent it."""
    return _summarise(evidence_visible_to(user).filter(report_id=terlapor.report_id).values_list("kind", "media_type"))


def _summarise(items) -> EvidenceSummary:
    files = Counter(media_type_label(media) for kind, media in items if kind == EvidenceKind.FILE)
    links = sum(1 for kind, _media in items if kind == EvidenceKind.LINK)
    return EvidenceSummary(files=sum(files.values()), links=links, kinds=sorted(files.items()))


def _timeline(terlapor: Terlapor) -> list[TimelineEntry]:
    """The case events and the sanction events of one case, oldest first."""
    entries = case_timeline(terlapor)
    for event in terlapor.sanction_events.select_related("actor").order_by("created_at", "id"):
        note = event.note
        if event.letter_number:
            letter = _("Surat %(number)s") % {"number": event.letter_number}
            if event.letter_date:
                letter += _(" tanggal %(date)s") % {"date": event.letter_date.strftime("%d-%m-%Y")}
            note = f"{letter}. {note}".strip() if note else letter
        entries.append(
            TimelineEntry(
                at=event.created_at,
                what=event.get_kind_display(),
                from_label="",
                to_label="",
                actor=(event.actor.get_full_name() or event.actor.username) if event.actor else _("Sistem"),
                note=note,
                public_message="",
                is_public=False,
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _forms_offered(user, terlapor: Terlapor, decision: Decision | None, blocks: list) -> dict[str, bool]:
    """Which forms the page shows; the services decide again on submit."""
    ppk_office = permissions.is_ppk_office(user, terlapor)
    active_block = next((block for block in blocks if block.is_active), None)
    awaiting = terlapor.case_status == CaseStatus.AWAITING_PPK
    return {
        "decision": ppk_office and awaiting and decision is None,
        "left_service": ppk_office and awaiting and decision is None,
        "correction": ppk_office and decision is not None,
        "block": user.has_perm("sanctions.add_block")
        and awaiting
        and terlapor.overdue_since is not None
        and active_block is None,
        "lift": user.has_perm("sanctions.lift_block") and active_block is not None,
        "escalation": user.has_perm("sanctions.add_escalation")
        and awaiting
        and (terlapor.overdue_since is not None or bool(blocks)),
    }


def _render_case(request, terlapor: Terlapor, *, bound: dict[str, ServiceForm] | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    decision = _decision(terlapor)
    blocks = list(terlapor.blocks.select_related("blocked_by", "lifted_by").order_by("-blocked_on", "-id"))
    active_block = next((block for block in blocks if block.is_active), None)
    offered = _forms_offered(user, terlapor, decision, blocks)
    today = timezone.localdate()
    forms: dict[str, ServiceForm] = {}
    for name, action in ACTIONS.items():
        key = name.replace("-", "_")  # template-friendly
        if name in bound:  # a refused submission comes back with its messages, even if the state moved on
            forms[key] = bound[name]
        elif offered[action.offer]:
            forms[key] = action.form(
                prefix=action.prefix, initial=action.initial(today), **action.form_kwargs(terlapor)
            )
    recommendation = terlapor.recommendation
    days_left = working_days_between(today, terlapor.due_date) if terlapor.due_date else None
    context = {
        "terlapor": terlapor,
        "instansi": terlapor.instansi,
        "recommendation": recommendation,
        "recommended_kinds": list(recommendation.sanction_kinds.order_by("sort_order", "code")),
        "decision": decision,
        "blocks": blocks,
        "active_block": active_block,
        "escalations": list(terlapor.escalations.select_related("recorded_by").order_by("letter_date", "id")),
        "timeline": _timeline(terlapor),
        "evidence": _evidence_summary(user, terlapor),
        "days_left": days_left,
        "days_late": -days_left if days_left is not None and days_left < 0 else 0,
        "today": today,
        "forms": forms,
        "nav": "case",
    }
    return render(request, "sanctions/case_detail.html", context, status=status)


@require_safe
@staff_member_required
def case_detail(request, pk: int):
    return _render_case(request, _case(request, pk))


# ---------------------------------------------------------------- actions on the case


@dataclass(frozen=True)
class Action:
    form: type[ServiceForm]
    prefix: str
    offer: str  # key of _forms_offered
    perform: Callable  # (terlapor, user, cleaned_data) -> str (the success message)
    form_kwargs: Callable[[Terlapor], dict] = lambda terlapor: {}
    initial: Callable = lambda today: {}
    reauth: bool = False  # the password and second factor again first (netralitas.security.reauth)


def _do_decision(terlapor: Terlapor, user, data: dict) -> str:
    decision = services.record_decision(terlapor, actor=user, **data)
    return _("Keputusan PPK (SK %(number)s) dicatat. Status perkara: %(status)s.") % {
        "number": decision.sk_number,
        "status": CaseStatus.SANCTIONED.label,
    }


def _do_left_service(terlapor: Terlapor, user, data: dict) -> str:
    services.record_left_service(terlapor, actor=user, reason=data["reason"], note=data["note"])
    return _("Dicatat: ASN sudah keluar dari dinas. Perkara tidak dapat ditindaklanjuti.")


def _do_correction(terlapor: Terlapor, user, data: dict) -> str:
    decision = _decision(terlapor)
    if decision is None:
        raise ValidationError(_("Belum ada keputusan yang dapat dikoreksi."))
    services.record_correction(decision, actor=user, **data)
    return _("Koreksi keputusan dicatat.")


def _do_block(terlapor: Terlapor, user, data: dict) -> str:
    block = services.record_block(terlapor, actor=user, **data)
    return _("Pemblokiran data kepegawaian dicatat (surat %(number)s).") % {"number": block.letter_number}


def _do_lift(terlapor: Terlapor, user, data: dict) -> str:
    block = terlapor.blocks.filter(lifted_on__isnull=True).first()
    if block is None:
        raise ValidationError(_("Tidak ada blokir aktif pada perkara ini."))
    services.lift_block(block, actor=user, **data)
    return _("Pembukaan blokir dicatat.")


def _do_escalation(terlapor: Terlapor, user, data: dict) -> str:
    escalation = services.record_escalation(terlapor, actor=user, **data)
    return _("Eskalasi dicatat: %(kind)s.") % {"kind": escalation.get_kind_display()}


ACTIONS: dict[str, Action] = {
    "keputusan": Action(
        DecisionForm,
        "keputusan",
        "decision",
        _do_decision,
        form_kwargs=lambda terlapor: {
            "allowed": services.allowed_sanction_kinds(terlapor),
            "recommended": services.recommended_sanction_kind_ids(terlapor),
        },
        reauth=True,
    ),
    "keluar-dinas": Action(LeftServiceForm, "keluar", "left_service", _do_left_service),
    "koreksi": Action(CorrectionForm, "koreksi", "correction", _do_correction, reauth=True),
    "blokir": Action(
        BlockForm, "blokir", "block", _do_block, initial=lambda today: {"blocked_on": today, "letter_date": today}
    ),
    "buka-blokir": Action(LiftBlockForm, "buka", "lift", _do_lift, initial=lambda today: {"lifted_on": today}),
    "eskalasi": Action(EscalationForm, "eskalasi", "escalation", _do_escalation),
}


@require_POST
@staff_member_required
def case_action(request, pk: int, action: str):
    """Submit one of the case page's forms; on refusal the page comes back with the messages and the input."""
    terlapor = _case(request, pk)
    try:
        spec = ACTIONS[action]
    except KeyError:
        raise Http404 from None
    if spec.reauth and (challenge := reauth_challenge(request)) is not None:
        return challenge
    form = spec.form(request.POST, request.FILES, prefix=spec.prefix, **spec.form_kwargs(terlapor))
    if form.is_valid():
        try:
            message = spec.perform(terlapor, request.user, form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        except (StaleReport, TransitionNotAllowed):
            messages.error(request, _("Perkara ini baru saja diubah oleh petugas lain. Periksa keadaannya sekarang."))
            return redirect("sanctions:case", pk=terlapor.pk)
        else:
            messages.success(request, message)
            return redirect(reverse("sanctions:case", args=[terlapor.pk]))
    terlapor.refresh_from_db()
    return _render_case(request, terlapor, bound={action: form}, status=400)


# ---------------------------------------------------------------- letters and the signed SK


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@staff_member_required
def recommendation_pdf(request, pk: int):
    terlapor = _case(request, pk)
    return _pdf(recommendation_letter_pdf(terlapor.recommendation), f"rekomendasi-{terlapor.pk}.pdf")


@require_safe
@staff_member_required
def draft_decision_pdf(request, pk: int):
    terlapor = _case(request, pk)
    return _pdf(decision_letter_pdf(terlapor), f"draf-sk-{terlapor.pk}.pdf")


@require_safe
@staff_member_required
def signed_sk(request, pk: int):
    """The signed SK as the PPK's office uploaded it (checked as a PDF on upload)."""
    decision = _decision(_case(request, pk))
    if decision is None or not decision.signed_sk:
        raise Http404
    try:
        handle = decision.signed_sk.storage.open(decision.signed_sk.name, "rb")
    except FileNotFoundError:
        logger.error("Decision %s: signed SK %s is missing from storage", decision.pk, decision.signed_sk.name)
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"sk-{decision.terlapor_id}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
