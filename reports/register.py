"""The register of terlapor: one ASN across reports, possible duplicates, and external numbers.

An ASN is one Person by NIP when the report gives it, else by their name
(normalised: titles, punctuation and case do not count) within one instansi.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from reports.enums import EventKind, ExternalSystem
from reports.models import ExternalReference, Person, Report, ReportEvent, Terlapor
from reports.selectors import reports_visible_to

__all__ = [
    "DUPLICATE_WINDOW",
    "add_external_reference",
    "link_register",
    "normalise_name",
    "normalise_nip",
    "person_for",
    "possible_duplicates",
    "reports_by_external_number",
]

# Two reports on the same ASN whose incidents lie this close may be one case.
DUPLICATE_WINDOW = timedelta(days=14)
PERSON_ATTEMPTS = 3

# Titles written before a name (Prof. Dr. Ir. …), compared without dots.
_PREFIX_TITLES = frozenset({"prof", "dr", "drs", "dra", "drg", "drh", "ir"})
# Degrees written after a name without the customary comma ("Sutrisno Hadi S.Pd"), compared without dots.
_SUFFIX_DEGREES = frozenset(
    {
        "amd",
        "ak",
        "lc",
        "mag",
        "mba",
        "mh",
        "mhum",
        "mkes",
        "mkom",
        "mm",
        "mpa",
        "mpd",
        "msc",
        "msi",
        "mt",
        "phd",
        "sag",
        "se",
        "sh",
        "shi",
        "sip",
        "skep",
        "skm",
        "skom",
        "spd",
        "spdi",
        "ssos",
        "st",
        "stp",
        "sstp",
    }
)
# A degree token: letters with at least one inner dot ("s.pd", "m.si.", "a.md", "s.pd.i").
_DOTTED_DEGREE = re.compile(r"^[a-z]{1,4}\.[a-z]{1,5}(\.[a-z]{1,5})*\.?$")


def normalise_name(name: str) -> str:
    """The comparable form of a person's name: casefolded, without titles, punctuation or extra spaces.

    "Drs. Sutrisno Hadi, M.Si." and "sutrisno  hadi" both give "sutrisno hadi".
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    # Indonesian usage puts every degree after the first comma: "Nama, S.Pd., M.Si.".
    text = text.split(",", 1)[0]
    tokens = text.split()

    def bare(token: str) -> str:
        return token.replace(".", "")

    while len(tokens) > 1 and bare(tokens[0]) in _PREFIX_TITLES:
        tokens.pop(0)
    # "Dr.Sutrisno": a prefix title glued to the name.
    if tokens:
        glued = re.match(r"^(prof|drs|dra|drg|drh|dr|ir)\.(\w.*)$", tokens[0])
        if glued:
            tokens[0] = glued.group(2)
    while len(tokens) > 1 and (bare(tokens[-1]) in _SUFFIX_DEGREES or _DOTTED_DEGREE.match(tokens[-1])):
        tokens.pop()
    text = " ".join(tokens).replace("'", "").replace("’", "").replace("`", "")
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def normalise_nip(nip: str) -> str:
    """NIP digits only: "19780612 200501 1 003" and "197806122005011003" are one NIP."""
    return re.sub(r"\D", "", nip)


def person_for(terlapor: Terlapor) -> Person:
    """The register entry of ``terlapor``: by NIP when given, else by normalised name within the instansi.

    Creates the entry when missing. Safe under concurrency: the insert runs in a savepoint and a
    lost race (IntegrityError on the unique constraints) reads the winner's row.
    """
    nip = normalise_nip(terlapor.nip)
    name_key = normalise_name(terlapor.name) or " ".join(terlapor.name.casefold().split())
    if nip:
        lookup = {"nip": nip}
        defaults = {"name": terlapor.name, "name_key": name_key, "instansi_id": terlapor.instansi_id}
    else:
        lookup = {"nip": "", "name_key": name_key, "instansi_id": terlapor.instansi_id}
        defaults = {"name": terlapor.name}
    for attempt in range(1, PERSON_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                person, _created = Person.objects.get_or_create(**lookup, defaults=defaults)
            return person
        except IntegrityError:
            if attempt == PERSON_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def link_register(report: Report) -> int:
    """Link every terlapor of ``report`` not yet in the register to their Person; return how many were linked.

    A terlapor whose NIP the register holds under another name is linked but flagged, on the case
    and on the register entry (name_conflict), with an internal note on the report: the same NIP
    with a different name may be a typing error or a different person, and a verifier decides.
    """
    linked = 0
    for terlapor in Terlapor.objects.filter(report=report, person__isnull=True).order_by("pk"):
        person = person_for(terlapor)
        conflict = bool(normalise_nip(terlapor.nip)) and normalise_name(person.name) != normalise_name(terlapor.name)
        moved = Terlapor.objects.filter(pk=terlapor.pk, person__isnull=True).update(
            person=person, name_conflict=conflict
        )
        linked += moved
        if moved and conflict:
            Person.objects.filter(pk=person.pk).update(name_conflict=True)
            ReportEvent.objects.create(
                report=report,
                kind=EventKind.NOTE,
                is_public=False,
                note=_("NIP %(nip)s tercatat di register atas nama %(registered)s, bukan %(named)s: periksa.")
                % {"nip": person.nip, "registered": person.name, "named": terlapor.name},
            )
    return linked


def possible_duplicates(report: Report) -> QuerySet[Report]:
    """Other reports naming the same ASN (same Person or same NIP) with incidents within ±14 days.

    Reports already linked to ``report`` are left out. One query; the caller applies visibility
    (``.filter(pk__in=reports_visible_to(user))``).
    """
    ours = Terlapor.objects.filter(report_id=report.pk)
    same_asn = Terlapor.objects.filter(
        Q(person_id__in=ours.filter(person__isnull=False).values("person_id"))
        | Q(nip__in=ours.exclude(nip="").values("nip"))
    )
    return (
        Report.objects.filter(
            pk__in=same_asn.values("report_id"),
            incident_date__gte=report.incident_date - DUPLICATE_WINDOW,
            incident_date__lte=report.incident_date + DUPLICATE_WINDOW,
        )
        .exclude(pk=report.pk)
        .exclude(pk__in=Report.linked_reports.through.objects.filter(from_report_id=report.pk).values("to_report_id"))
        .order_by("incident_date", "pk")
    )


def _number_taken(existing: ExternalReference, actor) -> ValidationError:
    label = ExternalSystem(existing.system).label
    if reports_visible_to(actor).filter(pk=existing.report_id).exists():
        message = _("Nomor %(system)s %(number)s sudah tercatat pada laporan %(code)s.") % {
            "system": label,
            "number": existing.number,
            "code": existing.report.tracking_code,
        }
    else:
        message = _("Nomor %(system)s %(number)s sudah tercatat pada laporan lain.") % {
            "system": label,
            "number": existing.number,
        }
    return ValidationError({"number": [message]})


@transaction.atomic
def add_external_reference(report: Report, *, actor, system: str, number: str) -> ExternalReference:
    """Record that ``report`` carries ``number`` in another system (SIGAPLAPOR, LAPOR!, SBT).

    Recording a number the report already has returns that row. Raises PermissionDenied when
    the actor lacks reports.add_externalreference or cannot see the report; ValidationError
    (keyed by field) for an unknown system, an empty number, or a number another report holds
    (naming that report only when the actor may see it).
    """
    if actor is None or not actor.has_perm("reports.add_externalreference"):
        raise PermissionDenied(_("Anda tidak berwenang menambahkan nomor eksternal pada laporan ini."))
    if not reports_visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang menambahkan nomor eksternal pada laporan ini."))
    number = " ".join(number.split())
    errors = {}
    if system not in ExternalSystem.values:
        errors["system"] = [_("Pilih sistem asal nomor.")]
    if not number:
        errors["number"] = [_("Nomor wajib diisi.")]
    if errors:
        raise ValidationError(errors)

    def existing() -> ExternalReference | None:
        return ExternalReference.objects.select_related("report").filter(system=system, number=number).first()

    found = existing()
    if found is not None:
        if found.report_id == report.pk:
            return found
        raise _number_taken(found, actor)
    try:
        with transaction.atomic():
            return ExternalReference.objects.create(report=report, system=system, number=number)
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        if found.report_id == report.pk:
            return found
        raise _number_taken(found, actor) from None


def reports_by_external_number(user, number: str) -> QuerySet[Report]:
    """Reports ``user`` may see that carry ``number`` in any external system."""
    number = " ".join(number.split())
    if not number:
        return Report.objects.none()
    return reports_visible_to(user).filter(pk__in=ExternalReference.objects.filter(number=number).values("report_id"))
