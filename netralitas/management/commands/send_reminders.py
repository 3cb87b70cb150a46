"""Run the reminder sweep by hand (netralitas.reminder_sweep): the same sweep beat fires every morning."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from netralitas.reminder_sweep import enqueue, messages_due


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now harus berupa tanggal-waktu ISO, mis. 2024-11-05T06:00 (bukan {text!r})") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # Asia/Jakarta (TIME_ZONE)
    return moment


class Command(BaseCommand):
    help = (
        "Kirim pengingat yang jatuh hari ini (sekali saja per pesan); --dry-run hanya menampilkannya. "
        "Send today's reminders (each message once); --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to sweep as (default: now; naive = Asia/Jakarta)")
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent, send nothing")

    def handle(self, *args, now=None, dry_run=False, **options):
        moment = _moment(now) if now else timezone.now()
        messages = messages_due(moment)
        for message in messages:
            recipient = message.recipient
            who = f"user:{recipient.user_id}" if recipient.user_id is not None else "pelapor"
            mode = "ringkasan" if recipient.digest else "langsung"
            self.stdout.write(
                f"{message.due_date.isoformat()}\t{message.kind}\t{message.subject}\t{who}\t{mode}\t{message.title}"
            )
        day = timezone.localdate(moment).isoformat()
        if dry_run:
            self.stdout.write(f"{len(messages)} pesan akan dikirim untuk {day} (uji coba, tidak ada yang dikirim).")
            return
        tasks = enqueue(messages, moment)
        self.stdout.write(self.style.SUCCESS(f"{len(messages)} pesan untuk {day} diantrekan dalam {tasks} tugas."))
