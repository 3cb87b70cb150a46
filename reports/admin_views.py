"""Triage actions of the admin: what each button does, its form, and the views behind it.

Every action calls a service (reports.triage, reports.recommendations); the view only
picks the object through the admin's queryset (the visibility rule, so a foreign id is
a 404), offers the action when the workflow allows it for this user, and turns each
refusal into an Indonesian message instead of an error page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import visibility
from netralitas.enums import INSTANSI_KINDS, Level, OrganisationKind, Track
from netralitas.models import Organisation, SanctionKind, ViolationType
from netralitas.security.reauth import challenge as reauth_challenge
from reports.enums import CaseStatus, KajianResult, LeftServiceReason, ReportStatus
from reports.models import Recommendation, Report
from reports.selectors import reports_visible_to
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


# --- forms ---------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of every action form: knows the object and the user it acts for."""

    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj = obj
        self.user = user
        super().__init__(*args, **kwargs)


class CompletionForm(ActionForm):
    message = forms.CharField(
        label=gettext_lazy("Pesan kepada pelapor"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Tulis apa yang perlu dilengkapi. Pelapor membacanya di halaman status dan surelnya."),
    )


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Pelapor membaca alasan ini di halaman status."),
    )


class RerouteForm(ActionForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Alihkan ke organisasi"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Alasan pengalihan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        verifiers = set(INSTANSI_KINDS) | {
            OrganisationKind.BAWASLU_RI,
            OrganisationKind.BAWASLU_PROVINSI,
            OrganisationKind.BAWASLU_KABKOTA,
            OrganisationKind.KASN,
            OrganisationKind.BKN,
            OrganisationKind.BKN_KANREG,
        }
        qs = Organisation.objects.filter(is_active=True, kind__in=verifiers).order_by("name")
        if self.obj is not None:
            if self.obj.intake_organisation_id:
                qs = qs.exclude(pk=self.obj.intake_organisation_id)
            # Never the accused's chain of command (reports.confidentiality); the service refuses it too.
            from reports.confidentiality import organisation_lineage

            instansi = list(self.obj.terlapor.values_list("instansi_id", flat=True))
            above = {pk for chain in organisation_lineage(instansi).values() for pk in chain}
            qs = qs.exclude(pk__in=above).exclude(parent_id__in=instansi)
        self.fields["organisation"].queryset = qs


class QuestionForm(ActionForm):
    question = forms.CharField(
        label=gettext_lazy("Pertanyaan kepada pelapor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Pelapor membacanya di halaman status (dan surelnya, bila ada). Anda tidak melihat identitas "
            "maupun alamat surel pelapor; jawabannya kembali ke riwayat laporan ini."
        ),
    )


class LinkForm(ActionForm):
    other = forms.ModelChoiceField(label=gettext_lazy("Laporan terkait"), queryset=Report.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a report this user may see can be linked: a foreign id is "not a valid choice".
        self.fields["other"].queryset = reports_visible_to(self.user).exclude(pk=self.obj.pk)


class SanctionKindsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SanctionKind) -> str:
        return f"{obj.get_level_display()}: {obj.name}"


class RecommendationForm(ActionForm):
    finding = forms.CharField(
        label=gettext_lazy("Temuan/fakta"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    violation_type = forms.ModelChoiceField(
        label=gettext_lazy("Jenis pelanggaran"), queryset=ViolationType.objects.filter(is_active=True)
    )
    track = forms.ChoiceField(label=gettext_lazy("Jalur"), choices=Track.choices)
    level = forms.ChoiceField(label=gettext_lazy("Tingkat"), choices=Level.choices)
    sanction_kinds = SanctionKindsField(
        label=gettext_lazy("Jenis sanksi yang direkomendasikan"),
        queryset=SanctionKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Hanya jenis sanksi yang berlaku bagi status kepegawaian terlapor."),
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Pertimbangan"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat"), max_length=100)
    letter_date = forms.DateField(
        label=gettext_lazy("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    received_date = forms.DateField(
        label=gettext_lazy("Tanggal diterima instansi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Tenggat PPK dihitung sejak surat diterima; kosongkan bila sama dengan tanggal surat."),
    )

    def __init__(self, *args, **kwargs):
        from reports.recommendations import sanction_applies

        super().__init__(*args, **kwargs)
        terlapor = self.obj
        kinds = list(SanctionKind.objects.filter(is_active=True).order_by("sort_order", "code"))
        if terlapor is not None:
            kinds = [kind for kind in kinds if sanction_applies(kind, terlapor.employee_status)]
        self.fields["sanction_kinds"].queryset = SanctionKind.objects.filter(pk__in=[kind.pk for kind in kinds])
        if terlapor is None or self.is_bound:
            return
        violation = terlapor.report.violation_type
        track, level = "", ""
        if terlapor.satgas_track:  # outside the matrix (B13) the Satgas's decision comes first
            track, level = terlapor.satgas_track, terlapor.satgas_level
        elif violation is not None and violation.track != Track.SATGAS:
            track, level = violation.track, violation.level
        if violation is not None:
            self.initial["violation_type"] = violation.pk
        if track:
            self.initial.update(
                track=track,
                level=level,
                sanction_kinds=[kind.pk for kind in kinds if (kind.track, kind.level) == (track, level)],
            )
        self.initial.setdefault("letter_date", timezone.localdate())


class NoteForm(ActionForm):
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Catatan internal untuk riwayat laporan (tidak tampil bagi pelapor)."),
    )


class RegisterForm(NoteForm):
    formal_met = forms.BooleanField(
        label=gettext_lazy("Syarat formal terpenuhi"),
        help_text=gettext_lazy(
            "Identitas pelapor (kecuali rahasia/anonim), terlapor, dan dalam batas waktu pelaporan."
        ),
        error_messages={"required": gettext_lazy("Centang bila syarat formal terpenuhi; bila tidak, tolak laporan.")},
    )
    material_met = forms.BooleanField(
        label=gettext_lazy("Syarat materiel terpenuhi"),
        help_text=gettext_lazy("Waktu dan tempat kejadian, uraian kronologis, dan sedikitnya satu bukti."),
        error_messages={"required": gettext_lazy("Centang bila syarat materiel terpenuhi; bila tidak, tolak laporan.")},
    )
    field_order = ["formal_met", "material_met", "note"]


class KajianForm(ActionForm):
    result = forms.ChoiceField(
        label=gettext_lazy("Hasil kajian"), choices=KajianResult.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Pertimbangan"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    document = forms.FileField(
        label=gettext_lazy("Dokumen hasil kajian (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=gettext_lazy("Formulir hasil kajian yang ditandatangani, dipindai ke PDF."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kajian = getattr(self.obj, "kajian", None) if self.obj is not None else None
        if kajian is not None and not self.is_bound:
            self.initial.update(result=kajian.result, reasoning=kajian.reasoning)


class ExtendKajianForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan perpanjangan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Misalnya: memerlukan keterangan tambahan dari saksi. Hanya sekali."),
    )


class ForwardForm(NoteForm):
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat penerusan"), max_length=100)
    letter_date = forms.DateField(
        label=gettext_lazy("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    field_order = ["letter_number", "letter_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("letter_date", timezone.localdate())


class ClarificationForm(ActionForm):
    held_on = forms.DateField(
        label=gettext_lazy("Tanggal klarifikasi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    heard = forms.CharField(
        label=gettext_lazy("Pihak yang dimintai keterangan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Misalnya: terlapor, atasan langsung, dua saksi."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Ringkasan keterangan"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CancelForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pembatalan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Tercatat dalam riwayat perkara; rekomendasi yang sudah terbit ikut dibatalkan."),
    )


class NotProvenForm(ActionForm):
    reasoning = forms.CharField(label=gettext_lazy("Pertimbangan"), widget=forms.Textarea(attrs={"rows": 4}))


class LeftServiceForm(ActionForm):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=LeftServiceReason.choices)
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


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


def _recommendations():
    from reports import recommendations

    return recommendations


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
            lambda r, u, cd: _triage().record_kajian(
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
            lambda r, u, cd: _triage().extend_kajian(r, actor=u, reason=cd["reason"]),
            form_class=ExtendKajianForm,
        ),
        Action(
            "teruskan",
            gettext_lazy("Teruskan ke lembaga pemberi rekomendasi"),
            gettext_lazy("Laporan %(obj)s diteruskan ke lembaga pemberi rekomendasi."),
            _report_edge(R.FORWARDED),
            lambda r, u, cd: _triage().forward_report(
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
            lambda t, u, cd: _recommendations().record_clarification(t, actor=u, **cd),
            form_class=ClarificationForm,
        ),
        Action(
            "tidak-terbukti",
            gettext_lazy("Nyatakan tidak terbukti"),
            gettext_lazy("Perkara %(obj)s dinyatakan tidak terbukti."),
            _case_edge(C.NOT_PROVEN),
            lambda t, u, cd: _recommendations().declare_not_proven(t, actor=u, reasoning=cd["reasoning"]),
            form_class=NotProvenForm,
            reauth=True,
        ),
        Action(
            "keluar-dinas",
            gettext_lazy("Tutup: ASN sudah keluar dari dinas"),
            gettext_lazy("Perkara %(obj)s ditutup: tidak dapat ditindaklanjuti."),
            _case_edge(C.CANNOT_FOLLOW_UP),
            lambda t, u, cd: _recommendations().close_case_left_service(
                t, actor=u, reason=cd["reason"], note=cd["note"]
            ),
            form_class=LeftServiceForm,
            danger=True,
        ),
        Action(
            "batalkan",
            gettext_lazy("Batalkan perkara"),
            gettext_lazy("Perkara %(obj)s dibatalkan."),
            _case_edge(C.CANCELLED),
            lambda t, u, cd: _recommendations().cancel_case(t, actor=u, reason=cd["reason"]),
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


def object_label(obj) -> str:
    return obj.tracking_code if isinstance(obj, Report) else str(obj)


def perform(action: Action, obj, user, cleaned_data: dict) -> Exception | None:
    """Run ``action``; return None on success or the service's refusal."""
    try:
        action.run(obj, user, cleaned_data)
    except REFUSALS as exc:
        return exc
    return None


def add_refusal_to_form(form: forms.Form, exc: Exception) -> None:
    """Show a refusal next to the fields it names (a ValidationError keyed by field), else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_message(exc))


def action_view(model_admin, request, object_id: str, name: str, actions: dict[str, Action]):
    """GET: the action's form (or a confirmation); POST: run it and return to the change page."""
    obj = model_admin.get_object(request, unquote(object_id))  # a foreign or missing id is a 404
    action = actions.get(name)
    if action is None:
        raise Http404
    opts = model_admin.model._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    label = object_label(obj)
    if not action.offered(obj, request.user):
        messages.error(
            request,
            _(
                "Tindakan “%(action)s” tidak tersedia untuk %(obj)s: "
                "statusnya tidak memungkinkan atau Anda tidak berwenang."
            )
            % {"action": action.label, "obj": label},
        )
        return redirect(change_url)
    posted = request.method == "POST"
    if posted and action.reauth and (challenge := reauth_challenge(request)) is not None:
        return challenge
    form = action.form_class(
        request.POST if posted else None, request.FILES if posted else None, obj=obj, user=request.user
    )
    if posted and form.is_valid():
        refusal = perform(action, obj, request.user, form.cleaned_data)
        if refusal is None:
            messages.success(request, action.success % {"obj": label})
            for warning in action_warnings(action, obj, form.cleaned_data):
                messages.warning(request, warning)
            return redirect(change_url)
        if not form.fields or not isinstance(refusal, ValidationError | ValueError):
            # Nothing the officer types would change this answer: back to the case page with the reason.
            messages.error(request, refusal_message(refusal))
            return redirect(change_url)
        add_refusal_to_form(form, refusal)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{action.label}: {label}",
        "opts": opts,
        "original": obj,
        "object_label": label,
        "action": action,
        "form": form,
        "change_url": change_url,
        "has_view_permission": True,
    }
    return TemplateResponse(request, "admin/reports/action_form.html", context)


def run_bulk(model_admin, request, queryset, name: str) -> None:
    """An admin changelist action: run ``name`` on each selected report; one message for the done, one per refusal."""
    action = REPORT_ACTIONS[name]
    done: list[str] = []
    for report in queryset:
        if not action.offered(report, request.user):
            messages.error(
                request,
                _("%(obj)s: tindakan “%(action)s” tidak tersedia pada status ini atau Anda tidak berwenang.")
                % {"obj": report.tracking_code, "action": action.label},
            )
            continue
        refusal = perform(action, report, request.user, {})
        if refusal is None:
            done.append(report.tracking_code)
        else:
            messages.error(request, f"{report.tracking_code}: {refusal_message(refusal)}")
    if done:
        messages.success(request, action.success % {"obj": ", ".join(done)})


def letter_filename(recommendation: Recommendation) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", recommendation.letter_number).strip("-") or str(recommendation.pk)
    return f"rekomendasi-{slug}.pdf"


def letter_view(model_admin, request, object_id: str) -> HttpResponse:
    """The recommendation letter as a PDF attachment; only for a recommendation the user may see."""
    from reports.letters import recommendation_letter_pdf

    recommendation = model_admin.get_object(request, unquote(object_id))
    response = HttpResponse(recommendation_letter_pdf(recommendation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(recommendation)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cases_of(report: Report, user):
    """The report's terlapor with what the case page shows of each (one query)."""
    from reports.selectors import terlapor_visible_to

    return (
        terlapor_visible_to(user)
        .filter(report=report)
        .select_related("instansi", "authority__organisation", "person", "recommendation")
        .order_by("id")
    )


def visible_linked_reports(report: Report, user):
    return report.linked_reports.filter(pk__in=reports_visible_to(user).values("pk")).order_by("-received_at")
