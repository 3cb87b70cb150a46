"""Make the clean copies (without metadata) that stored evidence lacks: PDFs and images (reports.cleaning)."""

from django.core.management.base import BaseCommand

from reports.cleaning import make_missing_clean_copies


class Command(BaseCommand):
    help = (
        "Buat salinan tanpa metadata untuk bukti yang belum punya (PDF dan foto). "
        "Make clean copies for stored evidence that has none (PDFs and photos). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Paling banyak sekian berkas / at most this many")

    def handle(self, *args, limit=None, **options):
        made, failed = make_missing_clean_copies(limit=limit)
        self.stdout.write(f"Salinan dibuat / copies made: {made}; gagal / failed: {failed}")
