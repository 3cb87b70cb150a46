"""The staff's notifications in the workspace (/kerja/notifikasi/): the list, opening one, mark read, settings."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas.enums import DeliveryMode
from netralitas.models import NotificationPreference
from netralitas.reminder_selectors import (
    mark_all_read,
    mark_read,
    notifications_visible_to,
    preference_for,
    unread_count,
)

PAGE_SIZE = 50


@require_GET
@staff_member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    page = Paginator(notifications_visible_to(request.user).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    context = {"nav": "notifications", "page": page, "unread": unread_count(request.user, cap=None)}
    return render(request, "netralitas/notification_list.html", context)


def _safe(url: str, request: HttpRequest) -> str:
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else "/kerja/"


@require_GET
@staff_member_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to the place of the act (someone else's is a 404)."""
    notification = mark_read(request.user, pk)
    if notification is None:
        raise Http404(_("Notifikasi tidak ditemukan."))
    return redirect(_safe(notification.url, request))


@require_POST
@staff_member_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if mark_read(request.user, pk) is None:
        raise Http404(_("Notifikasi tidak ditemukan."))
    return redirect("notifications")


@require_POST
@staff_member_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(request.user)
    messages.success(request, _("%(count)d notifikasi ditandai sudah dibaca.") % {"count": count})
    return redirect("notifications")


class PreferenceForm(forms.ModelForm):
    delivery = forms.ChoiceField(
        label=gettext_lazy("Surel pengingat"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy("Notifikasi selalu tampil di portal; pilihan ini hanya mengatur surel."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Bahasa surel"),
        choices=settings.LANGUAGES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = NotificationPreference
        fields = ["delivery", "language"]


@require_http_methods(["GET", "POST"])
@staff_member_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Immediate e-mails or one daily digest, and the language of the e-mails."""
    preference = preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pengaturan notifikasi disimpan."))
        return redirect("notification_settings")
    return render(request, "netralitas/notification_settings.html", {"nav": "notifications", "form": form})


urlpatterns = [
    path("notifikasi/", notification_list, name="notifications"),
    path("notifikasi/<int:pk>/", notification_open, name="notification_open"),
    path("notifikasi/<int:pk>/dibaca/", notification_read, name="notification_read"),
    path("notifikasi/dibaca-semua/", notifications_read_all, name="notifications_read_all"),
    path("notifikasi/pengaturan/", notification_settings, name="notification_settings"),
]
