"""Effective-dated records must not overlap for the same subject: in the file, or with the database."""

from __future__ import annotations

from attain.engine.effective import Span, find_overlaps
from attain.io.validate import Parsed


def check_overlaps(parsed: Parsed, model, rows: dict[int, dict], replaced: set) -> None:
    """Reject file rows (index → field values) that overlap another row or a record not replaced.

    The dates are `valid_from`/`valid_to`, or the model's `span_fields` (a leave's start_date/end_date).
    """
    start, end = getattr(model, "span_fields", ("valid_from", "valid_to"))
    for group in getattr(model, "overlap_keys", ()):
        attnames = [model._meta.get_field(name).attname for name in group]
        spans = [Span(tuple(values[a] for a in attnames), values[start], values[end], ("row", index))
                 for index, values in rows.items()]
        subjects = {span.key for span in spans}
        for record in model._default_manager.exclude(pk__in=replaced).values("pk", start, end, *attnames):
            key = tuple(record[a] for a in attnames)
            if key in subjects:
                spans.append(Span(key, record[start], record[end], ("record", record["pk"])))
        for first, second in find_overlaps(spans):
            _reject_pair(parsed, model, group, first, second, start)


def _reject_pair(parsed: Parsed, model, group, first: Span, second: Span, column: str = "valid_from") -> None:
    subject = ", ".join(group)
    for mine, other in ((first, second), (second, first)):
        if mine.ref[0] != "row" or mine.ref[1] in parsed.invalid:
            continue
        if other.ref[0] == "row":
            where = f"row {parsed.table.row_numbers[other.ref[1]]} of this file"
        else:
            where = f"{model._meta.verbose_name} #{other.ref[1]} already in the database"
        parsed.reject(mine.ref[1], column, f"{mine.describe()} overlaps {other.describe()} in {where} for "
                      f"the same {subject}: end one the day before the other starts", str(mine.valid_from))
