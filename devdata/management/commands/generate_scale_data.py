"""Fill the database with generated reports for benchmarks (devdata.scale), and their follow-up."""

from django.core.management.base import BaseCommand, CommandError

from devdata.scale import DEFAULT_BATCH, ScaleDataMismatch, generate_scale_data
from devdata.scale_codes import DEFAULT_SEED
from devdata.scale_outcomes import fill_scale_outcomes


class Command(BaseCommand):
    help = (
        "Tambah laporan buatan (kode NTR-0…) sampai berjumlah N; --reset menghapus laporan buatan saja. "
        "Top the generated reports (codes NTR-0…) up to N; --reset deletes only generated reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=1_000_000, help="target number of generated reports")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the data and of the PINs")
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="reports per transaction")
        parser.add_argument("--reset", action="store_true", help="delete the generated reports first")

    def handle(self, *args, reports, seed, batch, reset, **options):
        if reports < 0 or batch < 1:
            raise CommandError("--reports must be ≥ 0 and --batch ≥ 1")
        say = self.stdout.write if options["verbosity"] > 0 else None
        try:
            result = generate_scale_data(reports, seed=seed, batch=batch, reset=reset, progress=say)
        except ScaleDataMismatch as exc:
            raise CommandError(str(exc)) from exc
        # Recommendations, case states, decisions and blocks of the cases that do not have them yet.
        outcomes = fill_scale_outcomes()
        if outcomes:
            self.stdout.write(
                "Tindak lanjut buatan / generated follow-up: " + ", ".join(f"{k} {v}" for k, v in outcomes.items())
            )
        rate = result.created / result.seconds if result.seconds and result.created else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Laporan buatan / generated reports: {result.total} "
                f"(dibuat/created {result.created}, dihapus/deleted {result.deleted}, "
                f"{result.rows_written} baris/rows in {result.seconds:.1f} s, {rate:,.0f} laporan/reports per s)"
            )
        )
