from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from netralitas.backups import create_backup


class Command(BaseCommand):
    help = "Cadangkan basis data (pg_dump) dan folder media privat, dengan manifest SHA-256 setiap berkas."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Folder tujuan (bawaan: NETRALITAS_BACKUP_DIR).")

    def handle(self, *args, output=None, **options):
        target = create_backup(
            Path(output or settings.NETRALITAS_BACKUP_DIR), connection.settings_dict, Path(settings.MEDIA_ROOT)
        )
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {target}"))
