"""Reference data: regions, organisations, authorities, catalogue, deadlines, elections, holidays.

``load_reference()`` is idempotent and safe to run on a live database, as often as wanted:

* Rows are matched by natural key (Region.code, Organisation.code, ViolationType.code,
  SanctionKind.code, DeadlineRule.step, RecommendingAuthority (organisation, valid_from),
  Election.name, ElectionPhase (election, kind)). A missing row is created with the values here.
* An existing row is left as it is: names, days, legal bases, dates, flags an administrator
  corrected all survive. The only exceptions are structural links that follow from the region
  tree, not from anyone's judgement: Region.parent (the 2022 Papua split) and Organisation.parent
  and Organisation.region. Those are brought back to the reference value.
* Nothing is ever deleted. A row an administrator deleted comes back on the next load; to retire
  a row, switch off its ``is_active`` (or end its validity) instead.
* An election's regions are set only when the loader creates the election.
* Holidays come from ``netralitas.calendar.sync_holidays`` for 2022 to next year.

Everything runs in one transaction: a failure (e.g. a changed ``areaid`` package) leaves the
database as it was.
"""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from .authorities import load_authorities, load_authority_transitions
from .catalogue import load_catalogue
from .central import load_central_instansi
from .deadlines import load_deadlines
from .elections import load_elections
from .organisations import load_organisations
from .regions import load_regions
from .reminders import load_reminders

FIRST_HOLIDAY_YEAR = 2022


def load_reference(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create the missing reference rows; return counts per kind.

    Keys ``regions``, ``organisations``, ``authorities``, ``violation_types``, ``sanction_kinds``,
    ``deadline_rules``, ``elections``, ``election_phases``, ``reminder_rules``, ``prevention_items``
    count rows created by this run (all zero on a second run); ``structural_updates`` counts rows
    whose parent/region link was corrected; ``holidays`` is what ``sync_holidays`` returns. Raises
    ValueError when the region source does not give 38 provinsi and 514 kab/kota.
    """
    from netralitas.calendar import sync_holidays  # written alongside; imported late on purpose

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    counts: dict[str, int] = {}
    with transaction.atomic():
        regions, region_updates = load_regions()
        say(f"wilayah: {regions} dibuat, {region_updates} dipindah induknya")
        organisations, organisation_updates = load_organisations()
        say(f"organisasi: {organisations} dibuat, {organisation_updates} diperbaiki tautannya")
        central = load_central_instansi()
        say(f"instansi pusat: {central} dibuat")
        counts["regions"] = regions
        counts["organisations"] = organisations + central
        counts["authorities"] = load_authorities()
        counts["authority_transitions"] = load_authority_transitions()
        counts["violation_types"], counts["sanction_kinds"] = load_catalogue()
        counts["deadline_rules"] = load_deadlines()
        counts["elections"], counts["election_phases"] = load_elections()
        counts["reminder_rules"], counts["prevention_items"] = load_reminders()
        counts["structural_updates"] = region_updates + organisation_updates
        years = range(FIRST_HOLIDAY_YEAR, timezone.localdate().year + 2)
        counts["holidays"] = sync_holidays(years)
        say(f"hari libur {years.start}–{years.stop - 1}: {counts['holidays']}")
    return counts
