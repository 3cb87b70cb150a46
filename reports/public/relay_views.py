"""The reporter's side of the relay (reports.relay): answer a question from staff, on the status page.

The questions appear on /status/laporan/ through the ``{% reporter_questions report %}`` tag
(reports.templatetags.relay); the answer is posted here. The question's id travels in the form,
never in the URL, and is looked up within the report opened with code + PIN in this session,
so another report's question is simply not found.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from netralitas import ratelimit
from reports import relay
from reports.models import Report, ReporterQuestion
from reports.public.status import redirect_303, reporter_access
from reports.workflow import StaleReport, TransitionNotAllowed


class AnswerForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    jawaban = forms.CharField(
        label=gettext_lazy("Jawaban Anda"),
        max_length=relay.ANSWER_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Tuliskan jawaban Anda.")},
        help_text=gettext_lazy(
            "Petugas membaca jawaban ini tanpa mengetahui identitas Anda. Jangan menulis nama atau nomor telepon "
            "bila Anda ingin tetap tidak dikenali. Paling banyak 5.000 karakter."
        ),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )


def answer_form_for(question: ReporterQuestion, data=None) -> AnswerForm:
    form = AnswerForm(data, initial={"question": question.pk}, auto_id=f"id_q{question.pk}_%s")
    form.fields["jawaban"].widget.attrs["aria-describedby"] = f"id_q{question.pk}_jawaban_helptext"
    return form


@never_cache
@require_POST
@reporter_access
def answer(request: HttpRequest, report: Report) -> HttpResponse:
    """Record the reporter's answer; a wrong answer comes back on its own page with what they typed."""
    verdict = ratelimit.hit("reporter_update", ratelimit.client_ip(request))
    question_id = request.POST.get("question", "")
    question = (
        report.questions.filter(pk=int(question_id), answered_at__isnull=True).first()
        if question_id.isdigit()
        else None
    )
    if question is None:
        messages.error(request, _("Pertanyaan ini sudah dijawab atau tidak ada lagi."))
        return redirect_303("status_detail")
    form = answer_form_for(question, request.POST)
    if not verdict.allowed:
        form.is_valid()
        form.add_error(
            None,
            _("Terlalu banyak pengiriman dari jaringan Anda. Coba lagi dalam %(minutes)d menit.")
            % {"minutes": max(verdict.retry_after // 60, 1)},
        )
        response = _render(request, report, question, form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if form.is_valid():
        try:
            relay.answer_question(report, question.pk, answer=form.cleaned_data["jawaban"])
        except ValueError as exc:
            form.add_error("jawaban", str(exc))
        except (TransitionNotAllowed, StaleReport):
            messages.error(request, _("Pertanyaan ini sudah dijawab atau laporan sudah selesai."))
            return redirect_303("status_detail")
        else:
            messages.success(request, _("Terima kasih. Jawaban Anda sudah diteruskan kepada petugas."))
            return redirect_303("status_detail")
    return _render(request, report, question, form, status=400)


def _render(request, report: Report, question: ReporterQuestion, form: AnswerForm, *, status: int) -> HttpResponse:
    if form.errors.get("jawaban"):
        attrs = form.fields["jawaban"].widget.attrs
        attrs["aria-describedby"] = f"{form['jawaban'].auto_id}_helptext {form['jawaban'].auto_id}_error"
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
    context = {"report": report, "question": question, "form": form}
    return render(request, "reports/relay_answer.html", context, status=status)


urlpatterns = [
    path("status/laporan/jawab/", answer, name="status_answer"),
]
