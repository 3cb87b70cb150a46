"""Which body issues recommendations on a given day (domain.md §3: data with effective dates)."""

from __future__ import annotations

import copy
from datetime import date

from django.conf import settings
from django.db.models import Q

from netralitas import refcache
from netralitas.models import RecommendingAuthority


class NoAuthorityInForce(LookupError):
    """No RecommendingAuthority period covers the date asked for."""


def _periods() -> list[RecommendingAuthority]:
    return list(RecommendingAuthority.objects.select_related("organisation").order_by("-valid_from", "-id"))


def authority_in_force(on: date, *, from_copy: bool = False) -> RecommendingAuthority:
    """The recommending authority whose period covers ``on`` (both ends inclusive).

    If periods overlap (a data error), the one that started last wins. Raises NoAuthorityInForce
    when no period covers the date. ``from_copy``: read the process's reference copy
    (netralitas.refcache; the public intake routes every report with it) instead of the database.
    """
    if from_copy and settings.NETRALITAS_REFERENCE_CACHE_SECONDS > 0:
        periods = refcache.cached("recommending-authorities", _periods)
        authority = next(
            (p for p in periods if p.valid_from <= on and (p.valid_until is None or p.valid_until >= on)), None
        )
        if authority is not None:
            authority = copy.copy(authority)  # the copy's rows are shared by the process's requests
            authority.organisation = copy.copy(authority.organisation)
    else:
        authority = (
            RecommendingAuthority.objects.select_related("organisation")
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on)
            .order_by("-valid_from", "-id")
            .first()
        )
    if authority is None:
        raise NoAuthorityInForce(f"Tidak ada lembaga pemberi rekomendasi yang berlaku pada {on.isoformat()}.")
    return authority
