"""Admin for the shared core: reference data an administrator keeps, and memberships.

Every ModelAdmin here goes through VisibleToUserAdmin, so its queryset is the
model's one visibility rule (netralitas.visibility).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from netralitas import services, visibility
from netralitas.models import (
    AuthorityTransition,
    DeadlineRule,
    Election,
    ElectionPhase,
    Holiday,
    Membership,
    Organisation,
    OutboxMessage,
    RecommendingAuthority,
    Region,
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


@admin.register(Membership)
class MembershipAdmin(VisibleToUserAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        services.set_membership(obj.user, obj.organisation, obj.role, is_active=obj.is_active)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["organisation"]
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class NetralitasUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "membership_role"]
    list_select_related = ["membership", "membership__organisation"]

    @admin.display(description=_("peran"))
    def membership_role(self, obj) -> str:
        membership = getattr(obj, "membership", None)
        return str(membership) if membership else "—"

    def get_queryset(self, request):
        # Users follow the visibility of their memberships: an organisation's admin sees its own staff.
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        visible = visibility.visible_to(Membership, request.user).values("user_id")
        return qs.filter(pk__in=visible)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        membership = getattr(form.instance, "membership", None)
        if membership is not None:
            services.set_membership(
                form.instance, membership.organisation, membership.role, is_active=membership.is_active
            )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(VisibleToUserAdmin):
    """Read-only: what was sent, what waits, and why it failed."""

    list_display = ["created_at", "recipient", "subject", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
