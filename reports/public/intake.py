"""The public report form at /lapor/ and its receipt (HTML and PDF).

The receipt lives in the submitter's session: {"report": pk, "sealed_pin": …, "until": …}.
It carries the reporter's identity and the terlapor, so it is sealed data
(reports.confidentiality): it opens only in the browser that submitted, for
RECEIPT_SECONDS after submission and until the reporter presses "Selesai";
afterwards the status lookup (code + PIN) is the way back.
The PIN is never stored in clear, not even in the session table: the session
keeps it XOR-ed with a random pad of its length (a one-time pad), and the pad
goes to the browser alone, in a cookie limited to /lapor/ that expires after
ten minutes. So the receipt page shows the PIN once (then marks it shown), the
PDF downloaded within those ten minutes carries it, and afterwards neither the
server nor the browser can recover it.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas import ratelimit
from netralitas.calendar import due_date_for
from netralitas.enums import DeadlineStep
from netralitas.links import absolute_url
from netralitas.models import DeadlineRule
from reports.enums import EvidenceKind
from reports.evidence import store_evidence_file
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence, Report, Terlapor
from reports.public.antibot import (
    ALREADY_SENT,
    TIMER_FIELD,
    consume_timer_counting,
    release_timer,
    used_mark_key,
)
from reports.public.drafts import read_draft_token
from reports.public.formpage import render_form_page, unbound_form_page
from reports.public.forms import ReportForm
from reports.public.formstyle import clear_invalid
from reports.public.terlapor_forms import TERLAPOR_PREFIX, TerlaporFormSet
from reports.public.uploadhandlers import upload_refusals
from reports.services import discard_drafts, drafts_for, submit_report

SESSION_KEY = "intake_receipt"
PAD_COOKIE = "ntr_receipt_pad"
PIN_SECONDS = 600
RECEIPT_SECONDS = 15 * 60


# ---------------------------------------------------------------- the form


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    # Uploads stream through reports.public.uploadhandlers.LimitedUploadHandler (FILE_UPLOAD_HANDLERS):
    # oversized or surplus files are refused while they arrive and listed by upload_refusals().
    if request.method != "POST":
        return unbound_form_page(request)

    token = read_draft_token(request.POST.get("draft"))
    data = post_working_copy(request.POST)
    removed = [int(v) for v in data.getlist("remove_drafts") if v.isdigit()]
    data.pop("remove_drafts", None)
    discard_drafts(token, removed)
    form = ReportForm(data, request.FILES, drafts=drafts_for(token), draft_token=token)
    adding = "add_terlapor" in data
    if adding:
        total = data.get(f"{TERLAPOR_PREFIX}-TOTAL_FORMS", "1")
        count = int(total) if total.isdigit() else 1
        data[f"{TERLAPOR_PREFIX}-TOTAL_FORMS"] = str(min(count + 1, TerlaporFormSet.max_num))
    formset = TerlaporFormSet(data, prefix=TERLAPOR_PREFIX)

    # Every POST counts against a high cap (abuse); only stored reports count against the hourly limit,
    # so corrections, "tambah terlapor" and citizens sharing one carrier IP are not turned away.
    # One round trip to the cache: the POST counted, the hourly limit looked at, the timer's used-mark read.
    ip = ratelimit.client_ip(request)
    timer = (data.get(TIMER_FIELD) or "").strip()  # as the form's CharField cleans it
    mark = used_mark_key(timer)
    verdict, marks = ratelimit.hit_then_peek("submit_post", "submit", ip, reads=[mark] if mark else [])
    form.timer_spent = (timer, bool(marks and marks[0]))
    if not verdict.allowed:
        return _too_many(request, form, formset, verdict)

    form_valid = form.is_valid()
    uploads = [upload for upload in request.FILES.getlist("evidence_files") if upload]
    refused = [] if form.bot_suspected else upload_refusals(request)
    complete = form_valid and formset.is_valid() and not form.errors and not refused
    if not adding and complete and form.evidence_ok(pending=len(uploads)):
        response = _submit(request, form, formset, uploads, ip)
        if response is not None:
            return response
    # Not submitted: keep the acceptable files as drafts of this form (removed within the hour if never sent).
    if not form.bot_suspected:
        _keep_uploads(form, refused, uploads)
        if not adding:
            form.check_evidence(refused=len(refused))
    if adding:
        _quiet(form, formset, keep=("evidence_files",))
    return render_form_page(request, form, formset)


def post_working_copy(post: QueryDict) -> QueryDict:
    """``post`` as a mutable QueryDict: QueryDict.copy() deep-copies every (immutable) string; new lists serve."""
    data = QueryDict(mutable=True, encoding=post.encoding)
    dict.update(data, {key: list(values) for key, values in dict.items(post)})
    return data


def _submit(request: HttpRequest, form: ReportForm, formset, uploads: list, ip: str) -> HttpResponse | None:
    """Store the report in one transaction with this request's files: the redirect to the receipt, or None.

    None when the timer was already spent or a file was refused inside the transaction (nothing is
    stored then); the caller keeps the acceptable files as drafts and shows the form again.
    """
    timer = form.cleaned_data.get(TIMER_FIELD, "")
    # The timer spent and the report counted against the hourly limit in one round trip; taken back on failure.
    counted = consume_timer_counting(timer, "submit", ip)
    if counted is None:
        form.add_error(None, ALREADY_SENT)
        return None
    try:
        report, pin = submit_report(
            **form.submission(),
            terlapor=formset.entries(),
            files=uploads,
            status_url=absolute_url("/status/"),
        )
    except EvidenceRejected as exc:
        release_timer(timer)
        ratelimit.take_back(counted)
        if exc.code.startswith("link"):
            form.add_error("evidence_links", exc.message)
        return None  # a refused file is named when the others are kept as drafts
    except BaseException:
        release_timer(timer)  # the database failed: Back and send again must work
        ratelimit.take_back(counted)
        raise
    if request.session.session_key:
        request.session.cycle_key()  # an existing (possibly planted) session gets a new key before the PIN
    sealed, pad = _seal(pin)
    request.session[SESSION_KEY] = {
        "report": report.pk,
        "sealed_pin": sealed,
        "pin_until": time.time() + PIN_SECONDS,
        "pin_shown": False,
        "until": time.time() + RECEIPT_SECONDS,
    }
    response = HttpResponseRedirect(reverse("intake_receipt"), status=303)
    response.set_cookie(
        PAD_COOKIE,
        pad,
        max_age=PIN_SECONDS,
        path="/lapor/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _too_many(request: HttpRequest, form: ReportForm, formset, verdict: ratelimit.Verdict) -> HttpResponse:
    _quiet(form, formset)
    form.add_error(
        None,
        _(
            "Terlalu banyak pengiriman dari alamat Anda. Isian Anda tetap di bawah; "
            "coba kirim lagi dalam %(minutes)d menit."
        )
        % {"minutes": max(verdict.retry_after // 60, 1)},
    )
    response = render_form_page(request, form, formset, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _keep_uploads(form: ReportForm, refused: list, uploads: list) -> None:
    """Store this attempt's acceptable files as drafts of the form; record each refusal next to the field."""
    for refusal in refused:
        form.add_error("evidence_files", ValidationError(refusal.message, code=refusal.reason))
    if len(uploads) > form.room_for_files():
        form.refuse_too_many(len(uploads))
        refused.extend(uploads)
        return
    for upload in uploads:
        try:
            form.drafts.append(store_evidence_file(upload, draft_token=form.draft_token))
        except EvidenceRejected as exc:
            form.add_error("evidence_files", ValidationError(exc.message, code=exc.code))
            refused.append(upload)


def _quiet(form: ReportForm, formset, keep: tuple[str, ...] = ()) -> None:
    """Render the posted values again without their validation errors (adding a terlapor, rate limit)."""
    from django.forms.utils import ErrorDict, ErrorList

    kept = ErrorDict({name: errors for name, errors in (form._errors or {}).items() if name in keep})
    form._errors = kept
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    formset._errors = [ErrorDict() for _ in formset.forms]
    formset._non_form_errors = ErrorList()
    for subform in formset.forms:
        subform._errors = ErrorDict()
        subform.cleaned_data = {}
        clear_invalid(subform)
    clear_invalid(form, keep=keep)


# ---------------------------------------------------------------- the receipt


class ReceiptClosed(Exception):
    """The receipt's fifteen minutes passed: the status lookup is the way back."""


def _receipt_report(request: HttpRequest) -> tuple[Report | None, dict]:
    """The report of this browser's receipt; raises ReceiptClosed (and forgets it) once its time is up."""
    receipt = request.session.get(SESSION_KEY) or {}
    if receipt.get("closed"):
        raise ReceiptClosed
    if "report" not in receipt:
        return None, receipt
    if receipt.get("until", 0) < time.time():
        request.session[SESSION_KEY] = {"closed": True}  # nothing of the report stays in the session
        raise ReceiptClosed
    report = (
        Report.objects.select_related("region__parent", "violation_type", "election", "intake_organisation")
        .prefetch_related(
            Prefetch("terlapor", queryset=Terlapor.objects.select_related("instansi")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
        )
        .filter(pk=receipt["report"])
        .first()
    )
    return report, receipt


def _seal(pin: str) -> tuple[str, str]:
    """(the PIN XOR a fresh random pad, the pad), both hex: either alone says nothing of the PIN."""
    data = pin.encode()
    pad = secrets.token_bytes(len(data))
    return bytes(a ^ b for a, b in zip(data, pad, strict=True)).hex(), pad.hex()


def _unseal(request: HttpRequest, receipt: dict) -> str | None:
    """The PIN, while the session holds it sealed, the browser still has the pad and ten minutes have not passed."""
    try:
        sealed, pad = bytes.fromhex(receipt.get("sealed_pin", "")), bytes.fromhex(request.COOKIES.get(PAD_COOKIE, ""))
    except ValueError:
        return None
    if not sealed or len(sealed) != len(pad) or receipt.get("pin_until", 0) < time.time():
        return None
    return bytes(a ^ b for a, b in zip(sealed, pad, strict=True)).decode(errors="replace")


def _report_due(report: Report):
    try:
        return due_date_for(DeadlineStep.REPORT_WINDOW, report.learned_date or report.incident_date).due
    except DeadlineRule.DoesNotExist:
        return None


def _closed(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _(
            "Tanda terima hanya dapat dibuka selama %(minutes)d menit sesudah laporan terkirim. "
            "Pantau laporan Anda di sini dengan kode pelacakan dan PIN."
        )
        % {"minutes": RECEIPT_SECONDS // 60},
    )
    response = redirect("status_lookup")
    response.delete_cookie(PAD_COOKIE, path="/lapor/", samesite="Strict")
    return response


@never_cache
@require_GET
def report_receipt(request: HttpRequest) -> HttpResponse:
    try:
        report, receipt = _receipt_report(request)
    except ReceiptClosed:
        return _closed(request)
    if report is None:
        return redirect("intake")
    pin = None if receipt.get("pin_shown") else _unseal(request, receipt)
    if not receipt.get("pin_shown"):
        receipt["pin_shown"] = True
        request.session[SESSION_KEY] = receipt
    evidence = list(report.evidence.all())
    context = {
        "report": report,
        "pin": pin,
        "terlapor": list(report.terlapor.all()),
        "files": [item for item in evidence if item.kind == EvidenceKind.FILE],
        "links": [item for item in evidence if item.kind == EvidenceKind.LINK],
        "report_due": _report_due(report) if report.reported_late else None,
        "pdf_minutes": PIN_SECONDS // 60,
        "receipt_minutes": RECEIPT_SECONDS // 60,
        "status_url": request.build_absolute_uri("/status/"),
    }
    return render(request, "reports/report_receipt.html", context)


@never_cache
@require_POST
def receipt_done(request: HttpRequest) -> HttpResponse:
    """The reporter pressed "Selesai": the receipt and the PIN's pad leave this browser; /status/ is the way back."""
    if SESSION_KEY in request.session:
        request.session[SESSION_KEY] = {"closed": True}
    messages.success(
        request,
        _("Tanda terima sudah ditutup di perangkat ini. Pantau laporan Anda di sini dengan kode pelacakan dan PIN."),
    )
    response = HttpResponseRedirect(reverse("status_lookup"), status=303)
    response.delete_cookie(PAD_COOKIE, path="/lapor/", samesite="Strict")
    return response


@never_cache
@require_GET
def report_receipt_pdf(request: HttpRequest) -> HttpResponse:
    from reports.public.receipts import render_receipt_pdf

    try:
        report, receipt = _receipt_report(request)
    except ReceiptClosed:
        return _closed(request)
    if report is None:
        return redirect("intake")
    pdf = render_receipt_pdf(report, pin=_unseal(request, receipt), status_url=request.build_absolute_uri("/status/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{report.tracking_code}.pdf"'
    return response


urlpatterns = [
    path("lapor/", report_form, name="intake"),
    path("lapor/tanda-terima/", report_receipt, name="intake_receipt"),
    path("lapor/tanda-terima.pdf", report_receipt_pdf, name="intake_receipt_pdf"),
    path("lapor/tanda-terima/selesai/", receipt_done, name="intake_receipt_done"),
]
