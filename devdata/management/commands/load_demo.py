"""Demo accounts, reports and the Satgas of Sleman (devdata.demo): tooling, which may import every app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from devdata.demo import create_demo_accounts, create_demo_reports, create_demo_satgas


class Command(BaseCommand):
    help = "Buat akun demo (satu per peran) dan beberapa laporan demo. Hanya untuk pengembangan."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Satu kata sandi untuk semua akun demo (bawaan: acak per akun).")
        parser.add_argument("--force", action="store_true", help="Jalankan walau DJANGO_DEBUG mati.")

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Akun demo hanya untuk pengembangan (DJANGO_DEBUG=1), atau pakai --force.")
        accounts = create_demo_accounts(password or settings.NETRALITAS_DEMO_PASSWORD or None)
        reports = create_demo_reports()
        satgas_logins = create_demo_satgas(password or settings.NETRALITAS_DEMO_PASSWORD or None)
        login_url = reverse("admin:login")
        heading = f"Akun demo (masuk di {login_url}, lalu kode dari aplikasi autentikator):"
        self.stdout.write(self.style.SUCCESS(heading))
        for login in [*accounts, *satgas_logins]:
            account = login.account
            line = f"  {account.username:<22} {login.password:<18} TOTP {login.totp_secret}  {account.role.label}"
            self.stdout.write(line)
            self.stdout.write(f"  {'':<22} {login.totp_uri}")
        self.stdout.write(f"Laporan demo baru: {reports}")
