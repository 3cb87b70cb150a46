"""Admin of the security app: the security log (read-only), the retention period, and the sign-in locks
(django-axes' attempts, with "lift"). The TOTP and backup-code devices have no admin: their keys stay out
of every page; an administrator resets a user's devices from the user list instead."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from netralitas import visibility
from netralitas.admin import VisibleToUserAdmin
from netralitas.enums import Role
from netralitas.security.enums import SecurityEventKind as Kind
from netralitas.security.log import log_event
from netralitas.security.models import RetentionPolicy, SecurityEvent

for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(VisibleToUserAdmin):
    """Read-only: nobody edits or deletes the security log."""

    list_display = ["created_at", "kind", "username", "ip", "method", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "path"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]
    list_select_related = ["user"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(VisibleToUserAdmin):
    list_display = ["years", "verified", "legal_basis", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not RetentionPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@visibility.register(AccessAttempt)
def access_attempts_visible_to(user):
    """Failed sign-ins name staff accounts and addresses: administrators only."""
    scope = visibility.scope_for(user)
    if scope.national and scope.role == Role.ADMIN:
        return AccessAttempt.objects.all()
    return AccessAttempt.objects.none()


def _failures_since(threshold, **match) -> Subquery:
    return Coalesce(
        Subquery(
            AccessAttempt.objects.filter(attempt_time__gte=threshold, **match)
            .order_by()
            .values(*match)
            .annotate(total=Sum("failures_since_start"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


@admin.register(AccessAttempt)
class LockoutAdmin(VisibleToUserAdmin):
    """Failed sign-ins per username and address, when each lock ends, and the action that lifts it."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked_until"]
    search_fields = ["username", "=ip_address"]
    readonly_fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time", "path_info"]
    fields = readonly_fields
    actions = ["lift_lockouts"]
    ordering = ["-attempt_time"]

    def get_queryset(self, request):
        threshold = timezone.now() - settings.AXES_COOLOFF_TIME
        return (
            super()
            .get_queryset(request)
            .annotate(
                username_failures=_failures_since(threshold, username=OuterRef("username")),
                address_failures=_failures_since(threshold, ip_address=OuterRef("ip_address")),
            )
        )

    @admin.display(description=_("Terkunci sampai"))
    def locked_until(self, obj: AccessAttempt) -> str:
        locked = (
            obj.username_failures >= settings.AXES_FAILURE_LIMIT
            or obj.address_failures >= settings.NETRALITAS_LOCKOUT_ADDRESS_LIMIT
        )
        until = obj.attempt_time + settings.AXES_COOLOFF_TIME
        if not locked or until <= timezone.now():
            return "—"
        return date_format(timezone.localtime(until), "DATETIME_FORMAT")

    @admin.action(
        description=_("Buka kunci (hapus percobaan gagal nama pengguna dan alamat ini)"), permissions=["delete"]
    )
    def lift_lockouts(self, request, queryset) -> None:
        chosen = list(queryset)
        for attempt in chosen:
            AccessAttempt.objects.filter(Q(username=attempt.username) | Q(ip_address=attempt.ip_address)).delete()
            log_event(
                Kind.LOCKOUT_LIFTED, request=request, username=attempt.username, locked_address=attempt.ip_address
            )
        self.message_user(
            request,
            ngettext(
                "Kunci dibuka untuk %(count)d percobaan masuk.",
                "Kunci dibuka untuk %(count)d percobaan masuk.",
                len(chosen),
            )
            % {"count": len(chosen)},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "lift" says what it does, and logs it
        return actions

    def delete_model(self, request, obj: AccessAttempt) -> None:
        log_event(Kind.LOCKOUT_LIFTED, request=request, username=obj.username, locked_address=obj.ip_address)
        super().delete_model(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
