"""The triage actions of the admin: when each button is offered, what it asks, which service it calls.

Every action calls a service (reports.triage, reports.assessment, reports.recommendations,
reports.casework, reports.relay) and is offered when the workflow allows it for this user; each
refusal a service raises becomes an Indonesian message instead of an error page. Their forms are in
reports.staff.action_forms, the views that run them in reports.staff.action_views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import visibility
from reports.enums import CaseStatus, ReportStatus
from reports.models import Report
from reports.staff.action_forms import (
    ActionForm,
    CancelForm,
    ClarificationForm,
    CompletionForm,
    ExtendKajianForm,
    ForwardForm,
    KajianForm,
    LeftServiceForm,
    LinkForm,
    NoteForm,
    NotProvenForm,
    QuestionForm,
    RecommendationForm,
    RegisterForm,
    RejectForm,
    RerouteForm,
)
from reports.workflow import (
    NoteRequired,
    StaleReport,
    TransitionNotAllowed,
    allowed_case_transitions,
    allowed_transitions,
    report_is_open,
)

# Refusals a service may raise; each becomes a message, never a 500.
# (NoteRequired is a ValueError; the services raise ValueError for a request that makes no sense.)
REFUSALS = (TransitionNotAllowed, StaleReport, PermissionDenied, ValidationError, IntegrityError, ValueError)


def refusal_message(exc: Exception) -> str:
    """The Indonesian sentence an officer reads when a service refused."""
    if isinstance(exc, StaleReport):
        return _("Data ini baru saja diubah oleh petugas lain. Muat ulang halaman, periksa statusnya, lalu coba lagi.")
    if isinstance(exc, NoteRequired):
        return str(exc) or _("Alasan atau pesan wajib diisi.")
    if isinstance(exc, TransitionNotAllowed):
        return _("Tindakan ini tidak dapat dilakukan pada status saat ini, atau Anda tidak berwenang melakukannya.")
    if isinstance(exc, PermissionDenied):
        detail = str(exc)
        return _("Anda tidak berwenang melakukan tindakan ini.") + (f" {detail}" if detail else "")
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, IntegrityError):
        return _("Data bentrok dengan data yang sudah ada (misalnya nomor surat sudah dipakai).")
    return str(exc) or _("Permintaan ini tidak dapat diproses.")


# --- the actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One triage action: when it is offered, what it asks, which service it calls."""

    name: str
    label: str
    success: str  # "%(obj)s" is the tracking code or the terlapor's name
    offered: Callable[[object, object], bool]
    run: Callable[[object, object, dict], object]
    form_class: type[ActionForm] = ActionForm
    question: str = ""
    danger: bool = False
    reauth: bool = False  # the password and second factor again first (netralitas.security.reauth)


def at_intake(report: Report, user) -> bool:
    """Whether ``user`` works at the organisation that received ``report`` (national bodies everywhere)."""
    scope = visibility.scope_for(user)
    return scope.national or (
        scope.organisation_id is not None and scope.organisation_id == report.intake_organisation_id
    )


def _report_edge(to: str, *, intake_only: bool = False) -> Callable:
    """Offered when the workflow allows the edge for ``user``; verification steps only at the intake organisation."""

    def offered(report: Report, user) -> bool:
        if to not in allowed_transitions(report, actor=user):
            return False
        return not (intake_only or report.status in VERIFICATION_STATUSES) or at_intake(report, user)

    return offered


def _case_edge(to: str) -> Callable:
    return lambda terlapor, user: to in allowed_case_transitions(terlapor, actor=user)


def _triage():
    from reports import triage

    return triage


def _assessment():
    from reports import assessment

    return assessment


def _recommendations():
    from reports import recommendations

    return recommendations


def _casework():
    from reports import casework

    return casework


def _relay():
    from reports import relay

    return relay


R = ReportStatus
VERIFICATION_STATUSES = frozenset({R.RECEIVED, R.VERIFYING, R.NEEDS_COMPLETION})
REROUTABLE = frozenset({R.RECEIVED, R.VERIFYING, R.NEEDS_COMPLETION})

REPORT_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "verifikasi",
            gettext_lazy("Mulai verifikasi"),
            gettext_lazy("Laporan %(obj)s mulai diverifikasi."),
            _report_edge(R.VERIFYING),
            lambda r, u, cd: _triage().start_verification(r, actor=u, note=cd.get("note", "")),
            form_class=NoteForm,
            question=gettext_lazy("Mulai memverifikasi laporan ini?"),
        ),
        Action(
            "minta-kelengkapan",
            gettext_lazy("Minta kelengkapan"),
            gettext_lazy("Permintaan kelengkapan untuk %(obj)s terkirim kepada pelapor."),
            _report_edge(R.NEEDS_COMPLETION),
            lambda r, u, cd: _triage().request_completion(r, actor=u, message=cd["message"]),
            form_class=CompletionForm,
        ),
        Action(
            "tolak",
            gettext_lazy("Tolak laporan"),
            gettext_lazy("Laporan %(obj)s ditolak."),
            _report_edge(R.REJECTED),
            lambda r, u, cd: _triage().reject_report(r, actor=u, reason=cd["reason"]),
            form_class=RejectForm,
            danger=True,
        ),
        Action(
            "registrasi",
            gettext_lazy("Registrasi"),
            gettext_lazy("Laporan %(obj)s diregistrasi."),
            _report_edge(R.REGISTERED),
            lambda r, u, cd: _triage().register_report(
                r, actor=u, formal_met=cd["formal_met"], material_met=cd["material_met"], note=cd["note"]
            ),
            form_class=RegisterForm,
            question=gettext_lazy("Registrasi laporan ini? Setiap terlapor dicatat dalam register ASN."),
        ),
        Action(
            "kajian",
            gettext_lazy("Catat hasil kajian"),
            gettext_lazy("Hasil kajian laporan %(obj)s dicatat."),
            lambda r, u: (
                r.status in (R.REGISTERED, R.KAJIAN) and u.has_perm("reports.assess_report") and at_intake(r, u)
            ),
            lambda r, u, cd: _assessment().record_kajian(
                r, actor=u, result=cd["result"], reasoning=cd["reasoning"], document=cd.get("document")
            ),
            form_class=KajianForm,
        ),
        Action(
            "perpanjang-kajian",
            gettext_lazy("Perpanjang tenggat kajian"),
            gettext_lazy("Tenggat kajian laporan %(obj)s diperpanjang."),
            lambda r, u: (
                r.status in (R.REGISTERED, R.KAJIAN)
                and r.kajian_extended_at is None
                and u.has_perm("reports.assess_report")
                and at_intake(r, u)
            ),
            lambda r, u, cd: _assessment().extend_kajian(r, actor=u, reason=cd["reason"]),
            form_class=ExtendKajianForm,
        ),
        Action(
            "teruskan",
            gettext_lazy("Teruskan ke lembaga pemberi rekomendasi"),
            gettext_lazy("Laporan %(obj)s diteruskan ke lembaga pemberi rekomendasi."),
            _report_edge(R.FORWARDED),
            lambda r, u, cd: _assessment().forward_report(
                r, actor=u, letter_number=cd["letter_number"], letter_date=cd["letter_date"], note=cd["note"]
            ),
            form_class=ForwardForm,
            question=gettext_lazy(
                "Hasil kajian diteruskan kepada lembaga pemberi rekomendasi yang berwenang hari ini; "
                "setiap terlapor masuk tahap klarifikasi."
            ),
        ),
        Action(
            "alihkan",
            gettext_lazy("Alihkan ke organisasi lain"),
            gettext_lazy("Laporan %(obj)s dialihkan."),
            lambda r, u: u.has_perm("reports.reroute_report") and r.status in REROUTABLE and at_intake(r, u),
            lambda r, u, cd: _triage().reroute_report(r, actor=u, to=cd["organisation"], reason=cd["reason"]),
            form_class=RerouteForm,
        ),
        Action(
            "tangani",
            gettext_lazy("Tangani sendiri"),
            gettext_lazy("Laporan %(obj)s kini Anda tangani."),
            lambda r, u: (
                u.has_perm("reports.change_report")
                and report_is_open(r)
                and r.assigned_to_id != u.pk
                and at_intake(r, u)
                and r.intake_organisation_id is not None
            ),
            lambda r, u, cd: _triage().assign_report(r, actor=u, to_user=u),
            question=gettext_lazy("Tangani laporan ini sendiri?"),
        ),
        Action(
            "tanya-pelapor",
            gettext_lazy("Tanya pelapor"),
            gettext_lazy("Pertanyaan untuk pelapor %(obj)s terkirim melalui portal."),
            lambda r, u: _relay().may_ask_reporter(r, u),
            lambda r, u, cd: _relay().ask_reporter(r, actor=u, question=cd["question"]),
            form_class=QuestionForm,
        ),
        Action(
            "tautkan",
            gettext_lazy("Tautkan laporan"),
            gettext_lazy("Laporan %(obj)s ditautkan."),
            lambda r, u: u.has_perm("reports.change_report"),
            lambda r, u, cd: _triage().link_reports(r, cd["other"], actor=u),
            form_class=LinkForm,
        ),
    )
}

C = CaseStatus
CASE_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "rekomendasi",
            gettext_lazy("Terbitkan rekomendasi"),
            gettext_lazy("Rekomendasi untuk %(obj)s diterbitkan."),
            _case_edge(C.RECOMMENDED),
            lambda t, u, cd: _recommendations().issue_recommendation(t, actor=u, **cd),
            form_class=RecommendationForm,
            reauth=True,
        ),
        Action(
            "klarifikasi",
            gettext_lazy("Catat klarifikasi"),
            gettext_lazy("Klarifikasi perkara %(obj)s dicatat."),
            lambda t, u: t.case_status == C.CLARIFICATION and u.has_perm("reports.record_clarification"),
            lambda t, u, cd: _casework().record_clarification(t, actor=u, **cd),
            form_class=ClarificationForm,
        ),
        Action(
            "tidak-terbukti",
            gettext_lazy("Nyatakan tidak terbukti"),
            gettext_lazy("Perkara %(obj)s dinyatakan tidak terbukti."),
            _case_edge(C.NOT_PROVEN),
            lambda t, u, cd: _casework().declare_not_proven(t, actor=u, reasoning=cd["reasoning"]),
            form_class=NotProvenForm,
            reauth=True,
        ),
        Action(
            "keluar-dinas",
            gettext_lazy("Tutup: ASN sudah keluar dari dinas"),
            gettext_lazy("Perkara %(obj)s ditutup: tidak dapat ditindaklanjuti."),
            _case_edge(C.CANNOT_FOLLOW_UP),
            lambda t, u, cd: _casework().close_case_left_service(t, actor=u, reason=cd["reason"], note=cd["note"]),
            form_class=LeftServiceForm,
            danger=True,
        ),
        Action(
            "batalkan",
            gettext_lazy("Batalkan perkara"),
            gettext_lazy("Perkara %(obj)s dibatalkan."),
            _case_edge(C.CANCELLED),
            lambda t, u, cd: _casework().cancel_case(t, actor=u, reason=cd["reason"]),
            form_class=CancelForm,
            danger=True,
            reauth=True,
        ),
    )
}


def action_warnings(action: Action, obj, cleaned_data: dict) -> list[str]:
    """What an officer should double-check after an act that succeeded (never a refusal)."""
    if action.name == "rekomendasi" and cleaned_data.get("violation_type") is not None:
        return _recommendations().recommendation_warnings(obj, cleaned_data["violation_type"])
    return []


def offered_actions(actions: dict[str, Action], obj, user) -> list[Action]:
    return [action for action in actions.values() if action.offered(obj, user)]


def perform(action: Action, obj, user, cleaned_data: dict) -> Exception | None:
    """Run ``action``; return None on success or the service's refusal."""
    try:
        action.run(obj, user, cleaned_data)
    except REFUSALS as exc:
        return exc
    return None
