from django.core.management.base import BaseCommand
from django.utils import timezone

from netralitas.security.selectors import retention_period
from reports.retention import plan_purge, purge_due_sealed_data, reports_due_for_purge


class Command(BaseCommand):
    help = (
        "Hapus identitas pelapor, saksi, dan berkas bukti asli laporan yang sudah ditutup lebih lama dari masa "
        "retensi. --dry-run hanya menampilkan apa yang akan dihapus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan ubah apa pun.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        years = retention_period().years
        due = list(reports_due_for_purge(now))
        self.stdout.write(f"Masa retensi: {years} tahun setelah laporan ditutup.")
        for report in due:
            plan = plan_purge(report)
            what = ", ".join(plan.parts()) or "tidak ada data tersisa"
            self.stdout.write(f"  {plan.tracking_code} (ditutup {timezone.localdate(plan.closed_at):%Y-%m-%d}): {what}")
        if dry_run:
            self.stdout.write(f"Uji coba: {len(due)} laporan akan dibersihkan, tidak ada yang diubah.")
            return
        purged = purge_due_sealed_data(now)
        self.stdout.write(self.style.SUCCESS(f"{purged} laporan dibersihkan."))
