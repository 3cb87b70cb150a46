"""Reads of the sanctions app, and the one visibility rule of each of its models.

Each follows the case it belongs to: whoever may see the terlapor's case may see
its decision, blocks, escalations and events (reports.selectors.terlapor_visible_to).
"""

from __future__ import annotations

from django.db.models import QuerySet

from netralitas import visibility
from reports.selectors import terlapor_visible_to
from sanctions.models import Block, Decision, Escalation, SanctionEvent


def _follows_case(model):
    def rule(user) -> QuerySet:
        if visibility.scope_for(user).national:
            return model.objects.all()
        return model.objects.filter(terlapor__in=terlapor_visible_to(user).values("pk"))

    rule.__name__ = f"{model.__name__.lower()}_visible_to"
    return rule


for _model in (Decision, Block, Escalation, SanctionEvent):
    visibility.register(_model)(_follows_case(_model))
