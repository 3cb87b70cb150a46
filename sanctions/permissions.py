"""Predicates of the sanctions app: one answer for the page that offers a form and the service that acts."""

from __future__ import annotations

from netralitas import visibility

RECORD_DECISION = "sanctions.record_decision"


def is_ppk_office(user, terlapor) -> bool:
    """Whether ``user`` acts for the PPK of the terlapor's instansi: the decision permission and that instansi as
    their organisation (a superuser acts for any). Whether they can see the case is the selectors' business."""
    if user is None or not user.has_perm(RECORD_DECISION):
        return False
    return user.is_superuser or visibility.scope_for(user).organisation_id == terlapor.instansi_id
