"""The archive format: one tar.gz holding a single folder ``psycomp-backup/`` with

- ``manifest.json``: creation time, app version, schema, per-table row counts and checksums,
- ``database.sqlite3`` or ``database.pgdump``: the database,
- ``media/``: a copy of MEDIA_ROOT,
- ``SHA256SUMS``: the sha256 of every other file, in ``sha256sum -c`` format.

Reading refuses anything damaged, truncated, tampered with or unexpected before a single byte
reaches the live site. Called by ``home.backup`` only.
"""

import hashlib
import json
import os
import tarfile
import zlib
from pathlib import Path

from .databases import BackupError

ROOT = "psycomp-backup"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
FORMAT = 1
REQUIRED = {"app_version", "created_at", "database", "schema", "tables", "triggers"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write(folder: Path, output: Path) -> None:
    """Seal ``folder`` (already holding the manifest, dump and media) into ``output``.

    Written beside the target and renamed at the end, so a failed run leaves no half archive;
    readable by the owner only, because it holds personal data.
    """
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    lines = [f"{file_sha256(p)}  {p.relative_to(folder).as_posix()}\n" for p in files]
    (folder / SUMS).write_text("".join(lines), encoding="utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        tar.add(folder, arcname=ROOT)
    partial.replace(output)


def extract(archive: Path, into: Path) -> tuple[Path, dict]:
    """Unpack into ``into`` and check every sum; return (folder, manifest)."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                name = member.name
                if not (name == ROOT or name.startswith(ROOT + "/")):
                    raise BackupError(f"{archive} is not a backup of this site ({name}).")
            # The "data" filter refuses links out of the folder, devices and absolute paths.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{archive} is damaged or incomplete ({exc}).") from exc
    folder = into / ROOT
    _check_sums(archive, folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive}: the manifest cannot be read ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: not a backup manifest of a known format.")
    missing = REQUIRED - set(manifest)
    if missing:
        raise BackupError(f"{archive}: the manifest lacks {', '.join(sorted(missing))}.")
    return folder, manifest


def _check_sums(archive: Path, folder: Path) -> None:
    try:
        listed = {}
        for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ", 1)
            listed[name] = digest
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive}: the list of checksums is missing or damaged.") from exc
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    if MANIFEST not in listed:
        raise BackupError(f"{archive}: the manifest is not covered by the checksums.")
    if present != set(listed):
        odd = sorted(present ^ set(listed))
        raise BackupError(f"{archive}: files missing or unexpected: {', '.join(odd[:5])}.")
    bad = [name for name, digest in listed.items() if file_sha256(folder / name) != digest]
    if bad:
        raise BackupError(
            f"{archive} has been altered or damaged: {', '.join(sorted(bad)[:5])} "
            "does not match its checksum."
        )
