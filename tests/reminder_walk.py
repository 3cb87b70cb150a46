"""A day-by-day walk through an election calendar for the reminder tests (time-machine).

Each day at 00:15 the PPK-deadline sweep runs (sanctions.sweep_overdue, hourly in beat) and at
06:00 the reminder sweep (netralitas.reminder_sweep, daily in beat) with Celery eager; then the
acts scheduled for that day happen at 10:00 through the services, as staff would do them. What
each day delivered is read back from the database: new notifications as (user, kind, case) and
the reporters' reminder e-mails as ("pelapor:<address>", kind, case).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from netralitas.enums import Level, Track
from netralitas.models import (
    Election,
    Notification,
    Organisation,
    OutboxMessage,
    PreventionItem,
    SanctionKind,
    ViolationType,
)
from netralitas.prevention import tick_prevention
from netralitas.reminder_sweep import sweep_reminders
from reports import recommendations
from reports.models import Report
from reports.services import ReporterIdentity, TerlaporEntry, submit_report
from sanctions.services import sweep_overdue

JAKARTA = ZoneInfo("Asia/Jakarta")
REMINDER_KEY = re.compile(r"^rem:(?P<kind>.+?):(?P<subject>\w+\.\w+:\d+):(?P<due>\d{4}-\d\d-\d\d):(?P<who>.+)$")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


class Walk:
    """Walk ``start``..``end``; ``acts[day]`` runs at 10:00 that day; ``names`` turn subjects into case letters."""

    def __init__(self, acts: dict[date, Callable[[], None]]) -> None:
        self.acts = acts
        self.names: dict[str, str] = {}  # "reports.kajian:12" -> "kajian:A"
        self.letters: dict[tuple[str, int], str] = {}  # (model, pk) -> "A"
        self.last_notification = 0
        self.last_outbox = 0
        self.reruns_empty = True

    def name(self, model: str, pk: int, letter: str) -> None:
        self.letters[(model, pk)] = letter

    def _case(self, subject: str) -> str:
        """ "reports.kajian:12" -> "kajian:A"; a cadence subject ("election:3", "prevention:3") -> its first part."""
        kind, _sep, pk = subject.rpartition(":")
        if kind.startswith("reports.authority") or kind in {"sanctions.ppk_follow_up", "sanctions.bkn_block"}:
            return f"{kind.split('.', 1)[1]}:{self.letters.get(('terlapor', int(pk)), f'?{pk}')}"
        if kind.startswith("reports."):
            return f"{kind.split('.', 1)[1]}:{self.letters.get(('report', int(pk)), f'?{pk}')}"
        return kind

    def delivered(self) -> set[tuple[str, str, str]]:
        found = {
            (n.user.username, n.kind, self._case(n.subject))
            for n in Notification.objects.filter(pk__gt=self.last_notification).select_related("user")
        }
        for row in OutboxMessage.objects.filter(pk__gt=self.last_outbox, dedupe_key__startswith="rem:"):
            key = REMINDER_KEY.match(row.dedupe_key)
            if key and key["who"].startswith("email:"):
                found.add((f"pelapor:{row.recipient}", key["kind"], self._case(key["subject"])))
        self.last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.last_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return found

    def run(self, start: date, end: date) -> dict[date, set[tuple[str, str, str]]]:
        """The messages delivered each day (days without any are left out); reruns must deliver nothing."""
        self.delivered()
        days: dict[date, set] = {}
        day = start
        while day <= end:
            with time_machine.travel(at(day, 0, 15), tick=False):
                sweep_overdue()
            with time_machine.travel(at(day, 6), tick=False):
                sweep_reminders()
                found = self.delivered()
                sweep_reminders()  # the same day again: nothing new
                again = self.delivered()
                if again:
                    self.reruns_empty = False
                    found |= {("RERUN", *m) for m in again}
            if found:
                days[day] = found
            if day in self.acts:
                with time_machine.travel(at(day), tick=False):
                    self.acts[day]()
                self.delivered()  # what the acts themselves queued (recommendation e-mails) is not a reminder
            day += timedelta(days=1)
        return days


# ---------------------------------------------------------------- the cast and the acts


def organisation(kind: str, region: str | None) -> Organisation:
    found = Organisation.objects.filter(kind=kind)
    return found.get(region__name=region) if region else found.get()


def make_cast(make_staff, settings, tmp_path, cast: dict) -> dict:
    """Staff users named ``username`` with an e-mail; a name containing "nonaktif" is an inactive user."""
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = {}
    for username, ((kind, region), role) in cast.items():
        user = users[username] = make_staff(username, organisation(kind, region), role)
        user.email = f"{username}@example.go.id"
        user.is_active = "nonaktif" not in username
        user.save(update_fields=["email", "is_active"])
    # The reference data stays as it is for the whole walk: let the sweeps share the process copy.
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 3600
    return users


def submit(reporter_email: str, name: str, instansi: tuple[str, str]) -> Report:
    """A citizen's report about ``name`` of ``instansi`` (kind, region name), today, in that region."""
    employer = organisation(*instansi)
    report, _pin = submit_report(
        confidentiality="confidential",
        reporter=ReporterIdentity(name="Siti Rahma", nik="3404011201900001", email=reporter_email, phone="0812"),
        consent=True,
        terlapor=[TerlaporEntry(name=name, instansi=employer, employee_status="pns", nip="197806122005011003")],
        incident_date=timezone.localdate(),
        learned_date=timezone.localdate(),
        region=employer.region,
        place="Balai desa",
        description="Terlapor mengajak warga memilih pasangan calon nomor 2.",
        links=["https://www.instagram.com/p/abc123/"],
    )
    return report


def recommend(report: Report, actor, number: str, letter_date: date | None = None) -> None:
    recommendations.issue_recommendation(
        report.terlapor.get(),
        actor=actor,
        finding="Terlapor berpidato mengajak warga memilih.",
        violation_type=ViolationType.objects.get(code="B4"),
        track=Track.DISIPLIN,
        level=Level.BERAT,
        sanction_kinds=list(SanctionKind.objects.filter(code="berat-penurunan-jabatan")),
        reasoning="Rekaman video dan dua saksi.",
        letter_number=number,
        letter_date=letter_date or timezone.localdate(),
    )


def tick_all(user, election_name: str) -> None:
    """``user`` ticks every prevention obligation of their instansi for the election (a PDF for the circular)."""
    election = Election.objects.get(name=election_name)
    for item in PreventionItem.objects.all():
        tick_prevention(
            user,
            organisation=user.membership.organisation,
            election=election,
            item=item,
            evidence_url="https://jdih.example.go.id/se-netralitas",
            evidence_file=SimpleUploadedFile("se.pdf", b"%PDF-1.4\n%%EOF\n") if item.code == "surat-edaran" else None,
        )
