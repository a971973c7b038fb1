"""What may be attached to a dispute: a screenshot, a PDF or a spreadsheet, of a few megabytes at most."""

from __future__ import annotations

from pathlib import PurePath

MAX_BYTES = 5 * 1024 * 1024
# extension → the bytes such a file starts with (None: a text or an office file, not sniffed)
ALLOWED: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".txt": None,
    ".csv": None,
    ".xlsx": (b"PK\x03\x04",),
}
KINDS = "a PDF, an image (PNG, JPEG, GIF, WebP), a text or CSV file, or an Excel workbook (.xlsx)"


def attachment_problem(upload) -> str | None:
    """Why `upload` (a Django file) cannot be attached, or None when it can."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name.lower()).suffix
    if extension not in ALLOWED:
        shown = f"a {extension} file" if extension else "a file without an extension"
        return f"{name or 'The file'} is {shown}, which cannot be attached: attach {KINDS}."
    if upload.size > MAX_BYTES:
        return (f"{name} is {upload.size / 1024 / 1024:.1f} MB: attach a file of {MAX_BYTES // 1024 // 1024} MB "
                "or less (a screenshot, or the pages that matter).")
    if not upload.size:
        return f"{name} is empty: attach the file again."
    signatures = ALLOWED[extension]
    if signatures is not None:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(s) for s in signatures):
            return f"{name} is not a real {extension[1:].upper()} file (its content says otherwise): attach {KINDS}."
    return None
