"""Figures over a set of cases that an app other than reports knows how to count: a small registry.

Like netralitas.visibility and netralitas.workspace, the core imports no app: sanctions
registers what only it can count (blocks by BKN) and taskforce's monev reads the registered
figures over its cases, so taskforce never imports sanctions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, QuerySet


@dataclass(frozen=True)
class CaseFigure:
    """A count over Terlapor rows: ``aggregate()`` returns the expression (e.g. Count("pk", filter=...))."""

    key: str
    label: str
    order: int
    aggregate: Callable[[], Aggregate]


_FIGURES: dict[str, CaseFigure] = {}


def register(figure: CaseFigure) -> CaseFigure:
    """Declare a figure; a key may be registered once."""
    if figure.key in _FIGURES and _FIGURES[figure.key] != figure:
        raise RuntimeError(f"Angka {figure.key} sudah terdaftar")
    _FIGURES[figure.key] = figure
    return figure


def registered_figures() -> list[CaseFigure]:
    return sorted(_FIGURES.values(), key=lambda f: (f.order, f.key))


def count_figures(cases: QuerySet) -> list[tuple[CaseFigure, int]]:
    """Every registered figure over ``cases`` (a Terlapor queryset), in one query."""
    figures = registered_figures()
    if not figures:
        return []
    totals = cases.order_by().aggregate(**{f.key: f.aggregate() for f in figures})
    return [(f, totals[f.key] or 0) for f in figures]
