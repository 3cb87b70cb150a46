"""Which elections an incident concerns, and in which of their phases it fell (domain.md §6).

An election is *relevant* on a date from RELEVANT_BEFORE days before its first
phase (usually penetapan peserta) until RELEVANT_AFTER days after the end of
pemungutan: long enough for the positioning of bakal calon before it and for
reward and retaliation after it. An election needs a kampanye and a pemungutan
phase to be placed in time; one without them is never relevant.

A date is SEBELUM before kampanye starts, KAMPANYE until kampanye ends,
MASA_TENANG after kampanye until pemungutan starts (the law leaves no gap:
masa tenang is the time between them), PEMUNGUTAN during pemungutan and
SESUDAH after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from netralitas import refcache
from netralitas.enums import ElectionScope, PeriodPhase, PhaseKind
from netralitas.models import Election, ElectionPhase, Region

RELEVANT_BEFORE = timedelta(days=365)
RELEVANT_AFTER = timedelta(days=180)


class IncompleteElection(ValueError):
    """The election lacks the kampanye or pemungutan phase needed to place a date."""


@dataclass(frozen=True)
class ElectionContext:
    election: Election
    phase: PeriodPhase


def elections_for(region: Region | None, on: date) -> QuerySet[Election]:
    """Elections relevant to an incident in ``region`` on ``on``, with their phases prefetched.

    National elections always match; a regional one matches when ``region`` or
    its provinsi is among its regions. Without a region, only national
    elections match. Ordered by pemungutan date, then id.
    """
    in_scope = Q(scope=ElectionScope.NATIONAL)
    if region is not None:
        region_ids = [region.pk] if region.parent_id is None else [region.pk, region.parent_id]
        voting = Election.regions.through.objects.filter(region_id__in=region_ids).values("election_id")
        in_scope |= Q(scope=ElectionScope.REGIONAL, pk__in=voting)
    return (
        Election.objects.filter(in_scope)
        .annotate(
            first_start=Min("phases__start"),
            campaign_start=Min("phases__start", filter=Q(phases__kind=PhaseKind.KAMPANYE)),
            poll_start=Min("phases__start", filter=Q(phases__kind=PhaseKind.PEMUNGUTAN)),
            poll_end=Max("phases__end", filter=Q(phases__kind=PhaseKind.PEMUNGUTAN)),
        )
        .filter(
            campaign_start__isnull=False,
            first_start__lte=on + RELEVANT_BEFORE,
            poll_end__gte=on - RELEVANT_AFTER,
        )
        .prefetch_related(Prefetch("phases", queryset=ElectionPhase.objects.order_by("start")))
        .order_by("poll_start", "pk")
    )


def period_phase(election: Election, on: date) -> PeriodPhase:
    """Where ``on`` falls relative to ``election``'s kampanye and pemungutan.

    Uses ``election.phases.all()``, so prefetch the phases when calling in a
    loop. Raises IncompleteElection when either phase is missing.
    """
    phases = {phase.kind: phase for phase in election.phases.all()}
    campaign, poll = phases.get(PhaseKind.KAMPANYE), phases.get(PhaseKind.PEMUNGUTAN)
    if campaign is None or poll is None:
        raise IncompleteElection(
            _("Pemilihan %(name)s belum memiliki tahapan kampanye dan pemungutan suara.") % {"name": election}
        )
    if on < campaign.start:
        return PeriodPhase.SEBELUM
    if on <= campaign.end:
        return PeriodPhase.KAMPANYE
    if on < poll.start:
        return PeriodPhase.MASA_TENANG
    if on <= poll.end:
        return PeriodPhase.PEMUNGUTAN
    return PeriodPhase.SESUDAH


def election_calendar() -> list[tuple[Election, frozenset[int]]]:
    """Every election that can be placed in time, with its phases and the ids of its regions."""
    elections = list(
        Election.objects.annotate(
            first_start=Min("phases__start"),
            campaign_start=Min("phases__start", filter=Q(phases__kind=PhaseKind.KAMPANYE)),
            poll_start=Min("phases__start", filter=Q(phases__kind=PhaseKind.PEMUNGUTAN)),
            poll_end=Max("phases__end", filter=Q(phases__kind=PhaseKind.PEMUNGUTAN)),
        )
        .filter(campaign_start__isnull=False, poll_start__isnull=False)
        .prefetch_related(Prefetch("phases", queryset=ElectionPhase.objects.order_by("start")))
        .order_by("poll_start", "pk")
    )
    regions: dict[int, set[int]] = {}
    for election_id, region_id in Election.regions.through.objects.values_list("election_id", "region_id"):
        regions.setdefault(election_id, set()).add(region_id)
    return [(election, frozenset(regions.get(election.pk, ()))) for election in elections]


def election_context(region: Region | None, on: date) -> list[ElectionContext]:
    """The relevant elections for ``region`` on ``on``, each with its phase; nearest pemungutan first.

    Same rule as elections_for, read from the process's reference copy (netralitas.refcache):
    no query while the copy is fresh, three when it is loaded.
    """
    wanted = set() if region is None else {region.pk, region.parent_id} - {None}
    relevant = [
        election
        for election, region_ids in refcache.cached("election-calendar", election_calendar)
        if (election.scope == ElectionScope.NATIONAL or wanted & region_ids)
        and election.first_start <= on + RELEVANT_BEFORE
        and election.poll_end >= on - RELEVANT_AFTER
    ]
    contexts = [ElectionContext(election, period_phase(election, on)) for election in relevant]
    # Stable sort: ties keep elections_for's order (earlier pemungutan, then id).
    return sorted(contexts, key=lambda context: abs((context.election.poll_start - on).days))


def penetapan_of(election_id: int) -> date | None:
    """The first day of the election's penetapan peserta phase (B9 before it, B10 after: domain.md §5), or None."""
    for election, _regions in refcache.cached("election-calendar", election_calendar):
        if election.pk == election_id:
            for phase in election.phases.all():
                if phase.kind == PhaseKind.PENETAPAN:
                    return phase.start
            return None
    return None
