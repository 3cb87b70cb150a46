"""Which body issues recommendations on a given day (domain.md §3: data with effective dates)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from netralitas.models import RecommendingAuthority


class NoAuthorityInForce(LookupError):
    """No RecommendingAuthority period covers the date asked for."""


def authority_in_force(on: date) -> RecommendingAuthority:
    """The recommending authority whose period covers ``on`` (both ends inclusive).

    If periods overlap (a data error), the one that started last wins. Raises NoAuthorityInForce
    when no period covers the date.
    """
    authority = (
        RecommendingAuthority.objects.select_related("organisation")
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on)
        .order_by("-valid_from", "-id")
        .first()
    )
    if authority is None:
        raise NoAuthorityInForce(f"Tidak ada lembaga pemberi rekomendasi yang berlaku pada {on.isoformat()}.")
    return authority
