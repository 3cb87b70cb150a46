"""The reporter's status page: code + PIN lead to the status, the public timeline, completion and withdrawal.

A wrong code and a wrong PIN give the same answer, byte for byte, so the page
tells nobody which codes exist. Access lasts 30 minutes without activity and is
kept in the session, never in the URL: the page may be open on a shared phone.
Its forms are in reports.public.status_forms.
"""

from __future__ import annotations

import functools
import math
import secrets
import time

from django.contrib import messages
from django.db import connection
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas import ratelimit
from reports import followup
from reports.enums import ReportStatus
from reports.evidence_checks import EvidenceRejected
from reports.models import Report
from reports.outcomes import case_outcomes
from reports.pins import check_pin
from reports.public.antibot import TIMER_FIELD, carried_timer, consume_timer, issue_timer
from reports.public.pagecopy import CSRF_MARK, PATH_MARK, TIMER_MARK, PageCopy
from reports.public.status_forms import CompletionForm, LookupForm, WithdrawForm
from reports.public.uploadhandlers import LimitedUploadHandler, upload_refusals
from reports.workflow import StaleReport, TransitionNotAllowed, allowed_transitions

SESSION_REPORT = "status_report_id"
SESSION_SEEN_AT = "status_seen_at"
SESSION_DRAFT = "status_draft_token"
ACCESS_SECONDS = 30 * 60

MISMATCH = gettext_lazy("Kode atau PIN tidak cocok.")
CODE_MARK = "NTRMarkCode7q"
# The process's copy of the mismatch page: the CSRF token twice (the lookup form, the language switch).
MISMATCH_PAGE = PageCopy("status-mismatch-page", {CSRF_MARK: 2, TIMER_MARK: 1, PATH_MARK: 1, CODE_MARK: 1})
STATUS_MOVED = gettext_lazy("Status laporan baru saja berubah. Periksa halaman ini lalu coba lagi bila perlu.")


# Access kept in the session ------------------------------------------------------------------------


def _grant_access(request: HttpRequest, report_id: int) -> None:
    if request.session.session_key:
        request.session.cycle_key()  # a session id seen before the PIN is no key to the report
    # Without one, the session saved at the end of this request gets a fresh key: no row is written twice.
    request.session[SESSION_REPORT] = report_id
    request.session[SESSION_SEEN_AT] = int(time.time())


def _forget_access(request: HttpRequest) -> None:
    for key in (SESSION_REPORT, SESSION_SEEN_AT, SESSION_DRAFT):
        request.session.pop(key, None)


def reporter_access(view):
    """Pass the report opened with code + PIN in this session; otherwise back to /status/.

    Access ends after ACCESS_SECONDS without a request; each request renews it.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        report_id = request.session.get(SESSION_REPORT)
        expired = report_id is not None and time.time() - request.session.get(SESSION_SEEN_AT, 0) > ACCESS_SECONDS
        report = None
        if report_id is not None and not expired:
            report = (
                Report.objects.filter(pk=report_id)
                .only("id", "tracking_code", "status", "received_at", "due_date")
                .first()
            )
        if report is None:
            _forget_access(request)
            if expired:
                messages.warning(
                    request,
                    _(
                        "Demi keamanan, akses ke laporan berakhir setelah 30 menit tanpa aktivitas. "
                        "Masukkan kode pelacakan dan PIN lagi."
                    ),
                )
            else:
                messages.info(request, _("Masukkan kode pelacakan dan PIN untuk melihat laporan Anda."))
            return redirect_303("status_lookup")
        request.session[SESSION_SEEN_AT] = int(time.time())
        return view(request, report, *args, **kwargs)

    return wrapper


def _draft_token(request: HttpRequest) -> str:
    # Kept in the session, not in the form: a token typed into a form could claim someone else's drafts.
    token = request.session.get(SESSION_DRAFT)
    if not token:
        token = request.session[SESSION_DRAFT] = secrets.token_urlsafe(24)
    return token


def _retry_minutes(seconds: int) -> int:
    return max(math.ceil(seconds / 60), 1)


# Views ---------------------------------------------------------------------------------------------


def redirect_303(name: str) -> HttpResponse:
    """A See Other redirect: the browser follows with GET, and Back does not resubmit the form."""
    return HttpResponseRedirect(reverse(name), status=303)


def _id_and_pin_hash(code: str) -> tuple[int, str] | None:
    """The id and PIN hash of the report with tracking code ``code`` (unique), or None: one plain SELECT.

    The ORM's compile of filter().only().first() (with the model's ordering) was ~40 % of a lookup's Python
    (issue 11); the names come from the model.
    """
    meta, quote = Report._meta, connection.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in ("id", "pin_hash", "tracking_code")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns[0]}, {columns[1]} FROM {quote(meta.db_table)} WHERE {columns[2]} = %s",  # noqa: S608
            [code],
        )
        return cursor.fetchone()


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Code + PIN open the report in this session.

    Wrong guesses are limited per tracking code (that code waits, the same for a code that does not
    exist) and, with a high cap, per client address; the per-address cap refuses only wrong guesses,
    so people sharing a carrier or office address are never kept from their own report.
    """
    if request.method == "GET":
        return _render_lookup(request, LookupForm(), timer=issue_timer())
    ip = ratelimit.client_ip(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        if not ratelimit.hit("lookup_failed", ip).allowed:
            return _render_blocked(request, ratelimit.peek("lookup_failed", ip).retry_after)
        return _render_lookup(request, form, timer=carried_timer(request.POST.get(TIMER_FIELD, "")))
    code = form.cleaned_data["tracking_code"]
    attacked = ratelimit.peek("lookup_failed_code", code)
    if not attacked.allowed:
        # Checked before the PIN: once a code has been guessed at, even its right PIN waits.
        return _render_blocked(request, attacked.retry_after, per_code=True)
    found = _id_and_pin_hash(code)
    if check_pin(form.cleaned_data["pin"], found[1] if found else None):
        consume_timer(request.POST.get(TIMER_FIELD, ""))
        _grant_access(request, found[0])
        return redirect_303("status_detail")
    per_code = ratelimit.hit("lookup_failed_code", code)
    per_address = ratelimit.hit("lookup_failed", ip)
    if not per_code.allowed:
        return _render_blocked(request, per_code.retry_after, per_code=True)
    if not per_address.allowed:
        return _render_blocked(request, per_address.retry_after)
    form.add_error(None, MISMATCH)
    return _render_mismatch(request, form)


def _render_lookup(request: HttpRequest, form: LookupForm, *, timer: str, status: int = 200) -> HttpResponse:
    return render(request, "reports/status_lookup.html", {"form": form, "timer": timer}, status=status)


def _render_mismatch(request: HttpRequest, form: LookupForm) -> HttpResponse:
    """The page again after a wrong code or PIN: from the process's copy unless a message is waiting.

    It is the same for every visitor but for the tokens, the path and the code typed (reports.public.pagecopy),
    and a guesser asks for it most: rendering it in full cost as much as the rest of the lookup (issue 11).
    """
    timer = carried_timer(request.POST.get(TIMER_FIELD, ""))  # read only now: the right PIN's redirect needs none
    storage = getattr(request, "_messages", None)
    parts = None if storage is not None and len(storage) else MISMATCH_PAGE.parts(request, _marked_mismatch)
    if parts is None:
        return _render_lookup(request, form, timer=timer)
    code = escape(form.data.get("tracking_code", "")).encode()  # as the widget writes the value typed
    return HttpResponse(MISMATCH_PAGE.fill(request, parts, timer=timer, values={CODE_MARK: code}))


def _marked_mismatch(marked: HttpRequest) -> str:
    form = LookupForm({"tracking_code": CODE_MARK})
    form.cleaned_data, form._errors = {}, ErrorDict()  # as after a valid form: the mismatch is its only error
    form.add_error(None, MISMATCH)
    return render_to_string(
        "reports/status_lookup.html", {"form": form, "timer": TIMER_MARK, "csrf_token": CSRF_MARK}, request=marked
    )


def _render_blocked(request: HttpRequest, retry_after: int, *, per_code: bool = False) -> HttpResponse:
    response = render(
        request,
        "reports/status_lookup.html",
        {"blocked": True, "blocked_code": per_code, "retry_minutes": _retry_minutes(retry_after)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_GET
@reporter_access
def detail(request: HttpRequest, report: Report) -> HttpResponse:
    return _render_detail(request, report)


def _render_detail(
    request: HttpRequest,
    report: Report,
    *,
    completion_form: CompletionForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    timeline = followup.public_timeline(report)
    awaiting = report.status == ReportStatus.NEEDS_COMPLETION
    if awaiting and completion_form is None:
        completion_form = CompletionForm(kept_files=followup.draft_files(request.session.get(SESSION_DRAFT, "")))
    can_withdraw = ReportStatus.WITHDRAWN in allowed_transitions(report)
    context = {
        "cases": case_outcomes(report),
        "completion_due": report.due_date if awaiting else None,
        "report": report,
        "status_label": report.get_status_display(),
        "status_explanation": followup.status_explanation(report.status),
        "timeline": timeline,
        "information_request": followup.open_information_request(report, timeline),
        "completion_form": completion_form if awaiting else None,
        "withdraw_form": (withdraw_form or WithdrawForm()) if can_withdraw else None,
    }
    return render(request, "reports/status_detail.html", context, status=status)


def _update_allowed(request: HttpRequest) -> ratelimit.Verdict:
    return ratelimit.hit("reporter_update", ratelimit.client_ip(request))


def _too_many_updates_message(verdict: ratelimit.Verdict) -> str:
    return _("Terlalu banyak pengiriman dari jaringan Anda. Coba lagi dalam %(minutes)d menit.") % {
        "minutes": _retry_minutes(verdict.retry_after)
    }


@csrf_exempt
@never_cache
@require_POST
def complete(request: HttpRequest) -> HttpResponse:
    # The streaming size limit must be installed before anything reads the body, and
    # CsrfViewMiddleware reads it; so CSRF is checked inside, once the handler is set.
    if not any(isinstance(handler, LimitedUploadHandler) for handler in request.upload_handlers):
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _complete(request)


@csrf_protect
@reporter_access
def _complete(request: HttpRequest, report: Report) -> HttpResponse:
    verdict = _update_allowed(request)
    if not verdict.allowed:
        form = CompletionForm(request.POST, kept_files=followup.draft_files(request.session.get(SESSION_DRAFT, "")))
        form.add_error(None, _too_many_updates_message(verdict))
        response = _render_detail(request, report, completion_form=form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if report.status != ReportStatus.NEEDS_COMPLETION:
        messages.error(
            request,
            _("Laporan ini tidak sedang menunggu kelengkapan, jadi keterangan tambahan tidak dapat dikirim sekarang."),
        )
        return redirect_303("status_detail")
    token = _draft_token(request)
    file_errors = [refusal.message for refusal in upload_refusals(request)]
    file_errors += followup.keep_draft_files(request.FILES.getlist("berkas"), draft_token=token)
    form = CompletionForm(request.POST, kept_files=followup.draft_files(token), file_errors=file_errors)
    if form.is_valid():
        try:
            followup.add_reporter_information(
                report, text=form.cleaned_data["keterangan"], links=form.cleaned_data["tautan"], draft_token=token
            )
        except EvidenceRejected as exc:
            form.add_error("tautan", exc.message)
        except (TransitionNotAllowed, StaleReport):
            messages.error(request, STATUS_MOVED)
            return redirect_303("status_detail")
        else:
            request.session.pop(SESSION_DRAFT, None)
            messages.success(
                request, _("Terima kasih. Kelengkapan Anda sudah kami terima dan laporan kembali diverifikasi.")
            )
            return redirect_303("status_detail")
    return _render_detail(request, report, completion_form=form)


@never_cache
@require_POST
@reporter_access
def withdraw(request: HttpRequest, report: Report) -> HttpResponse:
    verdict = _update_allowed(request)
    if not verdict.allowed:
        form = WithdrawForm(request.POST)
        form.add_error(None, _too_many_updates_message(verdict))
        response = _render_detail(request, report, withdraw_form=form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if ReportStatus.WITHDRAWN not in allowed_transitions(report):
        messages.error(
            request,
            _("Laporan berstatus “%(status)s” tidak dapat dicabut lagi.") % {"status": report.get_status_display()},
        )
        return redirect_303("status_detail")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, report, withdraw_form=form)
    try:
        followup.withdraw_report(report, reason=form.cleaned_data["alasan"])
    except (TransitionNotAllowed, StaleReport):
        messages.error(request, STATUS_MOVED)
    else:
        messages.success(request, _("Laporan Anda sudah dicabut dan tidak akan diproses lebih lanjut."))
    return redirect_303("status_detail")


@never_cache
@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    _forget_access(request)
    messages.info(request, _("Anda sudah keluar. Kode pelacakan dan PIN diperlukan untuk membuka laporan lagi."))
    return redirect_303("status_lookup")


urlpatterns = [
    path("status/", lookup, name="status_lookup"),
    path("status/laporan/", detail, name="status_detail"),
    path("status/laporan/lengkapi/", complete, name="status_complete"),
    path("status/laporan/cabut/", withdraw, name="status_withdraw"),
    path("status/keluar/", forget, name="status_forget"),
]
