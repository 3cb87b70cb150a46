from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from netralitas.backups import restore_backup


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan `backup` ke basis data dan folder media yang kosong, setelah memeriksa SHA-256 "
        "setiap berkas terhadap manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Folder cadangan (berisi MANIFEST.sha256).")
        parser.add_argument("--database-url", help="Basis data tujuan (bawaan: DATABASE_URL proyek ini).")
        parser.add_argument("--media-root", help="Folder media tujuan (bawaan: NETRALITAS_PRIVATE_MEDIA).")
        parser.add_argument("--force", action="store_true", help="Timpa basis data dan folder yang tidak kosong.")

    def handle(self, *args, backup, database_url=None, media_root=None, force=False, **options):
        database = environ.Env.db_url_config(database_url) if database_url else connection.settings_dict
        checked = restore_backup(Path(backup), database, Path(media_root or settings.MEDIA_ROOT), force=force)
        self.stdout.write(self.style.SUCCESS(f"Pemulihan selesai: {checked} berkas cocok dengan manifest."))
