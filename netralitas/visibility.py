"""Who may see what: one scope per user, one visibility selector per model.

Every staff query goes through ``visible_to(model, user)`` (or the model's own
selector registered here). A model with no registered selector is visible to
nobody through the admin: see VisibleToUserAdminMixin in netralitas.admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import models

from netralitas.enums import Role


@dataclass(frozen=True)
class Scope:
    """What one staff user may see.

    national: sees everything (national bodies, administrators).
    organisation_id: the user's organisation.
    region_ids: regions whose cases the user may see (Bawaslu: its region and, for a
        provinsi, every kab/kota in it); empty for instansi staff, who see by instansi.
    organisation_ids: organisations whose received reports and whose ASN's cases the user
        sees: their own organisation, widened (or, for a role an app governs, replaced) by
        the scope contributors (taskforce: the pemda of a Satgas the user serves on).
    """

    user_id: int | None
    role: str | None = None
    organisation_id: int | None = None
    organisation_kind: str | None = None
    national: bool = False
    region_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.national and self.organisation_id is None and not self.organisation_ids


NOBODY = Scope(user_id=None)


def scope_for(user) -> Scope:
    """The user's Scope, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_netralitas_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._netralitas_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    from netralitas.models import Membership, Region

    if user.is_superuser:
        return Scope(user_id=user.pk, role=Role.ADMIN, national=True)
    membership = Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
    if membership is None or not membership.organisation.is_active:
        return Scope(user_id=user.pk)
    # user.membership (the staff header's name and organisation) is this row: no second query for it.
    Membership._meta.get_field("user").remote_field.set_cached_value(user, membership)
    org = membership.organisation
    national = org.is_national or membership.role in (Role.ADMIN, Role.NATIONAL_VIEWER)
    region_ids: frozenset[int] = frozenset()
    if org.is_bawaslu and org.region_id:
        region_ids = frozenset(
            Region.objects.filter(models.Q(pk=org.region_id) | models.Q(parent_id=org.region_id)).values_list(
                "pk", flat=True
            )
        )
    scope = Scope(
        user_id=user.pk,
        role=membership.role,
        organisation_id=org.pk,
        organisation_kind=org.kind,
        national=national,
        region_ids=region_ids,
        organisation_ids=frozenset({org.pk}),
    )
    # Only an active membership (an account with a role) can be widened: a suspended one stays empty.
    for contributor in _CONTRIBUTORS:
        scope = contributor(user, scope)
    return scope


# ---------------------------------------------------------------- scope contributors

ScopeContributor = Callable[[object, Scope], Scope]
_CONTRIBUTORS: list[ScopeContributor] = []


def register_scope_contributor(fn: ScopeContributor) -> ScopeContributor:
    """Declare ``fn(user, scope) -> Scope``: an app adding to the scope of a user with an active membership.

    Apps register theirs in ready(), so the core imports no app. Taskforce's: a Satgas member
    sees the cases of the Satgas's region while their membership runs, and an account of the
    Satgas role that sits on a decree reaches exactly its teams' cases (so a member who left
    loses them). A contributor returns the scope it was given when it has nothing to say; it
    uses ``widen`` to add organisations or the national flag. Registering twice is a no-op.
    """
    if fn not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(fn)
    return fn


def widen(scope: Scope, *, organisation_ids=frozenset(), national: bool = False) -> Scope:
    """``scope`` plus the cases of ``organisation_ids`` (and everything when ``national``)."""
    ids = scope.organisation_ids | frozenset(organisation_ids)
    return replace(scope, organisation_ids=ids, national=scope.national or national)


Selector = Callable[[object], models.QuerySet]
_SELECTORS: dict[type[models.Model], Selector] = {}


def register(model: type[models.Model]) -> Callable[[Selector], Selector]:
    """Declare ``fn(user) -> QuerySet`` as the one visibility rule of ``model``."""

    def decorator(fn: Selector) -> Selector:
        if model in _SELECTORS and _SELECTORS[model] is not fn:
            raise RuntimeError(f"{model.__name__} sudah punya aturan visibilitas")
        _SELECTORS[model] = fn
        return fn

    return decorator


def follows(model: type[models.Model], field: str, parent_rule: Selector) -> Selector:
    """The rule of a model that belongs to a parent: visible when its ``field`` points at a visible parent.

    National scopes skip the subquery (they see every parent).
    """

    def rule(user) -> models.QuerySet:
        if scope_for(user).national:
            return model.objects.all()
        return model.objects.filter(**{f"{field}__in": parent_rule(user).values("pk")})

    rule.__name__ = f"{model.__name__.lower()}_visible_to"
    rule.__doc__ = f"{model.__name__} rows whose {field} ``user`` may see."
    return rule


def register_follows(model: type[models.Model], field: str, parent_rule: Selector) -> Selector:
    """register(model)(follows(model, field, parent_rule)), the common case."""
    return register(model)(follows(model, field, parent_rule))


def visible_to(model: type[models.Model], user) -> models.QuerySet:
    """Rows of ``model`` that ``user`` may see; raises LookupError for a model with no rule."""
    try:
        selector = _SELECTORS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} tidak punya aturan visibilitas terdaftar") from None
    return selector(user)


def registered_models() -> frozenset[type[models.Model]]:
    return frozenset(_SELECTORS)
