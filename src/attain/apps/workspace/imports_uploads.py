"""Uploaded import files kept between their preview and the import: VAR_DIR/uploads/TOKEN/ holds the file, its
SHA-256 and what the preview (a dry run) and the import found (upload.json).

The file stays on the server, never in the session; the import is refused unless the file's SHA-256 is
still the one previewed and the one the confirming form carries. Only the user who uploaded a file sees
it. Uploads older than a week are removed when a new one arrives.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

from attain.io.problems import UnreadableFile
from attain.io.reading import read_table

SUFFIXES = (".csv", ".xlsx", ".parquet")
KEPT_DAYS = 7
FIRST_ROWS = 10
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadRefused(ValueError):
    """The uploaded file is not one the importer can take; the message says why and what to do."""


@dataclass
class Upload:
    token: str
    folder: Path
    meta: dict

    @property
    def path(self) -> Path:
        return self.folder / self.meta["file_name"]

    def save(self) -> None:
        (self.folder / "upload.json").write_text(json.dumps(self.meta, indent=1))


def uploads_folder() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def keep(uploaded: UploadedFile, entity: str, user) -> Upload:
    """Check the file's name and size, and keep it with its SHA-256."""
    name = _safe_name(uploaded.name or "")
    limit = settings.ATTAIN_IMPORT_MAX_MB
    if uploaded.size > limit * 1024 * 1024:
        raise UploadRefused(f"{name} is {uploaded.size / 1048576:.1f} MB, more than the {limit} MB the page takes: "
                            f"split it, or import it with `attain import {entity} FILE`")
    _forget_old()
    token = secrets.token_hex(16)
    folder = uploads_folder() / token
    folder.mkdir(parents=True)
    digest = hashlib.sha256()
    with (folder / name).open("wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    upload = Upload(token, folder, {"entity": entity, "file_name": name, "sha256": digest.hexdigest(),
                                    "size": uploaded.size, "user": user.pk, "uploaded": time.time()})
    upload.save()
    return upload


def find(token: str, user) -> Upload:
    """The user's upload called `token`; not found for anyone else, or once removed."""
    folder = uploads_folder() / token
    if not TOKEN.match(token) or not (folder / "upload.json").exists():
        raise Http404("There is no such upload (uploads are kept for a week): upload the file again.")
    meta = json.loads((folder / "upload.json").read_text())
    if meta.get("user") != user.pk:
        raise Http404("There is no such upload.")
    return Upload(token, folder, meta)


def sha256_now(upload: Upload) -> str:
    digest = hashlib.sha256()
    with upload.path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def first_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the first rows (with their row numbers), as the importer reads them."""
    try:
        table = read_table(path)
    except UnreadableFile:
        return [], []
    shown = min(FIRST_ROWS, len(table))
    return table.header, [(table.row_numbers[i], table.row(i)) for i in range(shown)]


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused(f"{base or 'the file'} is not a file the importer reads: choose a .csv file (or .xlsx, "
                            ".parquet) exported with a header row")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(base).stem).strip("._") or "upload"
    return stem[:80] + suffix


def _forget_old() -> None:
    folder = uploads_folder()
    if not folder.exists():
        return
    oldest = time.time() - KEPT_DAYS * 86400
    for kept in folder.iterdir():
        if kept.is_dir() and kept.stat().st_mtime < oldest:
            shutil.rmtree(kept, ignore_errors=True)
