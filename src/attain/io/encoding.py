"""Turn a CSV file's bytes into text: UTF-8 (with or without BOM), UTF-16, or Windows-1252 / Latin-1."""

from __future__ import annotations

import codecs

from attain.io.problems import UnreadableFile

SAVE_AS = "save it as 'CSV UTF-8' (in Excel: File › Save As › CSV UTF-8) and import it again"
BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook? give it the .xlsx extension)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook (save it as .xlsx or CSV UTF-8)",
    b"%PDF": "a PDF document",
    b"PAR1": "a Parquet file (give it the .parquet extension)",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
}


def decode(data: bytes, file: str) -> tuple[str, str | None]:
    """The text and, when the encoding was guessed, a warning saying which one was used."""
    if not data.strip():
        raise UnreadableFile(file, "the file is empty: export the data again with a header row")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, name, file), None
    _refuse_binary(data, file)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    return _guess(data, file)


def _strict(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as bad:
        raise UnreadableFile(file, f"the file starts like {encoding} text but byte {bad.start} is not valid "
                                   f"{encoding}: {SAVE_AS}") from None


def _refuse_binary(data: bytes, file: str) -> None:
    for signature, what in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableFile(file, f"this is {what}, not CSV text")
    sample = data[:8192]
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16 is None:
            raise UnreadableFile(file, f"this is a binary file, not CSV text: {SAVE_AS}")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if controls > len(sample) // 100 + 2 and b"\x00" not in sample:
        raise UnreadableFile(file, f"this looks like a binary file, not CSV text: {SAVE_AS}")


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def _guess(data: bytes, file: str) -> tuple[str, str | None]:
    encoding = _utf16_without_bom(data[:8192])
    if encoding:
        return _strict(data, encoding, file), f"read as {encoding.upper()} (no byte-order mark); {SAVE_AS} to be sure"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else None
    western = guess is None or guess.startswith(("cp125", "iso8859", "latin", "mac_", "windows", "ascii"))
    for encoding in (["cp1252"] if western else [guess, "cp1252"]) + ["latin-1"]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, f"not UTF-8: read as {codecs.lookup(encoding).name}; check accented letters, or {SAVE_AS}"
    raise UnreadableFile(file, f"the text encoding could not be recognised: {SAVE_AS}")  # pragma: no cover
