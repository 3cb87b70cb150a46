"""Backups of the database and the private media folder, with a SHA-256 manifest that restore checks.

A backup is one folder, ``netralitas-YYYYmmdd-HHMMSS``:

    database.dump     pg_dump --format=custom (PostgreSQL); database.sqlite3 for the SQLite of `make run`
    media.tar         the private media (evidence, clean copies, signed SKs), paths relative to MEDIA_ROOT
    MANIFEST.sha256   "<sha256>  <name>" for both archives and for every media file as "media/<path>",
                      the format of `sha256sum -c` (after `mkdir media && tar -xf media.tar -C media`)

Restore refuses before it changes anything when an archive does not match the manifest, or when the
target database or folder is not empty; it checks every restored file against the manifest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

MANIFEST = "MANIFEST.sha256"
MEDIA_ARCHIVE = "media.tar"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
_CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[tuple[str, Path]]:
    """(posix path relative to ``root``, path) of every regular file under ``root``, sorted."""
    if not root.exists():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        yield path.relative_to(root).as_posix(), path


def _is_postgresql(database: dict) -> bool:
    return "postgresql" in database["ENGINE"]


def _pg_env(database: dict) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": str(database["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{command[0]} gagal ({result.returncode}): {result.stderr.strip()[-2000:]}")


def create_backup(output_dir: Path, database: dict, media_root: Path, *, now: datetime | None = None) -> Path:
    """Write a backup of ``database`` and ``media_root`` into a new folder under ``output_dir``; return it."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = output_dir / f"netralitas-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    target.chmod(0o700)
    if _is_postgresql(database):
        dump = target / PG_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"], _pg_env(database))
    else:
        dump = target / SQLITE_COPY
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(dump) as copy:
            source.backup(copy)
    lines = []
    with tarfile.open(target / MEDIA_ARCHIVE, "w") as archive:
        for relative, path in _files_under(media_root):
            archive.add(path, arcname=relative, recursive=False)
            lines.append(f"{sha256_of(path)}  media/{relative}")
    lines = [f"{sha256_of(dump)}  {dump.name}", f"{sha256_of(target / MEDIA_ARCHIVE)}  {MEDIA_ARCHIVE}", *lines]
    (target / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for path in target.iterdir():
        path.chmod(0o600)
    return target


def read_manifest(backup: Path) -> dict[str, str]:
    """{name: sha256} from the backup's manifest."""
    path = backup / MANIFEST
    if not path.exists():
        raise CommandError(f"{path}: manifest tidak ada; ini bukan folder cadangan Netralitas.")
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise CommandError(f"{MANIFEST} baris {number} tidak terbaca.")
        entries[name] = digest
    return entries


def _check(path: Path, expected: str | None) -> None:
    if expected is None:
        raise CommandError(f"{path.name}: tidak tercatat di manifest.")
    if sha256_of(path) != expected:
        raise CommandError(f"{path.name}: SHA-256 tidak cocok dengan manifest; cadangan ini rusak atau diubah.")


def _database_is_empty(database: dict) -> bool:
    if _is_postgresql(database):
        import psycopg2

        params = {"dbname": database["NAME"], "user": database.get("USER") or None}
        params.update({k.lower(): database[k] for k in ("HOST", "PORT", "PASSWORD") if database.get(k)})
        with psycopg2.connect(**params) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0] == 0
    path = Path(database["NAME"])
    return not path.exists() or path.stat().st_size == 0


def restore_backup(backup: Path, database: dict, media_root: Path, *, force: bool = False) -> int:
    """Restore ``backup`` into ``database`` and ``media_root``; return how many media files were checked.

    Raises CommandError, before changing anything, when an archive does not match the manifest or the
    target is not empty (unless ``force``: then the database's objects are replaced and the folder merged).
    """
    manifest = read_manifest(backup)
    dump = backup / (PG_DUMP if _is_postgresql(database) else SQLITE_COPY)
    if not dump.exists():
        raise CommandError(f"{dump.name} tidak ada di {backup} (cadangan dari mesin basis data lain?).")
    _check(dump, manifest.get(dump.name))
    _check(backup / MEDIA_ARCHIVE, manifest.get(MEDIA_ARCHIVE))
    if not force and media_root.exists() and any(media_root.iterdir()):
        raise CommandError(f"Folder media tujuan {media_root} tidak kosong (pakai --force untuk menimpa).")
    if not force and not _database_is_empty(database):
        raise CommandError(f"Basis data tujuan {database['NAME']} tidak kosong (pakai --force untuk menimpa).")

    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(backup / MEDIA_ARCHIVE) as archive:
            archive.extractall(staging, filter="data")
        expected = {
            name.removeprefix("media/"): digest for name, digest in manifest.items() if name.startswith("media/")
        }
        found = dict(_files_under(staging))
        if set(found) != set(expected):
            raise CommandError("Isi media.tar tidak sama dengan daftar berkas di manifest.")
        for relative, path in found.items():
            if sha256_of(path) != expected[relative]:
                raise CommandError(f"media/{relative}: SHA-256 tidak cocok dengan manifest.")
        _restore_database(dump, database, force=force)
        for relative, path in found.items():
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(expected)


def _restore_database(dump: Path, database: dict, *, force: bool) -> None:
    if _is_postgresql(database):
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, f"--dbname={database['NAME']}", str(dump)], _pg_env(database))
        return
    with sqlite3.connect(dump) as source, sqlite3.connect(database["NAME"]) as target:
        source.backup(target)
