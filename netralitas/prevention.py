"""The prevention checklist: each instansi ticks the decree's prevention obligations with evidence.

Before an election (from penetapan peserta) every instansi in the election's regions issues a
circular on neutrality, has its ASN take the neutrality pledge and hangs banners in every office
(PreventionItem rows, data an administrator edits). Its BKPSDM operator or PPK ticks each item
with a file (PDF, JPEG, PNG) or a link; until every item is ticked the weekly reminder goes on
(netralitas.cadence).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import refcache, visibility
from netralitas.elections import RELEVANT_AFTER, election_calendar
from netralitas.enums import INSTANSI_KINDS, PhaseKind, Role
from netralitas.models import Election, Organisation, PreventionCheck, PreventionItem
from netralitas.reminder_messages import election_scope, region_parents

ALLOWED_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
TICKING_ROLES = frozenset({Role.OPERATOR, Role.PPK})
# Active content a PDF has no business carrying in a circular or a photo of a banner.
PDF_REFUSED = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


@dataclass(frozen=True)
class ChecklistRow:
    item: PreventionItem
    check: PreventionCheck | None


def may_tick(user, organisation: Organisation) -> bool:
    """The instansi's own BKPSDM operator or PPK office ticks its checklist."""
    scope = visibility.scope_for(user)
    return (
        organisation.kind in INSTANSI_KINDS
        and scope.organisation_id == organisation.pk
        and scope.role in TICKING_ROLES
        and user.has_perm("netralitas.add_preventioncheck")
    )


def elections_for_prevention(organisation: Organisation, today: date) -> list[Election]:
    """Elections whose prevention period has begun (penetapan) and not long ended, held where ``organisation`` is."""
    found = []
    parents = region_parents()
    for election, region_ids in refcache.cached("election-calendar", election_calendar):
        penetapan = next((p for p in election.phases.all() if p.kind == PhaseKind.PENETAPAN), None)
        start = penetapan.start if penetapan is not None else election.first_start
        if not start <= today <= election.poll_end + RELEVANT_AFTER:
            continue
        if election_scope(election, region_ids, parents).covers_organisation(organisation.region_id, organisation.kind):
            found.append(election)
    return found


def checklist(organisation: Organisation, election: Election) -> list[ChecklistRow]:
    """Every active obligation with the instansi's check, if any (two queries)."""
    checks = {
        check.item_id: check
        for check in PreventionCheck.objects.filter(organisation=organisation, election=election).select_related(
            "ticked_by"
        )
    }
    return [ChecklistRow(item, checks.get(item.pk)) for item in PreventionItem.objects.filter(is_active=True)]


def _checked_file(upload: File) -> tuple[str, str]:
    """(sha256, shown name) of an acceptable evidence file; ValidationError on ``evidence_file`` otherwise."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:120]
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
    if not upload.size:
        raise ValidationError({"evidence_file": _("Berkas «%(name)s» kosong.") % {"name": name}})
    if upload.size > limit:
        raise ValidationError(
            {
                "evidence_file": _("Berkas «%(name)s» melebihi batas %(limit)s.")
                % {"name": name, "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    content = upload.read()
    kind = getattr(filetype.guess(content[:8192]), "mime", None)
    if kind not in ALLOWED_TYPES or (kind == "application/pdf" and any(m in content for m in PDF_REFUSED)):
        raise ValidationError(
            {"evidence_file": _("Berkas «%(name)s» ditolak: unggah PDF, JPEG atau PNG.") % {"name": name}}
        )
    upload.seek(0)
    return hashlib.sha256(content).hexdigest(), name


@transaction.atomic
def tick_prevention(
    user,
    *,
    organisation: Organisation,
    election: Election,
    item: PreventionItem,
    evidence_file: File | None = None,
    evidence_url: str = "",
    note: str = "",
) -> PreventionCheck:
    """Tick one obligation of ``organisation`` for ``election`` with a file or a link (replacing an earlier tick).

    Raises PermissionDenied (not the instansi's operator or PPK) or ValidationError keyed by field
    (no evidence, a bad file or link, an election not held there).
    """
    if not may_tick(user, organisation):
        raise PermissionDenied(_("Hanya operator BKPSDM atau PPK instansi ini yang dapat mencentang kewajiban ini."))
    if election not in elections_for_prevention(organisation, timezone.localdate()):
        raise ValidationError({"__all__": _("Pemilihan ini tidak sedang berlangsung di wilayah instansi Anda.")})
    evidence_url = (evidence_url or "").strip()
    if evidence_file is None and not evidence_url:
        raise ValidationError({"evidence_url": _("Lampirkan berkas bukti atau isi tautan bukti.")})
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            raise ValidationError({"evidence_url": _("Tautan harus diawali http:// atau https://.")}) from None
    check = PreventionCheck.objects.select_for_update().filter(
        organisation=organisation, election=election, item=item
    ).first() or PreventionCheck(organisation=organisation, election=election, item=item)
    if evidence_file is not None:
        check.sha256, check.original_name = _checked_file(evidence_file)
        check.evidence_file.save("bukti", evidence_file, save=False)
    check.evidence_url = evidence_url
    check.note = (note or "").strip()
    check.ticked_by, check.ticked_at = user, timezone.now()
    check.save()
    return check
