"""Admin for the shared core: reference data an administrator keeps, and memberships.

Every ModelAdmin here goes through VisibleToUserAdmin, so its queryset is the
model's one visibility rule (netralitas.visibility).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netralitas import services, visibility
from netralitas.enums import Role
from netralitas.models import (
    AuthorityTransition,
    DeadlineRule,
    Election,
    ElectionPhase,
    EscalationRoute,
    Holiday,
    Membership,
    MembershipEvent,
    Organisation,
    OutboxMessage,
    PreventionItem,
    RecommendingAuthority,
    Region,
    ReminderDelivery,
    ReminderRule,
    SanctionKind,
    ViolationType,
)


class VisibleToUserAdmin(admin.ModelAdmin):
    """Base admin: the changelist, change pages and lookups see only visible rows."""

    def get_queryset(self, request):
        qs = visibility.visible_to(self.model, request.user)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def get_object(self, request, object_id, from_field=None):
        # Someone else's object and a missing one look the same: 404, not the admin's redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Data tidak ditemukan."))
        return obj


@admin.register(Region)
class RegionAdmin(VisibleToUserAdmin):
    list_display = ["code", "name", "level", "parent", "is_autonomous"]
    list_filter = ["level", "is_autonomous", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "bsni_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(VisibleToUserAdmin):
    list_display = ["name", "kind", "region", "ppk_display_column", "unverified_facts", "is_active"]
    list_filter = ["kind", "is_active", "ppk_acting"]
    search_fields = ["name", "abbreviation", "code", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "parent"]

    @admin.display(description=_("PPK"))
    def ppk_display_column(self, obj: Organisation) -> str:
        return obj.ppk_display


@admin.register(RecommendingAuthority)
class RecommendingAuthorityAdmin(VisibleToUserAdmin):
    list_display = ["organisation", "valid_from", "valid_until", "legal_basis"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(AuthorityTransition)
class AuthorityTransitionAdmin(VisibleToUserAdmin):
    list_display = ["from_authority", "to_authority", "effective_on", "processed_report_to", "applied_at"]
    list_select_related = ["from_authority__organisation", "to_authority__organisation", "processed_report_to"]
    readonly_fields = ["applied_at"]


@admin.register(ViolationType)
class ViolationTypeAdmin(VisibleToUserAdmin):
    list_display = ["code", "title", "track", "level", "is_active"]
    list_filter = ["track", "level", "is_active"]
    search_fields = ["code", "title"]


@admin.register(SanctionKind)
class SanctionKindAdmin(VisibleToUserAdmin):
    list_display = ["name", "track", "level", "applies_to", "duration_months", "is_active"]
    list_filter = ["track", "level", "applies_to"]
    search_fields = ["name", "code"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(VisibleToUserAdmin):
    list_display = ["step", "days", "day_type", "verified", "legal_basis"]
    list_filter = ["day_type", "verified"]


@admin.register(Holiday)
class HolidayAdmin(VisibleToUserAdmin):
    list_display = ["date", "name", "kind", "source", "is_active", "legal_basis"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"


class ElectionPhaseInline(admin.TabularInline):
    model = ElectionPhase
    extra = 0


@admin.register(Election)
class ElectionAdmin(VisibleToUserAdmin):
    list_display = ["name", "kind", "scope"]
    list_filter = ["kind", "scope"]
    inlines = [ElectionPhaseInline]
    filter_horizontal = ["regions"]


def _reauth_on_post(view):
    """A change of who may do what needs the password and second factor within the last 10 minutes."""
    from netralitas.security.reauth import reauth_required

    return reauth_required(methods=("POST",))(view)


# --- accounts: memberships, users, and the append-only history of both ------------------------------------
#
# The portal's administrators (role "admin", not superusers) manage accounts only through forms that
# cannot grant power: no superuser or staff flag, no groups or permissions (they follow the role), never
# their own membership, never an administrator (netralitas.services.check_membership_change). Only a
# superuser, made on the command line, creates another administrator (issue 8).


def _role_choices(request) -> list[tuple[str, str]]:
    if request.user.is_superuser:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.ADMIN]


def _may_change_account(request, user) -> bool:
    try:
        services.check_membership_change(request.user, user)
    except PermissionDenied:
        return False
    return True


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "is_active"]

    actor = None  # set by the admin for each request

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        if user is not None and cleaned.get("role"):
            try:
                services.check_membership_change(self.actor, user, role=cleaned["role"])
            except PermissionDenied as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned


@admin.register(Membership)
class MembershipAdmin(VisibleToUserAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    @_reauth_on_post
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = _role_choices(request)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not _may_change_account(request, obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a membership ends by deactivating it, which leaves an event

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        membership = services.set_membership(
            obj.user, obj.organisation, obj.role, is_active=obj.is_active, actor=request.user
        )
        obj.pk = membership.pk
        if form.has_changed():
            _log_membership(request, obj)


def _log_membership(request, membership: Membership) -> None:
    from netralitas.security import log_event

    log_event(
        "membership_changed",
        request=request,
        target=membership.user.get_username(),
        organisation=membership.organisation.name,
        role=membership.role,
        active=membership.is_active,
    )


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "is_active"]
    extra = 0
    max_num = 1

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = _role_choices(request)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None) -> bool:
        return (obj is None or _may_change_account(request, obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or _may_change_account(request, obj)) and super().has_change_permission(request, obj)


class MembershipEventInline(admin.TabularInline):
    """The append-only history of the account's places and roles, newest first."""

    model = MembershipEvent
    fk_name = "user"
    fields = [
        "created_at",
        "actor",
        "previous_organisation",
        "previous_role",
        "organisation",
        "role",
        "is_active",
        "note",
    ]
    readonly_fields = fields
    can_delete = False
    extra = 0
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipEvent)
class MembershipEventAdmin(VisibleToUserAdmin):
    list_display = ["created_at", "user", "actor", "previous_role", "role", "organisation", "is_active", "note"]
    list_filter = ["role", "previous_role"]
    search_fields = ["user__username", "actor__username"]
    list_select_related = ["user", "actor", "organisation"]
    fields = [
        "user",
        "actor",
        "previous_organisation",
        "previous_role",
        "previous_is_active",
        "organisation",
        "role",
        "is_active",
        "note",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)

# What an administrator who is not a superuser edits of an account: no flags that grant power.
_ADMINISTRATOR_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Data pribadi"), {"fields": ("first_name", "last_name", "email")}),
    (_("Status"), {"fields": ("is_active",)}),
)


# What a change of these fields of a user alters: who may sign in, and what they may do.
PERMISSION_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class NetralitasUserAdmin(UserAdmin):
    inlines = [MembershipInline, MembershipEventInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "membership_role", "second_factor"]
    list_select_related = ["membership", "membership__organisation"]
    actions = ["reset_second_factor"]

    @admin.display(description=_("peran"))
    def membership_role(self, obj) -> str:
        membership = getattr(obj, "membership", None)
        return str(membership) if membership else "—"

    @admin.display(description=_("dua langkah"), boolean=True)
    def second_factor(self, obj) -> bool:
        return obj.has_totp

    def get_queryset(self, request):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Users follow the visibility of their memberships: an organisation's admin sees its own staff.
        qs = (
            super()
            .get_queryset(request)
            .annotate(has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        )
        if request.user.is_superuser:
            return qs
        visible = visibility.visible_to(Membership, request.user).values("user_id")
        return qs.filter(pk__in=visible, is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return _ADMINISTRATOR_FIELDSETS

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.pk != request.user.pk and not _may_change_account(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            return ["is_active"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).values("is_superuser", "is_active").first() if change else None
        super().save_model(request, obj, form, change)
        request._netralitas_permission_changes = [f for f in PERMISSION_FIELDS if f in form.changed_data]
        if before is not None:
            services.record_account_flags(
                obj, actor=request.user, was_superuser=before["is_superuser"], was_active=before["is_active"]
            )

    @_reauth_on_post
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @_reauth_on_post
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @_reauth_on_post
    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            from netralitas.security import log_event

            log_event("password_changed", request=request, target=self.get_object(request, id).get_username())
        return response

    @admin.action(description=_("Atur ulang autentikasi dua langkah"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """The chosen users enrol their authenticator app again at their next sign-in (audited)."""
        from netralitas.security import log_event
        from netralitas.security.reauth import challenge
        from netralitas.security.twofactor import reset_devices

        response = challenge(request)
        if response is not None:
            return response
        users = list(queryset)
        for user in users:
            removed = reset_devices(user)
            log_event("otp_reset", request=request, target=user.get_username(), devices=removed)
        self.message_user(
            request,
            ngettext(
                "Autentikasi dua langkah %(count)d pengguna diatur ulang: ia mengaktifkannya lagi saat masuk.",
                "Autentikasi dua langkah %(count)d pengguna diatur ulang: mereka mengaktifkannya lagi saat masuk.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
        return None

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = getattr(request, "_netralitas_permission_changes", [])
        if changed:
            from netralitas.security import log_event

            log_event("permissions_changed", request=request, target=form.instance.get_username(), changed=changed)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        for membership in formset.save(commit=False):
            services.set_membership(
                form.instance,
                membership.organisation,
                membership.role,
                is_active=membership.is_active,
                actor=request.user,
            )
            if formset.has_changed():
                _log_membership(request, membership)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(VisibleToUserAdmin):
    """Read-only: what was sent, what waits, and why it failed. A reporter's message shows neither
    its recipient nor its body (reports.confidentiality: the reporter's address is sealed)."""

    list_display = ["created_at", "recipient_shown", "subject", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "to_reporter"]
    search_fields = ["=dedupe_key"]  # never by recipient: it would confirm who reported
    show_full_result_count = False

    @admin.display(description=_("penerima"))
    def recipient_shown(self, obj: OutboxMessage) -> str:
        return _("(pelapor, dirahasiakan)") if obj.to_reporter else obj.recipient

    @admin.display(description=_("isi"))
    def body_shown(self, obj: OutboxMessage) -> str:
        return _("(pesan untuk pelapor, dirahasiakan)") if obj.to_reporter else obj.body

    def get_fields(self, request, obj=None):
        shown = ["channel", "recipient_shown", "subject", "body_shown", "dedupe_key", "created_at", "sent_at"]
        return [*shown, "attempts", "last_error", "to_reporter"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


# ---------------------------------------------------------------- the reminder engine's data


class EscalationRouteInline(admin.TabularInline):
    model = EscalationRoute
    extra = 0
    fields = ["from_kind", "target", "target_kind", "role", "legal_basis"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(VisibleToUserAdmin):
    """When each registered step reminds and to whom it escalates: data, each with its legal basis."""

    list_display = [
        "step",
        "is_active",
        "before_days",
        "campaign_before_days",
        "on_due_day",
        "halfway_min_days",
        "overdue_every",
        "escalate_after",
    ]
    list_filter = ["is_active"]
    inlines = [EscalationRouteInline]


@admin.register(PreventionItem)
class PreventionItemAdmin(VisibleToUserAdmin):
    list_display = ["title", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(VisibleToUserAdmin):
    """Read-only: every message the engine claimed, and what came of it."""

    list_display = ["created_at", "recipient", "kind", "subject", "due_date", "outcome"]
    list_filter = ["outcome", "kind"]
    search_fields = ["subject", "recipient"]
    readonly_fields = [f.name for f in ReminderDelivery._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
