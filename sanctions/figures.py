"""What sanctions counts for other apps' reports over cases (netralitas.casefigures): BKN's blocks."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy

from netralitas import casefigures
from sanctions.models import Block

casefigures.register(
    casefigures.CaseFigure(
        key="blocked",
        label=gettext_lazy("Data kepegawaian pernah diblokir BKN"),
        order=10,
        aggregate=lambda: Count("pk", filter=Exists(Block.objects.filter(terlapor=OuterRef("pk")))),
    )
)
casefigures.register(
    casefigures.CaseFigure(
        key="blocked_now",
        label=gettext_lazy("Masih diblokir"),
        order=20,
        aggregate=lambda: Count(
            "pk", filter=Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True))
        ),
    )
)
