from django.core.management.base import BaseCommand

from netralitas.reference import load_reference


class Command(BaseCommand):
    help = "Muat data rujukan (wilayah, organisasi, katalog, tenggat, pemilihan, hari libur). Aman diulang."

    def handle(self, *args, **options):
        counts = load_reference(stdout=self.stdout)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(self.style.SUCCESS("Data rujukan dimuat."))
